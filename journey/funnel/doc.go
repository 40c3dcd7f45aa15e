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
// # What else a Result tells
//
// Every share comes with its Wilson score interval at Funnel.Level (95% by default), in
// percent as every cxmetrics.Interval of a share (the shares themselves are in [0, 1]).
// Times to convert are summarised by their mean, median and the percentiles 10, 25, 50,
// 75 and 90 (R's type 7), per step and for the whole funnel (first step to last, over
// the users who converted), and counted in a histogram with the caller's Bins. With a
// breakdown, each value's overall conversion is compared with that of all other users
// by a pooled two-proportion z-test, with Holm-adjusted p-values ([BreakdownTest]).
// With Trend, the counted attempts are put in the day, week (from Monday) or month of
// Location in which their anchoring event lies, and each period gets its conversion
// (users who converted of those whose attempt started in it) with its interval: the
// attempt counted for a user is the same as without a trend, so a user counts in one
// period only. With ListUsers the Result names the users who converted and, per step,
// those who dropped after it. These never change which attempt counts.
//
// # Errors
//
// Run validates the funnel and the events before computing anything: no steps or no
// events wrap [cxmetrics.ErrEmpty]; a step without an event name, a negative window, an
// unknown Order or Anchor, an exclusion with bad step indexes or the event of a step, and
// an event without a user, with a zero time or a time outside the years 1678 to 2262 are
// reported as an *[cxmetrics.InputError] with the position of the offending step,
// exclusion or event. A funnel has at most [MaxSteps] steps; Workers lies in [0,
// MaxWorkers] (beyond: [cxmetrics.ErrTooLarge]), and a log at most 2³²-1 events. A Level
// outside (0, 1) wraps [cxmetrics.ErrInvalidLevel]; Bins that do not increase wrap
// [cxmetrics.ErrOutOfRange], and more than [MaxBins] of them, or a trend over more than
// [MaxPeriods] periods, [cxmetrics.ErrTooLarge]; an unknown Period wraps
// [cxmetrics.ErrUnknownLabel].
//
// # Input order, workers and memory
//
// Any input order gives the same result. Run picks its way by the order of the log: a
// log sorted by time is read once, keeping a small state per user; a log sorted by user
// and then by time (users in increasing byte order) is walked user by user; any other
// log is grouped by user, in parts that hold at most a few records per user and step.
// Memory beyond the input is therefore proportional to the users times the steps,
// whatever the number of events. [Runner.RunSeq] reads a log of unknown length from an
// iterator, once, keeping none of its events, when the caller promises it sorted by time
// (memory proportional to the users times the steps) or by user and then time (memory
// of one user, besides the result); it names the first event that breaks the promise.
//
// With Workers other than 1, Run splits the users among goroutines by a hash of their
// id (or, for a log sorted by user, by position), so the result is the same for any
// number of workers. A log sorted by time whose events share one id string per user (a
// log built in memory, whose first 16,384 events show it) is split by the address of
// the id string instead, which is cheaper; afterwards Run checks that no user was in
// two shares, and if one was (the same id in two strings), reads the log again, split
// by hash. A log of fewer than 65,536 events per worker uses fewer workers.
//
// Where filters are called exactly once for each event that has their step's event
// name, whatever the input order; with Workers other than 1 possibly from several
// goroutines at once, so a filter must be safe for concurrent use and should have no
// side effects. The events must not change while Run reads them. [Funnel.Run] is safe
// for concurrent use; a [Runner], which reuses its buffers from one run to the next, is
// not.
//
// Users are told apart by their exact id strings, except when a log in no order is
// grouped: then by a 128-bit keyed hash of the id, with keys drawn afresh for every run,
// so that two different users are merged only if their hashes collide, with a
// probability below n²/2¹²⁹ for n users (about 10⁻²¹ for a billion users).
//
// How it is made fast (a hash table with batched prefetching, a cache of id addresses,
// a radix sort by user hash, a HyperLogLog estimate of the users that sizes the parts)
// is described in the code that does it.
package funnel
