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
	StdErr     float64            `json:"std_err"`    // √(Var(a) + Var(b))
	Statistic  float64            `json:"statistic"`  // z = Difference / StdErr
	DF         float64            `json:"df"`         // 0: the statistic is a z score
	P          float64            `json:"p"`          // two-sided p-value
	Interval   cxmetrics.Interval `json:"interval"`   // Wald interval, clipped to [-200, 200]
}

// Compare tests the difference between the NPS of two independent samples, a - b, with
// the z-test on the difference of two independent multinomial contrasts:
//
//	z = (NPS_a - NPS_b) / √(Var_a + Var_b),   Var = 100² (p₊ + p₋ - (p₊ - p₋)²) / n_eff
//
// and the Wald interval Difference ± z_{(1+level)/2}·StdErr. When both variances are zero
// (each sample has all its answers in one category) the statistic is reported as 0 rather
// than ±Inf, P is 1 for equal scores and 0 otherwise, and the interval has zero width.
func Compare(a, b Result, level float64) (Comparison, error) {
	if err := checkLevel(level); err != nil {
		return Comparison{}, err
	}
	if a.N <= 0 || b.N <= 0 || a.EffectiveN <= 0 || b.EffectiveN <= 0 {
		return Comparison{}, fmt.Errorf("nps: compare with an empty result: %w", cxmetrics.ErrEmpty)
	}
	c := Comparison{Difference: a.Score - b.Score}
	c.StdErr = math.Sqrt(a.Variance() + b.Variance())
	z, _ := dist.CriticalZ("nps", level)
	switch {
	case c.StdErr > 0:
		c.Statistic = c.Difference / c.StdErr
		c.P = dist.TwoSidedNormalP(c.Statistic)
	case c.Difference == 0:
		c.P = 1
	default:
		c.P = 0
	}
	c.Interval = cxmetrics.Interval{
		Estimate: c.Difference,
		Lower:    math.Max(-200, c.Difference-z*c.StdErr),
		Upper:    math.Min(200, c.Difference+z*c.StdErr),
		Level:    level,
		Method:   cxmetrics.Wald,
	}
	return c, nil
}

// SampleSize returns the number of answers needed for a Wald interval of the NPS to have
// half-width at most margin (in score points) at the given level, when the expected
// shares of promoters and detractors are as given:
//
//	n = ⌈ z² · 100² · (p₊ + p₋ - (p₊ - p₋)²) / margin² ⌉,  z = z_{(1+level)/2}
//
// For a survey whose shares are unknown, promoters = detractors = 0.5 is the worst case
// (unit variance 1). Shares must be in [0, 1] with a sum of at most 1, margin in
// (0, 200]; when the variance is zero (all answers expected in one category) one answer
// suffices and SampleSize returns 1.
func SampleSize(promoters, detractors, margin, level float64) (int, error) {
	if err := checkLevel(level); err != nil {
		return 0, err
	}
	for i, v := range [...]struct {
		name string
		x    float64
	}{{"promoters", promoters}, {"detractors", detractors}, {"margin", margin}} {
		if math.IsNaN(v.x) || math.IsInf(v.x, 0) {
			return 0, &cxmetrics.InputError{Pkg: "nps", What: v.name, Index: i, Value: v.x, Err: cxmetrics.ErrNotFinite}
		}
	}
	if promoters < 0 || promoters > 1 {
		return 0, &cxmetrics.InputError{Pkg: "nps", What: "promoters", Index: 0, Value: promoters, Err: cxmetrics.ErrOutOfRange, Detail: "[0, 1]"}
	}
	if detractors < 0 || detractors > 1-promoters {
		return 0, &cxmetrics.InputError{Pkg: "nps", What: "detractors", Index: 1, Value: detractors, Err: cxmetrics.ErrOutOfRange, Detail: fmt.Sprintf("[0, 1 - promoters = %g]", 1-promoters)}
	}
	if !(margin > 0 && margin <= 200) {
		return 0, &cxmetrics.InputError{Pkg: "nps", What: "margin", Index: 2, Value: margin, Err: cxmetrics.ErrOutOfRange, Detail: "(0, 200]"}
	}
	d := promoters - detractors
	v := math.Max(0, promoters+detractors-d*d)
	z, _ := dist.CriticalZ("nps", level)
	n := math.Ceil(z * z * 1e4 * v / (margin * margin) * (1 - 1e-12))
	if n < 1 {
		return 1, nil
	}
	if n > math.MaxInt32 {
		return 0, &cxmetrics.InputError{Pkg: "nps", What: "margin", Index: 2, Value: margin, Err: cxmetrics.ErrOutOfRange, Detail: "(sample size would exceed 2^31)"}
	}
	return int(n), nil
}
