package clv

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// GammaGamma is a fitted Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and
// CLV: Using Iso-Value Curves for Customer Base Analysis"; Fader & Hardie 2013, "The
// Gamma-Gamma Model of Monetary Value"): each transaction of a customer is worth
// z ~ Gamma(P, ν), and ν ~ Gamma(Q, Gamma) across customers (shapes P, Q; rates ν,
// Gamma). Gamma is in the currency of the fitted spend.
//
// The model assumes that a customer's spend per transaction does not depend on how often
// they buy. Check that with [SpendFrequencyCorrelation] before using it: a clear
// correlation means the model's spend predictions are biased for frequent (or rare)
// buyers.
type GammaGamma struct {
	P, Q, Gamma   float64
	LogLikelihood float64 // at the fitted parameters, over the repeat customers
	// StdErr holds the standard errors of P, Q and Gamma, in that order, from the
	// observed information matrix at the fit (see [FitBGNBD]); zero in a model built by
	// hand.
	StdErr [3]float64
}

// FitGammaGamma fits a [GammaGamma] model by maximum likelihood to the customers with at
// least one repeat purchase (x > 0); the others carry no spend information under the
// model and are skipped. The log-likelihood of a customer with x repeat purchases of
// mean value z̄ is (Fader & Hardie 2013)
//
//	ln L = ln Γ(px+q) - ln Γ(px) - ln Γ(q) + q ln γ + (px-1) ln z̄ + px ln x
//	     - (px+q) ln(γ + x z̄)
//
// It is maximized over the logarithms of the parameters with gonum/optimize's BFGS and
// the analytic gradient, as in [FitBGNBD], starting from p = 1, q = 2 and γ = mean z̄ (so
// that the model's mean spend p·γ/(q-1) equals the observed one). Spends are divided by
// their mean before the fit (and γ multiplied back after), so that the currency unit does
// not matter.
//
// It returns an [*cxmetrics.InputError] naming the first bad customer (as for
// [FitBGNBD], and a repeat customer whose MonetaryValue is not positive), an error
// wrapping [cxmetrics.ErrEmpty] when there are no customers, one wrapping
// [cxmetrics.ErrTooFew] when fewer than [MinRepeatCustomers] made a repeat purchase
// (checked before fitting), one wrapping [cxmetrics.ErrSingular] as for [FitBGNBD], one
// wrapping [cxmetrics.ErrNoVariation] when every repeat customer has the same mean spend (the
// likelihood then grows without bound as p and q do), and a [*ConvergenceError] when the
// optimizer does not converge to an interior maximum.
func FitGammaGamma(customers []Customer) (GammaGamma, error) {
	if len(customers) == 0 {
		return GammaGamma{}, fmt.Errorf("clv: no customers: %w", cxmetrics.ErrEmpty)
	}
	d, scale, err := newGGData(customers)
	if err != nil {
		return GammaGamma{}, err
	}
	n := len(d.x)
	sc := scaled{scale: []float64{1, 1, scale}, llOffset: -float64(n) * math.Log(scale)}
	x0 := []float64{0, math.Log(2), 0}
	x, err := fitMaxLikelihood("Gamma-Gamma", x0, d.negLL, n, sc)
	if err != nil {
		return GammaGamma{}, err
	}
	fx := d.negLL(nil, x)
	if err := checkParams("Gamma-Gamma", x, fx, n, sc); err != nil {
		return GammaGamma{}, err
	}
	p := sc.params(x)
	m := GammaGamma{P: p[0], Q: p[1], Gamma: p[2], LogLikelihood: -fx*float64(n) + sc.llOffset}
	cov, err := logCovariance("Gamma-Gamma", d.negLL, x, n)
	if err != nil {
		return GammaGamma{}, err
	}
	if err := stdErrors(m.StdErr[:], p, cov); err != nil {
		return GammaGamma{}, err
	}
	return m, nil
}

