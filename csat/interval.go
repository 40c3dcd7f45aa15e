package csat

import (
	"math"
	"math/rand/v2"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/survey"
)

// UnitVariance returns the variance of one answer's contribution to the satisfied share,
// a variable that is 1 for a satisfied answer and 0 otherwise:
//
//	p(1 - p),  p = Satisfied
func (r Result) UnitVariance() float64 {
	return math.Max(0, r.Satisfied*(1-r.Satisfied))
}

// Variance returns the sampling variance of Score, in score points squared:
//
//	Var(CSAT) = 100² · p(1 - p) / n_eff
//
// with n_eff the variance-equivalent effective sample size EffectiveN, so that for weighted
// answers it is the linearization variance 100² Σ w_i² (z_i - p)² / (Σ w_i)² of the
// package documentation (z_i = 1 for a satisfied answer, else 0), and for unweighted ones
// the binomial variance with n. A Result that fails validation (see Interval) has
// variance 0.
func (r Result) Variance() float64 {
	if r.check() != nil {
		return 0
	}
	return 1e4 * r.UnitVariance() / r.EffectiveN
}

// StdErr returns the standard error of Score, in score points: √Variance.
func (r Result) StdErr() float64 { return math.Sqrt(r.Variance()) }

// Interval returns a confidence interval for the CSAT at the given level, in score points
// clipped to [0, 100]. Its Estimate is always Score. With p = Satisfied, n = EffectiveN,
// x = n·p, z the (1+level)/2 normal quantile and B(a, b; u) the u-quantile of the Beta
// distribution, the methods are those of statsmodels' proportion_confint (named in
// brackets), with which they agree to 1e-11:
//
//   - cxmetrics.Wald ("normal"): p ± z √(p(1-p)/n).
//   - cxmetrics.Wilson ("wilson"): the score interval of Wilson (1927),
//     (p + z²/2n ± z √(p(1-p)/n + z²/4n²)) / (1 + z²/n).
//   - cxmetrics.AgrestiCoull ("agresti_coull"): Wald on p̃ = (x + z²/2)/ñ with ñ = n + z²
//     (Agresti & Coull 1998).
//   - cxmetrics.ClopperPearson ("beta"): [B(x, n-x+1; α/2), B(x+1, n-x; 1-α/2)], the exact
//     interval of Clopper & Pearson (1934), as R's binom.test.
//   - cxmetrics.Jeffreys ("jeffreys"): [B(x+½, n-x+½; α/2), B(x+½, n-x+½; 1-α/2)], the
//     equal-tailed posterior interval under the Jeffreys Beta(½, ½) prior.
//
// At x = 0 (no satisfied answer) and x = n (all satisfied) every method is defined: Wald
// collapses to the point 0 or 100; Wilson, Agresti-Coull and Clopper-Pearson keep a
// positive width with the bound on that side at 0 or 100; Jeffreys takes that bound too
// (Brown, Cai & DasGupta 2001, section 4.1.2), where statsmodels keeps a Beta quantile
// just inside it. Weighted results use the effective counts: x = n_eff·p, not an integer
// in general, which the Beta quantiles accept.
//
// For the bootstrap use Result.Bootstrap. Other methods are ErrUnsupportedMethod; a level
// outside (0, 1), or so close to 1 that its critical value is infinite, is
// ErrInvalidLevel. The receiver is validated first: a Result decoded from JSON or built by
// hand whose counts, shares, score, mean, weight or effective n are inconsistent is an
// error wrapping ErrCorrupt (ErrEmpty for no answers), never NaN bounds.
func (r Result) Interval(m cxmetrics.Method, level float64) (cxmetrics.Interval, error) {
	if err := r.check(); err != nil {
		return cxmetrics.Interval{}, err
	}
	lo, hi, err := survey.Proportion(pkg, m, r.Satisfied, r.EffectiveN, level)
	if err != nil {
		return cxmetrics.Interval{}, err
	}
	return cxmetrics.Interval{Estimate: r.Score, Lower: 100 * lo, Upper: 100 * hi, Level: level, Method: m}, nil
}

// satisfiedValues are the two values of an answer in the bootstrap: 0 when not satisfied,
// 1 when satisfied.
var satisfiedValues = []float64{0, 1}

// Bootstrap returns a percentile bootstrap interval for the CSAT: it draws resamples of
// round(EffectiveN) answers from the observed satisfied share (one binomial draw per
// resample, so the cost is O(resamples), independent of n), and takes the (1-level)/2 and
// (1+level)/2 quantiles (linear interpolation, R's type 7) of the resampled scores.
//
// The result depends only on the state of the caller's rng, which it advances by a fixed
// number of values: the resamples are drawn in a fixed number of chunks, in parallel, each
// from a PCG source seeded from rng. Estimate is Score. With no satisfied answer, or only
// satisfied ones, every resample has the observed score and the interval is a point.
//
// resamples must be in [1, MaxResamples] (ErrOutOfRange below, ErrTooLarge above); a nil
// rng is ErrNilRand; a level outside (0, 1) is ErrInvalidLevel; the receiver is validated
// as for Interval.
func (r Result) Bootstrap(rng *rand.Rand, resamples int, level float64) (cxmetrics.Interval, error) {
	if err := r.check(); err != nil {
		return cxmetrics.Interval{}, err
	}
	lo, hi, err := survey.Bootstrap(pkg, rng, []float64{1 - r.Satisfied, r.Satisfied}, satisfiedValues, r.EffectiveN, resamples, level)
	if err != nil {
		return cxmetrics.Interval{}, err
	}
	return cxmetrics.Interval{Estimate: r.Score, Lower: 100 * lo, Upper: 100 * hi, Level: level, Method: cxmetrics.Bootstrap}, nil
}

// MaxResamples bounds the resamples of Bootstrap: 2^20, far more than a percentile
// interval needs, with 8 MiB of memory.
const MaxResamples = survey.MaxResamples
