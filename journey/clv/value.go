package clv

import (
	"fmt"
	"math"

	"github.com/cxmetrics/cxmetrics"
)

// LifetimeValue returns the discounted expected spend of customer c over the next
// periods periods of length periodLength (Fader, Hardie & Lee 2005, "RFM and CLV"):
//
//	CLV = Σ_{i=1}^{periods} (E[Y(i·L) | c] - E[Y((i-1)·L) | c]) · E[Z | c] / (1 + d)^i
//
// where E[Y(t) | c] is [BGNBD.ConditionalExpectedPurchases], E[Z | c] is
// [GammaGamma.ExpectedSpend], L = periodLength and d = discount, the discount rate per
// period. Purchases in period i are discounted as if they all happened at its end.
//
// periodLength is in the time unit of the customers the BG/NBD model was fitted to: with
// customers summarized in weeks, periodLength 4.345 is a month of 30.4 days and discount
// is then a monthly rate (an annual rate of 10% is (1.1)^(1/12) - 1 per month). Nothing
// here assumes a unit. The result is in the currency of the spend the Gamma-Gamma model
// was fitted to; multiply by a margin for profit.
//
// It returns 0 for periods = 0 and an error for periods < 0, a periodLength that is not
// positive and finite, a discount that is negative or not finite, and whatever
// ConditionalExpectedPurchases and ExpectedSpend return for c.
func LifetimeValue(b BGNBD, g GammaGamma, c Customer, periods int, periodLength, discount float64) (float64, error) {
	switch {
	case periods < 0:
		return 0, &cxmetrics.InputError{Pkg: "clv", What: "periods", Index: -1, Value: periods, Err: cxmetrics.ErrOutOfRange, Detail: "(must not be negative)"}
	case math.IsNaN(periodLength) || math.IsInf(periodLength, 0):
		return 0, &cxmetrics.InputError{Pkg: "clv", What: "period length", Index: -1, Value: periodLength, Err: cxmetrics.ErrNotFinite}
	case periodLength <= 0:
		return 0, &cxmetrics.InputError{Pkg: "clv", What: "period length", Index: -1, Value: periodLength, Err: cxmetrics.ErrOutOfRange, Detail: "(must be positive)"}
	case math.IsNaN(discount) || math.IsInf(discount, 0):
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
	alive := b.probabilityAlive(c)
	var value, prev float64
	factor := 1.0
	for i := 1; i <= periods; i++ {
		t := float64(i) * periodLength
		if math.IsInf(t, 0) {
			return 0, &cxmetrics.InputError{Pkg: "clv", What: "horizon", Index: -1, Value: t, Err: cxmetrics.ErrNotFinite}
		}
		e, err := expectedNew(b.R+c.Frequency, b.Alpha+c.T, b.A, b.B+c.Frequency, t)
		if err != nil {
			return 0, err
		}
		factor /= 1 + discount
		value += alive * (e - prev) * spend * factor
		prev = e
	}
	if math.IsNaN(value) || math.IsInf(value, 0) {
		return 0, fmt.Errorf("clv: lifetime value overflows: %w", cxmetrics.ErrNotFinite)
	}
	return math.Max(0, value), nil
}
