package cohort

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/enum"
	"github.com/cxmetrics/cxmetrics/internal/intern"
	"github.com/cxmetrics/cxmetrics/internal/normal"
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
	// BreakdownBy is an Event.Props key: with it, Table.Breakdown holds one table per
	// value, each user under the value of the key on their acquisition event (the first
	// start event; "" when that event lacks the key). Empty means no breakdown.
	BreakdownBy string
	// Revenue also sums Event.Value of the return events into Cell.Revenue, the revenue
	// of each cohort in each period.
	Revenue bool
	// Level is the confidence level of the cells' Wilson intervals, in (0, 1); 0 means
	// 0.95.
	Level float64
}

// DefaultLevel is the confidence level of the cells' intervals when Options.Level is 0.
const DefaultLevel = 0.95

// MaxPeriods is the largest number of periods (cells, 0 to MaxPeriods-1) that a row of a
// [Table] may span, from a cohort's period to that of [Options.AsOf]. It is 10 000: over
// 27 years of days (a product's whole history in daily cohorts), 190 years of weeks, 800
// of months. A row then takes at most 2 MB. The bound exists for logs with a "never"
// sentinel such as the year 9999 or 1900, which would otherwise cost a cell for every
// day up to it.
const MaxPeriods = 10_000

// member is the state of one user while Build counts: the first start event, the cohort,
// and the periods with a return.
type member struct {
	sec    int64  // the acquisition event: Unix seconds
	key    int64  // the calendar index of the cohort
	active uint64 // bit n-1 set: a counted return in period n, for n = 1 to 64
	nsec   int32  // the acquisition event: nanoseconds
	acq    int32  // the index of the acquisition event; -1 for a user without one
	row    int32  // the row of the user's cohort and breakdown group
	last   int32  // the last period that has ended by AsOf (0 at least)
	max    int32  // the latest period with a return (0 at least)
}

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
// Events after AsOf, return events before the user's first start event (or at its time
// but before it in the input), and events of users who never did the start event are
// not part of any cohort. Events need not be sorted. An event with an empty user or a
// zero time (the zero time.Time, which would open a cohort in year 1) is an
// [*cxmetrics.InputError] wrapping [cxmetrics.ErrEmpty] at its index, and one whose time
// (or an AsOf) lies outside the years 0000 to 9999 in UTC, the range that RFC 3339 and
// journey.ReadEventsCSV accept, one wrapping [cxmetrics.ErrOutOfRange]. With
// Options.Revenue, a Value that is NaN or infinite is one wrapping
// [cxmetrics.ErrNotFinite]. No events, or no start event by AsOf, is an error wrapping
// [cxmetrics.ErrEmpty]; an unknown Period, Window or WeekStart is an
// [*cxmetrics.InputError] wrapping [cxmetrics.ErrUnknownLabel], and a Level outside
// (0, 1) one wrapping [cxmetrics.ErrInvalidLevel].
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
	asOf, asOfEvent := o.AsOf, -1
	for i := range events {
		e := &events[i]
		if err := o.checkEvent(e, i); err != nil {
			return Table{}, err
		}
		if o.AsOf.IsZero() && (asOf.IsZero() || e.Time.After(asOf)) {
			asOf, asOfEvent = e.Time, i
		}
	}
	asSec, asNsec := asOf.Unix(), int32(asOf.Nanosecond())
	after := func(s int64, ns int32) bool { return s > asSec || (s == asSec && ns > asNsec) }

	// Pass 1: number the users, and find each one's acquisition event.
	us, ok := numberUsers(events, o, after)
	if !ok {
		return Table{}, &cxmetrics.InputError{Pkg: pkg, What: "users", Index: -1, Value: "more than 2^31 - 2", Err: cxmetrics.ErrTooLarge}
	}
	all := us.all
	started := 0
	for id := range all {
		if all[id].acq >= 0 {
			started++
		}
	}
	if started == 0 {
		return Table{}, fmt.Errorf("cohort: no start event %q by %v: %w", o.StartEvent, asOf, cxmetrics.ErrEmpty)
	}

	// The earliest acquisition opens the longest row, which must fit MaxPeriods.
	earliest := -1
	for id := range all {
		u := &all[id]
		if u.acq >= 0 && (earliest < 0 || u.sec < all[earliest].sec || (u.sec == all[earliest].sec && u.nsec < all[earliest].nsec)) {
			earliest = id
		}
	}
	cal := o.calendar()
	first := &all[earliest]
	minKey, asOfKey := cal.index(time.Unix(first.sec, int64(first.nsec))), cal.index(asOf)
	if o.longest(minKey, first.sec, first.nsec, asOfKey, asSec, asNsec) >= MaxPeriods {
		return Table{}, spanError(events, o, asOf, asOfEvent, int(first.acq))
	}
	b := newBounds(cal)
	b.cover(minKey, asOfKey)

	// Cohorts, rows and last ended periods.
	var r rows
	g := o.newGroups(events)
	rowOf := make(map[[2]int64]int32)
	for id := range all {
		u := &all[id]
		if u.acq < 0 {
			continue
		}
		u.key = b.index(u.sec)
		u.last = int32(max(0, o.longest(u.key, u.sec, u.nsec, asOfKey, asSec, asNsec)))
		k := [2]int64{int64(g.of(u.acq)), u.key}
		row, ok := rowOf[k]
		if !ok {
			row = r.add(int32(k[0]), k[1])
			rowOf[k] = row
		}
		u.row = row
	}

	// Pass 2: returns. A return lies between the user's acquisition and AsOf, so its
	// period is at most u.last + 1 <= MaxPeriods. Each (user, period) counts once: a bit
	// per period in u.active up to period 64, sorted pairs beyond. The shards are shared
	// among the cores: a shard's users are its own and its events come in input order,
	// and the counts are integers, so the table is the same for any GOMAXPROCS.
	width := o.Period.rollingSeconds()
	// period returns the period of a return at (s, ns), event i of user u, or false when
	// it is not counted: before the acquisition or after AsOf.
	period := func(u *member, i int32, s int64, ns int32) (int32, bool) {
		if u.acq < 0 || after(s, ns) || s < u.sec || (s == u.sec && (ns < u.nsec || (ns == u.nsec && i < u.acq))) {
			return 0, false
		}
		if o.Window == Calendar {
			return int32(b.index(s) - u.key), true
		}
		return int32(secondsBetween(u.sec, u.nsec, s, ns) / width), true
	}
	type part struct {
		active [][]int32 // by row and period: returns counted
		pairs  []uint64  // (user, period) returns beyond period 64
	}
	parts := make([]part, workers(len(events)))
	parallel(shards, len(parts), func(p, lo, hi int) {
		pt := &parts[p]
		for sh := lo; sh < hi; sh++ {
			for k := us.start[sh]; k < us.start[sh+1]; k++ {
				if !us.ret[k] {
					continue
				}
				id := us.base[sh] + us.lid[k]
				u := &all[id]
				n, ok := period(u, us.order[k], us.sec[k], us.nsec[k])
				if !ok {
					continue
				}
				u.max = max(u.max, n)
				switch {
				case n == 0 || n > u.last:
				case n <= 64:
					if bit := uint64(1) << (n - 1); u.active&bit == 0 {
						u.active |= bit
						for int(u.row) >= len(pt.active) {
							pt.active = append(pt.active, nil)
						}
						a := pt.active[u.row]
						if int(n) >= len(a) {
							a = slices.Grow(a, int(n)+1-len(a))[:n+1]
							pt.active[u.row] = a
						}
						a[n]++
					}
				default:
					pt.pairs = append(pt.pairs, uint64(id)<<32|uint64(n))
				}
			}
		}
	})
	var pairs []uint64
	for _, pt := range parts {
		for row, a := range pt.active {
			for n, c := range a {
				if c > 0 {
					r.cell(int32(row), int32(n)).Active += int(c)
				}
			}
		}
		pairs = append(pairs, pt.pairs...)
	}
	slices.Sort(pairs)
	for _, p := range slices.Compact(pairs) {
		r.cell(all[p>>32].row, int32(p)).Active++
	}
	if o.Revenue {
		// Sums of money in input order, on one core, so that they do not depend on how
		// the shards were shared.
		for i := range events {
			e := &events[i]
			if o.ReturnEvent != "" && e.Name != o.ReturnEvent {
				continue
			}
			u := &all[us.id(i)]
			if n, ok := period(u, int32(i), e.Time.Unix(), int32(e.Time.Nanosecond())); ok && n <= u.last {
				r.cell(u.row, n).Revenue += e.Value
			}
		}
	}
	for id := range all {
		if u := &all[id]; u.acq >= 0 {
			r.user(u.row, u.last, u.max)
		}
	}
	return r.tables(o.table(asOf), cal, g.names(), o.level()), nil
}

