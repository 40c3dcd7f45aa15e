// Package journey measures the customer journey: its five stages with their key questions
// and metrics, one function per metric formula, and the [Event] type that the journey
// packages (funnel, cohort, attribution, clv) share, with a CSV reader and sessions.
//
// # Stages
//
// A [Stage] (Awareness, Consideration, Purchase, Retention, Advocacy) answers one key
// question, [Stage.Question], through its key metrics, [Stage.Metrics]. Each [Metric]
// names the Go function that computes it: a function of this package, or nps.Compute for
// the Net Promoter Score, which lives in its own package.
//
// # Formulas
//
// Every formula is a plain function returning (float64, error) whose doc comment states
// the formula and its source. Rates and shares are returned as shares in [0, 1], never as
// percents: multiply by 100 to print them. [SocialSentiment] is the one net score, in
// [-1, 1]. Counts are float64 so that weighted or sampled counts can be passed.
//
// Inputs are validated and every rejection is an [*cxmetrics.InputError] whose What names
// the argument:
//
//   - NaN or an infinity, or a result beyond the largest float64 (a total of visits, a
//     lifetime value), wraps [cxmetrics.ErrNotFinite];
//   - a negative count, a part larger than its whole (orders above carts) or a share
//     outside [0, 1] wraps [cxmetrics.ErrOutOfRange];
//   - a zero denominator (no sessions, no customers) or an empty slice wraps
//     [cxmetrics.ErrEmpty].
//
// No formula returns NaN or an infinity. Where the result is representable although a
// plain evaluation would overflow on the way (a mean of huge times, a sentiment of huge
// counts, a product with a zero factor), the formula scales its inputs by a power of two
// and returns it.
//
// Two bounce rates exist. [BounceRate] is Universal Analytics': single-page sessions over
// sessions. [GA4BounceRate] is Google Analytics 4's: sessions that were not engaged,
// 1 - [EngagementRate].
//
// # Events and sessions
//
// [ReadEventsCSV] loads an event log (user, event, time, and optional channel, value and
// property columns) and rejects the first bad field with a [*cxmetrics.ParseError] naming
// its line and column, the one error type of every file reader in the module;
// [WriteEventsCSV] writes a log that reads back to the same events, each time the same
// instant. ReadEventsCSV parses on every core as it reads;
// [ScanEventsCSV] yields the same events one at a time in constant memory, for logs
// larger than memory. [ReadEventsJSON], [ScanEventsJSON] and [WriteEventsJSON] do the
// same for JSON Lines, one object per event with the CSV columns' names as fields; their
// ParseError's Column is the field's ordinal in its object, or 0.
//
// [Sessions] splits each user's events at gaps of inactivity (30 minutes by default),
// and [SummarizeSessions] counts single-page and engaged sessions, so that both bounce
// rates come from raw events. [SummarizeEventSessions] gives the same counts straight
// from the events without building a slice per session.
package journey
