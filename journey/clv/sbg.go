package clv

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// ShiftedBetaGeometric is a fitted shifted-beta-geometric (sBG) model of contractual
// churn (Fader & Hardie 2007, "How to Project Customer Retention", J. Interactive
// Marketing 21(1), 76–90): at the end of each period a customer still subscribed cancels
// with a probability θ that is constant over time for that customer and Beta(Alpha, Beta)
// across customers. Periods are whatever the caller counts (months, years); nothing
// assumes a length.
type ShiftedBetaGeometric struct {
	Alpha, Beta   float64
	LogLikelihood float64 // at the fitted parameters, over the cohort
	// StdErr holds the standard errors of Alpha and Beta, in that order, from the
	// observed information matrix at the fit (as for [FitBGNBD]); zero in a model built
	// by hand.
	StdErr [2]float64
}

// MinDERLDiscount is the smallest discount rate [ShiftedBetaGeometric.DERL] accepts,
// 1e-4 per period. Its series converges like (1+d)^-k, so it takes up to about
// 40/d terms: at most 400,000, a few milliseconds.
const MinDERLDiscount = 1e-4

// FitShiftedBetaGeometric fits a [ShiftedBetaGeometric] model by maximum likelihood to
// one cohort: active[t] is the number of its customers still subscribed at the start of
// period t, active[0] the cohort size. With n = len(active) - 1 observed periods, the
// active[t-1] - active[t] customers who left in period t contribute P(T = t) each and
// the active[n] still there contribute S(n) (Fader & Hardie 2007, eqs. 1, 2 and 5):
//
//	P(T = t) = B(α+1, β+t-1) / B(α, β)
//	S(t)     = B(α, β+t) / B(α, β)
//	ln L     = Σ_{t=1}^{n} (active[t-1] - active[t]) ln P(T = t) + active[n] ln S(n)
//
// with every beta function in logarithms. It is maximized over ln α and ln β with the
// analytic gradient (digamma functions) as in [FitBGNBD], from α = β = 1; StdErr comes
// from the observed information.
//
// It returns an error wrapping [cxmetrics.ErrTooFew] for fewer than two periods (three
// counts: two parameters need two churn rates), an [*cxmetrics.InputError] for a count
// that is negative, above the one before it ([cxmetrics.ErrOutOfRange]) or a cohort
// of size 0 ([cxmetrics.ErrEmpty]), and a [*ConvergenceError] or an error wrapping
// [cxmetrics.ErrSingular] when the data do not identify the parameters (nobody left, or
// everybody left in the first period).
func FitShiftedBetaGeometric(active []int) (ShiftedBetaGeometric, error) {
	if len(active) < 3 {
		return ShiftedBetaGeometric{}, fmt.Errorf("clv: the shifted-beta-geometric model needs at least 2 periods (3 counts of active customers), have %d counts: %w", len(active), cxmetrics.ErrTooFew)
	}
	for t, a := range active {
		switch {
		case a < 0:
			return ShiftedBetaGeometric{}, &cxmetrics.InputError{Pkg: "clv", What: "active customers", Index: t, Value: a, Err: cxmetrics.ErrOutOfRange, Detail: "(must not be negative)"}
		case t == 0 && a == 0:
			return ShiftedBetaGeometric{}, &cxmetrics.InputError{Pkg: "clv", What: "cohort size", Index: 0, Value: a, Err: cxmetrics.ErrEmpty, Detail: "(active[0] is the cohort size)"}
		case t > 0 && a > active[t-1]:
			return ShiftedBetaGeometric{}, &cxmetrics.InputError{Pkg: "clv", What: "active customers", Index: t, Value: a, Err: cxmetrics.ErrOutOfRange, Detail: fmt.Sprintf("(more than the %d of period %d: a cohort only shrinks)", active[t-1], t-1)}
		}
	}
	d := &sbgData{n: float64(active[0]), lost: make([]float64, len(active)-1), left: float64(active[len(active)-1])}
	for t := 1; t < len(active); t++ {
		d.lost[t-1] = float64(active[t-1] - active[t])
	}
	const model = "shifted-beta-geometric"
	x, err := fitMaxLikelihood(model, []float64{0, 0}, d.negLL, active[0], scaled{scale: []float64{1, 1}})
	if err != nil {
		return ShiftedBetaGeometric{}, err
	}
	fx := d.negLL(nil, x)
	sc := scaled{scale: []float64{1, 1}}
	if err := checkParams(model, x, fx, active[0], sc); err != nil {
		return ShiftedBetaGeometric{}, err
	}
	p := sc.params(x)
	m := ShiftedBetaGeometric{Alpha: p[0], Beta: p[1], LogLikelihood: -fx * d.n}
	cov, err := logCovariance(model, d.negLL, x, active[0])
	if err != nil {
		return ShiftedBetaGeometric{}, err
	}
	if err := stdErrors(m.StdErr[:], p, cov); err != nil {
		return ShiftedBetaGeometric{}, err
	}
	return m, nil
}

