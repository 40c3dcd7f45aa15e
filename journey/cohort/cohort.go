package cohort

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/dist"
	"github.com/cxmetrics/cxmetrics/internal/enum"
	"github.com/cxmetrics/cxmetrics/internal/intern"
	"github.com/cxmetrics/cxmetrics/internal/survey"
	"github.com/cxmetrics/cxmetrics/journey"
)

const pkg = "cohort"

// Period is the length of a cohort's acquisition period and of the periods in which
// returns are counted.
type Period int

// The periods.
const (
	Day   Period = iota // a calendar day, or 24 hours when rolling
	Week                // a calendar week starting on Options.WeekStart, or 7 × 24 hours when rolling
	Month               // a calendar month, or 30 × 24 hours when rolling
)

var periodNames = enum.Names[Period]{Pkg: pkg, Type: "Period", Unknown: cxmetrics.ErrUnknownLabel,
	Names: []string{Day: "day", Week: "week", Month: "month"}}

// String returns "day", "week" or "month", or "Period(n)" for an unknown value.
func (p Period) String() string { return periodNames.String(p) }

// MarshalText encodes the period as its name, as String writes it; an unknown period is
// an error wrapping [cxmetrics.ErrUnknownLabel].
func (p Period) MarshalText() ([]byte, error) { return periodNames.Marshal(p) }

// UnmarshalText decodes a period name as String writes it, ignoring case and surrounding
// spaces; an unknown name wraps [cxmetrics.ErrUnknownLabel].
func (p *Period) UnmarshalText(b []byte) error { return periodNames.Unmarshal(b, p) }

// rollingSeconds is the length of a rolling period.
func (p Period) rollingSeconds() int64 {
	switch p {
	case Week:
		return 7 * 86400
	case Month:
		return 30 * 86400
	}
	return 86400
}

// Window says where a user's periods after the first begin.
type Window int

// The windows.
const (
	// Calendar periods follow the calendar of Options.Location: a user who starts at
	// 23:00 returns "on day 1" at 01:00 the next morning.
	Calendar Window = iota
	// Rolling periods start at the user's first event: day 1 is 24 to 48 hours after it.
	Rolling
)

var windowNames = enum.Names[Window]{Pkg: pkg, Type: "Window", Unknown: cxmetrics.ErrUnknownLabel,
	Names: []string{Calendar: "calendar", Rolling: "rolling"}}

// String returns "calendar" or "rolling", or "Window(n)" for an unknown value.
func (w Window) String() string { return windowNames.String(w) }

// MarshalText encodes the window as its name, as String writes it; an unknown window is
// an error wrapping [cxmetrics.ErrUnknownLabel].
func (w Window) MarshalText() ([]byte, error) { return windowNames.Marshal(w) }

// UnmarshalText decodes a window name as String writes it, ignoring case and surrounding
// spaces; an unknown name wraps [cxmetrics.ErrUnknownLabel].
func (w *Window) UnmarshalText(b []byte) error { return windowNames.Unmarshal(b, w) }

// Options say how to build a retention table. The zero value builds daily calendar
// cohorts in UTC from any event, as of the latest event.
type Options struct {
	Period Period // Day, Week or Month
	Window Window // Calendar or Rolling
	// Location gives the calendar: where days, weeks and months begin. Cohorts always
	// follow it, returns only with a Calendar window. Nil means UTC.
	Location *time.Location
	// WeekStart is the first day of a calendar week. The zero value is Sunday; set
	// time.Monday for ISO 8601 weeks.
	WeekStart time.Weekday
	// StartEvent is the event name that places a user in a cohort: the user's earliest
	// such event. Empty means any event.
	StartEvent string
	// ReturnEvent is the event name that counts as a return. Empty means any event.
	ReturnEvent string
	// AsOf is the time at which the table is read: events after it are left out, and a
	// user counts for period N only once period N has ended by AsOf. The zero value means
	// the time of the latest event.
	AsOf time.Time
	// Level is the confidence level of the cells' Wilson intervals, in (0, 1); 0 means
	// 0.95.
	Level float64
}

// DefaultLevel is the confidence level of the cells' intervals when Options.Level is 0.
const DefaultLevel = 0.95

