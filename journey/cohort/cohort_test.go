package cohort

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/journey"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ev(user, at_ string) journey.Event {
	return journey.Event{User: user, Name: "open", Time: at(at_)}
}

// handLog is a small log whose tables are worked out by hand in the tests below.
var handLog = []journey.Event{
	ev("a", "2024-01-01T10:00:00Z"), ev("a", "2024-01-02T12:00:00Z"), ev("a", "2024-01-04T12:00:00Z"),
	ev("b", "2024-01-03T12:00:00Z"), ev("b", "2024-01-01T23:00:00Z"), // unsorted
	ev("c", "2024-01-01T12:00:00Z"),
	ev("d", "2024-01-02T09:00:00Z"), ev("d", "2024-01-03T12:00:00Z"), ev("d", "2024-01-03T15:00:00Z"),
	ev("d", "2024-01-05T01:00:00Z"), // after AsOf: left out
	ev("e", "2024-01-04T08:00:00Z"), ev("e", "2024-01-04T12:00:00Z"),
}

// cells builds cells from rows {Eligible, Active, Retained, AtRisk}.
func cells(rows ...[4]int) []Cell {
	out := make([]Cell, len(rows))
	for n, r := range rows {
		out[n] = Cell{Period: n, Eligible: r[0], Active: r[1], Retained: r[2], AtRisk: r[3]}
	}
	finish(out, 0.95)
	return out
}

func checkTable(t *testing.T, got Table, want []Cohort, overall []Cell) {
	t.Helper()
	if len(got.Cohorts) != len(want) {
		t.Fatalf("%d cohorts, want %d:\n%v", len(got.Cohorts), len(want), got)
	}
	for i, w := range want {
		g := got.Cohorts[i]
		if !g.Start.Equal(w.Start) || g.Users != w.Users || fmt.Sprint(g.Cells) != fmt.Sprint(w.Cells) {
			t.Errorf("cohort %d:\n got  %v %d %v\n want %v %d %v", i, g.Start, g.Users, g.Cells, w.Start, w.Users, w.Cells)
		}
	}
	if fmt.Sprint(got.Overall) != fmt.Sprint(overall) {
		t.Errorf("overall:\n got  %v\n want %v", got.Overall, overall)
	}
}

// Calendar days in UTC as of 2024-01-05 00:00. Cohort 2024-01-01 (a, b, c) has finished
// days 1 to 3: a returns on days 1 and 3, b on day 2, c never.
//
//	N  eligible  active  retained (N or later)  at risk (N-1 or later)  churned
//	1  3         1 (a)   2 (a, b)               3                      1 (c)
//	2  3         1 (b)   2 (a, b)               2 (a, b)               0
//	3  3         1 (a)   1 (a)                  2 (a, b)               1 (b)
//
// Cohort 2024-01-02 (d) has finished days 1 and 2: d returns on day 1 only (twice).
// Cohort 2024-01-04 (e) has no finished day after day 0; e's same-day return is day 0.
func TestBuildCalendarDays(t *testing.T) {
	tab, err := Build(handLog, Options{AsOf: at("2024-01-05T00:00:00Z")})
	if err != nil {
		t.Fatal(err)
	}
	want := []Cohort{
		{Start: at("2024-01-01T00:00:00Z"), Users: 3, Cells: cells([4]int{3, 3, 3, 3}, [4]int{3, 1, 2, 3}, [4]int{3, 1, 2, 2}, [4]int{3, 1, 1, 2})},
		{Start: at("2024-01-02T00:00:00Z"), Users: 1, Cells: cells([4]int{1, 1, 1, 1}, [4]int{1, 1, 1, 1}, [4]int{1, 0, 0, 1})},
		{Start: at("2024-01-04T00:00:00Z"), Users: 1, Cells: cells([4]int{1, 1, 1, 1})},
	}
	overall := cells([4]int{5, 5, 5, 5}, [4]int{4, 2, 3, 4}, [4]int{4, 1, 2, 3}, [4]int{3, 1, 1, 2})
	checkTable(t, tab, want, overall)

	// Spot-check the rates of cohort 2024-01-01, day 3: 1/3 on, 1/3 on or after, churn 1/2.
	c := tab.Cohorts[0].Cells[3]
	if c.Retention != 1.0/3 || c.Unbounded != 1.0/3 || c.Churn != 0.5 || c.Churned != 1 {
		t.Errorf("cohort 2024-01-01 day 3: %+v", c)
	}
	const triangle = `cohort      users       0       1       2       3
2024-01-01      3  100.0%   33.3%   33.3%   33.3%
2024-01-02      1  100.0%  100.0%    0.0%
2024-01-04      1  100.0%
all             5  100.0%   50.0%   25.0%   33.3%
`
	if got := tab.String(); got != triangle {
		t.Errorf("String:\n%s\nwant\n%s", got, triangle)
	}
	const unbounded = `cohort      users       0       1       2       3
2024-01-01      3  100.0%   66.7%   66.7%   33.3%
2024-01-02      1  100.0%  100.0%    0.0%
2024-01-04      1  100.0%
all             5  100.0%   75.0%   50.0%   33.3%
`
	if got := tab.Triangle(OnOrAfter); got != unbounded {
		t.Errorf("Triangle(OnOrAfter):\n%s\nwant\n%s", got, unbounded)
	}
}

