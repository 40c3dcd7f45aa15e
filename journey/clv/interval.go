package clv

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/normal"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// MaxParameterDraws is the largest number of draws [DrawParameters] makes: ten thousand,
// five times what a 95% percentile interval needs for its tails to be stable to about a
// percent of its width.
const MaxParameterDraws = 10_000

// MaxIntervalWork bounds draws × periods in [ParameterDraws.LifetimeValueInterval]: one
// lifetime value per draw costs at most periods evaluations of E[X(t)], a few
// microseconds each where a series applies and up to about 0.1 ms where quadrature is
// needed, so that a call takes at most about a second in the common case (and two
// minutes at worst). 1000 draws allow 1000 periods.
const MaxIntervalWork = 1 << 20

// maxOffset is the largest Mahalanobis distance, in standard errors, between a model's
// parameters and the maximum of the likelihood of the customers given to
// [DrawParameters]: a model rounded to three or four digits passes, a model fitted to
// other customers does not.
const maxOffset = 0.5

// ParameterDraw is one draw of the parameters of both models.
type ParameterDraw struct {
	BGNBD      BGNBD
	GammaGamma GammaGamma
}

// ParameterDraws holds fitted BG/NBD and Gamma-Gamma models and draws from the
// estimated sampling distribution of their parameters, made by [DrawParameters]. The
// same draws serve every customer, so that intervals of different customers come from
// the same parameter uncertainty.
type ParameterDraws struct {
	BGNBD      BGNBD           // the fitted purchase model the draws are centred on
	GammaGamma GammaGamma      // the fitted spend model the draws are centred on
	Draws      []ParameterDraw // the draws; StdErr is zero in them
}

// DrawParameters draws the parameters of the fitted models b and g from their estimated
// sampling distribution, a parametric bootstrap of the estimates (Efron & Tibshirani
// 1993, ch. 6): on the log scale, where the likelihood is closer to quadratic and every
// draw is positive,
//
//	ln θ* ~ N(ln θ̂, Σ),  Σ = I(ln θ̂)⁻¹
//
// with I the observed information matrix of the log parameters, the Hessian of the
// negative log-likelihood of customers at θ̂ (see the package documentation, Standard
// errors). Σ is recomputed from customers, which must be those the models were fitted to
// ([FitBGNBD] to all of them, [FitGammaGamma] to those with a repeat purchase), since
// the models carry only the diagonal of the covariance matrix in StdErr and the
// parameters are strongly correlated (r and α, a and b, q and γ). The two models' draws
// are independent: their likelihoods are separate factors of the joint likelihood when
// spend does not depend on purchase frequency, which the Gamma-Gamma model assumes.
// Each draw takes seven values from rng.NormFloat64, four for b and then three for g.
//
// The draws describe the uncertainty of the parameters only: see
// [ParameterDraws.LifetimeValueInterval].
//
// It returns an error wrapping [cxmetrics.ErrNilRand] for a nil rng, an
// [*cxmetrics.InputError] for draws outside [1, [MaxParameterDraws]]
// ([cxmetrics.ErrOutOfRange] below, [cxmetrics.ErrTooLarge] above), for invalid model
// parameters and for bad customers (as [FitBGNBD] and [FitGammaGamma]), an error
// wrapping [cxmetrics.ErrEmpty] without customers and [cxmetrics.ErrTooFew] with fewer
// than [MinRepeatCustomers] repeat customers, one wrapping [cxmetrics.ErrOutOfRange] when
// a model's parameters are more than half a standard error (in the metric of Σ) from
// the maximum of the customers' likelihood, which means the model was not fitted to
// these customers, and one wrapping [cxmetrics.ErrSingular] when the information matrix
// is not positive definite.
func DrawParameters(b BGNBD, g GammaGamma, customers []Customer, rng *rand.Rand, draws int) (ParameterDraws, error) {
	switch {
	case rng == nil:
		return ParameterDraws{}, fmt.Errorf("clv: parameter draws: %w", cxmetrics.ErrNilRand)
	case draws < 1:
		return ParameterDraws{}, &cxmetrics.InputError{Pkg: "clv", What: "draws", Index: -1, Value: draws, Err: cxmetrics.ErrOutOfRange, Detail: "(want >= 1)"}
	case draws > MaxParameterDraws:
		return ParameterDraws{}, &cxmetrics.InputError{Pkg: "clv", What: "draws", Index: -1, Value: draws, Err: cxmetrics.ErrTooLarge, Detail: fmt.Sprintf("(at most %d)", MaxParameterDraws)}
	case len(customers) == 0:
		return ParameterDraws{}, fmt.Errorf("clv: no customers: %w", cxmetrics.ErrEmpty)
	}
	if err := b.check(); err != nil {
		return ParameterDraws{}, err
	}
	if err := g.check(); err != nil {
		return ParameterDraws{}, err
	}
	bd, err := newBGData(customers)
	if err != nil {
		return ParameterDraws{}, err
	}
	if err := checkRepeaters("BG/NBD", customers); err != nil {
		return ParameterDraws{}, err
	}
	gd, ggScale, err := newGGData(customers)
	if err != nil {
		return ParameterDraws{}, err
	}
	bgScale := []float64{1, bd.scale, 1, 1}
	bgL, bgX, err := drawFactor("BG/NBD", bd.negLL, []float64{b.R, b.Alpha, b.A, b.B}, bgScale, bd.n)
	if err != nil {
		return ParameterDraws{}, err
	}
	ggScales := []float64{1, 1, ggScale}
	ggL, ggX, err := drawFactor("Gamma-Gamma", gd.negLL, []float64{g.P, g.Q, g.Gamma}, ggScales, len(gd.x))
	if err != nil {
		return ParameterDraws{}, err
	}
	out := ParameterDraws{BGNBD: b, GammaGamma: g, Draws: make([]ParameterDraw, draws)}
	var pb [4]float64
	var pg [3]float64
	for i := range out.Draws {
		drawLogNormal(pb[:], rng, bgL, bgX, bgScale)
		drawLogNormal(pg[:], rng, ggL, ggX, ggScales)
		out.Draws[i] = ParameterDraw{
			BGNBD:      BGNBD{R: pb[0], Alpha: pb[1], A: pb[2], B: pb[3]},
			GammaGamma: GammaGamma{P: pg[0], Q: pg[1], Gamma: pg[2]},
		}
	}
	return out, nil
}

