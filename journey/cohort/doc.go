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
// # Breakdown and revenue
//
// With [Options.BreakdownBy], [Table.Breakdown] holds one table per value of that
// Event.Props key. A user belongs to the value that their acquisition event carries: the
// first start event (by time, then input order), the event that puts them in a cohort;
// later events do not move them, and a user whose acquisition event lacks the key, or
// has it empty, is under "". Each breakdown table is the table of its users alone, read
// at the same as-of time; summing the breakdown tables' counts gives the main table.
//
// With [Options.Revenue], [Cell.Revenue] is the sum of Event.Value over the return
// events that fall in period N of the cell's eligible users (for period 0, from the
// acquisition event on, that event included when it is a return event): revenue "on
// period N", counted over exactly the users and periods that make Active. Revenue has no
// "on or after" form: a sum over period N and every later one would add the revenue of
// periods that have not ended, and grow with the time a cohort has been watched, so it
// would not compare across cohorts; the revenue up to period N is the sum of a row's
// cells 0 to N. Values may be negative (refunds); NaN or infinite ones are errors.
//
// # Intervals
//
// Every cell, of a cohort and of the pooled row, carries a Wilson score interval for each
// of its three rates (Wilson 1927, "Probable inference, the law of succession, and
// statistical inference", JASA 22(158)), at [Options.Level] (0.95 by default), in percent
// as every [cxmetrics.Interval] of a share:
//
//	(p + z²/2n ± z √(p(1-p)/n + z²/4n²)) / (1 + z²/n)
//
// with p = x/n the rate (Active, Retained or Churned of n = Eligible, Eligible or AtRisk)
// and z the (1+level)/2 normal quantile. It is defined at x = 0 and x = n, where it
// reaches 0 or 100 on that side and keeps a positive width on the other, and is R's
// prop.test(x, n, correct = FALSE) interval. The interval treats the n users of a cell as
// independent trials; the pooled row's n adds the cohorts' users. A churn cell with no
// user at risk has the interval [0, 100].
//
// [Table.Overall] sums the counts of all cohorts per period, so its rates are the cohorts'
// rates weighted by their eligible users. [Table.String] prints "return on" retention as a
// triangle, [Table.Triangle] any of the three rates, and a Table marshals to JSON with
// periods and windows by name; [Period], [Window] and [Measure] have one text form for
// String, MarshalText and UnmarshalText.
//
// # Streaming
//
// [BuildSeq] builds the same table from an iter.Seq2[journey.Event, error] sorted by time,
// such as journey.ScanEventsCSV yields, for logs larger than memory: it reads each event
// once and keeps only the state of each user with a start event (the acquisition, the
// latest period with a return and that period's revenue) and the cells, O(users +
// cells) in all. A user's returns come in time order, so each new period is counted when
// its first return arrives; since the as-of time is known only at the end when
// [Options.AsOf] is zero, the one period per user that may still be running then is
// taken back at the end. The first event earlier than the one before it is an error
// wrapping [cxmetrics.ErrOutOfRange] that names its index, its time and the previous
// time.
//
// # Performance
//
// [Build] numbers the users on every core (GOMAXPROCS goroutines), in a fixed number of
// shards by a hash of the user id, so that its tables, revenue sums included, are the
// same for any GOMAXPROCS; it then reads the events once more to count the returns,
// finding each event's period from its Unix seconds in a table of the periods' first
// seconds in the location. bench/cohort.sh times it against DuckDB on a log of 2.9
// million events by 1 million users.
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
