package survey

import (
	"fmt"
	"math"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/dist"
	"github.com/cxmetrics/cxmetrics/internal/normal"
)

// Proportion returns a confidence interval for a binomial proportion p observed in n
// (effective) answers, clipped to [0, 1]. With x = n·p, q = 1 - p, z the (1+level)/2 normal
// quantile and B(a, b; u) the u-quantile of the Beta distribution, the methods are those of
// statsmodels' proportion_confint:
//
//	Wald            p ± z √(pq/n)                                              ("normal")
//	Wilson          (p + z²/2n ± z √(pq/n + z²/4n²)) / (1 + z²/n)                 (Wilson 1927)
//	AgrestiCoull    p̃ ± z √(p̃(1-p̃)/ñ),  ñ = n + z², p̃ = (x + z²/2)/ñ       (Agresti & Coull 1998)
//	ClopperPearson  [B(x, n-x+1; α/2), B(x+1, n-x; 1-α/2)]; 0 when x = 0, 1 when x = n  ("beta")
//	Jeffreys        [B(x+½, n-x+½; α/2), B(x+½, n-x+½; 1-α/2)]                       ("jeffreys")
//
// with α = 1 - level. At x = 0 and x = n every method is defined: Wald collapses to the
// point p, Wilson, Agresti-Coull and Clopper-Pearson reach the bound (0 or 1) on that side
// and keep a positive width, and Jeffreys takes the bound too: the lower bound is 0 at
// x = 0 and the upper bound 1 at x = n, the modification of Brown, Cai & DasGupta (2001,
// "Interval Estimation for a Binomial Proportion", Statistical Science 16(2), section
// 4.1.2), so that the interval contains the estimate. (statsmodels keeps the Beta quantile
// there, just inside the bound; elsewhere the bounds are statsmodels' own.) Other methods
// wrap cxmetrics.ErrUnsupportedMethod.
// Above n = 10^10 Clopper-Pearson and Jeffreys return Wilson's bounds: the Beta quantiles
// lose accuracy there, and the three intervals differ by O(1/n), below 10^-10.
func Proportion(pkg string, m cxmetrics.Method, p, n, level float64) (lo, hi float64, err error) {
	z, err := normal.Critical(pkg, level)
	if err != nil {
		return 0, 0, err
	}
	if !(n > 0) || !(p >= 0 && p <= 1) {
		return 0, 0, fmt.Errorf("%s: proportion %v of %v answers: %w", pkg, p, n, cxmetrics.ErrOutOfRange)
	}
	q := 1 - p
	x := n * p
	alpha := 1 - level
	switch m {
	case cxmetrics.Wald, cxmetrics.Wilson, cxmetrics.AgrestiCoull:
	case cxmetrics.ClopperPearson, cxmetrics.Jeffreys:
		if n > maxBetaN {
			return Proportion(pkg, cxmetrics.Wilson, p, n, level)
		}
	default:
		return 0, 0, fmt.Errorf("%s: method %v: %w", pkg, m, cxmetrics.ErrUnsupportedMethod)
	}
	switch m {
	case cxmetrics.Wald:
		d := z * math.Sqrt(p*q/n)
		lo, hi = p-d, p+d
	case cxmetrics.Wilson:
		lo, hi, _ = normal.Wilson(pkg, p, n, z) // n > 0 and p in [0, 1]: checked above
	case cxmetrics.AgrestiCoull:
		nt := n + z*z
		pt := (x + z*z/2) / nt
		d := z * math.Sqrt(pt*(1-pt)/nt)
		lo, hi = pt-d, pt+d
	case cxmetrics.ClopperPearson:
		lo, hi = 0, 1
		if x > 0 {
			lo = dist.BetaQuantile(alpha/2, x, n-x+1)
		}
		if x < n {
			hi = dist.BetaQuantile(1-alpha/2, x+1, n-x)
		}
	case cxmetrics.Jeffreys:
		lo, hi = 0, 1
		if x > 0 {
			lo = dist.BetaQuantile(alpha/2, x+0.5, n-x+0.5)
		}
		if x < n {
			hi = dist.BetaQuantile(1-alpha/2, x+0.5, n-x+0.5)
		}
	}
	// The bounds at x = 0 and x = n are exact, not rounded.
	if x == 0 {
		lo = 0
	}
	if x == n {
		hi = 1
	}
	lo, hi = math.Max(0, lo), math.Min(1, hi)
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return 0, 0, fmt.Errorf("%s: %v interval of proportion %v with n %v: %w", pkg, m, p, n, cxmetrics.ErrNotFinite)
	}
	return lo, hi, nil
}

// maxBetaN is the largest n for which the Beta quantiles are accurate to about 1e-12.
const maxBetaN = 1e10

// TInterval returns mean ± t·√variance with t the (1+level)/2 quantile of Student's t with
// df > 0 degrees of freedom.
func TInterval(pkg string, mean, variance, df, level float64) (lo, hi float64, err error) {
	if !(df > 0) {
		return 0, 0, fmt.Errorf("%s: t interval with %v degrees of freedom: %w", pkg, df, cxmetrics.ErrTooFew)
	}
	t, err := dist.CriticalT(pkg, level, df)
	if err != nil {
		return 0, 0, err
	}
	d := t * math.Sqrt(variance)
	return mean - d, mean + d, nil
}
