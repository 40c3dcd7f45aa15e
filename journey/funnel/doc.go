// Package funnel measures conversion funnels over event logs: how many users did the
// first step, how many of them went on to each later step, where they dropped out and
// how long each step took.
//
//	f := funnel.Funnel{
//		Steps:  []funnel.Step{{Event: "visit"}, {Event: "cart"}, {Event: "purchase"}},
//		Window: 24 * time.Hour,
//	}
//	res, err := f.Run(events)
//
// # Attempts
//
// Each user's events are taken in time order; events with equal times keep their input
// order, and the input need not be sorted. An event matches a step when its Name equals
// the step's Event and the step's Where filter, if any, accepts it. An attempt starts at
// an anchoring event and collects later events as steps; one event never advances two
// steps, so a funnel A → A needs two distinct A events.
//
// The window is closed and measured from the anchoring event: an event exactly Window
// after the anchor is inside it, one nanosecond later is not. A zero Window means no
// limit.
//
// In [Ordered] order (the default) the anchor is a first-step event, and each later step
// is the first event after the previous step that matches it and lies inside the window.
// Other events may come between the steps.
//
// In [Strict] order the steps must be consecutive events of the user: any event of the
// user that is not the next step breaks the attempt, including events that match no step
// and events that a step's Where filter rejects (as PostHog's strict order). Pass only
// the events that should count, if others should not break attempts.
//
// In [Any] order the anchor is any event that matches some step, the attempt covers the
// events from the anchor to the end of its window, and it reaches step i when steps 0 to
// i can each be given a distinct event of that span, in any order. Step i is completed
// by the first event at which that becomes possible.
//
// # Anchors
//
// With [LatestStart] (the default, as PostHog) every first-step event (in Any order, every
// event that matches a step) starts an attempt, so a newer first-step event gives a fresh
// window. With [FirstStart] (as Mixpanel) the
// first first-step event holds: later first-step events are ignored until its attempt
// ends, when it converts or its window expires (or, in Strict order, when it is broken);
// the next attempt then starts at the first first-step event after that. Mixpanel's
// documented example, A at 1:00, A at 1:30, B at 1:45 and C at 2:15 with a one-hour window
// for the funnel A → B → C, converts with LatestStart (1:30 to 2:15) but not with
// FirstStart, whose attempt from 1:00 reaches B and expires before C.
//
// # Counting users
//
// A user counts once, with their best attempt: the one that reached the most steps; among
// those, the one that completed its last step earliest; and among those (possible with
// LatestStart) the one with the latest anchor. Result.Users counts the users who reached
// the first step. For step i, with R(i) the number of users whose counted attempt reached
// step i or a later one:
//
//	Reached      = R(i)
//	FromStart    = R(i) / R(0)
//	FromPrevious = R(i) / R(i-1), and 1 for the first step
//	DroppedAfter = R(i) - R(i+1), and 0 for the last step, which nobody leaves
//
// A share with a zero denominator is 0. The time to convert to step i is, in the counted
// attempt, the time of the event that completed step i minus that of the event that
// completed step i-1 (in Ordered and Strict order simply the time between the two step
// events); the median (the mean of the two middle values, rounded down to the nanosecond,
// for an even count) and the mean (rounded to the nearest nanosecond) are taken over the
// users who reached step i. Both are 0 for the first step. A time to convert longer than
// the longest [time.Duration], about 292 years, counts as the longest Duration.
//
// # Exclusions
//
// An [Exclusion] names an event that must not happen between two steps, given as 0-based
// step indexes From < To, as PostHog's exclusion steps. A user is dropped from the funnel,
// from every count, when their counted attempt reached step From and an event named
// Exclusion.Event happened after the event that completed step From and before the event
// that completed step To; or, if the attempt never reached step To, anywhere after step
// From inside the attempt's window (to the user's last event when there is no window).
// The counted attempt is chosen before exclusions apply. An exclusion event may not be
// the event of a step; exclusions match the event name only.
//
// # Breakdown
//
// With BreakdownBy set, Result.Breakdown holds one Result per value of that property,
// read from Event.Props of the anchoring event of each user's counted attempt (the
// first-step event in Ordered and Strict order, the attempt's first event in Any order).
// Users whose anchoring event lacks the property, or has it empty, are under the key "".
// The breakdown Results have no Breakdown of their own.
//
// # Errors
//
// Run validates the funnel and the events before computing anything: no steps or no
// events wrap [cxmetrics.ErrEmpty]; a step without an event name, a negative window, an
// unknown Order or Anchor, an exclusion with bad step indexes or the event of a step, and
// an event without a user, with a zero time or a time outside the years 1678 to 2262 are
// reported as an *[cxmetrics.InputError] with the position of the offending step,
// exclusion or event. A funnel has at most [MaxSteps] steps.
//
// # Performance
//
// Run first tries to stream the events: it reads them once, in input order, keeping only
// a small state per user, and finishes if the events turn out to be sorted by time
// (equal times allowed), as an event store exports them. If they are not, Run starts
// over and streams again, requiring only that each user's events be in time order, as
// in a log sorted by user and time, or merged from per-user sources; this pass gives
// every user a block, with one more word for the time of the user's latest event.
// Streaming covers every order and anchor, exclusions and breakdowns. Memory is then the
// number of users times a size that depends on the steps alone, besides the input,
// whatever the number of events per user. Per user,
// Run keeps an 8-byte entry in a hash table that is at most half full, the user's id (a
// string header: 16 bytes), and a block of int64 words: 2 words for the best attempt so
// far (steps reached, anchor) plus its s step times, and the attempts in progress: in
// Ordered order with [LatestStart], for each level, the attempt with the latest anchor
// that reached it, (s² + s)/2 - 1 words for s >= 2 (21 words in all for 5 steps); s + 2
// words with [FirstStart]; 2s + 1 words in Strict order with LatestStart (the times of
// the user's last s events). Users are told apart by their exact id strings.
//
// In [Any] order whether steps 0 to k-1 can be given distinct events of a span depends
// only on which steps each event matches, and an event that matches step j can be
// swapped for a later one in the span that matches j whenever at least c(j) later ones
// do, c(j) being the number of steps with the event name of step j: those events can
// serve only those steps. So Run keeps, per user, only the events inside the window that
// are among the latest c(j) for some step j they match: one per step when every step
// has its own event name (c events for a name shared by c steps, c² if Where filters
// tell its events apart). With [LatestStart] each kept event anchors an attempt and
// records the steps its span covers and when each was completed; an event that is no
// longer kept drops its attempt, which the next step event matches at least as well and
// later. With [FirstStart] the kept events are those since the anchor of the one
// attempt. For 5 steps with distinct event names a block has 63 words with LatestStart
// and 35 with FirstStart.
//
// Exclusions are streamed with one flag per attempt, kept in a high bit of the word
// that holds its anchor: an exclusion event drops the best attempt so far and each
// attempt in progress whose last completed step lies in [From, To) of one of its
// exclusions, when the event is inside the attempt's window. A flagged attempt keeps
// its place: the counted attempt is chosen before exclusions apply.
//
// Events are handled in batches of 256, in stages that each prefetch the memory the next
// one reads (the users' ids, their table entries, their blocks), so that the cache
// misses of a batch overlap instead of following each other; on amd64 and arm64 with
// the processor's prefetch instructions, elsewhere without prefetching. Before those
// stages, a small direct-mapped cache (at most 16,384 entries, 256 KB) maps the address
// and length of an id string to the user: when the events of a user share one string,
// as in a log built in memory, most events find their user there without hashing the
// id or reading the table. Two strings with the same address and length are equal, and
// the strings of the events do not move while Run reads them, so a hit is exact; the
// cache only compares addresses, never reads through them. While the cache is on, users
// who have not reached the first step get an entry too, so that their later events hit
// it. When fewer than one event in eight hits (a CSV reader gives every event its own
// copy of the id), the cache turns itself off for a million events and tries again.
//
// A log in which some user's events are out of time order is not streamed (Run notices
// at the first such event and starts over). Run then groups the events by user. A first
// pass validates the events, counts those the funnel may need (in Strict order every
// event; otherwise those whose name is the event of a step or an exclusion) by the top
// bits of a hash of their user, and estimates the number of users with a HyperLogLog
// sketch (Flajolet et al. 2007, 4,096 registers, about 2% error). The users are then split
// by hash into as few parts as keep each part at most 4 records per user and step (and
// at least 65,536), and each part is grouped in one more pass: so memory is bounded by
// the users times the steps, 32-byte records in two arrays of at most 4·users·steps
// records, whatever the number of events; a part cannot split one user, so a single
// user with more records than that takes them all at once. Each pass keeps a record of
// each event of its part the funnel needs, groups the records by user with a radix sort
// on a hash of the user that works bucket by bucket in the cache, sorts each user's
// records by time only when they are out of order, and walks each user once: Ordered
// and Strict order in time linear in the user's events and memory linear in the steps,
// Any order in time linear in the user's events times a small matching cost per event.
// On this path users are told apart by a 128-bit keyed hash of their id, with keys drawn
// afresh for every run, as ClickHouse's uniqExact does for strings; this spares reading
// every id twice. Two different users are merged only if their hashes collide, with a
// probability below n²/2¹²⁹ for n users: about 10⁻²¹ for a billion users.
//
// Run keeps its large buffers in a [sync.Pool], so that repeated runs reuse memory
// instead of asking the operating system for hundreds of megabytes each time: on some
// machines the page faults of fresh memory cost more than the computation itself. The
// pool keeps no reference to the caller's data between runs. Where filters are called
// once per event with a matching name, in input order, from the calling goroutine; on a
// log that is not sorted by time, up to three times for some events (once in each pass
// that reads them), so they should not have side effects. The events must not change while Run
// reads them. Run is safe for concurrent use.
package funnel