// Rolling 24-hour days as of 2024-01-05 00:00. a (first 01-01 10:00) returns 26 h and
// 74 h later: days 1 and 3; b (01-01 23:00) 37 h later: day 1; c never. All three have
// finished days 1 and 2 only (3 d 14 h, 3 d 1 h and 3 d 12 h have passed). d (01-02 09:00)
// returns 27 h and 30 h later, day 1, and has finished day 1 only (2 d 15 h). e (01-04
// 08:00) has finished no day.
//
//	cohort 01-01  N  eligible  active   retained  at risk  churned
//	              1  3         2 (a,b)  2 (a,b)   3        1 (c)
//	              2  3         0        1 (a)     2 (a,b)  1 (b)
func TestBuildRollingDays(t *testing.T) {
	tab, err := Build(handLog, Options{Window: Rolling, AsOf: at("2024-01-05T00:00:00Z")})
	if err != nil {
		t.Fatal(err)
	}
	want := []Cohort{
		{Start: at("2024-01-01T00:00:00Z"), Users: 3, Cells: cells([4]int{3, 3, 3, 3}, [4]int{3, 2, 2, 3}, [4]int{3, 0, 1, 2})},
		{Start: at("2024-01-02T00:00:00Z"), Users: 1, Cells: cells([4]int{1, 1, 1, 1}, [4]int{1, 1, 1, 1})},
		{Start: at("2024-01-04T00:00:00Z"), Users: 1, Cells: cells([4]int{1, 1, 1, 1})},
	}
	overall := cells([4]int{5, 5, 5, 5}, [4]int{4, 3, 3, 4}, [4]int{3, 0, 1, 2})
	checkTable(t, tab, want, overall)
}

// Start and return events: only signups start a cohort, only purchases are returns.
// Weekly calendar cohorts in Europe/Paris, weeks from Monday, as of the latest event.
func TestBuildWeeksStartReturn(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	e := func(user, name, at_ string) journey.Event {
		return journey.Event{User: user, Name: name, Time: at(at_)}
	}
	events := []journey.Event{
		// Sunday 2024-01-07 23:30 UTC is Monday 00:30 in Paris: week of Monday 01-08.
		e("x", "signup", "2024-01-07T23:30:00Z"),
		e("x", "purchase", "2024-01-07T23:40:00Z"), // week 0
		e("x", "purchase", "2024-01-22T10:00:00Z"), // week 2
		// Sunday 2024-01-07 22:30 UTC is 23:30 in Paris: week of Monday 01-01.
		e("y", "view", "2024-01-01T08:00:00Z"),     // before the signup: not a start event
		e("y", "signup", "2024-01-07T22:30:00Z"),   // the start
		e("y", "purchase", "2024-01-06T10:00:00Z"), // before the start: ignored
		e("y", "purchase", "2024-01-08T10:00:00Z"), // week 1
		e("z", "purchase", "2024-01-09T10:00:00Z"), // never signed up: in no cohort
		e("x", "view", "2024-01-29T12:00:00Z"),     // the latest event: AsOf, in week 3 of x
	}
	tab, err := Build(events, Options{Period: Week, Location: paris, WeekStart: time.Monday, StartEvent: "signup", ReturnEvent: "purchase"})
	if err != nil {
		t.Fatal(err)
	}
	if !tab.AsOf.Equal(at("2024-01-29T12:00:00Z")) || tab.Location != "Europe/Paris" {
		t.Errorf("as of %v in %s", tab.AsOf, tab.Location)
	}
	// AsOf is in the week of 01-29: y (week of 01-01) has finished weeks 1 to 3, x (week
	// of 01-08) weeks 1 and 2.
	want := []Cohort{
		{Start: time.Date(2024, 1, 1, 0, 0, 0, 0, paris), Users: 1, Cells: cells([4]int{1, 1, 1, 1}, [4]int{1, 1, 1, 1}, [4]int{1, 0, 0, 1}, [4]int{1, 0, 0, 0})},
		{Start: time.Date(2024, 1, 8, 0, 0, 0, 0, paris), Users: 1, Cells: cells([4]int{1, 1, 1, 1}, [4]int{1, 0, 1, 1}, [4]int{1, 1, 1, 1})},
	}
	overall := cells([4]int{2, 2, 2, 2}, [4]int{2, 1, 2, 2}, [4]int{2, 1, 1, 2}, [4]int{1, 0, 0, 0})
	checkTable(t, tab, want, overall)
}

