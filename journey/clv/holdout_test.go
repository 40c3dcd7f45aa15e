package clv

import (
	"errors"
	"testing"
	"time"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/journey"
)

// constPredictor predicts x+1 purchases for a customer with x repeat purchases, so that
// the expected table can be written down by hand.
type constPredictor struct{}

func (constPredictor) ConditionalExpectedPurchases(t float64, c Customer) (float64, error) {
	return c.Frequency + 1, nil
}

func TestHoldout(t *testing.T) {
	day := 24 * time.Hour
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	split, end := t0.Add(28*day), t0.Add(56*day)
	ev := func(user string, d int) journey.Event {
		return journey.Event{User: user, Name: "purchase", Time: t0.Add(time.Duration(d) * day), Value: 10}
	}
	events := []journey.Event{
		ev("a", 0), ev("a", 7), ev("a", 30), ev("a", 30), ev("a", 40), // x = 1, holdout 2 (day 30 once)
		ev("b", 14),                                                  // x = 0, holdout 0
		ev("c", 3), ev("c", 5), ev("c", 9), ev("c", 28), ev("c", 56), // x = 3, holdout 1 (day 56 = end)
		ev("d", 35), // first purchase after the split: left out
	}
	h, err := SplitHoldout(events, split, end, 7*day)
	if err != nil {
		t.Fatal(err)
	}
	wantIDs := []string{"a", "b", "c"}
	wantP := []float64{2, 0, 1}
	wantC := []Customer{{1, 1, 4, 10}, {0, 0, 2, 0}, {3, 25.0 / 7, 25.0 / 7, 10}}
	if len(h.IDs) != 3 || h.Duration != 4 {
		t.Fatalf("%+v", h)
	}
	for i := range wantIDs {
		if h.IDs[i] != wantIDs[i] || h.Purchases[i] != wantP[i] || h.Calibration[i] != wantC[i] {
			t.Errorf("%d: %q %v %+v, want %q %v %+v", i, h.IDs[i], h.Purchases[i], h.Calibration[i], wantIDs[i], wantP[i], wantC[i])
		}
	}
	// Censored at 2: rows x = 0 (b: predicted 1, actual 0), 1 (a: 2, 2), >= 2 (c: 4, 1).
	cmp, err := CompareHoldout(constPredictor{}, h, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []HoldoutRow{{0, 1, 1, 0}, {1, 1, 2, 2}, {2, 1, 4, 1}}
	for i, r := range want {
		if cmp.Rows[i] != r {
			t.Errorf("row %d: %+v, want %+v", i, cmp.Rows[i], r)
		}
	}
	// MAE (1 + 0 + 3)/3, totals 7 and 3.
	if !scalar.EqualWithinRel(cmp.MAE, 4.0/3, 1e-15) || cmp.Predicted != 7 || cmp.Actual != 3 || !scalar.EqualWithinRel(cmp.Ratio, 7.0/3, 1e-15) {
		t.Errorf("%+v", cmp)
	}

	for _, c := range []struct {
		name string
		err  error
		call func() error
	}{
		{"split at end", cxmetrics.ErrOutOfRange, func() error { _, err := SplitHoldout(events, end, end, day); return err }},
		{"after end", cxmetrics.ErrOutOfRange, func() error { _, err := SplitHoldout(append(events, ev("a", 60)), split, end, day); return err }},
		{"nothing before split", cxmetrics.ErrEmpty, func() error { _, err := SplitHoldout([]journey.Event{ev("d", 35)}, split, end, day); return err }},
		{"bad unit", cxmetrics.ErrOutOfRange, func() error { _, err := SplitHoldout(events, split, end, 0); return err }},
		{"negative censor", cxmetrics.ErrOutOfRange, func() error { _, err := CompareHoldout(constPredictor{}, h, -1); return err }},
		{"huge censor", cxmetrics.ErrTooLarge, func() error { _, err := CompareHoldout(constPredictor{}, h, MaxHoldoutFrequency+1); return err }},
		{"empty", cxmetrics.ErrEmpty, func() error { _, err := CompareHoldout(constPredictor{}, Holdout{}, 3); return err }},
		{"mismatch", cxmetrics.ErrLengthMismatch, func() error {
			_, err := CompareHoldout(constPredictor{}, Holdout{Calibration: h.Calibration}, 3)
			return err
		}},
	} {
		if err := c.call(); !errors.Is(err, c.err) {
			t.Errorf("%s: %v, want %v", c.name, err, c.err)
		}
	}
}