// drawFactor returns the lower Cholesky factor L of the covariance Σ of the log
// parameters of a model with parameters params (the optimizer's parameters times scale)
// under the negative mean log-likelihood f of n observations, and the optimizer's log
// parameters. It rejects parameters whose Newton step to the maximum of f is longer than
// maxOffset in the metric of Σ: with g the gradient of the summed negative
// log-likelihood, the step is about Σ·g, and its squared length gᵀ·Σ·g.
func drawFactor(model string, f objective, params, scale []float64, n int) (*mat.TriDense, []float64, error) {
	x := make([]float64, len(params))
	for i, p := range params {
		x[i] = math.Log(p / scale[i])
		if !(math.Abs(x[i]) <= maxLogParam) {
			return nil, nil, fmt.Errorf("clv: the %s parameters %v are at e^%.3g of the customers' scale, where the likelihood is degenerate: %w", model, params, x[i], cxmetrics.ErrOutOfRange)
		}
	}
	grad := make([]float64, len(x))
	f(grad, x)
	cov, err := logCovariance(model, f, x, n)
	if err != nil {
		if maxAbs(grad) > 10*gradFloor {
			// Not a maximum at all: the likelihood is not curved downwards there.
			return nil, nil, fmt.Errorf("clv: the %s parameters %v are not at a maximum of these customers' likelihood (largest gradient component %.3g): the model was not fitted to them: %w",
				model, params, maxAbs(grad), cxmetrics.ErrOutOfRange)
		}
		return nil, nil, err
	}
	for i := range grad {
		grad[i] *= float64(n)
	}
	gv := mat.NewVecDense(len(grad), grad)
	if d2 := mat.Inner(gv, cov, gv); !(d2 <= maxOffset*maxOffset) {
		return nil, nil, fmt.Errorf("clv: the %s parameters %v lie %.3g standard errors from the maximum of these customers' likelihood (at most %v): the model was not fitted to them: %w",
			model, params, math.Sqrt(d2), maxOffset, cxmetrics.ErrOutOfRange)
	}
	var ch mat.Cholesky
	if !ch.Factorize(cov) {
		return nil, nil, fmt.Errorf("clv: %s: the covariance of the parameters is not positive definite: %w", model, cxmetrics.ErrSingular)
	}
	var l mat.TriDense
	ch.LTo(&l)
	return &l, x, nil
}

// drawLogNormal stores in p one draw of exp(x + L·z)·scale with z standard normal.
func drawLogNormal(p []float64, rng *rand.Rand, l *mat.TriDense, x, scale []float64) {
	var z [4]float64
	for i := range p {
		z[i] = rng.NormFloat64()
	}
	for i := range p {
		v := x[i]
		for j := 0; j <= i; j++ {
			v += l.At(i, j) * z[j]
		}
		p[i] = math.Exp(v) * scale[i]
	}
}