// Monthly cohorts across a daylight-saving change and a year end, in New York.
func TestBuildMonths(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	events := []journey.Event{
		ev("p", "2023-11-30T23:00:00-05:00"), ev("p", "2024-01-15T12:00:00-05:00"), // months 0, 2
		ev("q", "2023-12-01T00:30:00-05:00"), ev("q", "2024-03-10T03:30:00-04:00"), // months 0, 3
	}
	tab, err := Build(events, Options{Period: Month, Location: ny, AsOf: at("2024-04-01T00:00:00-04:00")})
	if err != nil {
		t.Fatal(err)
	}
	// As of the first instant of April, March has ended: p (November) has finished months
	// 1 to 4, q (December) months 1 to 3.
	want := []Cohort{
		{Start: time.Date(2023, 11, 1, 0, 0, 0, 0, ny), Users: 1, Cells: cells([4]int{1, 1, 1, 1}, [4]int{1, 0, 1, 1}, [4]int{1, 1, 1, 1}, [4]int{1, 0, 0, 1}, [4]int{1, 0, 0, 0})},
		{Start: time.Date(2023, 12, 1, 0, 0, 0, 0, ny), Users: 1, Cells: cells([4]int{1, 1, 1, 1}, [4]int{1, 0, 1, 1}, [4]int{1, 0, 1, 1}, [4]int{1, 1, 1, 1})},
	}
	overall := cells([4]int{2, 2, 2, 2}, [4]int{2, 0, 2, 2}, [4]int{2, 1, 2, 2}, [4]int{2, 1, 1, 2}, [4]int{1, 0, 0, 0})
	checkTable(t, tab, want, overall)
	if !strings.HasPrefix(tab.String(), "cohort      users       0       1       2       3       4\n2023-11 ") {
		t.Errorf("monthly String:\n%s", tab)
	}
}

func TestBuildErrors(t *testing.T) {
	for _, c := range []struct {
		name   string
		events []journey.Event
		o      Options
		err    error
	}{
		{"no events", nil, Options{}, cxmetrics.ErrEmpty},
		{"empty user", []journey.Event{ev("a", "2024-01-01T00:00:00Z"), ev("", "2024-01-01T00:00:00Z")}, Options{}, cxmetrics.ErrEmpty},
		{"zero time", []journey.Event{ev("a", "2024-01-01T00:00:00Z"), {User: "b", Name: "open"}}, Options{}, cxmetrics.ErrEmpty},
		{"no start event", handLog, Options{StartEvent: "signup"}, cxmetrics.ErrEmpty},
		{"everything after AsOf", handLog, Options{AsOf: at("2023-01-01T00:00:00Z")}, cxmetrics.ErrEmpty},
		{"period", handLog, Options{Period: 3}, cxmetrics.ErrUnknownLabel},
		{"window", handLog, Options{Window: -1}, cxmetrics.ErrUnknownLabel},
		{"week start", handLog, Options{WeekStart: 7}, cxmetrics.ErrUnknownLabel},
	} {
		_, err := Build(c.events, c.o)
		if !errors.Is(err, c.err) || !strings.HasPrefix(err.Error(), "cohort: ") {
			t.Errorf("%s: error %v, want %v", c.name, err, c.err)
		}
	}
	var ie *cxmetrics.InputError
	_, err := Build([]journey.Event{ev("a", "2024-01-01T00:00:00Z"), ev("", "2024-01-01T00:00:00Z")}, Options{})
	if !errors.As(err, &ie) || ie.Index != 1 {
		t.Errorf("empty user: %v, want index 1", err)
	}
}

