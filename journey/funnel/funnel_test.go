package funnel

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/journey"
)

// at returns the time h:m on the test day.
func at(h, m int) time.Time { return time.Date(2024, 3, 1, h, m, 0, 0, time.UTC) }

func ev(user, name string, t time.Time) journey.Event {
	return journey.Event{User: user, Name: name, Time: t}
}

func steps(names ...string) []Step {
	s := make([]Step, len(names))
	for i, n := range names {
		s[i] = Step{Event: n}
	}
	return s
}

// reached returns Reached of every step.
func reached(r Result) []int {
	out := make([]int, len(r.Steps))
	for i, s := range r.Steps {
		out[i] = s.Reached
	}
	return out
}

func run(t *testing.T, f Funnel, events []journey.Event) Result {
	t.Helper()
	r, err := f.Run(events)
	if err != nil {
		t.Fatal(err)
	}
	if want := refRun(f, events); !equalResults(want, r) {
		t.Fatalf("Run and the reference disagree:\nrun %+v\nref %+v", r, want)
	}
	return r
}

func wantReached(t *testing.T, r Result, want ...int) {
	t.Helper()
	got := reached(r)
	if len(got) != len(want) {
		t.Fatalf("reached %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("reached %v, want %v", got, want)
		}
	}
}

// Mixpanel's documented example (docs.mixpanel.com, Funnels: conversion criteria):
// A 1:00, A 1:30, B 1:45, C 2:15 with a one-hour window.
func TestMixpanelExample(t *testing.T) {
	events := []journey.Event{ev("u", "A", at(1, 0)), ev("u", "A", at(1, 30)), ev("u", "B", at(1, 45)), ev("u", "C", at(2, 15))}
	f := Funnel{Steps: steps("A", "B", "C"), Window: time.Hour, Anchor: FirstStart}
	r := run(t, f, events)
	wantReached(t, r, 1, 1, 0)
	if got := r.Steps[1].MedianTimeToConvert; got != 45*time.Minute {
		t.Errorf("first start: time to B %v, want 45m", got)
	}
	f.Anchor = LatestStart
	r = run(t, f, events)
	wantReached(t, r, 1, 1, 1)
	if got := r.Steps[1].MedianTimeToConvert; got != 15*time.Minute {
		t.Errorf("latest start: time to B %v, want 15m", got)
	}
	if got := r.Steps[2].MeanTimeToConvert; got != 30*time.Minute {
		t.Errorf("latest start: time to C %v, want 30m", got)
	}
}

func TestFirstStartReentersAfterWindow(t *testing.T) {
	events := []journey.Event{ev("u", "A", at(0, 0)), ev("u", "A", at(0, 59)), ev("u", "A", at(2, 0)), ev("u", "B", at(2, 30))}
	f := Funnel{Steps: steps("A", "B"), Window: time.Hour, Anchor: FirstStart}
	r := run(t, f, events)
	wantReached(t, r, 1, 1)
	if got := r.Steps[1].MedianTimeToConvert; got != 30*time.Minute {
		t.Errorf("time to B %v, want 30m from the 2:00 attempt", got)
	}
	// Without a window the first attempt never ends, and it converts at 2:30.
	f.Window = 0
	r = run(t, f, events)
	if got := r.Steps[1].MedianTimeToConvert; got != 150*time.Minute {
		t.Errorf("no window: time to B %v, want 2h30m", got)
	}
}

