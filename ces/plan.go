package ces

import (
	"fmt"
	"math"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/dist"
	"github.com/cxmetrics/cxmetrics/internal/normal"
	"github.com/cxmetrics/cxmetrics/internal/survey"
	"gonum.org/v1/gonum/stat/distuv"
)

// MaxSampleSize is the largest sample size the planning functions return; a margin or a
// difference that needs more is an error wrapping cxmetrics.ErrTooLarge.
const MaxSampleSize = survey.MaxSampleSize

// checkArg returns an error for a parameter that is not finite (ErrNotFinite) or for which
// ok is false (ErrOutOfRange, with the allowed range in detail).
func checkArg(what string, v float64, ok bool, detail string) error {
	return survey.CheckArg(pkg, what, v, ok, detail)
}

// SampleSize returns the number of answers for which the t interval of the mean (see
// Result.Interval) has half-width at most margin (in rating points) at the given level,
// when the standard deviation of the ratings is sd:
//
//	n = min { n >= 2 : t_{(1+level)/2, n-1} · sd / √n <= margin }
//
// found by bisection on n with the t quantile on n - 1 degrees of freedom (not the normal
// approximation ⌈(z·sd/margin)²⌉, which falls short by a few answers at small n). This n
// gives the margin when the sample's SD equals sd; an actual survey's SD varies, so that
// its half-width is at most margin only about half the time (use [SampleSizeAssured] to
// plan for more). sd is the SD of one rating, from a pilot or an earlier survey
// (Result.SD), at least 0; on a scale of k points it is at most (k - 1)/2. margin must be
// positive; a t interval needs two answers, so n is at least 2 (and 2 when sd is 0).
// Errors name the argument (Index -1): ErrNotFinite for NaN or Inf, ErrOutOfRange for a
// value outside its range, ErrTooLarge when n would exceed MaxSampleSize, ErrInvalidLevel
// for the level.
func SampleSize(sd, margin, level float64) (int, error) {
	z, err := normal.Critical(pkg, level)
	if err != nil {
		return 0, err
	}
	if err := checkArg("sd", sd, sd >= 0, "[0, ∞)"); err != nil {
		return 0, err
	}
	if err := checkArg("margin", margin, margin > 0, "(0, ∞)"); err != nil {
		return 0, err
	}
	q := 0.5 + level/2
	guess := math.Ceil(z * z * (sd / margin) * (sd / margin))
	n, ok := survey.SmallestN(1, int(math.Min(guess, MaxSampleSize)), MaxSampleSize, func(n int) bool {
		return dist.TQuantile(q, float64(n-1))*sd <= margin*math.Sqrt(float64(n))
	})
	if !ok {
		return 0, survey.TooLarge(pkg, "margin", margin, "answers")
	}
	return n, nil
}

// SampleSizeAssured returns the smallest number of answers for which the t interval of
// the mean at the given level has half-width at most margin (rating points) with
// probability at least assurance, for normally distributed ratings with standard deviation
// sd (Beal 1989, "Sample size determination for confidence intervals on the population
// mean and on the difference between two population means", Biometrics 45(3), the
// unconditional probability). The half-width t_{n-1}·s/√n is at most margin when the
// sample SD s is at most margin·√n/t_{n-1}, and (n - 1)s²/sd² follows the chi-square
// distribution with n - 1 degrees of freedom, so
//
//	n = min { n : P( χ²_{n-1} <= (n - 1) · n · margin² / (t²_{(1+level)/2, n-1} · sd²) ) >= assurance }
//
// exactly, with gonum's chi-square distribution. [SampleSize] plans for the half-width at
// s = sd, which an actual survey reaches only about half the time; an assurance of 0.8 or
// 0.9 is the usual choice. n is found by doubling from SampleSize's n and then bisection,
// and is never below it.
//
// Ratings on a short scale are not normal, and the SD of a sample varies with their
// kurtosis κ (Var(s²) ≈ σ⁴(κ - 1)/n against 2σ⁴/n for normal data): less when the answers
// spread over the scale, more when most sit at one end with a thin tail to the other, so
// that the achieved assurance is higher or lower than planned. Simulated on 1-7 ratings
// with margin 0.2 at 95% and assurance 0.8 (10,000 surveys each), uniform ratings (κ 1.75)
// reach the margin in 92% of surveys, and skewed ones with means 5.4 to 6.0 (κ 3.7 to 5.0)
// in 73-77%. assurance must be in (0, 1); the other arguments are as for SampleSize.
func SampleSizeAssured(sd, margin, level, assurance float64) (int, error) {
	if err := checkArg("assurance", assurance, assurance > 0 && assurance < 1, "(0, 1)"); err != nil {
		return 0, err
	}
	n0, err := SampleSize(sd, margin, level)
	if err != nil || sd == 0 {
		return n0, err
	}
	n, ok := survey.SmallestN(1, n0, MaxSampleSize, func(n int) bool {
		return n >= n0 && probHalfWidthWithin(n, sd, margin, level) >= assurance
	})
	if !ok {
		return 0, survey.TooLarge(pkg, "margin", margin, "answers")
	}
	return n, nil
}

