package segment

import (
	"fmt"
	"math"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/normal"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// Shrinkage is the empirical-Bayes view of a set of segments: the mean and spread of their
// true scores, and each segment's score pulled towards that mean by as much as its own
// uncertainty warrants.
type Shrinkage struct {
	Mean       float64 `json:"mean"`         // μ̂, the precision-weighted mean Σ w*y / Σ w*
	MeanStdErr float64 `json:"mean_std_err"` // √(1/Σ w*)
	// BetweenSD is τ̂, the standard deviation of the true scores across segments in score
	// units: the square root of the DerSimonian-Laird estimate of their variance τ̂²,
	// floored at 0.
	BetweenSD float64 `json:"between_sd"`
	Q         float64 `json:"q"` // Cochran's Q = Σ w (y - ȳ_w)², w = 1/SE²
	// Segments[i] is segment i shrunk.
	Segments []Shrunk `json:"segments"`
}

// Shrunk is one segment's empirical-Bayes estimate.
type Shrunk struct {
	Score  float64 `json:"score"`   // μ̂ + (1 - B)(y - μ̂)
	StdErr float64 `json:"std_err"` // √((1 - B)·SE² + B²·MeanStdErr²)
	// Interval is Score ± z_{(1+level)/2}·StdErr, Method Wald.
	Interval cxmetrics.Interval `json:"interval"`
	// Shrinkage is B = SE²/(SE² + τ̂²), the weight of the mean in Score: 0 keeps the
	// segment's own score, 1 replaces it by the mean.
	Shrinkage float64 `json:"shrinkage"`
	// SamplingStdErr is the SE used above: the segment's own standard error, or the
	// pooled one when its own is 0 (package documentation, "Answers all alike").
	SamplingStdErr float64 `json:"sampling_std_err"`
}

// Shrink pulls each segment's score towards the mean of all segments, the more the less
// precise it is, so that a segment with a dozen answers does not top a league table by
// chance. The model is the normal-normal (random-effects) model
//
//	y_i ~ N(θ_i, v_i),   θ_i ~ N(μ, τ²),   v_i = SE_i²
//
// with τ² estimated by DerSimonian & Laird's moment estimator (DerSimonian & Laird 1986,
// "Meta-analysis in clinical trials", Controlled Clinical Trials 7(3), 177-188), which
// needs no iteration:
//
//	w_i = 1/v_i,   ȳ_w = Σ w y / Σ w,   Q = Σ w (y - ȳ_w)²
//	τ̂² = max(0, (Q - (k - 1)) / (Σ w - Σ w² / Σ w))
//	w*_i = 1/(v_i + τ̂²),   μ̂ = Σ w* y / Σ w*,   Var(μ̂) = 1/Σ w*
//
// and each segment's empirical-Bayes estimate (Morris 1983, "Parametric empirical Bayes
// inference: theory and applications", JASA 78(381), 47-55) is
//
//	B_i = v_i / (v_i + τ̂²),   θ̂_i = μ̂ + (1 - B_i)(y_i - μ̂)
//	SE(θ̂_i) = √((1 - B_i)·v_i + B_i²·Var(μ̂))
//
// the best linear unbiased predictor and its standard error as metafor's blup computes
// them. The standard error ignores the uncertainty of τ̂² (the third term of Prasad & Rao
// 1990, "The estimation of the mean squared error of small-area estimators", JASA 85(409),
// 163-171), so with a handful of segments it is somewhat too small. When τ̂² is 0 the
// segments differ by no more than their standard errors allow: every B_i is 1 and every
// segment is estimated by μ̂.
//
// μ̂ estimates the mean of the segments' true scores, each segment counting by its
// precision; it is not the score of all answers pooled, in which large segments count by
// their size.
//
// It needs between 2 and MaxSegments segments. A segment whose standard error is 0 gets the
// pooled one described in the package documentation ("Answers all alike"), so that it is
// shrunk like any segment of its size.
func Shrink(level float64, segs []Segment) (Shrinkage, error) {
	z, err := normal.Critical(pkg, level)
	if err != nil {
		return Shrinkage{}, err
	}
	sc, err := scale(segs, 2, MaxSegments)
	if err != nil {
		return Shrinkage{}, err
	}
	k := len(segs)
	v := make([]float64, k)
	vMin := math.Inf(1)
	for i, s := range sc.se {
		v[i] = s * s
		vMin = min(vMin, v[i])
	}
	// Weights relative to the largest, r_i = v_min/v_i = v_min·w_i, so that none
	// overflows: Q = Σ r (y - ȳ)² / v_min and Σw - Σw²/Σw = Σr·Σp(1-p) / v_min with
	// p = r/Σr, which has no cancellation.
	r := make([]float64, k)
	var sr, sry stats.Sum
	for i := range k {
		r[i] = vMin / v[i]
		sr.Add(r[i])
		sry.Add(r[i] * sc.y[i])
	}
	ybar := sry.Value() / sr.Value()
	var q, pq stats.Sum
	for i := range k {
		d := sc.y[i] - ybar
		q.Add(r[i] * d * d)
		p := r[i] / sr.Value()
		pq.Add(p * (1 - p))
	}
	tau2 := max(0, (q.Value()-float64(k-1)*vMin)/(sr.Value()*pq.Value()))
	// The same for w*: r*_i = c/(v_i + τ²) with c = v_min + τ², Var(μ̂) = c / Σ r*.
	c := vMin + tau2
	var srs, srsy stats.Sum
	for i := range k {
		rs := c / (v[i] + tau2)
		srs.Add(rs)
		srsy.Add(rs * sc.y[i])
	}
	mu := srsy.Value() / srs.Value()
	varMu := c / srs.Value()
	u := sc.unit
	res := Shrinkage{Mean: mu * u, MeanStdErr: math.Sqrt(varMu) * u, BetweenSD: math.Sqrt(tau2) * u,
		Q: q.Value() / vMin, Segments: make([]Shrunk, k)}
	if !finite(res.Mean, res.MeanStdErr, res.BetweenSD, res.Q) {
		return Shrinkage{}, overflow("between-segment variance")
	}
	for i := range k {
		b, keep := 1.0, 0.0 // B and 1 - B, each computed directly
		if tau2 > 0 {
			b, keep = v[i]/(v[i]+tau2), tau2/(v[i]+tau2)
		}
		th := mu + keep*(sc.y[i]-mu)
		se := math.Sqrt(keep*v[i] + b*b*varMu)
		s := Shrunk{Score: th * u, StdErr: se * u, Shrinkage: b, SamplingStdErr: sc.se[i] * u}
		s.Interval = cxmetrics.Interval{Estimate: s.Score, Lower: (th - z*se) * u, Upper: (th + z*se) * u,
			Level: level, Method: cxmetrics.Wald}
		if !finite(s.Score, s.StdErr, s.SamplingStdErr, s.Interval.Lower, s.Interval.Upper) {
			return Shrinkage{}, overflow(fmt.Sprintf("shrunk score of segment %d", i))
		}
		res.Segments[i] = s
	}
	return res, nil
}
