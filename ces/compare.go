package ces

import (
	"fmt"
	"math"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/dist"
)

// Comparison is the difference a - b between two CES means, in rating points.
type Comparison struct {
	Difference float64            `json:"difference"` // a.Mean - b.Mean
	StdErr     float64            `json:"std_err"`    // √(Var(a) + Var(b)), the difference's standard error
	Statistic  float64            `json:"statistic"`  // Welch's t
	DF         float64            `json:"df"`         // Welch-Satterthwaite degrees of freedom, not rounded
	P          float64            `json:"p"`          // two-sided p-value of Welch's t-test
	Interval   cxmetrics.Interval `json:"interval"`   // Difference ± t_DF · StdErr (Method TDist)
}

// Compare tests the difference between the mean ratings of two independent samples,
// a - b, with Welch's unequal-variance t-test (Welch 1947, Biometrika 34; Satterthwaite
// 1946): with V_a = Var(a) and V_b = Var(b) the variances of the two means (see
// Result.Variance) and n_a, n_b their effective sizes,
//
//	t  = (Mean_a - Mean_b) / √(V_a + V_b)
//	df = (V_a + V_b)² / (V_a²/(n_a - 1) + V_b²/(n_b - 1))
//
// with a two-sided p-value from Student's t with df degrees of freedom (fractional, not
// rounded), and the interval Difference ± t_{(1+level)/2, df} · √(V_a + V_b), clipped to
// ±(Max - Min). Unweighted, these are scipy.stats.ttest_ind(a, b, equal_var=False) and R's
// t.test(a, b). Weighted, V is the linearization variance and n the effective n of each
// sample, so that the degrees of freedom reflect what the weights leave of the sample.
//
// Welch's test keeps its level where the pooled-variance t-test does not (unequal
// variances with unequal n); the simulation in the package documentation shows its type
// I error on skewed 7-point distributions with 30 to 500 answers per group.
//
// When neither sample varies (every answer of each has one rating) the standard error is
// 0: the Statistic is then 0, P is 1 if the means are equal and 0 otherwise, DF is the
// limit of the formula as both standard deviations go to 0 together, and the interval is
// the point. A sample with one answer (EffectiveN 1) has no variance: ErrTooFew, as are
// degrees of freedom so few (below about 10⁻³) that the t quantile is infinite. The two
// results must be on the same rating axis (Min, Max and HighIsEasy; the buckets may
// differ), or the error wraps ErrScaleMismatch: compare Normalize values across scales.
// The receivers are validated as for Result.Interval.
func Compare(a, b Result, level float64) (Comparison, error) {
	if err := a.check(); err != nil {
		return Comparison{}, err
	}
	if err := b.check(); err != nil {
		return Comparison{}, err
	}
	if err := dist.CheckLevel(pkg, level); err != nil {
		return Comparison{}, err
	}
	sa, sb := a.Scale, b.Scale
	if sa.Min != sb.Min || sa.Max != sb.Max || sa.HighIsEasy != sb.HighIsEasy {
		return Comparison{}, fmt.Errorf("ces: compare %v with %v: %w", sa, sb, cxmetrics.ErrScaleMismatch)
	}
	na, nb := a.EffectiveN, b.EffectiveN
	if !(na > 1 && nb > 1) {
		return Comparison{}, fmt.Errorf("ces: compare samples of effective sizes %v and %v, want both above 1: %w", na, nb, cxmetrics.ErrTooFew)
	}
	c := welch(a, b)
	lo, hi, err := tBounds(c.Difference, c.StdErr*c.StdErr, c.DF, level)
	if err != nil {
		return Comparison{}, err
	}
	span := float64(sa.Max - sa.Min)
	c.Interval = cxmetrics.Interval{Estimate: c.Difference, Lower: math.Max(-span, lo), Upper: math.Min(span, hi),
		Level: level, Method: cxmetrics.TDist}
	return c, nil
}

// welch returns the difference, its standard error and Welch's test for two valid
// results with effective sizes above 1.
func welch(a, b Result) Comparison {
	na, nb := a.EffectiveN, b.EffectiveN
	va, vb := a.Variance(), b.Variance()
	c := Comparison{Difference: a.Mean - b.Mean, StdErr: math.Sqrt(va + vb)}
	if va+vb > 0 {
		c.DF = (va + vb) * (va + vb) / (va*va/(na-1) + vb*vb/(nb-1))
		c.Statistic = c.Difference / c.StdErr
		c.P = dist.TwoSidedTP(c.Statistic, c.DF)
		return c
	}
	// V = σ²/n with σ → 0 in both samples.
	ia, ib := 1/na, 1/nb
	c.DF = (ia + ib) * (ia + ib) / (ia*ia/(na-1) + ib*ib/(nb-1))
	if c.Difference == 0 {
		c.P = 1
	}
	return c
}