// user is the state of one user while a table is built.
type user struct {
	first   time.Time // the first start event
	cohort  int32     // index into the cohort list
	last    int32     // the last period that has ended by AsOf (0 at least)
	max     int32     // the latest period with a return (0 at least)
	started bool      // has a start event by AsOf
}

// MaxPeriods is the largest number of periods (cells, 0 to MaxPeriods-1) that a row of a
// [Table] may span, from a cohort's period to that of [Options.AsOf]. It is 10 000: over
// 27 years of days (a product's whole history in daily cohorts), 190 years of weeks, 800
// of months. A row then takes at most 720 KB. The bound exists for logs with a "never"
// sentinel such as the year 9999 or 1900, which would otherwise cost a cell for every
// day up to it.
const MaxPeriods = 10_000

// Build groups users into cohorts by the period of their first start event and counts,
// for every cohort and period N, the users who returned in period N, the users who
// returned in period N or later, and the users who churned.
//
// Period N of a user runs, with a Calendar window, over the N-th calendar period after the
// one of the first start event; with a Rolling window, from N periods to N+1 periods after
// that event. Period 0 holds the first start event itself, so every user is counted as
// active, retained and eligible in period 0. For N >= 1 only the users whose period N
// has ended by Options.AsOf are eligible: they are the denominator of both retention
// rates, and returns of other users are not counted in that cell. This is Amplitude's
// definition of "return on or after" (unbounded) retention, applied to both rates so that
// an unfinished period never reads as a drop.
//
// Events after AsOf, return events before the user's first start event, and events of
// users who never did the start event are not part of any cohort. Events need not be
// sorted. An event with an empty user or a zero time (the zero time.Time, which would
// open a cohort in year 1) is an [*cxmetrics.InputError] wrapping [cxmetrics.ErrEmpty] at
// its index, and one whose time (or an AsOf) lies outside the years 0000 to 9999 in UTC,
// the range that RFC 3339 and journey.ReadEventsCSV accept, one wrapping
// [cxmetrics.ErrOutOfRange]. No events, or no start event by AsOf, is an error wrapping
// [cxmetrics.ErrEmpty]; an unknown Period, Window or WeekStart is an
// [*cxmetrics.InputError] wrapping [cxmetrics.ErrUnknownLabel].
//
// A table whose rows would span more than [MaxPeriods] periods, from the earliest start
// event to AsOf, is an [*cxmetrics.InputError] wrapping [cxmetrics.ErrTooLarge] that
// names the outlying end: the earliest start event or the event that sets AsOf (by index
// and time), whichever lies farther from the median event time, or Options.AsOf itself
// (Index -1). More than 2^31 - 2 events, or distinct users, wrap [cxmetrics.ErrTooLarge]
// too.
func Build(events []journey.Event, o Options) (Table, error) {
	if err := o.check(); err != nil {
		return Table{}, err
	}
	if len(events) == 0 {
		return Table{}, fmt.Errorf("cohort: no events: %w", cxmetrics.ErrEmpty)
	}
	if len(events) >= math.MaxInt32 {
		return Table{}, &cxmetrics.InputError{Pkg: pkg, What: "events", Index: -1, Value: len(events), Err: cxmetrics.ErrTooLarge, Detail: "(at most 2^31 - 2)"}
	}
	loc := o.Location
	if loc == nil {
		loc = time.UTC
	}
	asOf, asOfEvent := o.AsOf, -1
	for i := range events {
		e := &events[i]
		switch {
		case e.User == "":
			return Table{}, &cxmetrics.InputError{Pkg: pkg, What: "user", Index: i, Value: `""`, Err: cxmetrics.ErrEmpty}
		case e.Time.IsZero():
			return Table{}, &cxmetrics.InputError{Pkg: pkg, What: "time", Index: i, Value: e.Time, Err: cxmetrics.ErrEmpty, Detail: "(the zero time.Time)"}
		case !inYears(e.Time):
			return Table{}, &cxmetrics.InputError{Pkg: pkg, What: "time", Index: i, Value: e.Time, Err: cxmetrics.ErrOutOfRange, Detail: "(years 0000 to 9999)"}
		case o.AsOf.IsZero() && (asOf.IsZero() || e.Time.After(asOf)):
			asOf, asOfEvent = e.Time, i
		}
	}
	if !inYears(asOf) {
		return Table{}, &cxmetrics.InputError{Pkg: pkg, What: "as-of time", Index: -1, Value: asOf, Err: cxmetrics.ErrOutOfRange, Detail: "(years 0000 to 9999)"}
	}
	cal := calendar{period: o.Period, loc: loc, weekStart: int64(o.WeekStart)}

	// Pass 1: intern the users, and find each one's first start event.
	var ids intern.IDs
	eventUser := make([]int32, len(events))
	var all []user
	started := 0
	for i := range events {
		e := &events[i]
		id, ok := ids.ID(e.User)
		if !ok {
			return Table{}, &cxmetrics.InputError{Pkg: pkg, What: "user", Index: i, Value: strconv.Quote(e.User), Err: cxmetrics.ErrTooLarge, Detail: "(more than 2^31 - 1 distinct users)"}
		}
		if int(id) == len(all) {
			all = append(all, user{})
		}
		eventUser[i] = id
		if (o.StartEvent != "" && e.Name != o.StartEvent) || e.Time.After(asOf) {
			continue
		}
		if u := &all[id]; !u.started || e.Time.Before(u.first) {
			if !u.started {
				started++
			}
			u.first, u.started = e.Time, true
		}
	}
	if started == 0 {
		return Table{}, fmt.Errorf("cohort: no start event %q by %v: %w", o.StartEvent, asOf, cxmetrics.ErrEmpty)
	}
	// Keep the users who started, renumbered; the others get -1.
	users := make([]user, 0, started)
	renum := make([]int32, len(all))
	for i := range all {
		renum[i] = -1
		if all[i].started {
			renum[i] = int32(len(users))
			users = append(users, all[i])
		}
	}
	for i, id := range eventUser {
		eventUser[i] = renum[id]
	}

	// Cohorts, and each user's last period that has ended by AsOf: every row must fit
	// MaxPeriods.
	keys := make([]int64, len(users))
	asOfIndex := cal.index(asOf)
	width := o.Period.rollingSeconds()
	longest, longestLast := 0, int64(0)
	for i := range users {
		u := &users[i]
		keys[i] = cal.index(u.first)
		var last int64
		if o.Window == Calendar {
			last = asOfIndex - keys[i] - 1
		} else {
			last = floorDiv(secondsBetween(u.first, asOf), width) - 1
		}
		if last > longestLast {
			longest, longestLast = i, last
		}
		u.last = int32(max(0, min(last, MaxPeriods)))
	}
	if longestLast >= MaxPeriods {
		// The user's first start event: the first one at that time, as pass 1 keeps it.
		first := 0
		for i := range events {
			e := &events[i]
			if eventUser[i] == int32(longest) && (o.StartEvent == "" || e.Name == o.StartEvent) && e.Time.Equal(users[longest].first) {
				first = i
				break
			}
		}
		return Table{}, spanError(events, o, asOf, asOfEvent, first)
	}
	cohortKeys := slices.Clone(keys)
	slices.Sort(cohortKeys)
	cohortKeys = slices.Compact(cohortKeys)
	for i := range users {
		c, _ := slices.BinarySearch(cohortKeys, keys[i])
		users[i].cohort = int32(c)
	}

	// Pass 2: returns, as (user, period) pairs for the periods that have ended. A return
	// lies between the user's first start event and AsOf, so its period is at most
	// u.last + 1 <= MaxPeriods.
	var pairs []uint64
	for i := range events {
		e := &events[i]
		if (o.ReturnEvent != "" && e.Name != o.ReturnEvent) || e.Time.After(asOf) {
			continue
		}
		id := eventUser[i]
		if id < 0 {
			continue
		}
		u := &users[id]
		if e.Time.Before(u.first) {
			continue
		}
		var n int64
		if o.Window == Calendar {
			n = cal.index(e.Time) - keys[id]
		} else {
			n = floorDiv(secondsBetween(u.first, e.Time), width)
		}
		if int32(n) > u.max {
			u.max = int32(n)
		}
		if n >= 1 && n <= int64(u.last) {
			pairs = append(pairs, uint64(id)<<32|uint64(n))
		}
	}
	slices.Sort(pairs)
	pairs = slices.Compact(pairs)

	t := Table{Period: o.Period, Window: o.Window, Location: loc.String(), AsOf: asOf}
	t.Cohorts = make([]Cohort, len(cohortKeys))
	for c, k := range cohortKeys {
		t.Cohorts[c].Start = cal.start(k)
	}
	for i := range users {
		c := &t.Cohorts[users[i].cohort]
		c.Users++
		if n := int(users[i].last) + 1; n > len(c.Cells) {
			c.Cells = slices.Grow(c.Cells, n-len(c.Cells))[:n]
		}
	}
	// Histograms first, then suffix sums: Eligible[N] counts users with last >= N,
	// Retained[N] users with min(last, max) >= N, AtRisk[N] users with min(last, max+1) >= N.
	for i := range users {
		u := &users[i]
		cells := t.Cohorts[u.cohort].Cells
		cells[u.last].Eligible++
		cells[min(u.last, u.max)].Retained++
		cells[min(u.last, u.max+1)].AtRisk++
	}
	for _, p := range pairs {
		u := &users[p>>32]
		t.Cohorts[u.cohort].Cells[int32(p)].Active++
	}
	for c := range t.Cohorts {
		cells := t.Cohorts[c].Cells
		for n := len(cells) - 2; n >= 0; n-- {
			cells[n].Eligible += cells[n+1].Eligible
			cells[n].Retained += cells[n+1].Retained
			cells[n].AtRisk += cells[n+1].AtRisk
		}
		cells[0].Active = cells[0].Eligible
		cells[0].AtRisk = cells[0].Eligible
		for n := range cells {
			cells[n].Period = n
		}
		if len(cells) > len(t.Overall) {
			t.Overall = slices.Grow(t.Overall, len(cells)-len(t.Overall))[:len(cells)]
		}
		for n, x := range cells {
			all := &t.Overall[n]
			all.Period = n
			all.Eligible += x.Eligible
			all.Active += x.Active
			all.Retained += x.Retained
			all.AtRisk += x.AtRisk
		}
	}
	level := o.Level
	if level == 0 {
		level = DefaultLevel
	}
	for c := range t.Cohorts {
		finish(t.Cohorts[c].Cells, level)
	}
	finish(t.Overall, level)
	return t, nil
}

