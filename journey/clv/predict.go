package clv

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// param is a named parameter of a model.
type param struct {
	name string
	v    float64
}

// checkPositive validates a model's parameters: they must be positive and finite, as the
// fits return them. A model built by hand or decoded may hold anything.
func checkPositive(model string, params ...param) error {
	for _, p := range params {
		if !stats.Finite(p.v) {
			return &cxmetrics.InputError{Pkg: "clv", What: model + " parameter " + p.name, Index: -1, Value: p.v, Err: cxmetrics.ErrNotFinite}
		}
		if p.v <= 0 {
			return &cxmetrics.InputError{Pkg: "clv", What: model + " parameter " + p.name, Index: -1, Value: p.v, Err: cxmetrics.ErrOutOfRange, Detail: "(must be positive)"}
		}
	}
	return nil
}

// check validates the model's parameters.
func (m BGNBD) check() error {
	return checkPositive("BG/NBD", param{"r", m.R}, param{"alpha", m.Alpha}, param{"a", m.A}, param{"b", m.B})
}

func checkHorizon(t float64) error {
	if !stats.Finite(t) {
		return &cxmetrics.InputError{Pkg: "clv", What: "horizon t", Index: -1, Value: t, Err: cxmetrics.ErrNotFinite}
	}
	if t < 0 {
		return &cxmetrics.InputError{Pkg: "clv", What: "horizon t", Index: -1, Value: t, Err: cxmetrics.ErrOutOfRange, Detail: "(must not be negative)"}
	}
	return nil
}

// ExpectedPurchases returns E[X(t)], the expected number of purchases of a new customer
// in a period of length t after their first purchase (Fader, Hardie & Lee 2005):
//
//	E[X(t)] = (a+b-1)/(a-1) · [1 - (α/(α+t))^r · 2F1(r, b; a+b-1; t/(α+t))]
//
// t is in the time unit of the fitted customers. The removable singularities of this
// form at a = 1 and a + b = 1 are avoided: see the package documentation on the
// hypergeometric function.
//
// It returns an error for a negative or non-finite t, invalid model parameters, and in
// the rare case where the value cannot be computed to full precision.
func (m BGNBD) ExpectedPurchases(t float64) (float64, error) {
	if err := m.check(); err != nil {
		return 0, err
	}
	if err := checkHorizon(t); err != nil {
		return 0, err
	}
	return expectedNew(m.R, ratio(t, m.Alpha, 0), m.A, m.B)
}

// ConditionalExpectedPurchases returns E[Y(t) | x, t_x, T], the expected number of
// purchases in the next t time units of a customer with history c (Fader, Hardie & Lee
// 2005, eq. 10):
//
//	E[Y(t) | x, t_x, T] = P(alive | x, t_x, T) · E*[X(t)]
//
// where E*[X(t)] is [BGNBD.ExpectedPurchases] under the posterior parameters
// (r+x, α+T, a, b+x). Written out, this is eq. 10 of the paper:
//
//	(a+b+x-1)/(a-1) · [1 - ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x-1; t/(α+T+t))]
//	  / [1 + [x > 0] · a/(b+x-1) · ((α+T)/(α+t_x))^(r+x)]
func (m BGNBD) ConditionalExpectedPurchases(t float64, c Customer) (float64, error) {
	if err := m.check(); err != nil {
		return 0, err
	}
	if err := checkHorizon(t); err != nil {
		return 0, err
	}
	if err := checkCustomer(c, -1); err != nil {
		return 0, err
	}
	alive := m.probabilityAlive(c)
	e, err := expectedNew(m.R+c.Frequency, ratio(t, m.Alpha, c.T), m.A, m.B+c.Frequency)
	if err != nil {
		return 0, err
	}
	return alive * e, nil
}

// ProbabilityAlive returns P(alive | x, t_x, T), the probability that a customer with
// history c has not dropped out by the end of observation (Fader, Hardie & Lee
// 2008, "Computing P(alive) Using the BG/NBD Model"):
//
//	P(alive) = 1 / (1 + [x > 0] · a/(b+x-1) · ((α+T)/(α+t_x))^(r+x))
//
// computed in logarithms, so it neither overflows nor loses precision. A customer without
// repeat purchases is alive with probability 1 under this model.
func (m BGNBD) ProbabilityAlive(c Customer) (float64, error) {
	if err := m.check(); err != nil {
		return 0, err
	}
	if err := checkCustomer(c, -1); err != nil {
		return 0, err
	}
	return m.probabilityAlive(c), nil
}

func (m BGNBD) probabilityAlive(c Customer) float64 {
	x := c.Frequency
	if x == 0 {
		return 1
	}
	// ln((α+T)/(α+t_x)) = ln(1 + (T-t_x)/(α+t_x)), which neither cancels nor overflows.
	l := math.Log(m.A) - math.Log(m.B+(x-1)) + (m.R+x)*math.Log1p(ratio(c.T-c.Recency, m.Alpha, c.Recency))
	if l > 0 {
		e := math.Exp(-l)
		return e / (1 + e)
	}
	return 1 / (1 + math.Exp(l))
}

// ProbabilityOfPurchases returns P(X(t) = x), the probability that a new customer makes
// exactly x purchases in a period of length t after their first purchase (Fader, Hardie &
// Lee 2005):
//
//	P(X(t) = x) = B(a, b+x)/B(a, b) · Γ(r+x)/(Γ(r) x!) · (α/(α+t))^r · (t/(α+t))^x
//	            + [x > 0] · B(a+1, b+x-1)/B(a, b)
//	              · [1 - (α/(α+t))^r · Σ_{j=0}^{x-1} Γ(r+j)/(Γ(r) j!) · (t/(α+t))^j]
//
// The bracket is the upper tail of a negative binomial distribution; it is computed as
// the regularized incomplete beta function I_{t/(α+t)}(x, r), which keeps its precision
// where the sum nearly reaches 1.
func (m BGNBD) ProbabilityOfPurchases(t float64, x int) (float64, error) {
	if err := m.check(); err != nil {
		return 0, err
	}
	if err := checkHorizon(t); err != nil {
		return 0, err
	}
	if x < 0 {
		return 0, &cxmetrics.InputError{Pkg: "clv", What: "number of purchases", Index: -1, Value: x, Err: cxmetrics.ErrOutOfRange, Detail: "(must not be negative)"}
	}
	if t == 0 {
		if x == 0 {
			return 1, nil
		}
		return 0, nil
	}
	r, alpha, a, b := m.R, m.Alpha, m.A, m.B
	xf := float64(x)
	lbab := lnBeta(a, b)
	// ln(α/(α+t)) and ln(t/(α+t)) without cancellation or overflow.
	lp := -logRatio1p(t, alpha)
	first := lnBeta(a, b+xf) - lbab - lgammaDiff(r, xf) - lgamma(xf+1) + r*lp
	if x > 0 {
		first -= xf * logRatio1p(alpha, t)
	}
	p := math.Exp(first)
	if x > 0 {
		z := ratio(t, alpha, t)
		tail := 1.0
		if z < 1 {
			tail = mathext.RegIncBeta(xf, r, z)
		}
		p += math.Exp(lnBeta(a+1, b+(xf-1))-lbab) * tail
	}
	if !stats.Finite(p) || p < 0 {
		return 0, fmt.Errorf("clv: P(X(%v) = %d) could not be computed for %+v: %w", t, x, m, cxmetrics.ErrNotFinite)
	}
	return math.Min(p, 1), nil
}