// LifetimeValueInterval returns a percentile interval for the [LifetimeValue] of
// customer c over periods periods of length periodLength at discount rate discount: the
// (1-level)/2 and (1+level)/2 quantiles (linear interpolation, R's type 7) of the
// lifetime values under each draw of the parameters, with Estimate the lifetime value
// under the fitted models and Method [cxmetrics.Bootstrap].
//
// The interval covers the uncertainty of the estimated parameters only: how far the
// expected lifetime value of a customer with c's history could be from the estimate
// because the models were fitted to a finite sample. It does not cover the randomness of
// the customer's own future, the Poisson purchases, the dropout and the spend of each
// transaction, which make the realized value of one customer vary far more (often from
// zero to several times the expectation); it is an interval for an expectation, not a
// prediction interval for one customer's realized spend. A percentile interval need not
// be centred on the estimate: lifetime values are skewed.
//
// A draw under which the customer's expected spend is infinite (p·x + q <= 1) counts as
// an infinite value; when a bound falls on one, the data do not bound the value, and the
// result is an error wrapping [cxmetrics.ErrNotFinite].
//
// It returns the errors of LifetimeValue (for periods, periodLength, discount and c, and
// for the draws' models), an error wrapping [cxmetrics.ErrEmpty] without draws, an
// [*cxmetrics.InputError] wrapping [cxmetrics.ErrTooLarge] for more than
// [MaxParameterDraws] draws or when draws × periods exceeds [MaxIntervalWork], and one
// wrapping [cxmetrics.ErrInvalidLevel] for a level outside (0, 1).
func (d ParameterDraws) LifetimeValueInterval(c Customer, periods int, periodLength, discount, level float64) (cxmetrics.Interval, error) {
	if err := normal.CheckLevel("clv", level); err != nil {
		return cxmetrics.Interval{}, err
	}
	n := len(d.Draws)
	switch {
	case n == 0:
		return cxmetrics.Interval{}, fmt.Errorf("clv: no parameter draws: %w", cxmetrics.ErrEmpty)
	case n > MaxParameterDraws:
		return cxmetrics.Interval{}, &cxmetrics.InputError{Pkg: "clv", What: "draws", Index: -1, Value: n, Err: cxmetrics.ErrTooLarge, Detail: fmt.Sprintf("(at most %d)", MaxParameterDraws)}
	case periods > 0 && n > MaxIntervalWork/periods:
		return cxmetrics.Interval{}, &cxmetrics.InputError{Pkg: "clv", What: "periods", Index: -1, Value: periods, Err: cxmetrics.ErrTooLarge,
			Detail: fmt.Sprintf("(%d draws × %d periods is more than %d)", n, periods, MaxIntervalWork)}
	}
	est, err := LifetimeValue(d.BGNBD, d.GammaGamma, c, periods, periodLength, discount)
	if err != nil {
		return cxmetrics.Interval{}, err
	}
	values := make([]float64, n)
	infinite := 0
	for i, p := range d.Draws {
		if err := p.GammaGamma.check(); err != nil {
			return cxmetrics.Interval{}, fmt.Errorf("clv: parameter draw %d: %w", i, err)
		}
		if !(p.GammaGamma.P*c.Frequency+p.GammaGamma.Q-1 > 0) {
			values[i] = math.Inf(1)
			infinite++
			continue
		}
		v, err := LifetimeValue(p.BGNBD, p.GammaGamma, c, periods, periodLength, discount)
		if err != nil {
			return cxmetrics.Interval{}, fmt.Errorf("clv: parameter draw %d: %w", i, err)
		}
		values[i] = v
	}
	iv := cxmetrics.Interval{Estimate: est, Level: level, Method: cxmetrics.Bootstrap}
	// The quantile at q reads the order statistics up to ceil((n-1)·q); the infinite
	// values are the last ones.
	hi := (1 + level) / 2
	if int(math.Ceil(float64(n-1)*hi)) >= n-infinite {
		return cxmetrics.Interval{}, fmt.Errorf("clv: %d of %d parameter draws make the expected spend of a customer with %v repeat purchases infinite (p·x + q <= 1), so the %v upper bound of the lifetime value is infinite: %w",
			infinite, n, c.Frequency, level, cxmetrics.ErrNotFinite)
	}
	iv.Lower = stats.Quantile(values, (1-level)/2)
	iv.Upper = stats.Quantile(values, hi)
	return iv, nil
}
