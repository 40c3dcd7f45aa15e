package nps

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/normal"
	"github.com/cxmetrics/cxmetrics/internal/survey"
	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// UnitVariance returns the variance of one answer's contribution to the NPS on the
// proportion scale (-1..1):
//
//	p₊ + p₋ - (p₊ - p₋)²
//
// the variance of a variable that is +1 for promoters, -1 for detractors and 0 for
// passives. It is the value the R package NPS calls nps.var (counts 1, 2, 3 give 5/9).
func (r Result) UnitVariance() float64 {
	d := r.Promoters - r.Detractors
	return math.Max(0, r.Promoters+r.Detractors-d*d)
}

// Variance returns the sampling variance of Score, in score points squared:
//
//	Var(NPS) = 100² · (p₊ + p₋ - (p₊ - p₋)²) / n_eff
//
// with n_eff the variance-equivalent effective sample size EffectiveN, so that for weighted
// answers it is the linearization variance 100² Σ w_i² (z_i - NPS)² / (Σ w_i)² of the
// package documentation, and for unweighted ones the multinomial variance with n. A Result
// that fails validation (see Interval) has variance 0.
func (r Result) Variance() float64 {
	if r.check() != nil {
		return 0
	}
	return 1e4 * r.UnitVariance() / r.EffectiveN
}

// StdErr returns the standard error of Score, in score points: √Variance. R's NPS package
// (nps.se) reports the same number on the proportion scale, i.e. StdErr/100.
func (r Result) StdErr() float64 { return math.Sqrt(r.Variance()) }

// Interval returns a confidence interval for the NPS at the given level, in score points
// clipped to [-100, 100]. Its Estimate is always Score. The methods are:
//
//   - cxmetrics.Wald: Score ± z·StdErr.
//   - cxmetrics.AdjustedWald: add 3/4 promoter, 3/2 passive and 3/4 detractor to the
//     (effective) counts, then a Wald interval centred on the adjusted NPS with n + 3
//     answers (the pseudo-observations of the R package NPS; compared by Rocks 2016).
//   - cxmetrics.Tango: Tango's (1998) score interval for a difference of paired
//     proportions, NPS = (promoters - detractors)/n; the bounds solve
//     |T(Δ)| = z with T the restricted-MLE score statistic (R: PropCIs::scoreci.mp).
//   - cxmetrics.Bayesian: the equal-tailed credible interval of p₊ - p₋ under the
//     Dirichlet(1 + detractors, 1 + passives, 1 + promoters) posterior of a uniform prior,
//     computed by numerical integration (no random draws), to about 1e-9.
//
// Weighted results use the effective counts n_eff·p. For the bootstrap use
// Result.Bootstrap. Other methods are ErrUnsupportedMethod; a level outside (0, 1), or so
// close to 1 that its critical value is infinite, is ErrInvalidLevel. The receiver is
// validated first: a Result decoded from JSON or built by hand whose counts, shares,
// score, weight or effective n are inconsistent is an error wrapping ErrCorrupt (ErrEmpty
// for no answers), never NaN bounds.
func (r Result) Interval(m cxmetrics.Method, level float64) (cxmetrics.Interval, error) {
	if err := r.check(); err != nil {
		return cxmetrics.Interval{}, err
	}
	z, err := normal.Critical(pkg, level)
	if err != nil {
		return cxmetrics.Interval{}, err
	}
	iv := cxmetrics.Interval{Estimate: r.Score, Level: level, Method: m}
	n := r.EffectiveN
	var lo, hi float64 // on the proportion scale
	switch m {
	case cxmetrics.Wald:
		se := math.Sqrt(r.UnitVariance() / n)
		d := r.Promoters - r.Detractors
		lo, hi = d-z*se, d+z*se
	case cxmetrics.AdjustedWald:
		na := n + 3
		pp := (n*r.Promoters + 0.75) / na
		pd := (n*r.Detractors + 0.75) / na
		d := pp - pd
		se := math.Sqrt(math.Max(0, pp+pd-d*d) / na)
		lo, hi = d-z*se, d+z*se
	case cxmetrics.Tango:
		lo, hi = tango(n*r.Promoters, n*r.Detractors, n, z)
	case cxmetrics.Bayesian:
		post := dirichletDiff{a: n*r.Promoters + 1, b: n*r.Detractors + 1, c: n*r.Passives + 1}
		alpha := 1 - level
		lo, hi = post.quantile(alpha/2), post.quantile(1-alpha/2)
	default:
		return cxmetrics.Interval{}, fmt.Errorf("nps: method %v: %w", m, cxmetrics.ErrUnsupportedMethod)
	}
	iv.Lower = 100 * math.Max(-1, lo)
	iv.Upper = 100 * math.Min(1, hi)
	return iv, nil
}