// sbgData is one cohort: its size, the customers lost in each period, and those left.
type sbgData struct {
	n, left float64
	lost    []float64
}

// negLL returns the negative mean log-likelihood at x = (ln α, ln β) and, when grad is
// not nil, stores its gradient. With ψ the digamma function,
//
//	∂/∂α ln B(α+1, β+t-1) = ψ(α+1) - ψ(α+β+t),  ∂/∂β = ψ(β+t-1) - ψ(α+β+t)
//	∂/∂α ln B(α, β+t)     = ψ(α) - ψ(α+β+t),    ∂/∂β = ψ(β+t) - ψ(α+β+t)
//	∂/∂α ln B(α, β)       = ψ(α) - ψ(α+β),      ∂/∂β = ψ(β) - ψ(α+β)
func (d *sbgData) negLL(grad, x []float64) float64 {
	for _, v := range x {
		if !(math.Abs(v) <= maxLogParam) {
			for i := range grad {
				grad[i] = 0
			}
			return math.Inf(1)
		}
	}
	a, b := math.Exp(x[0]), math.Exp(x[1])
	lnB0 := lnBeta(a, b)
	psA, psA1, psAB := mathext.Digamma(a), mathext.Digamma(a+1), mathext.Digamma(a+b)
	var ll, ga, gb float64
	for i, c := range d.lost {
		if c == 0 {
			continue
		}
		t := float64(i + 1)
		psABT := mathext.Digamma(a + b + t)
		ll += c * (lnBeta(a+1, b+t-1) - lnB0)
		ga += c * (psA1 - psABT - psA + psAB)
		gb += c * (mathext.Digamma(b+t-1) - psABT - mathext.Digamma(b) + psAB)
	}
	if d.left > 0 {
		t := float64(len(d.lost))
		psABT := mathext.Digamma(a + b + t)
		ll += d.left * (lnBeta(a, b+t) - lnB0)
		ga += d.left * (psA - psABT - psA + psAB)
		gb += d.left * (mathext.Digamma(b+t) - psABT - mathext.Digamma(b) + psAB)
	}
	if grad != nil {
		grad[0] = -ga * a / d.n
		grad[1] = -gb * b / d.n
	}
	return -ll / d.n
}

func (m ShiftedBetaGeometric) check() error {
	return checkPositive("shifted-beta-geometric", param{"alpha", m.Alpha}, param{"beta", m.Beta})
}