// probHalfWidthWithin returns the probability that the t interval at the given level of n
// normal ratings with standard deviation sd > 0 has half-width at most margin:
// P(χ²_{n-1} <= (n - 1)·n·margin²/(t²·sd²)).
func probHalfWidthWithin(n int, sd, margin, level float64) float64 {
	df := float64(n - 1)
	c := margin / (dist.TQuantile(0.5+level/2, df) * sd) // the largest s/sd that fits, over √n
	return distuv.ChiSquared{K: df}.CDF(df * float64(n) * c * c)
}

// tPower returns the power of Compare's two-sided test at level alpha with n >= 2 answers
// per group, for groups whose ratings have standard deviations sdA and sdB (not both 0) and
// means that differ by delta. With equal groups the pooled variance is the mean of the two,
// so the statistic's standard error is √((sdA² + sdB²)/n) as in Welch's, and it follows the
// noncentral t with ν = 2(n - 1) degrees of freedom and noncentrality δ:
//
//	δ = |delta| / √((sdA² + sdB²)/n)
//	power = P(T_{ν,δ} > t_{1-α/2,ν}) + P(T_{ν,δ} < -t_{1-α/2,ν})
func tPower(n int, sdA, sdB, delta, alpha float64) float64 {
	s := math.Max(sdA, sdB) // scaled, so that the squares neither overflow nor vanish together
	va, vb := (sdA/s)*(sdA/s), (sdB/s)*(sdB/s)
	nf := float64(n)
	nu := 2 * (nf - 1)
	ncp := math.Abs(delta/s) / math.Sqrt((va+vb)/nf)
	t := dist.TQuantile(1-alpha/2, nu)
	return 1 - noncentralTCDF(t, nu, ncp) + noncentralTCDF(-t, nu, ncp)
}

// noncentralTCDF returns P(T <= t) for the noncentral t distribution with nu degrees of
// freedom and noncentrality ncp: gonum's (Lenth's algorithm AS 243) up to 4·10⁵ degrees of
// freedom, and above, where that loses accuracy (and gonum's incomplete beta function
// fails), the normal approximation of Abramowitz & Stegun 26.7.10, as R's pt does:
//
//	P(T <= t) ≈ Φ( (t(1 - 1/(4ν)) - δ) / √(1 + t²/(2ν)) )
func noncentralTCDF(t, nu, ncp float64) float64 {
	if nu > 4e5 {
		return normal.CDF((t*(1-1/(4*nu)) - ncp) / math.Sqrt(1+t*t/(2*nu)))
	}
	return distuv.NoncentralT{Nu: nu, Mu: ncp}.CDF(t)
}

