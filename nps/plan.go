package nps

import (
	"fmt"
	"math"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/normal"
	"github.com/cxmetrics/cxmetrics/internal/survey"
)

// MaxSampleSize is the largest sample size the planning functions return; a margin or a
// difference that needs more is an error wrapping cxmetrics.ErrTooLarge.
const MaxSampleSize = survey.MaxSampleSize

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
	z, err := normal.Critical(pkg, level)
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
		return 0, survey.TooLarge(pkg, "margin", margin, "answers")
	}
	return max(1, int(n)), nil
}

// Mix is an expected distribution of answers, for planning: the shares of promoters and
// detractors (the rest are passives), each in [0, 1] with a sum of at most 1.
type Mix struct {
	Promoters, Detractors float64
}

// check validates the mix; what names it in errors.
func (x Mix) check(what string) error {
	for _, v := range [...]float64{x.Promoters, x.Detractors} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return &cxmetrics.InputError{Pkg: pkg, What: what + " share", Index: -1, Value: v, Err: cxmetrics.ErrNotFinite}
		}
		if !(v >= 0 && v <= 1) {
			return &cxmetrics.InputError{Pkg: pkg, What: what + " share", Index: -1, Value: v, Err: cxmetrics.ErrOutOfRange, Detail: "[0, 1]"}
		}
	}
	if !(x.Promoters+x.Detractors <= 1+1e-12) {
		return &cxmetrics.InputError{Pkg: pkg, What: what + " shares summing to", Index: -1, Value: x.Promoters + x.Detractors, Err: cxmetrics.ErrOutOfRange, Detail: "(at most 1)"}
	}
	return nil
}

// unitVariance is p₊ + p₋ - (p₊ - p₋)².
func (x Mix) unitVariance() float64 {
	d := x.Promoters - x.Detractors
	return math.Max(0, x.Promoters+x.Detractors-d*d)
}

// maxExactAssurance is the largest n for which SampleSizeAssured sums the multinomial
// distribution exactly; above it, it uses the normal approximation.
const maxExactAssurance = 2000

// SampleSizeAssured returns the smallest number of answers for which the Wald interval of
// the NPS at the given level has half-width at most margin (score points) with probability
// at least assurance, when the answers follow mix:
//
//	n = min { n : P_n( z·100·√(v̂/n) <= margin ) >= assurance },   v̂ = p̂₊ + p̂₋ - (p̂₊ - p̂₋)²
//
// where p̂ are the shares of a sample of n answers. [SampleSize] plans for the expected
// half-width, which an actual survey reaches only about half the time; an assurance of 0.8
// or 0.9 is the usual choice (the idea is Beal's 1989 for means, "Sample size determination
// for confidence intervals on the population mean and on the difference between two
// population means", Biometrics 45(3)). For n up to 2,000 the probability is the exact sum of
// the multinomial probabilities of the samples whose half-width is small enough; above, it
// is the normal approximation of v̂ (mean v(1 - 1/n), variance by the delta method). n is
// found by doubling from SampleSize and then bisection; as the exact probability is not
// quite monotone in n (the multinomial lattice), a slightly smaller n may reach the
// assurance too. assurance must be in (0, 1); the other arguments are as for SampleSize.
func SampleSizeAssured(mix Mix, margin, level, assurance float64) (int, error) {
	if err := mix.check("mix"); err != nil {
		return 0, err
	}
	if err := probability("assurance", assurance); err != nil {
		return 0, err
	}
	n0, err := SampleSize(mix.Promoters, mix.Detractors, margin, level)
	if err != nil || mix.unitVariance() == 0 {
		return n0, err
	}
	z, _ := normal.Critical(pkg, level)
	// reaches reports whether n answers give a half-width within margin with the assurance.
	reaches := func(n int) bool {
		c := float64(n) * margin * margin / (z * z * 1e4) // the largest v̂ that fits
		return probVarianceAtMost(mix, n, c) >= assurance
	}
	n, ok := survey.SmallestN(n0-1, n0, MaxSampleSize, reaches)
	if !ok {
		return 0, survey.TooLarge(pkg, "margin", margin, "answers")
	}
	return n, nil
}

