package clv

import (
	"fmt"
	"math"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// MaxPeriods is the largest number of periods [LifetimeValue] accepts: ten thousand, 833
// years of months or 27 of days. Each period costs at most one evaluation of E[X(t)],
// which takes up to about 0.1 ms where it needs quadrature, so that a call takes at most
// about a second.
const MaxPeriods = 10_000

// LifetimeValue returns the discounted expected spend of customer c over the next
// periods periods of length periodLength (Fader, Hardie & Lee 2005, "RFM and CLV"):
//
//	CLV = E[Z | c] · Σ_{i=1}^{periods} (E[Y(i·L) | c] - E[Y((i-1)·L) | c]) / (1 + d)^i
//
// where E[Y(t) | c] is [BGNBD.ConditionalExpectedPurchases], E[Z | c] is
// [GammaGamma.ExpectedSpend], L = periodLength and d = discount, the discount rate per
// period. Purchases in period i are discounted as if they all happened at its end.
//
// Without discount the sum telescopes to E[Y(periods·L) | c], which is computed directly.
// With discount the terms are summed until the rest of the sum cannot reach 1e-17 of it:
// the expected purchases per period never increase (a customer's purchase rate only falls
// as they may drop out), so the terms after period i add at most term_i / d. The cost is
// therefore at most min(periods, about 40/d) evaluations of E[Y(t) | c].
//
// periodLength is in the time unit of the customers the BG/NBD model was fitted to: with
// customers summarized in weeks, periodLength 4.345 is a month of 30.4 days and discount
// is then a monthly rate (an annual rate of 10% is (1.1)^(1/12) - 1 per month). Nothing
// here assumes a unit. The result is in the currency of the spend the Gamma-Gamma model
// was fitted to; multiply by a margin for profit.
//
// It returns 0 for periods = 0, and an error for periods < 0 ([cxmetrics.ErrOutOfRange])
// or above [MaxPeriods] ([cxmetrics.ErrTooLarge]), a periodLength that is not positive and
// finite, a discount that is negative or not finite, a horizon i·L beyond the float64
// range, a value beyond it ([cxmetrics.ErrNotFinite]), and whatever the models' methods
// return for their parameters and c.
func LifetimeValue(b BGNBD, g GammaGamma, c Customer, periods int, periodLength, discount float64) (float64, error) {
	switch {
	case periods < 0:
		return 0, &cxmetrics.InputError{Pkg: "clv", What: "periods", Index: -1, Value: periods, Err: cxmetrics.ErrOutOfRange, Detail: "(must not be negative)"}
	case periods > MaxPeriods:
		return 0, &cxmetrics.InputError{Pkg: "clv", What: "periods", Index: -1, Value: periods, Err: cxmetrics.ErrTooLarge, Detail: fmt.Sprintf("(at most %d)", MaxPeriods)}
	case !stats.Finite(periodLength):
		return 0, &cxmetrics.InputError{Pkg: "clv", What: "period length", Index: -1, Value: periodLength, Err: cxmetrics.ErrNotFinite}
	case periodLength <= 0:
		return 0, &cxmetrics.InputError{Pkg: "clv", What: "period length", Index: -1, Value: periodLength, Err: cxmetrics.ErrOutOfRange, Detail: "(must be positive)"}
	case !stats.Finite(discount):
		return 0, &cxmetrics.InputError{Pkg: "clv", What: "discount", Index: -1, Value: discount, Err: cxmetrics.ErrNotFinite}
	case discount < 0:
		return 0, &cxmetrics.InputError{Pkg: "clv", What: "discount", Index: -1, Value: discount, Err: cxmetrics.ErrOutOfRange, Detail: "(must not be negative)"}
	}
	if err := b.check(); err != nil {
		return 0, err
	}
	spend, err := g.ExpectedSpend(c)
	if err != nil {
		return 0, err
	}
	if periods == 0 {
		return 0, nil
	}
	alive := b.probabilityAlive(c)
	// E[Y(t) | c] = alive · expected(t): the expectation of a new customer under the
	// posterior parameters (r+x, α+T, a, b+x).
	expected := func(i int) (float64, error) {
		t := float64(i) * periodLength
		if math.IsInf(t, 0) {
			return 0, &cxmetrics.InputError{Pkg: "clv", What: "horizon", Index: -1, Value: t, Err: cxmetrics.ErrNotFinite, Detail: fmt.Sprintf("(period %d of length %v)", i, periodLength)}
		}
		return expectedNew(b.R+c.Frequency, ratio(t, b.Alpha, c.T), b.A, b.B+c.Frequency)
	}
	var purchases float64 // the discounted expected purchases, without alive
	if discount == 0 {
		if purchases, err = expected(periods); err != nil {
			return 0, err
		}
	} else {
		var sum stats.Sum
		var prev float64
		factor := 1.0
		for i := 1; i <= periods; i++ {
			e, err := expected(i)
			if err != nil {
				return 0, err
			}
			factor /= 1 + discount
			term := (e - prev) * factor
			sum.Add(term)
			prev = e
			// The rest adds at most term/discount. A term that the rounding of E[Y(t)]
			// makes zero or negative bounds nothing, so only a positive one stops the sum.
			if s := sum.Value(); term > 0 && term/discount <= 1e-17*s {
				break
			}
		}
		purchases = sum.Value()
	}
	value := alive * purchases * spend
	if !stats.Finite(value) {
		return 0, fmt.Errorf("clv: lifetime value %v · %v · %v lies beyond the float64 range: %w", alive, purchases, spend, cxmetrics.ErrNotFinite)
	}
	return math.Max(0, value), nil
}