// finish derives the churn counts, the rates and their intervals from the counts. Every
// cell has Eligible >= 1, and level has been checked.
func finish(cells []Cell, level float64) {
	for n := range cells {
		x := &cells[n]
		x.Churned = x.AtRisk - x.Retained
		x.Retention = float64(x.Active) / float64(x.Eligible)
		x.Unbounded = float64(x.Retained) / float64(x.Eligible)
		x.RetentionInterval = wilson(x.Active, x.Eligible, level)
		x.UnboundedInterval = wilson(x.Retained, x.Eligible, level)
		x.ChurnInterval = wilson(x.Churned, x.AtRisk, level)
		if x.AtRisk > 0 {
			x.Churn = float64(x.Churned) / float64(x.AtRisk)
		}
	}
}

// wilson returns the Wilson score interval (Wilson 1927) for k successes in n trials, in
// percent:
//
//	(p + z²/2n ± z √(p(1-p)/n + z²/4n²)) / (1 + z²/n),  p = k/n,
//
// z the (1+level)/2 normal quantile; [0, 100] around 0 when n is 0.
func wilson(k, n int, level float64) cxmetrics.Interval {
	iv := cxmetrics.Interval{Lower: 0, Upper: 100, Level: level, Method: cxmetrics.Wilson}
	if n == 0 {
		return iv
	}
	p := float64(k) / float64(n)
	// The level is valid and n > 0, the only errors Proportion has.
	lo, hi, _ := survey.Proportion(pkg, cxmetrics.Wilson, p, float64(n), level)
	iv.Estimate, iv.Lower, iv.Upper = 100*p, 100*lo, 100*hi
	return iv
}