// newGGData checks customers and returns the repeat customers' data with spends divided
// by their mean, and that mean. Its errors are those of [FitGammaGamma] before fitting.
func newGGData(customers []Customer) (*ggData, float64, error) {
	d := &ggData{}
	for i, c := range customers {
		if err := checkCustomer(c, i); err != nil {
			return nil, 0, err
		}
		if c.Frequency == 0 {
			continue
		}
		if c.MonetaryValue <= 0 {
			return nil, 0, &cxmetrics.InputError{Pkg: "clv", What: "customer monetary value", Index: i, Value: c.MonetaryValue, Err: cxmetrics.ErrOutOfRange, Detail: "(must be positive for a customer with repeat purchases)"}
		}
		d.x = append(d.x, c.Frequency)
		d.z = append(d.z, c.MonetaryValue)
	}
	if err := checkRepeaters("Gamma-Gamma", customers); err != nil {
		return nil, 0, err
	}
	if slices.Min(d.z) == slices.Max(d.z) {
		return nil, 0, fmt.Errorf("clv: every repeat customer has the same mean spend %v, so the Gamma-Gamma likelihood has no maximum: %w", d.z[0], cxmetrics.ErrNoVariation)
	}
	// Spends are divided by their mean, so gamma is fitted as gamma/scale; the likelihood
	// of the original spends is the scaled one times scale^-n. The logarithms of the
	// scaled spends are taken from the original ones, which a spend far below the mean
	// would lose by underflow.
	scale := meanOf(d.z)
	d.lnZ = make([]float64, len(d.z))
	lnScale := math.Log(scale)
	for i := range d.z {
		d.lnZ[i] = math.Log(d.z[i]) - lnScale
		d.z[i] /= scale
	}
	d.prepare()
	return d, scale, nil
}

// ggData holds the repeat customers and the sums that do not depend on the parameters.
type ggData struct {
	x, z       []float64 // frequency and mean spend of each repeat customer
	lnZ        []float64 // ln z, when it is not to be computed from z
	xs, counts []float64 // distinct frequencies and how many customers have each
	sumX       float64   // Σ x
	sumXLnZX   float64   // Σ x (ln z̄ + ln x)
	sumLnZ     float64   // Σ ln z̄
	lg, dp, dq []float64 // per distinct x, refreshed on every evaluation
}

func (d *ggData) prepare() {
	xs := slices.Clone(d.x)
	slices.Sort(xs)
	d.xs = slices.Compact(xs)
	d.counts = make([]float64, len(d.xs))
	for i, x := range d.x {
		k, _ := slices.BinarySearch(d.xs, x)
		d.counts[k]++
		var lz float64
		if d.lnZ != nil {
			lz = d.lnZ[i]
		} else {
			lz = math.Log(d.z[i])
		}
		d.sumX += x
		d.sumXLnZX += x * (lz + math.Log(x))
		d.sumLnZ += lz
	}
	d.lg, d.dp, d.dq = make([]float64, len(d.xs)), make([]float64, len(d.xs)), make([]float64, len(d.xs))
}

