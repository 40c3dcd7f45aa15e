package ces

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/normal"
	"github.com/cxmetrics/cxmetrics/internal/survey"
)

// Variance returns the sampling variance of Mean, in rating points squared:
//
//	Var(CES) = SD² / n_eff
//
// with n_eff the variance-equivalent effective sample size EffectiveN, so that for
// weighted answers it is the linearization variance of R's survey::svymean,
// n/(n-1) · Σ w_i² (r_i - CES)² / (Σ w_i)², and for unweighted ones s²/n. With one answer
// it is 0, as SD is: no variance can be estimated, and Interval and Compare say
// ErrTooFew. A Result that fails validation (see Interval) has variance 0.
func (r Result) Variance() float64 {
	if r.check() != nil {
		return 0
	}
	return r.SD * r.SD / r.EffectiveN
}

// StdErr returns the standard error of Mean, in rating points: √Variance.
func (r Result) StdErr() float64 { return math.Sqrt(r.Variance()) }

// tBounds returns est ± t·√v, t the (1+level)/2 quantile of Student's t with df degrees of
// freedom, for a valid level. df <= 0 is ErrTooFew, and so is a df so close to 0 (below
// about 10⁻³) that the quantile is infinite.
func tBounds(est, v, df, level float64) (lo, hi float64, err error) {
	lo, hi, err = survey.TInterval(pkg, est, v, df, level)
	if errors.Is(err, cxmetrics.ErrInvalidLevel) {
		return 0, 0, fmt.Errorf("ces: t interval with %v degrees of freedom: %w", df, cxmetrics.ErrTooFew)
	}
	return lo, hi, err
}

// Interval returns a confidence interval for the mean (the CES) at the given level, in
// rating points clipped to [Min, Max]. Its Estimate is always Mean. The one method is
//
//   - cxmetrics.TDist: Mean ± t_{n_eff - 1} · StdErr, with t the (1+level)/2 quantile of
//     Student's t with EffectiveN - 1 degrees of freedom (n - 1 unweighted: the textbook
//     one-sample t interval, R's t.test; for weighted answers the effective n of the
//     linearization variance takes the place of n, as svyciprop does for shares).
//
// When every answer has the same rating the interval is that rating. For the bootstrap use
// Result.Bootstrap, for the share of easy answers EasyInterval. One answer (or one with a
// non-zero weight) has no variance to estimate: ErrTooFew, and so has an effective n so
// close to 1 (within about 10⁻³) that the t quantile is infinite. Other methods are
// ErrUnsupportedMethod; a level outside (0, 1), or so close to 1 that its critical value
// is infinite, is ErrInvalidLevel. The receiver is validated first: a Result decoded from
// JSON or built by hand whose counts, distribution, mean, SD, shares, weight or effective
// n are inconsistent is an error wrapping ErrCorrupt (ErrEmpty for no answers), never NaN
// bounds.
func (r Result) Interval(m cxmetrics.Method, level float64) (cxmetrics.Interval, error) {
	if err := r.check(); err != nil {
		return cxmetrics.Interval{}, err
	}
	if err := normal.CheckLevel(pkg, level); err != nil {
		return cxmetrics.Interval{}, err
	}
	if m != cxmetrics.TDist {
		return cxmetrics.Interval{}, fmt.Errorf("ces: method %v (the mean takes TDist): %w", m, cxmetrics.ErrUnsupportedMethod)
	}
	lo, hi, err := tBounds(r.Mean, r.Variance(), r.EffectiveN-1, level)
	if err != nil {
		return cxmetrics.Interval{}, err
	}
	return cxmetrics.Interval{Estimate: r.Mean, Lower: math.Max(float64(r.Scale.Min), lo), Upper: math.Min(float64(r.Scale.Max), hi),
		Level: level, Method: m}, nil
}

// EasyInterval returns a confidence interval for the share of easy answers, in percent
// (0..100, like a CSAT score), at the given level. Its Estimate is 100·Easy. With p the
// share, n the effective n EasyEffectiveN (N unweighted), x = n·p and z the (1+level)/2
// normal quantile, the methods are those of statsmodels' proportion_confint:
//
//	Wald            p ± z √(p(1-p)/n)
//	Wilson          (p + z²/2n ± z √(p(1-p)/n + z²/4n²)) / (1 + z²/n)         (Wilson 1927)
//	AgrestiCoull    p̃ ± z √(p̃(1-p̃)/ñ),  ñ = n + z², p̃ = (x + z²/2)/ñ  (Agresti & Coull 1998)
//	ClopperPearson  Beta quantiles B(α/2; x, n-x+1), B(1-α/2; x+1, n-x)  (Clopper & Pearson 1934)
//	Jeffreys        Beta quantiles of Beta(x+½, n-x+½)       (Brown, Cai & DasGupta 2001)
//
// At x = 0 (no easy answer) and x = n (all easy) every method is defined: Wald collapses
// to the point, the others reach the bound on that side and keep a positive width
// (Jeffreys takes the bound as Brown, Cai & DasGupta recommend; statsmodels stops just
// inside it). Weighted answers use the effective n, as R's survey::svyciprop does. Other
// methods are ErrUnsupportedMethod; the level and the receiver are checked as for
// Interval.
func (r Result) EasyInterval(m cxmetrics.Method, level float64) (cxmetrics.Interval, error) {
	if err := r.check(); err != nil {
		return cxmetrics.Interval{}, err
	}
	lo, hi, err := survey.Proportion(pkg, m, r.Easy, r.EasyEffectiveN, level)
	if err != nil {
		return cxmetrics.Interval{}, err
	}
	return cxmetrics.Interval{Estimate: 100 * r.Easy, Lower: 100 * lo, Upper: 100 * hi, Level: level, Method: m}, nil
}

// Bootstrap returns a percentile bootstrap interval for the mean: it draws resamples of
// round(EffectiveN) answers from the observed distribution (one multinomial draw per
// resample, so the cost is O(resamples), independent of n), and takes the (1-level)/2 and
// (1+level)/2 quantiles (linear interpolation, R's type 7) of the resampled means, in
// rating points.
//
// The result depends only on the state of the caller's rng, which it advances by a fixed
// number of values: the resamples are drawn in a fixed number of chunks, in parallel, each
// from a PCG source seeded from rng. Estimate is Mean. With one answer, or one rating
// only, every resample has the same mean and the interval is that point.
//
// resamples must be in [1, MaxResamples] (ErrOutOfRange below, ErrTooLarge above); a nil
// rng is ErrNilRand; a level outside (0, 1) is ErrInvalidLevel; the receiver is validated
// as for Interval.
func (r Result) Bootstrap(rng *rand.Rand, resamples int, level float64) (cxmetrics.Interval, error) {
	if err := r.check(); err != nil {
		return cxmetrics.Interval{}, err
	}
	k := r.Scale.points()
	lo, hi, err := survey.Bootstrap(pkg, rng, r.Distribution[:k], offsets[:k], r.EffectiveN, resamples, level)
	if err != nil {
		return cxmetrics.Interval{}, err
	}
	base := float64(r.Scale.Min)
	return cxmetrics.Interval{Estimate: r.Mean, Lower: base + lo, Upper: base + hi, Level: level, Method: cxmetrics.Bootstrap}, nil
}

// MaxResamples bounds the resamples of Bootstrap: 2^20, far more than a percentile
// interval needs, with 8 MiB of memory.
const MaxResamples = survey.MaxResamples