func (o Options) check() error {
	if o.Period < Day || o.Period > Month {
		return &cxmetrics.InputError{Pkg: pkg, What: "period", Index: -1, Value: int(o.Period), Err: cxmetrics.ErrUnknownLabel}
	}
	if o.Window < Calendar || o.Window > Rolling {
		return &cxmetrics.InputError{Pkg: pkg, What: "window", Index: -1, Value: int(o.Window), Err: cxmetrics.ErrUnknownLabel}
	}
	if o.WeekStart < time.Sunday || o.WeekStart > time.Saturday {
		return &cxmetrics.InputError{Pkg: pkg, What: "week start", Index: -1, Value: int(o.WeekStart), Err: cxmetrics.ErrUnknownLabel}
	}
	if o.Level != 0 {
		return dist.CheckLevel(pkg, o.Level)
	}
	return nil
}

// calendar numbers the calendar periods of a location: consecutive periods have
// consecutive indexes, and index 0 holds 1970-01-01.
type calendar struct {
	period    Period
	loc       *time.Location
	weekStart int64
}

func (c calendar) index(t time.Time) int64 {
	y, m, d := t.In(c.loc).Date()
	switch c.period {
	case Week:
		// 1970-01-01 was a Thursday (weekday 4).
		return floorDiv(civilDay(y, m, d)+4-c.weekStart, 7)
	case Month:
		return int64(y)*12 + int64(m) - 1
	}
	return civilDay(y, m, d)
}