// checkEvent validates one event.
func (o Options) checkEvent(e *journey.Event, i int) error {
	switch {
	case e.User == "":
		return &cxmetrics.InputError{Pkg: pkg, What: "user", Index: i, Value: `""`, Err: cxmetrics.ErrEmpty}
	case e.Time.IsZero():
		return &cxmetrics.InputError{Pkg: pkg, What: "time", Index: i, Value: e.Time, Err: cxmetrics.ErrEmpty, Detail: "(the zero time.Time)"}
	case !inYears(e.Time):
		return &cxmetrics.InputError{Pkg: pkg, What: "time", Index: i, Value: e.Time, Err: cxmetrics.ErrOutOfRange, Detail: "(years 0000 to 9999)"}
	case o.Revenue && (math.IsNaN(e.Value) || math.IsInf(e.Value, 0)):
		return &cxmetrics.InputError{Pkg: pkg, What: "value", Index: i, Value: e.Value, Err: cxmetrics.ErrNotFinite}
	}
	return nil
}

// longest returns the last period that has ended by the as-of time (Unix seconds asSec
// and nanoseconds asNsec, in the calendar period asOfKey) for a user acquired at (sec,
// nsec) in the calendar period key; -1 when period 0 has not ended.
func (o Options) longest(key, sec int64, nsec int32, asOfKey, asSec int64, asNsec int32) int64 {
	if o.Window == Calendar {
		return asOfKey - key - 1
	}
	return floorDiv(secondsBetween(sec, nsec, asSec, asNsec), o.Period.rollingSeconds()) - 1
}