func TestRepeatedStep(t *testing.T) {
	f := Funnel{Steps: steps("A", "A")}
	wantReached(t, run(t, f, []journey.Event{ev("u", "A", at(1, 0))}), 1, 0)
	r := run(t, f, []journey.Event{ev("u", "A", at(1, 0)), ev("u", "A", at(1, 5)), ev("v", "A", at(1, 0))})
	wantReached(t, r, 2, 1)
	if r.Users != 2 || r.Steps[1].MedianTimeToConvert != 5*time.Minute {
		t.Errorf("got %+v", r)
	}
	// A → B → A needs a second A after B.
	f = Funnel{Steps: steps("A", "B", "A")}
	wantReached(t, run(t, f, []journey.Event{ev("u", "A", at(1, 0)), ev("u", "B", at(1, 1))}), 1, 1, 0)
	wantReached(t, run(t, f, []journey.Event{ev("u", "A", at(1, 0)), ev("u", "B", at(1, 1)), ev("u", "A", at(1, 2))}), 1, 1, 1)
}

func TestTiesKeepInputOrder(t *testing.T) {
	f := Funnel{Steps: steps("A", "B")}
	wantReached(t, run(t, f, []journey.Event{ev("u", "B", at(1, 0)), ev("u", "A", at(1, 0))}), 1, 0)
	r := run(t, f, []journey.Event{ev("u", "A", at(1, 0)), ev("u", "B", at(1, 0))})
	wantReached(t, r, 1, 1)
	if r.Steps[1].MeanTimeToConvert != 0 {
		t.Errorf("time to convert %v, want 0", r.Steps[1].MeanTimeToConvert)
	}
}

func TestUnsortedInput(t *testing.T) {
	f := Funnel{Steps: steps("A", "B", "C"), Window: 10 * time.Minute}
	sorted := []journey.Event{
		ev("u", "A", at(1, 0)), ev("v", "A", at(1, 1)), ev("u", "B", at(1, 2)), ev("v", "B", at(1, 3)),
		ev("u", "C", at(1, 4)), ev("v", "C", at(1, 30)),
	}
	shuffled := []journey.Event{sorted[5], sorted[2], sorted[4], sorted[0], sorted[3], sorted[1]}
	a, b := run(t, f, sorted), run(t, f, shuffled)
	if !equalResults(a, b) {
		t.Fatalf("sorted %+v, shuffled %+v", a, b)
	}
	wantReached(t, a, 2, 2, 1)
}

func TestWindowEdge(t *testing.T) {
	f := Funnel{Steps: steps("A", "B"), Window: time.Hour}
	wantReached(t, run(t, f, []journey.Event{ev("u", "A", at(1, 0)), ev("u", "B", at(2, 0))}), 1, 1)
	late := at(2, 0).Add(time.Nanosecond)
	wantReached(t, run(t, f, []journey.Event{ev("u", "A", at(1, 0)), ev("u", "B", late)}), 1, 0)
	// The window runs from the anchor, not from the previous step.
	f.Steps = steps("A", "B", "C")
	wantReached(t, run(t, f, []journey.Event{ev("u", "A", at(1, 0)), ev("u", "B", at(1, 50)), ev("u", "C", at(2, 10))}), 1, 1, 0)
}

func TestStrict(t *testing.T) {
	f := Funnel{Steps: steps("A", "B", "C"), Order: Strict}
	events := []journey.Event{ev("u", "A", at(1, 0)), ev("u", "B", at(1, 1)), ev("u", "X", at(1, 2)), ev("u", "C", at(1, 3))}
	wantReached(t, run(t, f, events), 1, 1, 0)
	f.Order = Ordered
	wantReached(t, run(t, f, events), 1, 1, 1)
	// A second attempt that is not broken converts.
	f.Order = Strict
	events = append(events, ev("u", "A", at(2, 0)), ev("u", "B", at(2, 1)), ev("u", "C", at(2, 2)))
	wantReached(t, run(t, f, events), 1, 1, 1)
	// An event rejected by a step's filter breaks the attempt too.
	f = Funnel{Steps: []Step{{Event: "A"}, {Event: "B", Where: func(e journey.Event) bool { return e.Value > 0 }}}, Order: Strict}
	events = []journey.Event{ev("u", "A", at(1, 0)), ev("u", "B", at(1, 1)), ev("u", "B", at(1, 2))}
	events[2].Value = 1
	wantReached(t, run(t, f, events), 1, 0)
	// With FirstStart the event that breaks an attempt may start the next one.
	f = Funnel{Steps: steps("A", "B"), Order: Strict, Anchor: FirstStart}
	wantReached(t, run(t, f, []journey.Event{ev("u", "A", at(1, 0)), ev("u", "A", at(1, 1)), ev("u", "B", at(1, 2))}), 1, 1)
}