// start returns the first instant of the period with index i.
func (c calendar) start(i int64) time.Time {
	switch c.period {
	case Week:
		return time.Date(1970, 1, 1+int(i*7-4+c.weekStart), 0, 0, 0, 0, c.loc)
	case Month:
		return time.Date(int(floorDiv(i, 12)), time.Month(i-floorDiv(i, 12)*12+1), 1, 0, 0, 0, 0, c.loc)
	}
	return time.Date(1970, 1, 1+int(i), 0, 0, 0, 0, c.loc)
}

// civilDay returns the number of days from 1970-01-01 to the given date of the proleptic
// Gregorian calendar (Hinnant's days_from_civil).
func civilDay(y int, m time.Month, d int) int64 {
	yy := int64(y)
	if m <= 2 {
		yy--
	}
	era := floorDiv(yy, 400)
	yoe := yy - era*400
	mp := (int64(m) + 9) % 12
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// secondsBetween returns the whole seconds from a to b, rounded down.
func secondsBetween(a, b time.Time) int64 {
	s := b.Unix() - a.Unix()
	if b.Nanosecond() < a.Nanosecond() {
		s--
	}
	return s
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// inYears reports whether t lies in the years 0000 to 9999 in UTC.
func inYears(t time.Time) bool {
	y := t.UTC().Year()
	return y >= 0 && y <= 9999
}

// spanError reports a table that would span more than MaxPeriods periods, from the start
// event events[first] to asOf (set by events[asOfEvent], or by o.AsOf when asOfEvent is
// -1). It blames whichever end lies farther from the median time of the events up to
// asOf: that is the outlier, a "never" sentinel such as 9999-12-31 or 1900-01-01.
func spanError(events []journey.Event, o Options, asOf time.Time, asOfEvent, first int) error {
	times := make([]int64, 0, len(events))
	for i := range events {
		if t := events[i].Time; !t.After(asOf) {
			times = append(times, t.Unix())
		}
	}
	slices.Sort(times)
	median := times[len(times)/2]
	start := events[first].Time
	span := fmt.Sprintf("more than MaxPeriods = %d %ss", MaxPeriods, o.Period)
	e := &cxmetrics.InputError{Pkg: pkg, What: "time", Index: first, Value: start, Err: cxmetrics.ErrTooLarge,
		Detail: fmt.Sprintf("(the row from this start event to the as-of time %v spans %s)", asOf.Format(time.RFC3339), span)}
	if asOf.Unix()-median > median-start.Unix() {
		d := fmt.Sprintf("(the row to it from the start event at index %d, %v, spans %s)", first, start.Format(time.RFC3339), span)
		if asOfEvent >= 0 {
			e.Index, e.Value, e.Detail = asOfEvent, asOf, "(the latest event, which sets the as-of time: "+d[1:]
		} else {
			e.What, e.Index, e.Value, e.Detail = "as-of time", -1, asOf, d
		}
	}
	return e
}
