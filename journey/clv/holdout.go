package clv

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/journey"
)

// Holdout is a transaction log split at a date into a calibration part, summarized as
// the models' input, and the repeat purchases each calibration customer made after it
// (the lifetimes library's calibration_and_holdout_data).
type Holdout struct {
	Calibration []Customer // one per user who bought by the split, as CustomersFromEvents
	IDs         []string   // IDs[i] is Calibration[i]'s user
	Purchases   []float64  // Purchases[i]: distinct purchase times of IDs[i] in (split, end]
	Duration    float64    // (end - split) / unit, the holdout's length
}

// SplitHoldout splits transactions at split: the transactions at or before it become
// the calibration customers, by [CustomersFromEvents] with split as the end of
// observation, and for each of them Purchases counts the distinct purchase times after
// split and at or before end. Users whose first purchase is after split are left out, as
// the models have nothing to predict from for them.
//
// It returns the errors of CustomersFromEvents (a transaction after end is one), an error
// wrapping [cxmetrics.ErrOutOfRange] when split is not before end, and one wrapping
// [cxmetrics.ErrEmpty] when no transaction is at or before split.
func SplitHoldout(transactions []journey.Event, split, end time.Time, unit time.Duration) (Holdout, error) {
	if !split.Before(end) {
		return Holdout{}, &cxmetrics.InputError{Pkg: "clv", What: "split", Index: -1, Value: split.Format(time.RFC3339Nano), Err: cxmetrics.ErrOutOfRange, Detail: "(must be before the end " + end.Format(time.RFC3339Nano) + ")"}
	}
	var cal []journey.Event
	for i, e := range transactions {
		if e.Time.After(end) {
			return Holdout{}, &cxmetrics.InputError{Pkg: "clv", What: "time", Index: i, Value: e.Time.Format(time.RFC3339Nano), Err: cxmetrics.ErrOutOfRange, Detail: "(after the end of observation " + end.Format(time.RFC3339Nano) + ")"}
		}
		if !e.Time.After(split) {
			cal = append(cal, e)
		}
	}
	if len(cal) == 0 {
		return Holdout{}, fmt.Errorf("clv: no transaction at or before the split %s: %w", split.Format(time.RFC3339Nano), cxmetrics.ErrEmpty)
	}
	customers, ids, err := CustomersFromEvents(cal, split, unit)
	if err != nil {
		return Holdout{}, err
	}
	h := Holdout{Calibration: customers, IDs: ids, Purchases: make([]float64, len(ids)), Duration: float64(end.Sub(split)) / float64(unit)}
	// Distinct holdout purchase times per calibration user.
	seen := make(map[string][]time.Time)
	for _, e := range transactions {
		if e.Time.After(split) {
			if _, ok := slices.BinarySearch(ids, e.User); ok {
				seen[e.User] = append(seen[e.User], e.Time)
			}
		}
	}
	for i, id := range ids {
		ts := seen[id]
		slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
		ts = slices.CompactFunc(ts, func(a, b time.Time) bool { return a.Equal(b) })
		h.Purchases[i] = float64(len(ts))
	}
	return h, nil
}

// Predictor is a fitted model of purchase counts: [BGNBD] and [ParetoNBD].
type Predictor interface {
	ConditionalExpectedPurchases(t float64, c Customer) (float64, error)
}

// HoldoutRow is one line of [HoldoutComparison]: the customers with a given number of
// calibration repeat purchases, and their mean predicted and actual holdout purchases.
type HoldoutRow struct {
	Frequency int     // calibration repeat purchases x; the last row holds x >= its value
	Customers int     // how many calibration customers
	Predicted float64 // mean E[Y(duration) | x, t_x, T] over them
	Actual    float64 // mean of their holdout purchases
}

// HoldoutComparison compares a model's predictions with what happened in the holdout:
// the table that lifetimes draws as plot_calibration_purchases_vs_holdout_purchases, and
// summary errors.
type HoldoutComparison struct {
	Rows []HoldoutRow
	// MAE is the mean over customers of |predicted - actual| holdout purchases.
	MAE float64
	// Predicted and Actual are the totals over customers; Ratio = Predicted / Actual
	// (0 when Actual is 0), the aggregate bias: 1 is unbiased.
	Predicted, Actual, Ratio float64
}

// MaxHoldoutFrequency is the largest censoring frequency [CompareHoldout] accepts.
const MaxHoldoutFrequency = 1000

// CompareHoldout predicts each calibration customer's holdout purchases with m (fitted
// to h.Calibration) and groups customers by calibration frequency x = 0, 1, ..., censor,
// the last group holding every x >= censor, as lifetimes'
// plot_calibration_purchases_vs_holdout_purchases does with its censor argument. It
// returns an error for censor outside [0, MaxHoldoutFrequency], for h with no customers
// or lengths that disagree, and what m's predictions return.
func CompareHoldout(m Predictor, h Holdout, censor int) (HoldoutComparison, error) {
	switch {
	case censor < 0:
		return HoldoutComparison{}, &cxmetrics.InputError{Pkg: "clv", What: "censor", Index: -1, Value: censor, Err: cxmetrics.ErrOutOfRange, Detail: "(must not be negative)"}
	case censor > MaxHoldoutFrequency:
		return HoldoutComparison{}, &cxmetrics.InputError{Pkg: "clv", What: "censor", Index: -1, Value: censor, Err: cxmetrics.ErrTooLarge, Detail: fmt.Sprintf("(at most %d)", MaxHoldoutFrequency)}
	case len(h.Calibration) == 0:
		return HoldoutComparison{}, fmt.Errorf("clv: holdout without calibration customers: %w", cxmetrics.ErrEmpty)
	case len(h.Purchases) != len(h.Calibration):
		return HoldoutComparison{}, fmt.Errorf("clv: holdout with %d calibration customers and %d holdout counts: %w", len(h.Calibration), len(h.Purchases), cxmetrics.ErrLengthMismatch)
	}
	rows := make([]HoldoutRow, censor+1)
	for i := range rows {
		rows[i].Frequency = i
	}
	var out HoldoutComparison
	var absErr float64
	for i, c := range h.Calibration {
		e, err := m.ConditionalExpectedPurchases(h.Duration, c)
		if err != nil {
			return HoldoutComparison{}, err
		}
		k := int(math.Min(c.Frequency, float64(censor)))
		rows[k].Customers++
		rows[k].Predicted += e
		rows[k].Actual += h.Purchases[i]
		out.Predicted += e
		out.Actual += h.Purchases[i]
		absErr += math.Abs(e - h.Purchases[i])
	}
	for i := range rows {
		if n := float64(rows[i].Customers); n > 0 {
			rows[i].Predicted /= n
			rows[i].Actual /= n
		}
	}
	out.Rows = rows
	out.MAE = absErr / float64(len(h.Calibration))
	if out.Actual > 0 {
		out.Ratio = out.Predicted / out.Actual
	}
	return out, nil
}