// probVarianceAtMost returns P(v̂ <= c) for the unit variance v̂ of n answers drawn from mix.
func probVarianceAtMost(mix Mix, n int, c float64) float64 {
	v := mix.unitVariance()
	if n > maxExactAssurance {
		// Delta method: v̂ = f(p̂₊, p̂₋) with gradient (1 - 2Δ, 1 + 2Δ), Δ = p₊ - p₋.
		pp, pd := mix.Promoters, mix.Detractors
		d := pp - pd
		g1, g2 := 1-2*d, 1+2*d
		varV := (g1*g1*pp*(1-pp) + g2*g2*pd*(1-pd) - 2*g1*g2*pp*pd) / float64(n)
		mean := v * (1 - 1/float64(n))
		if varV <= 0 {
			if mean <= c {
				return 1
			}
			return 0
		}
		return normal.CDF((c - mean) / math.Sqrt(varV))
	}
	nf := float64(n)
	lf := make([]float64, n+1) // ln k!
	for k := 1; k <= n; k++ {
		lf[k] = lf[k-1] + math.Log(float64(k))
	}
	logs := [3]float64{math.Log(mix.Promoters), math.Log(mix.Detractors), math.Log(1 - mix.Promoters - mix.Detractors)}
	term := func(k int, l float64) float64 {
		if k == 0 {
			return 0
		}
		return float64(k) * l
	}
	// Counts beyond 12 standard deviations of their means carry less than 1e-30 of the mass.
	span := func(p float64) (int, int) {
		m, sd := nf*p, math.Sqrt(nf*p*(1-p))
		return max(0, int(m-12*sd-1)), min(n, int(m+12*sd+1))
	}
	pLo, pHi := span(mix.Promoters)
	dLo, dHi := span(mix.Detractors)
	total := 0.0
	for p := pLo; p <= pHi; p++ {
		for d := dLo; d <= dHi && p+d <= n; d++ {
			sp, sd := float64(p)/nf, float64(d)/nf
			if sp+sd-(sp-sd)*(sp-sd) > c {
				continue
			}
			pa := n - p - d
			lp := lf[n] - lf[p] - lf[d] - lf[pa] + term(p, logs[0]) + term(d, logs[1]) + term(pa, logs[2])
			total += math.Exp(lp)
		}
	}
	return total
}

// SampleSizeCompare returns the number of answers per group for Compare's test at
// two-sided significance alpha to detect the difference between two groups whose answers
// follow a and b with the given power:
//
//	n = ⌈ (z_{1-α/2} √(2 v̄) + z_{power} √(v_a + v_b))² / Δ² ⌉
//
// with Δ = NPS_a - NPS_b on the proportion scale, v the unit variances of a and b, and v̄ that
// of their even mixture (the variance under the null hypothesis that the pooled test uses):
// the usual normal-approximation formula for a difference of means with the variance under
// the null in the first term (Fleiss, Levin & Paik 2003, Statistical Methods for Rates and
// Proportions, 3rd ed., eq. 4.14, for two proportions). Mixes with the same NPS are
// ErrOutOfRange (no difference to detect); alpha and power must be in (0, 1).
func SampleSizeCompare(a, b Mix, alpha, power float64) (int, error) {
	if err := a.check("a"); err != nil {
		return 0, err
	}
	if err := b.check("b"); err != nil {
		return 0, err
	}
	if err := probability("alpha", alpha); err != nil {
		return 0, err
	}
	if err := probability("power", power); err != nil {
		return 0, err
	}
	delta := (a.Promoters - a.Detractors) - (b.Promoters - b.Detractors)
	if delta == 0 {
		return 0, &cxmetrics.InputError{Pkg: pkg, What: "difference", Index: -1, Value: 0, Err: cxmetrics.ErrOutOfRange, Detail: "(the mixes have the same NPS)"}
	}
	mid := Mix{(a.Promoters + b.Promoters) / 2, (a.Detractors + b.Detractors) / 2}
	za, zb := normal.Quantile(1-alpha/2), normal.Quantile(power)
	s := za*math.Sqrt(2*mid.unitVariance()) + zb*math.Sqrt(a.unitVariance()+b.unitVariance())
	if s <= 0 { // a power so low that one answer per group has it
		return 1, nil
	}
	n := math.Ceil(s * s / (delta * delta) * (1 - 1e-12))
	if !(n <= MaxSampleSize) {
		return 0, survey.TooLarge(pkg, "difference", 100*delta, "answers per group")
	}
	return max(1, int(n)), nil
}

// probability validates an argument that must lie in (0, 1).
func probability(what string, v float64) error {
	return survey.CheckArg(pkg, what, v, v > 0 && v < 1, "(0, 1)")
}
