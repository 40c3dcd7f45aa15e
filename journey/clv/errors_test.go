package clv

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/journey"
)

func TestFitErrors(t *testing.T) {
	good := []Customer{{2, 5, 10, 3}, {0, 0, 10, 0}, {1, 1, 3, 4}}
	bad := func(i int, c Customer) []Customer {
		cs := append([]Customer(nil), good...)
		cs[i] = c
		return cs
	}
	nan := math.NaN()
	for _, c := range []struct {
		name  string
		cs    []Customer
		err   error
		index int // of the InputError; -2 for none
	}{
		{"empty", nil, cxmetrics.ErrEmpty, -2},
		{"no repeaters", []Customer{{0, 0, 3, 0}, {0, 0, 5, 0}}, cxmetrics.ErrTooFew, -2},
		{"too few repeaters", repeat(MinRepeatCustomers-1, Customer{2, 5, 10, 3}, Customer{0, 0, 4, 0}), cxmetrics.ErrTooFew, -2},
		{"NaN frequency", bad(1, Customer{nan, 0, 1, 0}), cxmetrics.ErrNotFinite, 1},
		{"infinite T", bad(2, Customer{1, 1, math.Inf(1), 1}), cxmetrics.ErrNotFinite, 2},
		{"negative recency", bad(0, Customer{1, -1, 3, 1}), cxmetrics.ErrOutOfRange, 0},
		{"recency above T", bad(2, Customer{2, 30.5, 30, 1}), cxmetrics.ErrOutOfRange, 2},
		{"fractional frequency", bad(1, Customer{1.5, 1, 3, 1}), cxmetrics.ErrOutOfRange, 1},
		{"recency without repeats", bad(1, Customer{0, 1, 3, 0}), cxmetrics.ErrOutOfRange, 1},
		{"negative spend", bad(0, Customer{1, 1, 3, -1}), cxmetrics.ErrOutOfRange, 0},
	} {
		for model, fit := range map[string]func([]Customer) error{
			"BG/NBD":      func(cs []Customer) error { _, err := FitBGNBD(cs); return err },
			"Gamma-Gamma": func(cs []Customer) error { _, err := FitGammaGamma(cs); return err },
		} {
			err := fit(c.cs)
			if !errors.Is(err, c.err) {
				t.Errorf("%s, %s: error %v, want %v", model, c.name, err, c.err)
				continue
			}
			var ie *cxmetrics.InputError
			if c.index >= -1 && (!errors.As(err, &ie) || ie.Index != c.index) {
				t.Errorf("%s, %s: error %v does not name index %d", model, c.name, err, c.index)
			}
		}
	}
	// A repeat customer without spend cannot enter the Gamma-Gamma model.
	_, err := FitGammaGamma([]Customer{{1, 1, 2, 5}, {2, 1, 2, 0}})
	var ie *cxmetrics.InputError
	if !errors.As(err, &ie) || ie.Index != 1 || !errors.Is(err, cxmetrics.ErrOutOfRange) {
		t.Errorf("zero spend: %v", err)
	}
}

// TestFitDegenerate: data that do not identify the model give an error that says so, or
// a finite fit; never NaN.
func TestFitDegenerate(t *testing.T) {
	for _, cs := range [][]Customer{
		repeat(MinRepeatCustomers, Customer{1, 5, 5, 1}),                                        // everyone alive at the end
		append(repeat(MinRepeatCustomers, Customer{3, 1, 100, 1}), Customer{0, 0, 100, 0}),      // one history
		repeat(MinRepeatCustomers, Customer{5, 0, 0, 1}),                                        // all purchases at time 0
		repeat(MinRepeatCustomers, Customer{1e6, 1, 1, 1}, Customer{0, 0, 1e-9, 0}),             // extreme counts and ages
		repeat(MinRepeatCustomers, Customer{2, 1e-300, 1e300, 1}, Customer{1, 1e300, 1e300, 1}), // extreme times
	} {
		m, err := FitBGNBD(cs)
		if err == nil {
			t.Logf("%v: %+v", cs, m)
			for _, v := range []float64{m.R, m.Alpha, m.A, m.B, m.LogLikelihood} {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Errorf("%v: fit %+v not finite", cs, m)
				}
			}
			continue
		}
		t.Logf("%v: %v", cs, err)
		if errors.Is(err, cxmetrics.ErrEmpty) {
			continue
		}
		if errors.Is(err, cxmetrics.ErrSingular) {
			continue
		}
		var ce *ConvergenceError
		if !errors.As(err, &ce) || !errors.Is(err, cxmetrics.ErrNotConverged) {
			t.Errorf("%v: error %v is not a ConvergenceError", cs, err)
		} else if len(ce.Params) != 4 {
			t.Errorf("%v: ConvergenceError without the last parameters: %v", cs, ce)
		}
	}
	// Every repeat customer with the same spend: no spread to estimate p and q from.
	_, err := FitGammaGamma(repeat(MinRepeatCustomers, Customer{1, 1, 2, 5}))
	if !errors.Is(err, cxmetrics.ErrNoVariation) {
		t.Errorf("equal spends: %v", err)
	}
}

// repeat returns n copies of the customers cs, one after the other.
func repeat(n int, cs ...Customer) []Customer {
	var out []Customer
	for range n {
		out = append(out, cs...)
	}
	return out
}