// tango returns Tango's score interval for Δ = (b - c)/n, where b and c are the
// discordant counts of a paired 2x2 table (here promoters and detractors). For a given Δ
// the restricted MLE of the (0,1) cell probability is
//
//	q = (√(B² - 4AC) - B) / (2A),  A = 2n,  B = -b - c + (2n - b + c)Δ,  C = -cΔ(1 - Δ)
//
// and the score statistic T(Δ) = (b - c - nΔ) / √(n(2q + Δ(1 - Δ))), which decreases in
// Δ. The bounds are the Δ where T = z and T = -z (Tango 1998, Statistics in Medicine 17,
// 891–908; Tango 1999 for the correction of the variance term).
func tango(b, c, n, z float64) (lo, hi float64) {
	t := func(delta float64) float64 { return tangoStatistic(b, c, n, delta) }
	d := (b - c) / n
	// T(lo) = z on [-1, d]; T(hi) = -z on [d, 1]. T(d) = 0.
	if t(-1) <= z {
		lo = -1
	} else {
		lo = bisect(func(x float64) float64 { return t(x) - z }, -1, d)
	}
	if t(1) >= -z {
		hi = 1
	} else {
		hi = bisect(func(x float64) float64 { return t(x) + z }, d, 1)
	}
	return lo, hi
}

// tangoStatistic returns Tango's score statistic T(Δ) of the package documentation for the
// discordant counts b and c of n pairs. At Δ = ±1 the variance under the null is 0: T is
// then ±Inf when the observed difference lies inside, and 0 on the bound.
func tangoStatistic(b, c, n, delta float64) float64 {
	A := 2 * n
	B := -b - c + (2*n-b+c)*delta
	C := -c * delta * (1 - delta)
	q := (math.Sqrt(math.Max(0, B*B-4*A*C)) - B) / (2 * A)
	v := n * (2*q + delta*(1-delta))
	num := b - c - n*delta
	if v <= 0 {
		switch {
		case num > 0:
			return math.Inf(1)
		case num < 0:
			return math.Inf(-1)
		}
		return 0
	}
	return num / math.Sqrt(v)
}

// bisect finds a root of f on [a, b], where f(a) > 0 >= f(b) (f decreasing), to full
// double precision.
func bisect(f func(float64) float64, a, b float64) float64 {
	for range 200 {
		m := a + (b-a)/2
		if m <= a || m >= b {
			break
		}
		if f(m) > 0 {
			a = m
		} else {
			b = m
		}
	}
	return a + (b-a)/2
}

// dirichletDiff is the distribution of D = X - Y for (X, Y, Z) ~ Dirichlet(a, b, c).
// X ~ Beta(a, b + c) and, given X = x, Y/(1 - x) ~ Beta(b, c), so with
// z(x) = (x - d)/(1 - x) and I the regularised incomplete beta function
//
//	P(D <= d) = P(Y >= X - d) = ∫ f_X(x) · (1 - I_{z(x)}(b, c)) dx
//
// where the conditional factor is 1 for z <= 0 (x <= d) and 0 for z >= 1
// (x >= (1 + d)/2). Outside 40 standard deviations of their means both Beta densities
// (all parameters >= 1) are far below double precision, so the factor is 1 or 0 there too:
// the x with z(x) below the bulk of Beta(b, c) contribute F_X(x) exactly, and only the
// overlap of the two bulks is integrated, by Gauss–Legendre quadrature on panels.
type dirichletDiff struct{ a, b, c float64 }

func (p dirichletDiff) cdf(d float64) float64 {
	if d <= -1 {
		return 0
	}
	if d >= 1 {
		return 1
	}
	bx := distuv.Beta{Alpha: p.a, Beta: p.b + p.c}
	xLo, xHi := bulk(p.a, p.b+p.c)
	zLo, zHi := bulk(p.b, p.c)
	// x(z) inverts z(x); it increases with z.
	x := func(z float64) float64 { return (z + d) / (1 + z) }
	lo := math.Max(x(zLo), 0)
	hi := math.Min(x(zHi), 1)
	total := 0.0
	if lo > 0 {
		total = bx.CDF(lo)
	}
	lo, hi = math.Max(lo, xLo), math.Min(hi, xHi)
	if hi <= lo {
		return clamp01(total)
	}
	logNorm := mathext.Lbeta(p.a, p.b+p.c)
	const panels, order = 8, 16
	var xs, ws [order]float64
	width := (hi - lo) / panels
	for k := range panels {
		a, b := lo+float64(k)*width, lo+float64(k+1)*width
		if !(a < b) { // a bulk narrower than a few ulps: nothing left to integrate
			continue
		}
		quad.Legendre{}.FixedLocations(xs[:], ws[:], a, b)
		for j, x := range xs {
			dens := math.Exp((p.a-1)*math.Log(x) + (p.b+p.c-1)*math.Log1p(-x) - logNorm)
			z := (x - d) / (1 - x)
			switch {
			case z <= 0:
				total += ws[j] * dens
			case z < 1:
				total += ws[j] * dens * (1 - mathext.RegIncBeta(p.b, p.c, z))
			}
		}
	}
	return clamp01(total)
}

// bulk returns the interval of mean ± 40 standard deviations of Beta(a, b), within [0, 1].
func bulk(a, b float64) (lo, hi float64) {
	m := a / (a + b)
	sd := math.Sqrt(m * (1 - m) / (a + b + 1))
	return math.Max(0, m-40*sd), math.Min(1, m+40*sd)
}