func TestAnyOrder(t *testing.T) {
	f := Funnel{Steps: steps("A", "B", "C"), Order: Any, Window: 10 * time.Minute}
	events := []journey.Event{ev("u", "C", at(1, 0)), ev("u", "A", at(1, 2)), ev("u", "B", at(1, 5))}
	r := run(t, f, events)
	wantReached(t, r, 1, 1, 1)
	// Steps 0..2 are all done at 1:05; A is done at 1:02, A and B at 1:05.
	if r.Steps[1].MedianTimeToConvert != 3*time.Minute || r.Steps[2].MedianTimeToConvert != 0 {
		t.Errorf("times %v %v, want 3m 0s", r.Steps[1].MedianTimeToConvert, r.Steps[2].MedianTimeToConvert)
	}
	f.Order = Ordered
	wantReached(t, run(t, f, events), 1, 1, 0)
	// The attempt from A (1:02 to 1:12) has A and B; the one from C (to 1:10) has C and A.
	f.Order = Any
	events[2].Time = at(1, 11)
	wantReached(t, run(t, f, events), 1, 1, 0)
	// Outside every window the steps do not count.
	events[2].Time = at(1, 13)
	wantReached(t, run(t, f, events), 1, 0, 0)
	// Two steps with the same event need two events.
	f = Funnel{Steps: steps("A", "A"), Order: Any}
	wantReached(t, run(t, f, []journey.Event{ev("u", "A", at(1, 0))}), 1, 0)
}

func TestExclusions(t *testing.T) {
	f := Funnel{Steps: steps("A", "B", "C"), Exclusions: []Exclusion{{Event: "X", From: 0, To: 1}}}
	tests := []struct {
		name   string
		events []journey.Event
		want   []int
	}{
		{"between", []journey.Event{ev("u", "A", at(1, 0)), ev("u", "X", at(1, 1)), ev("u", "B", at(1, 2))}, []int{0, 0, 0}},
		{"before", []journey.Event{ev("u", "X", at(1, 0)), ev("u", "A", at(1, 1)), ev("u", "B", at(1, 2))}, []int{1, 1, 0}},
		{"after", []journey.Event{ev("u", "A", at(1, 0)), ev("u", "B", at(1, 1)), ev("u", "X", at(1, 2))}, []int{1, 1, 0}},
		{"never reached To", []journey.Event{ev("u", "A", at(1, 0)), ev("u", "X", at(1, 1))}, []int{0, 0, 0}},
		{"other user", []journey.Event{ev("u", "A", at(1, 0)), ev("v", "X", at(1, 1)), ev("u", "B", at(1, 2))}, []int{1, 1, 0}},
		{"tie before step", []journey.Event{ev("u", "A", at(1, 0)), ev("u", "X", at(1, 1)), ev("u", "B", at(1, 1))}, []int{0, 0, 0}},
		{"tie after step", []journey.Event{ev("u", "A", at(1, 0)), ev("u", "B", at(1, 1)), ev("u", "X", at(1, 1))}, []int{1, 1, 0}},
		// The attempt completed B before X; the second B does not make it a new one.
		{"after, step repeated", []journey.Event{ev("u", "A", at(1, 0)), ev("u", "B", at(1, 1)), ev("u", "X", at(1, 2)),
			ev("u", "B", at(1, 3)), ev("u", "C", at(1, 4))}, []int{1, 1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantReached(t, run(t, f, tt.events), tt.want...)
		})
	}
	// Outside the window of an attempt that never reached To, the event does not count.
	f.Window = time.Hour
	wantReached(t, run(t, f, []journey.Event{ev("u", "A", at(1, 0)), ev("u", "X", at(2, 1))}), 1, 0, 0)
}