func TestTableJSON(t *testing.T) {
	tab, err := Build(handLog[:3], Options{Period: Day, Window: Rolling, AsOf: at("2024-01-03T00:00:00Z")})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(tab)
	if err != nil {
		t.Fatal(err)
	}
	// a starts 01-01 10:00 and returns 26 h later; 38 h have passed: day 1 is unfinished.
	// The interval of 1 of 1 at 95%: [z²/(1 + z²), 1] = [0.2065, 1] (R: prop.test(1, 1, correct = FALSE)).
	const cell = `{"period":0,"eligible":1,"active":1,"retained":1,"at_risk":1,"churned":0,"retention":1,"unbounded_retention":1,"churn":0,` +
		`"retention_interval":{"estimate":100,"lower":20.654931437723747,"upper":100,"level":0.95,"method":"Wilson"},` +
		`"unbounded_interval":{"estimate":100,"lower":20.654931437723747,"upper":100,"level":0.95,"method":"Wilson"},` +
		`"churn_interval":{"estimate":0,"lower":0,"upper":79.34506856227625,"level":0.95,"method":"Wilson"}}`
	const want = `{"period":"day","window":"rolling","location":"UTC","as_of":"2024-01-03T00:00:00Z",` +
		`"cohorts":[{"start":"2024-01-01T00:00:00Z","users":1,"cells":[` + cell + `]}],` +
		`"overall":[` + cell + `]}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	var back Table
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Period != Day || back.Window != Rolling || back.String() != tab.String() {
		t.Errorf("round trip: %+v", back)
	}
	if err := json.Unmarshal([]byte(`{"period":"year"}`), &back); !errors.Is(err, cxmetrics.ErrUnknownLabel) {
		t.Errorf("unknown period: %v", err)
	}
	if err := json.Unmarshal([]byte(`{"window":"sliding"}`), &back); !errors.Is(err, cxmetrics.ErrUnknownLabel) {
		t.Errorf("unknown window: %v", err)
	}
	if _, err := json.Marshal(Table{Period: 9}); !errors.Is(err, cxmetrics.ErrUnknownLabel) {
		t.Errorf("marshal Period(9): %v", err)
	}
}

func TestNames(t *testing.T) {
	if Day.String() != "day" || Week.String() != "week" || Month.String() != "month" || Period(5).String() != "Period(5)" {
		t.Error("Period.String")
	}
	if Calendar.String() != "calendar" || Rolling.String() != "rolling" || Window(2).String() != "Window(2)" {
		t.Error("Window.String")
	}
}

// TestCivilDay checks Hinnant's day count against the standard library's calendar over
// every day from 1600 to 2400 and around year 0.
func TestCivilDay(t *testing.T) {
	for _, span := range [][2]int{{-2, 2}, {1600, 2400}} {
		for d := time.Date(span[0], 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < span[1]; d = d.AddDate(0, 0, 1) {
			want := floorDiv(d.Unix(), 86400)
			if got := civilDay(d.Date()); got != want {
				t.Fatalf("%v: %d, want %d", d, got, want)
			}
		}
	}
}

// reference builds the table by the definitions, the slow way: periods found by stepping
// through the calendar with time.AddDate (or Add for rolling windows), and every count
// taken user by user.
func reference(events []journey.Event, o Options) (Table, bool) {
	level := o.Level
	if level == 0 {
		level = 0.95
	}
	loc := o.Location
	if loc == nil {
		loc = time.UTC
	}
	asOf := o.AsOf
	if asOf.IsZero() {
		for _, e := range events {
			if e.Time.After(asOf) {
				asOf = e.Time
			}
		}
	}
	first := map[string]time.Time{}
	acq := map[string]int{} // the index of the acquisition event
	for i, e := range events {
		if (o.StartEvent == "" || e.Name == o.StartEvent) && !e.Time.After(asOf) {
			if f, ok := first[e.User]; !ok || e.Time.Before(f) {
				first[e.User] = e.Time
				acq[e.User] = i
			}
		}
	}
	if len(first) == 0 {
		return Table{}, false
	}
	if o.BreakdownBy != "" {
		// One table per value, each built from the events of its users alone, as of the
		// whole log's as-of time.
		sub := o
		sub.BreakdownBy, sub.AsOf = "", asOf
		whole, _ := reference(events, sub)
		whole.Breakdown = map[string]Table{}
		for u, i := range acq {
			v := events[i].Props[o.BreakdownBy]
			if _, done := whole.Breakdown[v]; done {
				continue
			}
			var mine []journey.Event
			for _, e := range events {
				if w, ok := acq[e.User]; ok && events[w].Props[o.BreakdownBy] == v {
					mine = append(mine, e)
				}
			}
			whole.Breakdown[v], _ = reference(mine, sub)
			_ = u
		}
		return whole, true
	}
	// cohortStart returns the calendar period that holds t.
	cohortStart := func(t time.Time) time.Time {
		l := t.In(loc)
		switch o.Period {
		case Month:
			return time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, loc)
		case Week:
			d := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
			for d.Weekday() != o.WeekStart {
				d = time.Date(d.Year(), d.Month(), d.Day()-1, 0, 0, 0, 0, loc)
			}
			return d
		}
		return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	}
	// periodStart returns the start of the user's period k.
	periodStart := func(f time.Time, k int) time.Time {
		if o.Window == Rolling {
			return f.Add(time.Duration(k) * time.Duration(o.Period.rollingSeconds()) * time.Second)
		}
		s := cohortStart(f)
		switch o.Period {
		case Month:
			return time.Date(s.Year(), s.Month()+time.Month(k), 1, 0, 0, 0, 0, loc)
		case Week:
			return time.Date(s.Year(), s.Month(), s.Day()+7*k, 0, 0, 0, 0, loc)
		}
		return time.Date(s.Year(), s.Month(), s.Day()+k, 0, 0, 0, 0, loc)
	}
	periodOf := func(f, t time.Time) int {
		k := 0
		for !t.Before(periodStart(f, k+1)) {
			k++
		}
		return k
	}
	type row struct {
		start time.Time
		users []string
	}
	var rows []*row
	for u, f := range first {
		s := cohortStart(f)
		var r *row
		for _, x := range rows {
			if x.start.Equal(s) {
				r = x
			}
		}
		if r == nil {
			r = &row{start: s}
			rows = append(rows, r)
		}
		r.users = append(r.users, u)
	}
	for i := range rows {
		for j := i + 1; j < len(rows); j++ {
			if rows[j].start.Before(rows[i].start) {
				rows[i], rows[j] = rows[j], rows[i]
			}
		}
	}
	// last[u]: the last period that has ended by AsOf; active[u][k]: a return in period k.
	last := map[string]int{}
	active := map[string]map[int]bool{}
	for u, f := range first {
		k := 0
		for !periodStart(f, k+2).After(asOf) {
			k++
		}
		last[u] = k
		active[u] = map[int]bool{0: true}
	}
	revenue := map[string]map[int]float64{}
	for i, e := range events {
		f, ok := first[e.User]
		if !ok || (o.ReturnEvent != "" && e.Name != o.ReturnEvent) || e.Time.After(asOf) || e.Time.Before(f) {
			continue
		}
		if e.Time.Equal(f) && i < acq[e.User] {
			continue // at the acquisition time but before the acquisition event
		}
		k := periodOf(f, e.Time)
		active[e.User][k] = true
		if o.Revenue {
			if revenue[e.User] == nil {
				revenue[e.User] = map[int]float64{}
			}
			revenue[e.User][k] += e.Value
		}
	}
	retainedFrom := func(u string, n int) bool {
		for k := range active[u] {
			if k >= n {
				return true
			}
		}
		return false
	}
	t := Table{Period: o.Period, Window: o.Window, Location: loc.String(), AsOf: asOf}
	for _, r := range rows {
		c := Cohort{Start: r.start, Users: len(r.users)}
		for n := 0; ; n++ {
			var x Cell
			x.Period = n
			for _, u := range r.users {
				if last[u] < n {
					continue
				}
				x.Eligible++
				if n == 0 || active[u][n] {
					x.Active++
				}
				if retainedFrom(u, n) {
					x.Retained++
				}
				if n == 0 || retainedFrom(u, n-1) {
					x.AtRisk++
				}
				x.Revenue += revenue[u][n]
			}
			if x.Eligible == 0 {
				break
			}
			c.Cells = append(c.Cells, x)
			if n >= len(t.Overall) {
				t.Overall = append(t.Overall, Cell{Period: n})
			}
			all := &t.Overall[n]
			all.Eligible += x.Eligible
			all.Active += x.Active
			all.Retained += x.Retained
			all.AtRisk += x.AtRisk
			all.Revenue += x.Revenue
		}
		finish(c.Cells, level)
		t.Cohorts = append(t.Cohorts, c)
	}
	finish(t.Overall, level)
	return t, true
}

// FuzzBuild compares Build with the slow reference on random logs of up to 40 events over
// 100 days, in three time zones, for every period, window and event filter. With never
// set, one event moves to 9999-12-31, a "never" sentinel: the log is refused with
// ErrTooLarge unless no row reaches from 2024 to it (an earlier AsOf leaves it out, or
// it is the only event that counts).
func FuzzBuild(f *testing.F) {
	f.Add(uint64(1), uint8(30), uint8(0), uint8(0), uint8(0), false)
	f.Add(uint64(2), uint8(40), uint8(1), uint8(1), uint8(7), false)
	f.Add(uint64(3), uint8(12), uint8(2), uint8(0), uint8(13), false)
	f.Add(uint64(4), uint8(25), uint8(1), uint8(0), uint8(255), false)
	f.Add(uint64(5), uint8(20), uint8(2), uint8(1), uint8(0), true)
	f.Add(uint64(6), uint8(20), uint8(0), uint8(0), uint8(128), true)
	f.Add(uint64(138), uint8(206), uint8(218), uint8(253), uint8(74), true)
	zones := []*time.Location{time.UTC, mustLoad("America/New_York"), mustLoad("Australia/Lord_Howe")}
	f.Fuzz(func(t *testing.T, seed uint64, n, period, window, flags uint8, never bool) {
		rng := rand.New(rand.NewPCG(seed, 2))
		o := Options{
			Period:    Period(period % 3),
			Window:    Window(window % 2),
			Location:  zones[int(flags)%3],
			WeekStart: time.Weekday(int(flags/3) % 7),
		}
		if flags&0x20 != 0 {
			o.StartEvent = "signup"
		}
		if flags&0x40 != 0 {
			o.ReturnEvent = "buy"
		}
		// Around the 2024 daylight-saving changes in both hemispheres.
		base := time.Date(2024, 2, 20, 0, 0, 0, 0, time.UTC)
		if flags&0x80 != 0 {
			o.AsOf = base.Add(time.Duration(rng.Int64N(int64(100 * 24 * time.Hour))))
		}
		// Whole values, so that sums do not depend on the order of addition.
		o.Revenue = seed&1 != 0
		if seed&2 != 0 {
			o.BreakdownBy = "plan"
		}
		names := []string{"signup", "buy", "view"}
		plans := []map[string]string{nil, {"plan": "free"}, {"plan": "pro"}, {"plan": ""}}
		events := make([]journey.Event, int(n)%41)
		for i := range events {
			events[i] = journey.Event{
				User:  fmt.Sprint(rng.IntN(6)),
				Name:  names[rng.IntN(3)],
				Time:  base.Add(time.Duration(rng.Int64N(int64(100*24*time.Hour))) / time.Minute * time.Minute),
				Value: float64(rng.IntN(200) - 50),
				Props: plans[rng.IntN(4)],
			}
		}
		if never && len(events) > 0 {
			events[rng.IntN(len(events))].Time = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
			got, err := Build(events, o)
			if errors.Is(err, cxmetrics.ErrTooLarge) {
				return
			}
			if err == nil && len(got.Overall) > MaxPeriods {
				t.Fatalf("log with a 9999 event: %d periods", len(got.Overall))
			}
		}
		got, err := Build(events, o)
		want, ok := reference(events, o)
		if !ok {
			if !errors.Is(err, cxmetrics.ErrEmpty) {
				t.Fatalf("Build: %v, want ErrEmpty", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if !got.AsOf.Equal(want.AsOf) || got.Location != want.Location {
			t.Fatalf("as of %v in %s, want %v in %s", got.AsOf, got.Location, want.AsOf, want.Location)
		}
		checkTable(t, got, want.Cohorts, want.Overall)
		if len(got.Breakdown) != len(want.Breakdown) {
			t.Fatalf("breakdown by %d values, want %d", len(got.Breakdown), len(want.Breakdown))
		}
		for v, w := range want.Breakdown {
			checkTable(t, got.Breakdown[v], w.Cohorts, w.Overall)
		}
		if _, err := json.Marshal(got); err != nil {
			t.Fatal(err)
		}
		_ = got.Triangle(Churn)
	})
}

func mustLoad(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// A "never" sentinel (the year 9999, or 1900) among real events would make every row span
// millions of days. Build refuses it with ErrTooLarge and names the outlying event.
func TestBuildMaxPeriods(t *testing.T) {
	never := journey.Event{User: "z", Name: "open", Time: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)}
	old := journey.Event{User: "z", Name: "open", Time: time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)}
	with := func(e journey.Event) []journey.Event {
		return append(append([]journey.Event(nil), handLog[:6]...), append([]journey.Event{e}, handLog[6:]...)...)
	}
	for _, c := range []struct {
		name   string
		events []journey.Event
		o      Options
		what   string
		index  int
		value  time.Time
	}{
		{"year 9999 sets AsOf", with(never), Options{}, "time", 6, never.Time},
		{"year 9999, rolling weeks", with(never), Options{Period: Week, Window: Rolling}, "time", 6, never.Time},
		{"year 1900 starts a cohort", with(old), Options{}, "time", 6, old.Time},
		{"year 1900 after a later event of the user", append(with(ev("z", "2024-01-02T00:00:00Z")), old), Options{}, "time", 13, old.Time},
		{"AsOf in 9999", handLog, Options{AsOf: never.Time}, "as-of time", -1, never.Time},
		// 11 088 months from 1100 to 2024: the row of the user who started in 1100 is too long.
		{"months", with(journey.Event{User: "z", Name: "open", Time: time.Date(1100, 1, 1, 0, 0, 0, 0, time.UTC)}),
			Options{Period: Month}, "time", 6, time.Date(1100, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		_, err := Build(c.events, c.o)
		var ie *cxmetrics.InputError
		if !errors.Is(err, cxmetrics.ErrTooLarge) || !errors.As(err, &ie) || ie.What != c.what || ie.Index != c.index || ie.Value != c.value {
			t.Errorf("%s: %v; want an InputError wrapping ErrTooLarge for %s %v at index %d", c.name, err, c.what, c.value, c.index)
		}
	}
	// Rows of exactly MaxPeriods days fit; one day more does not.
	start := time.Date(2000, 1, 1, 12, 0, 0, 0, time.UTC)
	events := []journey.Event{{User: "a", Name: "open", Time: start}}
	for _, w := range []Window{Calendar, Rolling} {
		asOf := start.AddDate(0, 0, MaxPeriods)
		if w == Calendar {
			asOf = asOf.Add(-12 * time.Hour) // midnight, when day MaxPeriods - 1 has just ended
		}
		tab, err := Build(events, Options{Window: w, AsOf: asOf})
		if err != nil || len(tab.Cohorts[0].Cells) != MaxPeriods || len(tab.Overall) != MaxPeriods {
			t.Errorf("%v window as of %v: %v", w, asOf, err)
		}
		if _, err := Build(events, Options{Window: w, AsOf: asOf.Add(24 * time.Hour)}); !errors.Is(err, cxmetrics.ErrTooLarge) {
			t.Errorf("%v window, one day more: %v", w, err)
		}
	}
}

// Times that RFC 3339 cannot write are refused, so that period arithmetic never leaves
// int64.
func TestBuildTimeRange(t *testing.T) {
	far := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name   string
		events []journey.Event
		o      Options
	}{
		{"year 10000", []journey.Event{ev("a", "2024-01-01T00:00:00Z"), {User: "b", Name: "x", Time: far}}, Options{}},
		{"year -1", []journey.Event{{User: "b", Name: "x", Time: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)}}, Options{}},
		{"largest time", []journey.Event{{User: "b", Name: "x", Time: time.Unix(1<<63-1, 999999999)}}, Options{}},
		{"AsOf in 10000", handLog, Options{AsOf: far}},
	} {
		if _, err := Build(c.events, c.o); !errors.Is(err, cxmetrics.ErrOutOfRange) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// Period, Window and Measure share one text form: String, MarshalText and UnmarshalText.
func TestEnumText(t *testing.T) {
	type text interface {
		String() string
		MarshalText() ([]byte, error)
	}
	check := func(v text, back func([]byte) (text, error), bad text) {
		b, err := v.MarshalText()
		if err != nil || string(b) != v.String() {
			t.Errorf("%v: MarshalText %q, %v", v, b, err)
		}
		if got, err := back([]byte(" " + strings.ToUpper(string(b)) + " ")); err != nil || got != v {
			t.Errorf("%v: UnmarshalText gives %v, %v", v, got, err)
		}
		if _, err := bad.MarshalText(); !errors.Is(err, cxmetrics.ErrUnknownLabel) {
			t.Errorf("MarshalText(%v): %v", bad, err)
		}
		if _, err := back([]byte("fortnight")); !errors.Is(err, cxmetrics.ErrUnknownLabel) {
			t.Errorf("UnmarshalText(fortnight) for %T: %v", v, err)
		}
	}
	for _, p := range []Period{Day, Week, Month} {
		check(p, func(b []byte) (text, error) { var x Period; err := x.UnmarshalText(b); return x, err }, Period(3))
	}
	for _, w := range []Window{Calendar, Rolling} {
		check(w, func(b []byte) (text, error) { var x Window; err := x.UnmarshalText(b); return x, err }, Window(-1))
	}
	for _, m := range []Measure{OnPeriod, OnOrAfter, Churn} {
		check(m, func(b []byte) (text, error) { var x Measure; err := x.UnmarshalText(b); return x, err }, Measure(3))
	}
	if OnPeriod.String() != "on period" || OnOrAfter.String() != "on or after" || Churn.String() != "churn" || Measure(5).String() != "Measure(5)" {
		t.Error("Measure.String")
	}
	// An unknown measure is named, not printed as another rate.
	tab, err := Build(handLog, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := tab.Triangle(Measure(3)); !strings.Contains(got, "unknown label") || strings.Contains(got, "%") {
		t.Errorf("Triangle(Measure(3)) = %q", got)
	}
}

// FuzzUnmarshalText checks that the enums' text decoders accept exactly the names that
// String writes (ignoring case and surrounding spaces) and refuse the rest with
// ErrUnknownLabel, leaving the value unchanged.
func FuzzUnmarshalText(f *testing.F) {
	for _, s := range []string{"day", " WEEK ", "month", "calendar", "rolling", "on period", "on or after", "churn", "", "Period(1)", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		check := func(err error, got fmt.Stringer, unchanged bool) {
			t.Helper()
			if err != nil {
				if !errors.Is(err, cxmetrics.ErrUnknownLabel) || !unchanged {
					t.Fatalf("%q: %v (value changed: %v)", s, err, !unchanged)
				}
				return
			}
			if !strings.EqualFold(got.String(), strings.TrimSpace(s)) {
				t.Fatalf("%q decoded as %v", s, got)
			}
		}
		p := Period(-1)
		err := p.UnmarshalText([]byte(s))
		check(err, p, p == -1)
		w := Window(-1)
		err = w.UnmarshalText([]byte(s))
		check(err, w, w == -1)
		m := Measure(-1)
		err = m.UnmarshalText([]byte(s))
		check(err, m, m == -1)
	})
}

// TestIntervals checks the cells' Wilson intervals against R, on the table of
// TestBuildCalendarDays. R 4: prop.test(x, n, correct = FALSE)$conf.int, which is the
// Wilson score interval (statsmodels' proportion_confint(x, n, method="wilson") agrees).
func TestIntervals(t *testing.T) {
	type ref struct {
		rate   func(Cell) cxmetrics.Interval
		lo, hi float64 // shares, as R prints them
	}
	on := func(c Cell) cxmetrics.Interval { return c.RetentionInterval }
	after := func(c Cell) cxmetrics.Interval { return c.UnboundedInterval }
	churn := func(c Cell) cxmetrics.Interval { return c.ChurnInterval }
	for _, c := range []struct {
		name       string
		level      float64
		cell       func(Table) Cell
		want       []ref
		x, n, k, m int // on-period x of n, and churn k of m, derived from the counts
	}{
		{"2024-01-01 day 1", 0, func(t Table) Cell { return t.Cohorts[0].Cells[1] }, []ref{
			{on, 0.061491944720, 0.792340399198},    // prop.test(1, 3)
			{after, 0.207659600802, 0.938508055280}, // prop.test(2, 3)
			{churn, 0.061491944720, 0.792340399198}, // prop.test(1, 3)
		}, 1, 3, 1, 3},
		{"2024-01-01 day 0 (x = n)", 0, func(t Table) Cell { return t.Cohorts[0].Cells[0] }, []ref{
			{on, 0.438502968245, 1}, // prop.test(3, 3)
		}, 3, 3, 0, 3},
		{"2024-01-01 day 3", 0, func(t Table) Cell { return t.Cohorts[0].Cells[3] }, []ref{
			{churn, 0.094531205734, 0.905468794266}, // prop.test(1, 2)
		}, 1, 3, 1, 2},
		{"2024-01-02 day 2 (x = 0)", 0, func(t Table) Cell { return t.Cohorts[1].Cells[2] }, []ref{
			{on, 0, 0.793450685623}, // prop.test(0, 1)
		}, 0, 1, 1, 1},
		{"overall day 1", 0, func(t Table) Cell { return t.Overall[1] }, []ref{
			{on, 0.150038989152, 0.849961010848},    // prop.test(2, 4)
			{after, 0.300641842582, 0.954412739190}, // prop.test(3, 4)
			{churn, 0.045587260810, 0.699358157418}, // prop.test(1, 4)
		}, 2, 4, 1, 4},
		{"overall day 1 at 80%", 0.8, func(t Table) Cell { return t.Overall[1] }, []ref{
			{after, 0.432541450369, 0.921919252315}, // prop.test(3, 4, conf.level = 0.8)
		}, 2, 4, 1, 4},
		{"2024-01-01 day 1 at 80%", 0.8, func(t Table) Cell { return t.Cohorts[0].Cells[1] }, []ref{
			{on, 0.105775636122, 0.678817352170}, // prop.test(1, 3, conf.level = 0.8)
		}, 1, 3, 1, 3},
	} {
		tab, err := Build(handLog, Options{AsOf: at("2024-01-05T00:00:00Z"), Level: c.level})
		if err != nil {
			t.Fatal(err)
		}
		x := c.cell(tab)
		if x.Active != c.x || x.Eligible != c.n || x.Churned != c.k || x.AtRisk != c.m {
			t.Fatalf("%s: counts %+v", c.name, x)
		}
		level := c.level
		if level == 0 {
			level = DefaultLevel
		}
		for i, r := range c.want {
			iv := r.rate(x)
			if math.Abs(iv.Lower-100*r.lo) > 1e-9 || math.Abs(iv.Upper-100*r.hi) > 1e-9 || iv.Level != level || iv.Method != cxmetrics.Wilson || !iv.Contains(iv.Estimate) {
				t.Errorf("%s, rate %d: %v, want [%.10f, %.10f]", c.name, i, iv, 100*r.lo, 100*r.hi)
			}
		}
		if x.RetentionInterval.Estimate != 100*x.Retention || x.UnboundedInterval.Estimate != 100*x.Unbounded || x.ChurnInterval.Estimate != 100*x.Churn {
			t.Errorf("%s: estimates %+v", c.name, x)
		}
	}
	for _, level := range []float64{-0.5, 1, 1.5, math.NaN(), math.Inf(1)} {
		if _, err := Build(handLog, Options{Level: level}); !errors.Is(err, cxmetrics.ErrInvalidLevel) {
			t.Errorf("level %v: %v", level, err)
		}
	}
}

// TestBreakdownRevenue works a breakdown by plan with revenue out by hand. Daily
// calendar cohorts in UTC as of 2024-01-04 00:00, every event a start and a return event.
//
//	cohort 01-01: a (pro) spends 0 + 5 on day 0, 7 on day 1, 1 on day 2; b (free) 0, -, 2
//	cohort 01-02: c (pro) spends 0 + 4 on day 0, 3 on day 1; d (no plan) 1.5 on day 0
func TestBreakdownRevenue(t *testing.T) {
	e := func(user, at_ string, value float64, plan string) journey.Event {
		ev := journey.Event{User: user, Name: "buy", Time: at(at_), Value: value}
		if plan != "" {
			ev.Props = map[string]string{"plan": plan}
		}
		return ev
	}
	events := []journey.Event{
		e("a", "2024-01-01T12:00:00Z", 5, "free"), // after the acquisition event: a is pro
		e("a", "2024-01-01T10:00:00Z", 0, "pro"),
		e("b", "2024-01-01T11:00:00Z", 0, "free"),
		e("c", "2024-01-02T09:00:00Z", 0, "pro"),
		e("c", "2024-01-02T10:00:00Z", 4, ""),
		e("d", "2024-01-02T13:00:00Z", 1.5, ""),
		e("a", "2024-01-02T08:00:00Z", 7, ""),
		e("a", "2024-01-03T08:00:00Z", 1, ""),
		e("b", "2024-01-03T09:00:00Z", 2, ""),
		e("c", "2024-01-03T23:59:59Z", 3, ""),
		e("c", "2024-01-04T00:00:01Z", 1000, ""), // after AsOf
	}
	tab, err := Build(events, Options{AsOf: at("2024-01-04T00:00:00Z"), BreakdownBy: "plan", Revenue: true})
	if err != nil {
		t.Fatal(err)
	}
	revenue := func(cells []Cell) []float64 {
		var r []float64
		for _, c := range cells {
			r = append(r, c.Revenue)
		}
		return r
	}
	for _, c := range []struct {
		name  string
		table Table
		users []int
		rev   [][]float64
	}{
		{"all", tab, []int{2, 2}, [][]float64{{5, 7, 3}, {5.5, 3}}},
		{"pro", tab.Breakdown["pro"], []int{1, 1}, [][]float64{{5, 7, 1}, {4, 3}}},
		{"free", tab.Breakdown["free"], []int{1}, [][]float64{{0, 0, 2}}},
		{"none", tab.Breakdown[""], []int{1}, [][]float64{{1.5, 0}}},
	} {
		if len(c.table.Cohorts) != len(c.users) {
			t.Fatalf("%s: %d cohorts, want %d", c.name, len(c.table.Cohorts), len(c.users))
		}
		for i, row := range c.table.Cohorts {
			if row.Users != c.users[i] || fmt.Sprint(revenue(row.Cells)) != fmt.Sprint(c.rev[i]) {
				t.Errorf("%s, cohort %d: %d users, revenue %v; want %d, %v", c.name, i, row.Users, revenue(row.Cells), c.users[i], c.rev[i])
			}
		}
		if c.table.Breakdown != nil && c.name != "all" {
			t.Errorf("%s: a breakdown table with a breakdown", c.name)
		}
	}
	if len(tab.Breakdown) != 3 {
		t.Errorf("%d breakdown values, want 3", len(tab.Breakdown))
	}
	// Overall revenue on day 1: a's 7 and c's 3; on day 2, cohort 01-01 alone: 3.
	if got := revenue(tab.Overall); fmt.Sprint(got) != fmt.Sprint([]float64{10.5, 10, 3}) {
		t.Errorf("overall revenue %v", got)
	}
	// The pro table counts a and c: on day 1 both are back.
	if x := tab.Breakdown["pro"].Overall[1]; x.Eligible != 2 || x.Active != 2 {
		t.Errorf("pro, day 1: %+v", x)
	}
	// Without Options.Revenue the values are not summed, and a NaN is not an error.
	events[3].Value = math.NaN()
	plain, err := Build(events, Options{AsOf: at("2024-01-04T00:00:00Z")})
	if err != nil || plain.Overall[0].Revenue != 0 || plain.Breakdown != nil {
		t.Errorf("without revenue: %v, %+v", err, plain.Overall[0])
	}
	var ie *cxmetrics.InputError
	if _, err := Build(events, Options{Revenue: true}); !errors.Is(err, cxmetrics.ErrNotFinite) || !errors.As(err, &ie) || ie.Index != 3 {
		t.Errorf("NaN value: %v", err)
	}
}