// SampleSizeCompare returns the number of answers per group for Compare's test (the
// pooled-variance t-test) at two-sided significance alpha to detect a difference of the
// mean ratings with the given power, when the ratings of the two groups have standard
// deviations sdA and sdB: the smallest n >= 2 whose power, with the noncentral t
// distribution of the statistic, reaches the target,
//
//	ν = 2(n - 1),   δ = |difference| / √((sdA² + sdB²)/n)
//	power(n) = P(T_{ν,δ} > t_{1-α/2,ν}) + P(T_{ν,δ} < -t_{1-α/2,ν})
//
// with T_{ν,δ} the noncentral t with ν degrees of freedom and noncentrality δ (Lenth's
// algorithm AS 243, gonum's, and its normal approximation above 4·10⁵ degrees of freedom, as
// R's pt). With equal groups the pooled variance is the mean of the two, so the standard
// error is that of Welch's statistic whatever the two standard deviations. The power is
// exact for normal ratings with equal standard deviations, and the n is that of R's
// power.t.test(delta = difference, sd = sdA, sig.level = alpha, power = power,
// strict = TRUE), rounded up; with unequal ones the statistic is only approximately
// noncentral t. It is at least the normal-approximation n,
// ⌈(z_{1-α/2} + z_{power})² (sdA² + sdB²)/difference²⌉, and exceeds it by one or two
// answers when that is 20 or more. Standard deviations must be at least 0 (both 0: two
// answers per group tell any difference), difference non-zero (its sign does not matter),
// alpha and power in (0, 1). Errors are as for SampleSize.
func SampleSizeCompare(sdA, sdB, difference, alpha, power float64) (int, error) {
	for _, a := range [...]struct {
		what   string
		v      float64
		ok     bool
		detail string
	}{
		{"sdA", sdA, sdA >= 0, "[0, ∞)"},
		{"sdB", sdB, sdB >= 0, "[0, ∞)"},
		{"difference", difference, difference != 0, "(not 0)"},
		{"alpha", alpha, alpha > 0 && alpha < 1, "(0, 1)"},
		{"power", power, power > 0 && power < 1, "(0, 1)"},
	} {
		if err := checkArg(a.what, a.v, a.ok, a.detail); err != nil {
			return 0, err
		}
	}
	if sdA == 0 && sdB == 0 {
		return 2, nil
	}
	zs := normal.Quantile(1-alpha/2) + normal.Quantile(power)
	s := math.Max(sdA, sdB)
	a, b, d := sdA/s, sdB/s, difference/s
	guess := math.Ceil(zs * zs * ((a*a + b*b) / d) / d)
	n, ok := survey.SmallestN(1, int(math.Min(guess, MaxSampleSize)), MaxSampleSize, func(n int) bool {
		return tPower(n, sdA, sdB, difference, alpha) >= power
	})
	if !ok {
		return 0, survey.TooLarge(pkg, "difference", difference, "answers per group")
	}
	return n, nil
}

// Test tests the mean rating (the CES) against a target, with the one-sample t-test:
//
//	t = (Mean - target) / StdErr,   df = EffectiveN - 1
//
// and a two-sided p-value from Student's t with df degrees of freedom. Unweighted, this is
// R's t.test(x, mu = target): the same statistic, degrees of freedom and p-value, and an
// interval that is t.test's conf.int less the target (clipped as Interval clips). The
// Difference is Mean - target, in rating points, and its interval the t interval of the
// mean shifted by the target. Weighted, StdErr is the linearization standard error and df
// comes from the effective n, as for Interval. The one method is cxmetrics.TDist (others
// are ErrUnsupportedMethod).
//
// When every answer has the same rating (StdErr 0) the Statistic is 0 and P is 1 if Mean
// equals the target and 0 otherwise. One answer is ErrTooFew, as for Interval. A target
// that is NaN or Inf is ErrNotFinite, one outside [Min, Max] ErrOutOfRange; the level and
// the receiver are checked as for Interval.
func (r Result) Test(target float64, m cxmetrics.Method, level float64) (Comparison, error) {
	if err := r.check(); err != nil {
		return Comparison{}, err
	}
	lo, hi := float64(r.Scale.Min), float64(r.Scale.Max)
	if err := checkArg("target", target, target >= lo && target <= hi, fmt.Sprintf("[%d, %d]", r.Scale.Min, r.Scale.Max)); err != nil {
		return Comparison{}, err
	}
	iv, err := r.Interval(m, level)
	if err != nil {
		return Comparison{}, err
	}
	c := Comparison{Difference: r.Mean - target, StdErr: r.StdErr(), DF: r.EffectiveN - 1}
	switch {
	case c.StdErr > 0:
		c.Statistic = c.Difference / c.StdErr
		c.P = dist.TwoSidedTP(c.Statistic, c.DF)
	case c.Difference == 0:
		c.P = 1
	}
	c.Interval = cxmetrics.Interval{Estimate: c.Difference, Lower: iv.Lower - target, Upper: iv.Upper - target, Level: level, Method: m}
	return c, nil
}