// Survival returns S(t), the share of a cohort still subscribed after t periods (Fader &
// Hardie 2007, eq. 2):
//
//	S(t) = B(α, β+t) / B(α, β),  S(0) = 1
//
// computed in logarithms, so it neither overflows nor underflows on the way. It returns
// an error for t < 0 and for invalid parameters.
func (m ShiftedBetaGeometric) Survival(t int) (float64, error) {
	if err := m.check(); err != nil {
		return 0, err
	}
	if t < 0 {
		return 0, &cxmetrics.InputError{Pkg: "clv", What: "period", Index: -1, Value: t, Err: cxmetrics.ErrOutOfRange, Detail: "(must not be negative)"}
	}
	if t == 0 {
		return 1, nil
	}
	return math.Exp(lnBeta(m.Alpha, m.Beta+float64(t)) - lnBeta(m.Alpha, m.Beta)), nil
}

// RetentionRate returns r_t, the share of the customers subscribed in period t-1 who
// renew for period t (Fader & Hardie 2007, eq. 3):
//
//	r_t = S(t) / S(t-1) = (β + t - 1) / (α + β + t - 1),  t >= 1
//
// which rises with t: the customers most likely to cancel leave first. It returns an
// error for t < 1 and for invalid parameters.
func (m ShiftedBetaGeometric) RetentionRate(t int) (float64, error) {
	if err := m.check(); err != nil {
		return 0, err
	}
	if t < 1 {
		return 0, &cxmetrics.InputError{Pkg: "clv", What: "period", Index: -1, Value: t, Err: cxmetrics.ErrOutOfRange, Detail: "(retention is defined from period 1)"}
	}
	u := m.Beta + float64(t-1)
	return u / (m.Alpha + u), nil
}

// DERL returns the discounted expected residual lifetime of a customer who has made
// renewals renewals (is in period renewals+1, just before deciding whether to renew),
// in payments: the expected number of future renewals, the k-th discounted by
// (1+d)^-(k-1) (Fader & Hardie 2010, "Customer-Base Valuation in a Contractual Setting:
// The Perils of Ignoring Heterogeneity", Marketing Science 29(1), 85–93, eq. 6). With
// n = renewals + 1,
//
//	DERL(d | α, β, n-1 renewals) = (β+n-1)/(α+β+n-1) · 2F1(1, β+n; α+β+n; 1/(1+d))
//	                             = Σ_{k≥1} S(n-1+k)/S(n-1) · (1+d)^-(k-1)
//
// Multiplied by the payment per period it is the customer's residual lifetime value. The
// hypergeometric series is summed term by term: its terms are positive and fall at least
// by the factor 1/(1+d), so the sum stops when the rest, at most term/d, is below 1e-17
// of it. It returns an error for renewals < 0, for a discount that is not finite or below
// [MinDERLDiscount] (the series is infinite at d = 0 when α <= 1), and for invalid
// parameters.
func (m ShiftedBetaGeometric) DERL(discount float64, renewals int) (float64, error) {
	if err := m.check(); err != nil {
		return 0, err
	}
	switch {
	case renewals < 0:
		return 0, &cxmetrics.InputError{Pkg: "clv", What: "renewals", Index: -1, Value: renewals, Err: cxmetrics.ErrOutOfRange, Detail: "(must not be negative)"}
	case !stats.Finite(discount):
		return 0, &cxmetrics.InputError{Pkg: "clv", What: "discount", Index: -1, Value: discount, Err: cxmetrics.ErrNotFinite}
	case discount < MinDERLDiscount:
		return 0, &cxmetrics.InputError{Pkg: "clv", What: "discount", Index: -1, Value: discount, Err: cxmetrics.ErrOutOfRange, Detail: fmt.Sprintf("(at least %g per period)", MinDERLDiscount)}
	}
	z := 1 / (1 + discount)
	u := m.Beta + float64(renewals) // β + n - 1
	c := m.Alpha + u                // α + β + n - 1
	term := u / c
	var sum stats.Sum
	for k := 1.0; ; k++ {
		sum.Add(term)
		if term/discount <= 1e-17*sum.Value() || term == 0 {
			break
		}
		term *= z * (u + k) / (c + k)
	}
	return sum.Value(), nil
}
