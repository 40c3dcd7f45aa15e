package nps

import (
	"fmt"
	"math"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/dist"
)

// Comparison is the difference a - b between two NPS results, in score points.
type Comparison struct {
	Difference float64            `json:"difference"` // a.Score - b.Score
	StdErr     float64            `json:"std_err"`    // √(Var(a) + Var(b)), the difference's standard error
	Statistic  float64            `json:"statistic"`  // z of the pooled score test
	DF         float64            `json:"df"`         // 0: the statistic is a z score
	P          float64            `json:"p"`          // two-sided p-value of the pooled test
	Interval   cxmetrics.Interval `json:"interval"`   // MOVER interval from the two Tango intervals
}

// Compare tests the difference between the NPS of two independent samples, a - b.
//
// The test is the score test of equal distributions: under the null hypothesis both
// samples come from one population, whose category shares are estimated from both
// (p̄ = (n_a p_a + n_b p_b)/(n_a + n_b), with effective sizes n), so
//
//	z = (NPS_a - NPS_b) / √(V̄ (1/n_a + 1/n_b)),   V̄ = 100² (p̄₊ + p̄₋ - (p̄₊ - p̄₋)²)
//
// with a two-sided normal p-value: the pooled form of the two-proportion z-test (as
// statsmodels' proportions_ztest). The unpooled Wald z, with each sample's own variance,
// rejects a true null far too often when a small sample is compared with a large one at a
// high NPS (11% at α = 5% for 30 against 300 answers at NPS 85, whose small sample often
// has no detractor); the pooled test stays within 3.9-5.3% across NPS -10 to 85 and 30 to
// 500 answers per group (the table is in the package documentation).
//
// The interval is the MOVER (method of variance estimates recovery) combination of the
// two samples' Tango score intervals [l, u] (Newcombe 1998's method 10, with Tango's
// interval in place of Wilson's):
//
//	L = d - √((NPS_a - l_a)² + (u_b - NPS_b)²),   U = d + √((u_a - NPS_a)² + (NPS_b - l_b)²)
//
// clipped to [-200, 200]; its Method is Tango. Unlike a Wald interval it keeps a positive
// width when a sample has all its answers in one category. The test and the interval are
// different approximations: near the boundary of significance one may exclude 0 while the
// other does not. StdErr is the unpooled standard error of the difference. The receivers
// are validated as for Result.Interval.
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
	c := Comparison{Difference: a.Score - b.Score, StdErr: math.Sqrt(a.Variance() + b.Variance())}
	c.Statistic, c.P = pooledTest(a, b)
	ia, _ := a.Interval(cxmetrics.Tango, level)
	ib, _ := b.Interval(cxmetrics.Tango, level)
	lo := c.Difference - math.Hypot(a.Score-ia.Lower, ib.Upper-b.Score)
	hi := c.Difference + math.Hypot(ia.Upper-a.Score, b.Score-ib.Lower)
	c.Interval = cxmetrics.Interval{Estimate: c.Difference, Lower: math.Max(-200, lo), Upper: math.Min(200, hi),
		Level: level, Method: cxmetrics.Tango}
	return c, nil
}

// pooledTest returns the z statistic and two-sided p-value of the pooled score test of
// Compare. When the pooled variance is zero (both samples entirely in one category) z is 0,
// and p is 1 for equal scores and 0 otherwise.
func pooledTest(a, b Result) (z, p float64) {
	d := a.Score - b.Score
	na, nb := a.EffectiveN, b.EffectiveN
	wa, wb := na/(na+nb), nb/(na+nb)
	pro := wa*a.Promoters + wb*b.Promoters
	det := wa*a.Detractors + wb*b.Detractors
	v := 1e4 * math.Max(0, pro+det-(pro-det)*(pro-det)) * (1/na + 1/nb)
	switch {
	case v > 0:
		z = d / math.Sqrt(v)
		return z, dist.TwoSidedNormalP(z)
	case d == 0:
		return 0, 1
	}
	return 0, 0
}

// MaxSampleSize is the largest sample size SampleSize returns; a margin that needs more is
// an error wrapping cxmetrics.ErrTooLarge.
const MaxSampleSize = 1 << 31

// SampleSize returns the number of answers for which a Wald interval of the NPS has
// half-width margin (in score points) at the given level, when the shares of promoters
// and detractors are as given:
//
//	n = ⌈ z² · 100² · (p₊ + p₋ - (p₊ - p₋)²) / margin² ⌉,  z = z_{(1+level)/2}
//
// This n makes the expected half-width about margin: the half-width of an actual survey
// varies with its observed shares, and is at most margin only about half the time. For a
// survey whose shares are unknown, promoters = detractors = 0.5 is the worst case (unit
// variance 1). Shares must be in [0, 1] with a sum of at most 1, margin in (0, 200]; when
// the variance is zero (all answers expected in one category) one answer suffices and
// SampleSize returns 1. Errors name the argument (Index -1): ErrNotFinite for NaN or
// Inf, ErrOutOfRange for a value outside its range, ErrTooLarge when n would exceed
// MaxSampleSize, ErrInvalidLevel for the level.
func SampleSize(promoters, detractors, margin, level float64) (int, error) {
	z, err := dist.CriticalZ(pkg, level)
	if err != nil {
		return 0, err
	}
	arg := func(what string, v float64, sentinel error, detail string) error {
		return &cxmetrics.InputError{Pkg: pkg, What: what, Index: -1, Value: v, Err: sentinel, Detail: detail}
	}
	for _, v := range [...]struct {
		name string
		x    float64
	}{{"promoters", promoters}, {"detractors", detractors}, {"margin", margin}} {
		if math.IsNaN(v.x) || math.IsInf(v.x, 0) {
			return 0, arg(v.name, v.x, cxmetrics.ErrNotFinite, "")
		}
	}
	switch {
	case promoters < 0 || promoters > 1:
		return 0, arg("promoters", promoters, cxmetrics.ErrOutOfRange, "[0, 1]")
	case detractors < 0 || detractors > 1-promoters:
		return 0, arg("detractors", detractors, cxmetrics.ErrOutOfRange, fmt.Sprintf("[0, 1 - promoters = %g]", 1-promoters))
	case !(margin > 0 && margin <= 200):
		return 0, arg("margin", margin, cxmetrics.ErrOutOfRange, "(0, 200]")
	}
	d := promoters - detractors
	v := math.Max(0, promoters+detractors-d*d)
	if v == 0 {
		return 1, nil
	}
	// z²·10⁴·v/margin² in two steps, so that a tiny margin overflows to +Inf, not NaN.
	n := math.Ceil(z * z * 1e4 * v / margin / margin * (1 - 1e-12))
	if !(n <= MaxSampleSize) {
		return 0, arg("margin", margin, cxmetrics.ErrTooLarge, fmt.Sprintf("(needs more than %d answers)", MaxSampleSize))
	}
	return max(1, int(n)), nil
}