func TestPredictErrors(t *testing.T) {
	m := cdnowModel
	g := GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	c := Customer{Frequency: 2, Recency: 30.43, T: 38.86, MonetaryValue: 22.35}
	for _, tc := range []struct {
		name string
		err  error
		call func() error
	}{
		{"negative t", cxmetrics.ErrOutOfRange, func() error { _, err := m.ExpectedPurchases(-1); return err }},
		{"NaN t", cxmetrics.ErrNotFinite, func() error { _, err := m.ConditionalExpectedPurchases(math.NaN(), c); return err }},
		{"zero r", cxmetrics.ErrOutOfRange, func() error { _, err := (BGNBD{Alpha: 1, A: 1, B: 1}).ExpectedPurchases(1); return err }},
		{"NaN alpha", cxmetrics.ErrNotFinite, func() error { _, err := (BGNBD{R: 1, Alpha: math.NaN(), A: 1, B: 1}).ProbabilityAlive(c); return err }},
		{"bad customer", cxmetrics.ErrOutOfRange, func() error { _, err := m.ProbabilityAlive(Customer{3, 5, 4, 0}); return err }},
		{"negative x", cxmetrics.ErrOutOfRange, func() error { _, err := m.ProbabilityOfPurchases(1, -1); return err }},
		{"negative periods", cxmetrics.ErrOutOfRange, func() error { _, err := LifetimeValue(m, g, c, -1, 1, 0); return err }},
		{"zero period", cxmetrics.ErrOutOfRange, func() error { _, err := LifetimeValue(m, g, c, 3, 0, 0); return err }},
		{"infinite period", cxmetrics.ErrNotFinite, func() error { _, err := LifetimeValue(m, g, c, 3, math.Inf(1), 0); return err }},
		{"negative discount", cxmetrics.ErrOutOfRange, func() error { _, err := LifetimeValue(m, g, c, 3, 1, -0.1); return err }},
		{"bad spend model", cxmetrics.ErrOutOfRange, func() error { _, err := LifetimeValue(m, GammaGamma{P: 1, Q: -1, Gamma: 1}, c, 3, 1, 0); return err }},
		{"one repeater", cxmetrics.ErrTooFew, func() error { _, err := SpendFrequencyCorrelation([]Customer{c, {T: 4}}); return err }},
		{"constant spend", cxmetrics.ErrNoVariation, func() error {
			_, err := SpendFrequencyCorrelation([]Customer{{1, 1, 2, 5}, {2, 1, 2, 5}})
			return err
		}},
	} {
		if err := tc.call(); !errors.Is(err, tc.err) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.err)
		}
	}
}

func TestCustomersFromEvents(t *testing.T) {
	day := 24 * time.Hour
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	end := t0.Add(28 * day)
	ev := func(user string, d float64, v float64) journey.Event {
		return journey.Event{User: user, Name: "purchase", Time: t0.Add(time.Duration(d * float64(day))), Value: v}
	}
	events := []journey.Event{
		ev("b", 7, 10),
		ev("a", 0, 100), // first purchase: not in the mean spend
		ev("a", 14, 20),
		ev("a", 7, 30),
		ev("a", 14, 5), // same instant as the day-14 purchase: one purchase worth 25
		ev("c", 21, 7),
		ev("c", 28, 9), // at the end of observation
	}
	got, ids, err := CustomersFromEvents(events, end, 7*day)
	if err != nil {
		t.Fatal(err)
	}
	want := []Customer{
		{Frequency: 2, Recency: 2, T: 4, MonetaryValue: 27.5},
		{Frequency: 0, Recency: 0, T: 3, MonetaryValue: 0},
		{Frequency: 1, Recency: 1, T: 1, MonetaryValue: 9},
	}
	wantIDs := []string{"a", "b", "c"}
	if len(got) != len(want) || len(ids) != len(wantIDs) {
		t.Fatalf("got %+v, %q, want %+v, %q", got, ids, want, wantIDs)
	}
	for i := range want {
		if got[i] != want[i] || ids[i] != wantIDs[i] {
			t.Errorf("customer %d: got %q %+v, want %q %+v", i, ids[i], got[i], wantIDs[i], want[i])
		}
	}
	// The same log in days scales recency and T by 7.
	days, _, err := CustomersFromEvents(events, end, day)
	if err != nil {
		t.Fatal(err)
	}
	if days[0].Recency != 14 || days[0].T != 28 {
		t.Errorf("in days: %+v", days[0])
	}

	for _, c := range []struct {
		name   string
		events []journey.Event
		unit   time.Duration
		err    error
		index  int
	}{
		{"empty", nil, day, cxmetrics.ErrEmpty, -2},
		{"zero unit", events, 0, cxmetrics.ErrOutOfRange, -1},
		{"after end", []journey.Event{ev("a", 1, 1), ev("a", 29, 1)}, day, cxmetrics.ErrOutOfRange, 1},
		{"no user", []journey.Event{ev("a", 1, 1), ev("", 2, 1)}, day, cxmetrics.ErrEmpty, 1},
		{"NaN value", []journey.Event{ev("a", 1, math.NaN())}, day, cxmetrics.ErrNotFinite, 0},
		{"negative value", []journey.Event{ev("a", 1, 1), ev("a", 2, -3)}, day, cxmetrics.ErrOutOfRange, 1},
		{"too long ago", []journey.Event{ev("a", 1, 1), {User: "b", Time: time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC)}}, day, cxmetrics.ErrOutOfRange, 1},
	} {
		_, _, err := CustomersFromEvents(c.events, end, c.unit)
		if !errors.Is(err, c.err) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.err)
			continue
		}
		var ie *cxmetrics.InputError
		if c.index >= -1 && (!errors.As(err, &ie) || ie.Index != c.index) {
			t.Errorf("%s: error %v does not name index %d", c.name, err, c.index)
		}
	}
}