// negLL returns the negative mean log-likelihood at x = (ln p, ln q, ln γ) and, when grad
// is not nil, stores its gradient.
func (d *ggData) negLL(grad, x []float64) float64 {
	for _, v := range x {
		if !(math.Abs(v) <= maxLogParam) {
			for i := range grad {
				grad[i] = 0
			}
			return math.Inf(1)
		}
	}
	p, q, g := math.Exp(x[0]), math.Exp(x[1]), math.Exp(x[2])
	n := float64(len(d.x))
	lgQ, psQ := lgamma(q), mathext.Digamma(q)
	var ll, gp, gq, gg float64
	for k, xv := range d.xs {
		px := p * xv
		psPXQ := mathext.Digamma(px + q)
		d.lg[k] = -lgammaDiff(px, q) - lgQ
		d.dp[k] = xv * (psPXQ - mathext.Digamma(px))
		d.dq[k] = psPXQ - psQ
		c := d.counts[k]
		ll += c * d.lg[k]
		gp += c * d.dp[k]
		gq += c * d.dq[k]
	}
	lnG := x[2]
	ll += n*q*lnG + p*d.sumXLnZX - d.sumLnZ
	gp += d.sumXLnZX
	gq += n * lnG
	gg += n * q / g
	for i, xv := range d.x {
		m := g + xv*d.z[i]
		lm := math.Log(m)
		px := p * xv
		ll -= (px + q) * lm
		gp -= xv * lm
		gq -= lm
		gg -= (px + q) / m
	}
	if grad != nil {
		grad[0] = -gp * p / n
		grad[1] = -gq * q / n
		grad[2] = -gg * g / n
	}
	return -ll / n
}

// ExpectedSpend returns the expected value of a transaction of customer c (Fader, Hardie
// & Lee 2005, "RFM and CLV"): the posterior mean of p/ν given x repeat purchases of mean
// value z̄,
//
//	E[Z | x, z̄] = p (γ + x z̄) / (p x + q - 1)
//
// a weighted mean of the population mean p γ / (q - 1) and the customer's own z̄. For
// x = 0 it is the population mean. It returns an error when q <= 1 and p x + q <= 1 (the
// mean spend is then infinite under the model), for invalid parameters, and for a
// customer that fails the checks of [Customer] or has x > 0 and a MonetaryValue that is
// not positive.
func (m GammaGamma) ExpectedSpend(c Customer) (float64, error) {
	if err := m.check(); err != nil {
		return 0, err
	}
	if err := checkCustomer(c, -1); err != nil {
		return 0, err
	}
	x := c.Frequency
	if x > 0 && c.MonetaryValue <= 0 {
		return 0, &cxmetrics.InputError{Pkg: "clv", What: "customer monetary value", Index: -1, Value: c.MonetaryValue, Err: cxmetrics.ErrOutOfRange, Detail: "(must be positive for a customer with repeat purchases)"}
	}
	den := m.P*x + m.Q - 1
	if !(den > 0) {
		return 0, fmt.Errorf("clv: expected spend is infinite under the Gamma-Gamma model when p·x + q <= 1 (p = %v, q = %v, x = %v): %w", m.P, m.Q, x, cxmetrics.ErrOutOfRange)
	}
	e := m.P * (m.Gamma + x*c.MonetaryValue) / den
	if !stats.Finite(e) {
		// A product or the denominator overflowed: the same in logarithms.
		e = expLarge(m.logExpectedSpend(x, c.MonetaryValue))
	}
	if !stats.Finite(e) {
		return 0, fmt.Errorf("clv: expected spend for %+v and %+v lies beyond the float64 range: %w", m, c, cxmetrics.ErrNotFinite)
	}
	return e, nil
}

func (m GammaGamma) check() error {
	return checkPositive("Gamma-Gamma", param{"p", m.P}, param{"q", m.Q}, param{"gamma", m.Gamma})
}

// logExpectedSpend returns ln E[Z | x, z̄] = ln p + ln(γ + x z̄) - ln(p x + q - 1) for
// p x + q > 1, with every sum taken in logarithms so that nothing overflows.
func (m GammaGamma) logExpectedSpend(x, z float64) float64 {
	lp, lx := math.Log(m.P), math.Log(x)
	num := math.Log(m.Gamma)
	if x > 0 && z > 0 {
		num = logAddExp(num, lx+math.Log(z))
	}
	var den float64
	switch {
	case x == 0:
		den = math.Log(m.Q - 1)
	case m.Q >= 1:
		den = logAddExp(lp+lx, math.Log(m.Q-1))
	default: // p x > 1 - q > 0
		den = lp + lx + math.Log1p(-math.Exp(math.Log(1-m.Q)-lp-lx))
	}
	return lp + num - den
}