func TestBreakdown(t *testing.T) {
	with := func(e journey.Event, country string) journey.Event {
		e.Props = map[string]string{"country": country}
		return e
	}
	events := []journey.Event{
		with(ev("u", "A", at(1, 0)), "us"), with(ev("u", "A", at(1, 10)), "fr"), ev("u", "B", at(1, 20)),
		with(ev("v", "A", at(1, 0)), "fr"),
		ev("w", "A", at(1, 0)), ev("w", "B", at(1, 1)),
	}
	f := Funnel{Steps: steps("A", "B"), BreakdownBy: "country"}
	r := run(t, f, events)
	// With LatestStart u's counted attempt starts at 1:10 (fr).
	wantReached(t, r.Breakdown["fr"], 2, 1)
	wantReached(t, r.Breakdown[""], 1, 1)
	if len(r.Breakdown) != 2 || r.Breakdown["fr"].Steps[1].MedianTimeToConvert != 10*time.Minute {
		t.Errorf("latest start breakdown %+v", r.Breakdown)
	}
	f.Anchor = FirstStart
	r = run(t, f, events)
	wantReached(t, r.Breakdown["us"], 1, 1)
	wantReached(t, r.Breakdown["fr"], 1, 0)
	if r.Breakdown["us"].Steps[1].MedianTimeToConvert != 20*time.Minute {
		t.Errorf("first start breakdown %+v", r.Breakdown)
	}
}

func TestStepResults(t *testing.T) {
	// Five users: times to B of 1, 2 and 4 minutes, one stops at A, one never starts.
	events := []journey.Event{
		ev("a", "A", at(1, 0)), ev("a", "B", at(1, 1)), ev("a", "C", at(1, 2)),
		ev("b", "A", at(1, 0)), ev("b", "B", at(1, 2)), ev("b", "C", at(1, 5)),
		ev("c", "A", at(1, 0)), ev("c", "B", at(1, 4)),
		ev("d", "A", at(1, 0)),
		ev("e", "B", at(1, 0)),
	}
	f := Funnel{Steps: []Step{{Name: "land", Event: "A"}, {Event: "B"}, {Event: "C"}},
		Bins: []time.Duration{90 * time.Second, 3 * time.Minute}}
	r := run(t, f, events)
	sec := func(s ...float64) Percentiles {
		d := func(x float64) time.Duration { return time.Duration(x * float64(time.Second)) }
		return Percentiles{d(s[0]), d(s[1]), d(s[2]), d(s[3]), d(s[4])}
	}
	// Wilson intervals: R prop.test(x, n, correct = FALSE)$conf.int for 4/4, 3/4, 2/4, 2/3.
	wil := func(k, n int, lo, hi float64) cxmetrics.Interval {
		return cxmetrics.Interval{Estimate: 100 * (float64(k) / float64(n)), Lower: 100 * lo, Upper: 100 * hi, Level: 0.95, Method: cxmetrics.Wilson}
	}
	w44 := wil(4, 4, 0.510109163545403, 1)
	w34 := wil(3, 4, 0.300641842582402, 0.954412739190299)
	w24 := wil(2, 4, 0.15003898915215, 0.84996101084785)
	w23 := wil(2, 3, 0.207659600802048, 0.938508055279604)
	want := Result{Users: 4, Steps: []StepResult{
		{Name: "land", Reached: 4, FromStart: 1, FromPrevious: 1, DroppedAfter: 1,
			FromStartInterval: w44, FromPreviousInterval: w44},
		// (1 + 2 + 4) / 3 minutes = 2m20s; median 2m. Percentiles: R quantile(c(60, 120,
		// 240), c(.1, .25, .5, .75, .9)) = 72 90 120 180 216 seconds.
		{Name: "B", Reached: 3, FromStart: 0.75, FromPrevious: 0.75, DroppedAfter: 1,
			MedianTimeToConvert: 2 * time.Minute, MeanTimeToConvert: 140 * time.Second,
			FromStartInterval: w34, FromPreviousInterval: w34,
			TimeToConvert: sec(72, 90, 120, 180, 216), Histogram: []int{1, 1, 1}},
		// Times of 1 and 3 minutes: median and mean 2m; R quantile(c(60, 180), ...) = 72
		// 90 120 150 168.
		{Name: "C", Reached: 2, FromStart: 0.5, FromPrevious: 2.0 / 3, DroppedAfter: 0,
			MedianTimeToConvert: 2 * time.Minute, MeanTimeToConvert: 2 * time.Minute,
			FromStartInterval: w24, FromPreviousInterval: w23,
			TimeToConvert: sec(72, 90, 120, 150, 168), Histogram: []int{1, 0, 1}},
	},
		// From A to C: 2 and 5 minutes; R quantile(c(120, 300), ...) = 138 165 210 255 282.
		TimeToConvert: sec(138, 165, 210, 255, 282),
	}
	const tol = 1e-10 // percent
	for i := range want.Steps {
		for _, p := range [][2]cxmetrics.Interval{{want.Steps[i].FromStartInterval, r.Steps[i].FromStartInterval},
			{want.Steps[i].FromPreviousInterval, r.Steps[i].FromPreviousInterval}} {
			if math.Abs(p[0].Lower-p[1].Lower) > tol || math.Abs(p[0].Upper-p[1].Upper) > tol ||
				p[0].Estimate != p[1].Estimate || p[0].Level != p[1].Level || p[0].Method != p[1].Method {
				t.Errorf("step %d: interval %v, want %v", i, p[1], p[0])
			}
		}
		// The intervals agree within tol: compare the rest exactly.
		r.Steps[i].FromStartInterval = want.Steps[i].FromStartInterval
		r.Steps[i].FromPreviousInterval = want.Steps[i].FromPreviousInterval
	}
	if !equalResults(want, r) {
		t.Fatalf("got  %+v\nwant %+v", r, want)
	}
}