// maxQuadrature is the largest a + b + c for which quantile integrates: beyond it the
// incomplete beta function of such large parameters loses accuracy, and the Cornish-Fisher
// expansion is exact to about 10⁻⁶ of a standard deviation.
const maxQuadrature = 1e6

// quantile inverts cdf by the Illinois variant of regula falsi, on a bracket around the
// normal approximation of D that is widened until it holds the quantile. For a + b + c
// above maxQuadrature it returns the Cornish-Fisher expansion with the skewness instead,
//
//	D_q ≈ μ + σ (z + γ (z² - 1)/6),
//
// whose error is of the order of σ/(a + b + c). With d_i = c_i - μ for the coefficients
// c = (1, -1, 0) of D = X - Y and α₀ = a + b + c, the Dirichlet's central moments are
// σ² = Σ d_i² α_i / (α₀(α₀+1)) and κ₃ = 2 Σ d_i³ α_i / (α₀(α₀+1)(α₀+2)) (from the cumulants
// of the gamma variables whose normalised vector is the Dirichlet), and γ = κ₃/σ³.
func (p dirichletDiff) quantile(q float64) float64 {
	s := p.a + p.b + p.c
	if s > maxQuadrature {
		mu := (p.a - p.b) / s
		da, db, dc := 1-mu, -1-mu, -mu
		v := (da*da*p.a + db*db*p.b + dc*dc*p.c) / s / (s + 1)
		k3 := 2 * (da*da*da*p.a + db*db*db*p.b + dc*dc*dc*p.c) / s / (s + 1) / (s + 2)
		sd := math.Sqrt(v)
		z := normal.Quantile(q)
		g := 0.0
		if sd > 0 {
			g = k3 / (sd * sd * sd)
		}
		return mu + sd*(z+g*(z*z-1)/6)
	}
	pa, pb := p.a/s, p.b/s
	mean := pa - pb
	sd := math.Sqrt((pa + pb - mean*mean) / (s + 1))
	f := func(x float64) float64 { return p.cdf(x) - q }
	lo, hi := math.Max(-1, mean-8*sd), math.Min(1, mean+8*sd)
	flo, fhi := f(lo), f(hi)
	for flo > 0 && lo > -1 {
		lo = math.Max(-1, lo-8*sd)
		flo = f(lo)
	}
	for fhi < 0 && hi < 1 {
		hi = math.Min(1, hi+8*sd)
		fhi = f(hi)
	}
	return illinois(f, lo, hi, flo, fhi, 1e-11)
}

// illinois finds a root of f in [a, b], where fa = f(a) and fb = f(b) have opposite signs
// (or one is zero), to an absolute tolerance tol in x: regula falsi with the Illinois
// modification, which halves the retained end's value when the same end is kept twice,
// giving superlinear convergence.
func illinois(f func(float64) float64, a, b, fa, fb, tol float64) float64 {
	if fa == 0 {
		return a
	}
	if fb == 0 || fa*fb > 0 {
		return b
	}
	side := 0
	for range 200 {
		if b-a < tol {
			break
		}
		x := (a*fb - b*fa) / (fb - fa)
		if !(x > a && x < b) {
			x = a + (b-a)/2
		}
		fx := f(x)
		switch {
		case fx == 0:
			return x
		case fx*fb > 0:
			b, fb = x, fx
			if side == -1 {
				fa /= 2
			}
			side = -1
		default:
			a, fa = x, fx
			if side == 1 {
				fb /= 2
			}
			side = 1
		}
	}
	return a + (b-a)/2
}

// Bootstrap returns a percentile bootstrap interval for the NPS: it draws resamples of
// round(EffectiveN) answers from the observed category shares (one multinomial draw per
// resample, so the cost is O(resamples), independent of n), and takes the (1-level)/2 and
// (1+level)/2 quantiles (linear interpolation, R's type 7) of the resampled scores.
//
// The result depends only on the state of the caller's rng, which it advances by a fixed
// number of values: the resamples are drawn in a fixed number of chunks, in parallel, each
// from a PCG source seeded from rng. Estimate is Score.
//
// resamples must be in [1, MaxResamples] (ErrOutOfRange below, ErrTooLarge above); a nil
// rng is ErrNilRand; a level outside (0, 1) is ErrInvalidLevel; the receiver is validated
// as for Interval.
func (r Result) Bootstrap(rng *rand.Rand, resamples int, level float64) (cxmetrics.Interval, error) {
	if err := r.check(); err != nil {
		return cxmetrics.Interval{}, err
	}
	lo, hi, err := survey.Bootstrap(pkg, rng, []float64{r.Detractors, r.Passives, r.Promoters}, values, r.EffectiveN, resamples, level)
	if err != nil {
		return cxmetrics.Interval{}, err
	}
	return cxmetrics.Interval{Estimate: r.Score, Lower: 100 * lo, Upper: 100 * hi, Level: level, Method: cxmetrics.Bootstrap}, nil
}

// MaxResamples bounds the resamples of Bootstrap: 2^20, far more than a percentile
// interval needs, with 8 MiB of memory.
const MaxResamples = survey.MaxResamples