// expLarge returns e^l also for l in (709.44, 709.78], where math.Exp returns +Inf on
// amd64 although e^l is below math.MaxFloat64.
func expLarge(l float64) float64 {
	if l > 709 {
		return math.Exp(l-1) * math.E
	}
	return math.Exp(l)
}

// logAddExp returns ln(e^a + e^b) without overflow; -Inf stands for a zero term.
func logAddExp(a, b float64) float64 {
	if a < b {
		a, b = b, a
	}
	if math.IsInf(b, -1) {
		return a
	}
	return a + math.Log1p(math.Exp(b-a))
}

// SpendFrequencyCorrelation returns the Pearson correlation of the number of repeat
// purchases x and the mean spend z̄ over the customers with x > 0, the check that
// Fader & Hardie (2013) recommend before fitting the Gamma-Gamma model, which assumes
// them independent:
//
//	ρ = Σ (x_i - x̄)(z_i - z̄) / sqrt(Σ (x_i - x̄)² · Σ (z_i - z̄)²)
//
// The correlation does not change when x or z is multiplied by a constant; both are
// divided by their largest value first, so that the squares neither overflow nor
// underflow whatever the currency.
//
// A value near 0 supports the model; Fader & Hardie report 0.11 on the CDNOW sample. It
// returns an error wrapping [cxmetrics.ErrEmpty] when no customer has repeat purchases,
// [cxmetrics.ErrTooFew] when one has, and [cxmetrics.ErrNoVariation] when x or z̄ does
// not vary among them.
func SpendFrequencyCorrelation(customers []Customer) (float64, error) {
	var n int
	var maxX, maxZ float64
	for i, c := range customers {
		if err := checkCustomer(c, i); err != nil {
			return 0, err
		}
		if c.Frequency == 0 {
			continue
		}
		n++
		maxX = max(maxX, c.Frequency)
		maxZ = max(maxZ, c.MonetaryValue)
	}
	switch n {
	case 0:
		return 0, fmt.Errorf("clv: spend-frequency correlation: no customer with repeat purchases: %w", cxmetrics.ErrEmpty)
	case 1:
		return 0, fmt.Errorf("clv: spend-frequency correlation needs two customers with repeat purchases, have 1: %w", cxmetrics.ErrTooFew)
	}
	if maxZ == 0 {
		maxZ = 1 // every spend is 0
	}
	var sx, sz stats.Sum
	for _, c := range customers {
		if c.Frequency > 0 {
			sx.Add(c.Frequency / maxX)
			sz.Add(c.MonetaryValue / maxZ)
		}
	}
	mx, mz := sx.Value()/float64(n), sz.Value()/float64(n)
	var sxx, szz, sxz stats.Sum
	for _, c := range customers {
		if c.Frequency == 0 {
			continue
		}
		dx, dz := c.Frequency/maxX-mx, c.MonetaryValue/maxZ-mz
		sxx.Add(dx * dx)
		szz.Add(dz * dz)
		sxz.Add(dx * dz)
	}
	if sxx.Value() == 0 || szz.Value() == 0 {
		return 0, fmt.Errorf("clv: spend-frequency correlation is undefined when frequency or spend does not vary: %w", cxmetrics.ErrNoVariation)
	}
	rho := sxz.Value() / (math.Sqrt(sxx.Value()) * math.Sqrt(szz.Value()))
	return math.Max(-1, math.Min(1, rho)), nil
}

// meanOf returns the mean of v, summed with compensation and scaled first so that it
// does not overflow.
func meanOf(v []float64) float64 {
	var big float64
	for _, x := range v {
		big = math.Max(big, x)
	}
	if big == 0 {
		return 0
	}
	var s stats.Sum
	for _, x := range v {
		s.Add(x / big)
	}
	return s.Value() / float64(len(v)) * big
}
