package funnel

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/journey"
)

// TestBreakdownTestsR checks the two-proportion tests and Holm's adjustment against R:
//
//	x <- c(40, 30, 10); n <- c(100, 120, 80)
//	prop.test(c(x[i], sum(x[-i])), c(n[i], sum(n[-i])), correct = FALSE)  # Z² and P
//	p.adjust(p, "holm")
func TestBreakdownTestsR(t *testing.T) {
	group := func(n, x int) Result {
		return Result{Users: n, Steps: []StepResult{{Reached: n}, {Reached: x}}}
	}
	r := Result{Users: 300, Steps: []StepResult{{Reached: 300}, {Reached: 80}},
		Breakdown: map[string]Result{"a": group(100, 40), "b": group(120, 30), "c": group(80, 10)}}
	got := breakdownTests(r)
	want := []BreakdownTest{
		{Value: "a", Users: 100, Converted: 40, Rate: 0.4, RestRate: 40.0 / 200, Z: 3.692744729379981994, P: 0.000221846680663212, PHolm: 0.000665540041989637},
		{Value: "b", Users: 120, Converted: 30, Rate: 0.25, RestRate: 50.0 / 180, Z: -0.533001790889026, P: 0.594032340599042, PHolm: 0.594032340599041531},
		{Value: "c", Users: 80, Converted: 10, Rate: 0.125, RestRate: 70.0 / 220, Z: -3.34600724189442200, P: 0.00081984254457715, PHolm: 0.001639685089154300},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d tests, want %d", len(got), len(want))
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }
	for i, w := range want {
		g := got[i]
		if g.Value != w.Value || g.Users != w.Users || g.Converted != w.Converted || !near(g.Rate, w.Rate) ||
			!near(g.RestRate, w.RestRate) || !near(g.Z, w.Z) || !near(g.P, w.P) || !near(g.PHolm, w.PHolm) {
			t.Errorf("got  %+v\nwant %+v", g, w)
		}
	}
	// One value: nothing to compare.
	if tests := breakdownTests(Result{Users: 1, Steps: []StepResult{{Reached: 1}}, Breakdown: map[string]Result{"": group(1, 1)}}); tests != nil {
		t.Errorf("one value: got %v", tests)
	}
}

// TestPercentiles checks the selection against R's quantile(x, c(.1, .25, .5, .75, .9))
// (type 7) on samples of 1 to 6 values, and that values near the largest Duration do
// not overflow.
func TestPercentiles(t *testing.T) {
	tests := []struct {
		x    []int64
		want [5]int64
	}{
		// quantile(c(7), ...) = 7 7 7 7 7
		{[]int64{7}, [5]int64{7, 7, 7, 7, 7}},
		// quantile(c(10, 0), ...) = 1 2.5 5 7.5 9; rounded down
		{[]int64{10, 0}, [5]int64{1, 2, 5, 7, 9}},
		// quantile(c(5, 1, 4, 2, 3, 100), ...) = 1.5 2.25 3.5 4.75 52.5
		{[]int64{5, 1, 4, 2, 3, 100}, [5]int64{1, 2, 3, 4, 52}},
		// quantile(c(3, 3, 3, 1), ...) = 1.6 2.5 3 3 3
		{[]int64{3, 3, 3, 1}, [5]int64{1, 2, 3, 3, 3}},
		{[]int64{math.MaxInt64, math.MaxInt64 - 100}, [5]int64{math.MaxInt64 - 90, math.MaxInt64 - 75, math.MaxInt64 - 50, math.MaxInt64 - 25, math.MaxInt64 - 10}},
	}
	for _, tt := range tests {
		p := percentiles(append([]int64(nil), tt.x...))
		got := [5]int64{int64(p.P10), int64(p.P25), int64(p.P50), int64(p.P75), int64(p.P90)}
		if got != tt.want {
			t.Errorf("%v: got %v, want %v", tt.x, got, tt.want)
		}
	}
}

// TestPeriodStart checks the starts of days, ISO weeks and months, across the change to
// summer time in Berlin on Sunday 2024-03-31.
func TestPeriodStart(t *testing.T) {
	loc := berlin
	tm := time.Date(2024, 3, 31, 22, 30, 0, 0, time.UTC) // Monday 2024-04-01 00:30 in Berlin
	for _, c := range []struct {
		p          Period
		start, end time.Time
	}{
		{Day, time.Date(2024, 4, 1, 0, 0, 0, 0, loc), time.Date(2024, 4, 2, 0, 0, 0, 0, loc)},
		{Week, time.Date(2024, 4, 1, 0, 0, 0, 0, loc), time.Date(2024, 4, 8, 0, 0, 0, 0, loc)},
		{Month, time.Date(2024, 4, 1, 0, 0, 0, 0, loc), time.Date(2024, 5, 1, 0, 0, 0, 0, loc)},
	} {
		s := periodStart(c.p, tm, loc)
		if !s.Equal(c.start) || !nextPeriod(c.p, s).Equal(c.end) {
			t.Errorf("%v: start %v next %v, want %v and %v", c.p, s, nextPeriod(c.p, s), c.start, c.end)
		}
	}
	// In UTC the same instant is on Sunday 2024-03-31, in the week from Monday 25 March;
	// the day in Berlin before it has 23 hours.
	if s := periodStart(Week, tm, time.UTC); !s.Equal(time.Date(2024, 3, 25, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("UTC week starts %v", s)
	}
	if d := time.Date(2024, 4, 1, 0, 0, 0, 0, loc).Sub(periodStart(Day, tm.Add(-2*time.Hour), loc)); d != 23*time.Hour {
		t.Errorf("the day of the change has %v", d)
	}
}

// TestAnalysisErrors covers the settings of intervals, histograms and trends.
func TestAnalysisErrors(t *testing.T) {
	good := []journey.Event{ev("u", "A", at(1, 0))}
	for _, c := range []struct {
		name string
		f    Funnel
		want error
	}{
		{"level 1", Funnel{Steps: steps("A"), Level: 1}, cxmetrics.ErrInvalidLevel},
		{"level negative", Funnel{Steps: steps("A"), Level: -0.5}, cxmetrics.ErrInvalidLevel},
		{"bins not increasing", Funnel{Steps: steps("A"), Bins: []time.Duration{2, 2}}, cxmetrics.ErrOutOfRange},
		{"too many bins", Funnel{Steps: steps("A"), Bins: make([]time.Duration, MaxBins+1)}, cxmetrics.ErrTooLarge},
		{"unknown period", Funnel{Steps: steps("A"), Trend: Month + 1}, cxmetrics.ErrUnknownLabel},
	} {
		if _, err := c.f.Run(good); !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
	}
	// A trend over more than MaxPeriods days.
	long := []journey.Event{ev("u", "A", at(1, 0)), ev("v", "A", at(1, 0).AddDate(-300, 0, 0))}
	if _, err := (Funnel{Steps: steps("A"), Trend: Day}).Run(long); !errors.Is(err, cxmetrics.ErrTooLarge) {
		t.Errorf("long trend: error %v", err)
	}
}