func TestMeanMedianRounding(t *testing.T) {
	if got := mean([]int64{1, 2}); got != 2 {
		t.Errorf("mean(1, 2) = %d, want 2 (1.5 rounds half up)", got)
	}
	if got := mean([]int64{1, 1, 2}); got != 1 {
		t.Errorf("mean(1, 1, 2) = %d, want 1", got)
	}
	if got := mean([]int64{math.MaxInt64, math.MaxInt64, math.MaxInt64 - 2}); got != math.MaxInt64-1 {
		t.Errorf("mean near MaxInt64 = %d, want %d", got, int64(math.MaxInt64-1))
	}
	if got := median([]int64{2, 1}); got != 1 {
		t.Errorf("median(2, 1) = %d, want 1 (1.5 rounds down)", got)
	}
	if got := median([]int64{5, 1, 9, 3, 7}); got != 5 {
		t.Errorf("median = %d, want 5", got)
	}
	x := make([]int64, 1001)
	for i := range x {
		x[i] = int64((i * 7919) % 1001)
	}
	if got := median(x); got != 500 {
		t.Errorf("median of a permutation of 0..1000 = %d, want 500", got)
	}
}

func TestNobodyStarts(t *testing.T) {
	r := run(t, Funnel{Steps: steps("A", "B")}, []journey.Event{ev("u", "B", at(1, 0))})
	if r.Users != 0 || r.Steps[0].FromStart != 0 || r.Steps[1].FromPrevious != 0 {
		t.Errorf("got %+v", r)
	}
}

