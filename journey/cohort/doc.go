// Package cohort builds cohort retention tables from event logs: users grouped by the
// period of their first event, and for each later period the share who came back.
//
// # Cohorts and periods
//
// [Build] puts each user in the cohort of the calendar [Period] (day, week or month, in
// [Options.Location]) that holds the user's first start event ([Options.StartEvent], any
// event by default). Period N of a user is, with the [Calendar] window, the N-th calendar
// period after that one, so that a user who starts at 23:00 is back "on day 1" at 01:00;
// with the [Rolling] window it is the N-th run of 24 hours (7 × 24 hours for weeks, 30 ×
// 24 hours for months) after the first event, as Amplitude's 24-hour
// windows. Calendar periods follow the location's clock across daylight-saving changes.
//
// # Retention and churn
//
// A [Table] row has, for each period N, a [Cell] with
//
//	Retention  = users who returned in period N / eligible users           ("return on")
//	Unbounded  = users who returned in period N or later / eligible users  ("on or after")
//	Churn      = users retained through N-1 but not on or after N / users retained through N-1
//
// Eligible users are those whose period N has ended by [Options.AsOf], the time at which the
// table is read (by default the latest event). This is Amplitude's definition of unbounded
// ("return on or after") retention: a user counts toward day N only once day N has passed,
// so the newest cohorts, whose periods are still running, never read as a drop. The same
// denominator is used for "return on" retention and for churn. Period 0 holds the start
// event, so every user is active and retained in it, and each row stops at the last period
// that has ended for at least one of its users: the rows form a triangle.
//
// Amplitude, "Retention Analysis FAQ": for "return on or after" retention, the denominator
// for period X is the users who have completed that period; the numerator the users who
// returned in period X or later.
//
// [Table.Overall] sums the counts of all cohorts per period, so its rates are the cohorts'
// rates weighted by their eligible users. [Table.String] prints "return on" retention as a
// triangle, [Table.Triangle] any of the three rates, and a Table marshals to JSON with
// periods and windows by name; [Period], [Window] and [Measure] have one text form for
// String, MarshalText and UnmarshalText.
//
// # Bounds and errors
//
// A row spans at most [MaxPeriods] periods (over 27 years of days): a log whose earliest
// start event lies further from [Options.AsOf], typically because of a "never" sentinel
// such as 9999-12-31, is an [*cxmetrics.InputError] wrapping [cxmetrics.ErrTooLarge] that
// names the outlying event, never a table of millions of cells. Times must lie in the
// years 0000 to 9999 (UTC). Every error is an [*cxmetrics.InputError] or wraps a sentinel
// of the root package; see [Build].
package cohort
