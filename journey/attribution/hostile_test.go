package attribution

import (
	"errors"
	"math"
	"testing"
	"time"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
	"github.com/cxmetrics/cxmetrics/journey"
)

// TestSumsNearOverflow: counts and values whose totals lie beyond the float64 range,
// while every credit is representable, give those credits; a credit beyond the range
// is an error wrapping ErrNotFinite, never an infinity or NaN.
func TestSumsNearOverflow(t *testing.T) {
	const big = 1e308
	for _, tc := range []struct {
		name  string
		paths []Path
		want  want // every model but Markov and TimeDecay, which share otherwise
	}{
		{"conversions of two channels", []Path{
			{Touchpoints: []string{"a"}, Conversions: big, Value: 1},
			{Touchpoints: []string{"b"}, Conversions: big, Value: 2},
		}, want{"a": {big, 1}, "b": {big, 2}}},
		{"conversions and nulls", []Path{
			{Touchpoints: []string{"a"}, Conversions: big, Nulls: big},
			{Touchpoints: []string{"b"}, Conversions: 1, Nulls: big},
		}, want{"a": {big, 0}, "b": {1, 0}}},
		{"values that cancel", []Path{
			{Touchpoints: []string{"a"}, Conversions: 1, Value: big},
			{Touchpoints: []string{"a"}, Conversions: 1, Value: big},
			{Touchpoints: []string{"a"}, Conversions: 1, Value: -big},
			{Touchpoints: []string{"b"}, Conversions: 1, Value: -big},
		}, want{"a": {3, big}, "b": {1, -big}}},
	} {
		for name, run := range models(tc.paths) {
			res, err := run()
			if err != nil {
				t.Errorf("%s, %s: %v", tc.name, name, err)
				continue
			}
			for _, c := range res.Credits {
				if !stats.Finite(c.Conversions) || !stats.Finite(c.Value) {
					t.Errorf("%s, %s: credit %+v", tc.name, name, c)
				}
			}
			if name[:6] == "markov" {
				continue
			}
			for ch, cv := range tc.want {
				c, _ := res.Channel(ch)
				if !scalar.EqualWithinRel(c.Conversions, cv[0], 1e-12) || !scalar.EqualWithinRel(c.Value, cv[1], 1e-12) {
					t.Errorf("%s, %s: %s earns %+v, want %v", tc.name, name, ch, c, cv)
				}
			}
		}
	}
	// Markov shares the total conversions 2e308 of two symmetric channels: 1e308 each.
	res, err := Markov([]Path{{Touchpoints: []string{"a"}, Conversions: big}, {Touchpoints: []string{"b"}, Conversions: big}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Credits {
		if !scalar.EqualWithinRel(c.Conversions, big, 1e-12) {
			t.Errorf("markov: %+v, want %v conversions", c, big)
		}
	}

	// One channel's credit beyond the range.
	over := []Path{
		{Touchpoints: []string{"a"}, Conversions: big, Value: big},
		{Touchpoints: []string{"a", "a"}, Conversions: big, Value: big},
	}
	for name, run := range models(over) {
		if _, err := run(); !errors.Is(err, cxmetrics.ErrNotFinite) {
			t.Errorf("credit 2e308, %s: error %v, want ErrNotFinite", name, err)
		}
	}
}

// TestMarkovNegligibleWeight: a path whose weight underflows when the chain's weights
// are scaled to a total near 1 adds nothing, rather than a state with no way out (0/0).
func TestMarkovNegligibleWeight(t *testing.T) {
	paths := []Path{
		{Touchpoints: []string{"a", "c"}, Conversions: 1e300, Nulls: 1e300},
		{Touchpoints: []string{"c"}, Conversions: 1e300},
		{Touchpoints: []string{"b"}, Conversions: 5e-324, Value: 1},
	}
	for order := 1; order <= MaxMarkovOrder; order++ {
		res, err := Markov(paths, order)
		if err != nil {
			t.Fatalf("order %d: %v", order, err)
		}
		if !scalar.EqualWithinAbs(res.ConversionProbability, 2.0/3, 1e-15) {
			t.Errorf("order %d: P = %v, want 2/3", order, res.ConversionProbability)
		}
		for ch, e := range res.RemovalEffects {
			if !stats.Finite(e) {
				t.Errorf("order %d: removal effect of %s = %v", order, ch, e)
			}
		}
		if e := res.RemovalEffects["b"]; e != 0 {
			t.Errorf("order %d: removal effect of b = %v, want 0", order, e)
		}
		checkSums(t, "markov", res.Result, paths)
	}
}

// TestMarkovSolverErrors: a Gauss-Seidel solve that runs out of sweeps on a chain too
// large for LU reports ErrNotConverged.
func TestMarkovSolverErrors(t *testing.T) {
	tp := make([]string, fallbackStates+1)
	for i := range tp {
		tp[i] = string(rune(0x4e00 + i))
	}
	c, err := compile([]Path{{Touchpoints: tp, Conversions: 1, Nulls: 1}})
	if err != nil {
		t.Fatal(err)
	}
	ch := buildChain(c, 1)
	ch.sweeps = 1
	x := make([]float64, ch.n)
	if err := ch.solveIterative(x, make([]bool, ch.n), 0); !errors.Is(err, cxmetrics.ErrNotConverged) {
		t.Errorf("error %v, want ErrNotConverged", err)
	}
}

func TestMarkovOrderBound(t *testing.T) {
	for _, tc := range []struct {
		order int
		want  error
	}{
		{MaxMarkovOrder + 1, cxmetrics.ErrTooLarge},
		{math.MaxInt, cxmetrics.ErrTooLarge},
		{0, cxmetrics.ErrOutOfRange},
		{math.MinInt, cxmetrics.ErrOutOfRange},
	} {
		var ie *cxmetrics.InputError
		if _, err := Markov(handPaths, tc.order); !errors.Is(err, tc.want) || !errors.As(err, &ie) || ie.Index != -1 {
			t.Errorf("order %d: error %v, want %v", tc.order, err, tc.want)
		}
	}
}

// TestPathsFromEventsHostile: events that every other reader rejects, values whose sums
// overflow, and times beyond the range of time.Duration.
func TestPathsFromEventsHostile(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	visit := func(user, channel string, h int) journey.Event {
		return journey.Event{User: user, Name: "visit", Channel: channel, Time: t0.Add(time.Duration(h) * time.Hour)}
	}
	buy := func(user string, h int, v float64) journey.Event {
		return journey.Event{User: user, Name: "buy", Time: t0.Add(time.Duration(h) * time.Hour), Value: v}
	}
	ancient := journey.Event{User: "u", Name: "visit", Channel: "old"} // the zero time, year 1
	for _, tc := range []struct {
		name     string
		events   []journey.Event
		lookback time.Duration
		want     error
		index    int
	}{
		{"empty user on a touchpoint", []journey.Event{visit("u", "a", 0), visit("", "a", 1), buy("", 2, 1)}, 0, cxmetrics.ErrEmpty, 1},
		{"empty user on a conversion", []journey.Event{visit("u", "a", 0), buy("", 2, 1)}, 0, cxmetrics.ErrEmpty, 1},
		{"empty user on an ignored event", []journey.Event{visit("u", "a", 0), {Name: "pageview"}}, 0, cxmetrics.ErrEmpty, 1},
		{"values beyond the range", []journey.Event{visit("u", "a", 0), buy("u", 1, 1e308), visit("v", "a", 0), buy("v", 1, 1e308)}, 0, cxmetrics.ErrNotFinite, 3},
		{"touch before the range of Duration", []journey.Event{ancient, buy("u", 1, 1)}, 0, cxmetrics.ErrOutOfRange, 0},
		{"trailing touch before the range of Duration", []journey.Event{ancient, visit("u", "a", 1)}, time.Hour, cxmetrics.ErrOutOfRange, 0},
	} {
		checkBuildError(t, tc.name, tc.events, "buy", tc.lookback, tc.want, tc.index)
	}

	// Values whose partial sums overflow but whose total does not.
	events := []journey.Event{
		visit("u", "a", 0), buy("u", 1, 1e308),
		visit("v", "a", 0), buy("v", 1, 1e308),
		visit("w", "a", 0), buy("w", 1, -1e308),
	}
	paths, err := PathsFromEvents(events, "buy", 0)
	if err != nil || len(paths) != 1 || paths[0].Value != 1e308 || paths[0].Conversions != 3 {
		t.Errorf("cancelling values: %+v, %v", paths, err)
	}

	// A touch too old to have a Duration is outside any lookback window.
	paths, err = PathsFromEvents([]journey.Event{ancient, buy("u", 1, 1)}, "buy", time.Hour)
	if err != nil || len(paths) != 1 || paths[0].Touchpoints[0] != Direct {
		t.Errorf("ancient touch, lookback 1h: %+v, %v", paths, err)
	}
}

// TestTimeDecayExtremeHalfLife: the shortest and longest half-lives, with touches as far
// apart as time.Duration allows, share the credit without underflow or NaN.
func TestTimeDecayExtremeHalfLife(t *testing.T) {
	paths := []TimedPath{{Touches: []Touch{{"a", math.MaxInt64}, {"b", 0}, {"c", math.MaxInt64}}, Conversions: 3, Value: 3}}
	for _, tc := range []struct {
		halfLife time.Duration
		want     want
	}{
		{1, want{"a": {0, 0}, "b": {3, 3}, "c": {0, 0}}},
		{math.MaxInt64, want{"a": {0.75, 0.75}, "b": {1.5, 1.5}, "c": {0.75, 0.75}}}, // one half-life apart
	} {
		res, err := TimeDecay(paths, tc.halfLife)
		if err != nil {
			t.Fatal(err)
		}
		checkCreditsTotal(t, "half-life "+tc.halfLife.String(), res, tc.want, 3, 3)
	}
}

// TestTooManyTouchpoints: more touchpoints than 32-bit ids can number are an error
// before any work (the paths share one slice, so the test allocates little).
func TestTooManyTouchpoints(t *testing.T) {
	tp := make([]string, 1<<20)
	touches := make([]Touch, 1<<20)
	for i := range tp {
		tp[i] = "a"
		touches[i] = Touch{Channel: "a"}
	}
	paths := make([]Path, MaxTouchpoints/len(tp)+1)
	timed := make([]TimedPath, len(paths))
	for i := range paths {
		paths[i] = Path{Touchpoints: tp, Conversions: 1}
		timed[i] = TimedPath{Touches: touches, Conversions: 1}
	}
	if _, err := FirstTouch(paths[:2]); err != nil {
		t.Fatal(err)
	}
	for name, run := range map[string]func() error{
		"first touch": func() error { _, err := FirstTouch(paths); return err },
		"markov":      func() error { _, err := Markov(paths, 1); return err },
		"shapley":     func() error { _, err := Shapley(paths); return err },
		"time decay":  func() error { _, err := TimeDecay(timed, 0); return err },
	} {
		var ie *cxmetrics.InputError
		if err := run(); !errors.Is(err, cxmetrics.ErrTooLarge) || !errors.As(err, &ie) {
			t.Errorf("%s: error %v, want an InputError wrapping ErrTooLarge", name, err)
		}
	}
}