func TestErrors(t *testing.T) {
	good := []journey.Event{ev("u", "A", at(1, 0))}
	tests := []struct {
		name   string
		f      Funnel
		events []journey.Event
		want   error
		index  int // of the InputError; -2 when the error is not one
	}{
		{"no steps", Funnel{}, good, cxmetrics.ErrEmpty, -2},
		{"no events", Funnel{Steps: steps("A")}, nil, cxmetrics.ErrEmpty, -2},
		{"too many steps", Funnel{Steps: make([]Step, MaxSteps+1)}, good, cxmetrics.ErrOutOfRange, -1},
		{"empty step event", Funnel{Steps: steps("A", "")}, good, cxmetrics.ErrEmpty, 1},
		{"negative window", Funnel{Steps: steps("A"), Window: -1}, good, cxmetrics.ErrOutOfRange, -1},
		{"unknown order", Funnel{Steps: steps("A"), Order: 3}, good, cxmetrics.ErrUnknownLabel, -1},
		{"unknown anchor", Funnel{Steps: steps("A"), Anchor: -1}, good, cxmetrics.ErrUnknownLabel, -1},
		{"negative workers", Funnel{Steps: steps("A"), Workers: -1}, good, cxmetrics.ErrOutOfRange, -1},
		{"too many workers", Funnel{Steps: steps("A"), Workers: MaxWorkers + 1}, good, cxmetrics.ErrTooLarge, -1},
		{"exclusion to out of range", Funnel{Steps: steps("A", "B"), Exclusions: []Exclusion{{"X", 0, 1}, {"X", 0, 2}}}, good, cxmetrics.ErrOutOfRange, 1},
		{"exclusion from after to", Funnel{Steps: steps("A", "B"), Exclusions: []Exclusion{{"X", 1, 1}}}, good, cxmetrics.ErrOutOfRange, 0},
		{"exclusion negative", Funnel{Steps: steps("A", "B"), Exclusions: []Exclusion{{"X", -1, 1}}}, good, cxmetrics.ErrOutOfRange, 0},
		{"exclusion empty", Funnel{Steps: steps("A", "B"), Exclusions: []Exclusion{{"", 0, 1}}}, good, cxmetrics.ErrEmpty, 0},
		{"exclusion is a step", Funnel{Steps: steps("A", "B"), Exclusions: []Exclusion{{"B", 0, 1}}}, good, cxmetrics.ErrOutOfRange, 0},
		{"empty user", Funnel{Steps: steps("A")}, []journey.Event{good[0], ev("", "Z", at(1, 0))}, cxmetrics.ErrEmpty, 1},
		{"zero time", Funnel{Steps: steps("A")}, []journey.Event{good[0], good[0], ev("u", "A", time.Time{})}, cxmetrics.ErrEmpty, 2},
		{"time too late", Funnel{Steps: steps("A")}, []journey.Event{ev("u", "A", time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC))}, cxmetrics.ErrOutOfRange, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.f.Run(tt.events)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			var ie *cxmetrics.InputError
			switch {
			case errors.As(err, &ie) && tt.index == -2:
				t.Fatalf("got InputError %v, want a plain error", err)
			case ie == nil && tt.index != -2:
				t.Fatalf("error %v is not an InputError", err)
			case ie != nil && ie.Index != tt.index:
				t.Fatalf("error %v at index %d, want %d", err, ie.Index, tt.index)
			}
			if msg := err.Error(); msg[:len("funnel: ")] != "funnel: " {
				t.Errorf("message %q does not start with the package name", msg)
			}
		})
	}
}