func (o Options) calendar() calendar {
	loc := o.Location
	if loc == nil {
		loc = time.UTC
	}
	return calendar{period: o.Period, loc: loc, weekStart: int64(o.WeekStart)}
}

func (o Options) table(asOf time.Time) Table {
	return Table{Period: o.Period, Window: o.Window, Location: o.calendar().loc.String(), AsOf: asOf}
}

func (o Options) level() float64 {
	if o.Level == 0 {
		return DefaultLevel
	}
	return o.Level
}

// groups numbers the breakdown values of the acquisition events.
type groups struct {
	key    string // Options.BreakdownBy; "" for no breakdown
	events []journey.Event
	ids    intern.IDs
}

func (o Options) newGroups(events []journey.Event) *groups {
	return &groups{key: o.BreakdownBy, events: events}
}

// of returns the group of the user acquired by events[acq].
func (g *groups) of(acq int32) int32 {
	if g.key == "" {
		return 0
	}
	return g.value(g.events[acq].Props[g.key])
}

// value returns the group of a breakdown value.
func (g *groups) value(v string) int32 {
	id, _ := g.ids.ID(v) // at most one value per user: fewer than 2^31 - 1
	return id
}

// names returns the breakdown values by group, or nil without a breakdown.
func (g *groups) names() []string {
	if g.key == "" {
		return nil
	}
	names := make([]string, g.ids.Len())
	for i := range names {
		names[i] = g.ids.Name(int32(i))
	}
	return names
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
	if !o.AsOf.IsZero() && !inYears(o.AsOf) {
		return &cxmetrics.InputError{Pkg: pkg, What: "as-of time", Index: -1, Value: o.AsOf, Err: cxmetrics.ErrOutOfRange, Detail: "(years 0000 to 9999)"}
	}
	if o.Level != 0 {
		return normal.CheckLevel(pkg, o.Level)
	}
	return nil
}

// secondsBetween returns the whole seconds from (s0, n0) to (s1, n1), Unix seconds and
// nanoseconds, rounded down.
func secondsBetween(s0 int64, n0 int32, s1 int64, n1 int32) int64 {
	s := s1 - s0
	if n1 < n0 {
		s--
	}
	return s
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