func TestStrings(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Ordered.String(), "ordered"}, {Strict.String(), "strict"}, {Any.String(), "any"},
		{Order(7).String(), "Order(7)"}, {LatestStart.String(), "latest start"},
		{FirstStart.String(), "first start"}, {Anchor(5).String(), "Anchor(5)"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// TestMaxSteps runs the longest funnel in every order: one user does all the steps, one
// does all but the last, one starts and stops.
func TestMaxSteps(t *testing.T) {
	names := make([]string, MaxSteps)
	for i := range names {
		names[i] = "s" + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	var events []journey.Event
	for i, n := range names {
		events = append(events, ev("all", n, at(1, i)))
		if i < MaxSteps-1 {
			events = append(events, ev("most", n, at(1, i)))
		}
	}
	events = append(events, ev("one", names[0], at(1, 0)))
	for _, o := range []Order{Ordered, Strict, Any} {
		for _, a := range []Anchor{LatestStart, FirstStart} {
			r := run(t, Funnel{Steps: steps(names...), Order: o, Anchor: a}, events)
			if r.Users != 3 || r.Steps[1].Reached != 2 || r.Steps[MaxSteps-2].Reached != 2 || r.Steps[MaxSteps-1].Reached != 1 {
				t.Errorf("%v, %v: got %+v", o, a, reached(r))
			}
			if r.Steps[MaxSteps-1].MedianTimeToConvert != time.Minute {
				t.Errorf("%v, %v: time to the last step %v, want 1m", o, a, r.Steps[MaxSteps-1].MedianTimeToConvert)
			}
		}
	}
}

// TestWhereOnce checks that every Where filter is called exactly once for each event
// with its step's name, whatever the order of the log and the number of workers: on a
// log sorted by time, one sorted by user and one in no order.
func TestWhereOnce(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 1))
	var events []journey.Event
	for i := range 3000 {
		events = append(events, journey.Event{
			User:  "u" + strconv.Itoa(rng.IntN(200)),
			Name:  []string{"A", "B", "C", "X"}[rng.IntN(4)],
			Time:  at(1, 0).Add(time.Duration(rng.IntN(100_000)) * time.Second),
			Props: map[string]string{"i": strconv.Itoa(i)},
		})
	}
	byTime := sortedByTime(events)
	byUser := slices.Clone(byTime)
	slices.SortStableFunc(byUser, func(a, b journey.Event) int { return strings.Compare(a.User, b.User) })
	for name, log := range map[string][]journey.Event{"by time": byTime, "by user": byUser, "no order": events} {
		for _, workers := range []int{1, 2, 3} {
			var mu sync.Mutex
			calls := map[string]int{}
			filter := func(step int) func(journey.Event) bool {
				return func(e journey.Event) bool {
					mu.Lock()
					calls[strconv.Itoa(step)+"/"+e.Props["i"]]++
					mu.Unlock()
					return e.Props["i"][0]%3 != 0
				}
			}
			f := Funnel{
				Steps:      []Step{{Event: "A", Where: filter(0)}, {Event: "B"}, {Event: "A", Where: filter(2)}, {Event: "C", Where: filter(3)}},
				Window:     3 * time.Hour,
				Exclusions: []Exclusion{{Event: "X", From: 1, To: 2}},
				Workers:    workers,
			}
			var r Runner
			r.tune.minEventsPerWorker = 1
			r.tune.chunkEvents = 12
			r.tune.ringChunks = 3
			got, err := r.Run(f, log)
			if err != nil {
				t.Fatal(err)
			}
			if want := refRun(f, log); !equalResults(want, got) {
				t.Fatalf("%s, %d workers: Run and the reference disagree", name, workers)
			}
			// refRun called the filters too: count Run's calls alone.
			mu.Lock()
			clear(calls)
			mu.Unlock()
			if _, err := r.Run(f, log); err != nil {
				t.Fatal(err)
			}
			for _, e := range log {
				for k, s := range f.Steps {
					if s.Where == nil || s.Event != e.Name {
						continue
					}
					if n := calls[strconv.Itoa(k)+"/"+e.Props["i"]]; n != 1 {
						t.Fatalf("%s, %d workers: filter of step %d called %d times for event %s", name, workers, k, n, e.Props["i"])
					}
				}
			}
			if len(calls) == 0 {
				t.Fatalf("%s: no filter called", name)
			}
		}
	}
}
