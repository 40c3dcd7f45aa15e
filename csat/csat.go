package csat

import (
	"fmt"
	"iter"
	"math"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/survey"
)

const pkg = "csat"

// MaxScalePoints is the largest number of points (Max - Min + 1) a Scale may have. It
// bounds the memory of a Tally, which keeps one bin per point.
const MaxScalePoints = survey.MaxPoints

// MaxAnswers is the largest number of answers a Result or a Tally may hold: 2^53, so that
// every count converts to float64 exactly. Beyond it Add and Merge return an error
// wrapping cxmetrics.ErrTooLarge.
const MaxAnswers = survey.MaxCount

// MaxDistributionPoints is the largest number of scale points whose distribution a Result
// carries in its Counts and Shares arrays: 11, enough for every common satisfaction and
// recommendation scale (1-5, 1-7, 1-10, 0-10). A Result on a longer scale leaves both
// arrays zero; Tally.Distribution gives the distribution on any scale.
const MaxDistributionPoints = 11

// Scale defines an integer answer scale and its satisfied band:
//
//	not satisfied: Min <= score < SatisfiedMin
//	satisfied:     SatisfiedMin <= score <= Max
//
// A scale is valid when Min <= SatisfiedMin <= Max and it has at most MaxScalePoints
// points. SatisfiedMin = Min counts every answer as satisfied.
type Scale struct {
	Min          int `json:"min"`
	Max          int `json:"max"`
	SatisfiedMin int `json:"satisfied_min"`
}

// Standard is the 1-5 satisfaction scale (1 very dissatisfied .. 5 very satisfied) with
// the top-2 box, 4 and 5, counted as satisfied, as Farris et al. (2010, Marketing Metrics,
// 2nd ed., section 2.7, "Customer Satisfaction and Willingness to Recommend") describe it.
var Standard = Scale{Min: 1, Max: 5, SatisfiedMin: 4}

// Recommend is the 0-10 recommendation question of the Net Promoter System ("How likely
// is it that you would recommend us to a friend or colleague?", Reichheld 2003, "The One
// Number You Need to Grow", Harvard Business Review) with its top-2 box, 9 and 10, as the
// satisfied band. Its Satisfied share is the willingness-to-recommend share (WRS),
//
//	WRS = Σ_{score >= 9} w_i / Σ_i w_i
//
// the promoter share of the NPS (nps.Result.Promoters on nps.Standard), here with the
// binomial intervals of this package. See the package documentation, "WRS".
var Recommend = Scale{Min: 0, Max: 10, SatisfiedMin: 9}

// Validate returns nil for a valid scale and an error wrapping cxmetrics.ErrInvalidScale
// that names the inconsistent bound otherwise. The number of points is computed without
// overflow, whatever the bounds.
func (s Scale) Validate() error {
	if err := survey.CheckRange(s.Min, s.Max); err != nil {
		return fmt.Errorf("csat: scale %v: %w", s, err)
	}
	switch {
	case s.SatisfiedMin < s.Min:
		return fmt.Errorf("csat: scale %v: satisfied min %d below min %d: %w", s, s.SatisfiedMin, s.Min, cxmetrics.ErrInvalidScale)
	case s.SatisfiedMin > s.Max:
		return fmt.Errorf("csat: scale %v: satisfied min %d above max %d: %w", s, s.SatisfiedMin, s.Max, cxmetrics.ErrInvalidScale)
	}
	return nil
}

// String formats the scale as "[min, max] satisfied >= s".
func (s Scale) String() string {
	return fmt.Sprintf("[%d, %d] satisfied >= %d", s.Min, s.Max, s.SatisfiedMin)
}

// points returns the number of points of a valid scale; it cannot overflow once Validate
// passed.
func (s Scale) points() int { return s.Max - s.Min + 1 }

// scratch holds the bins of a scale with one bin per point and their shares, in arrays
// for scales of up to MaxDistributionPoints points, so that Compute keeps them on the
// stack, and in new slices for longer scales.
type scratch struct {
	bins   [MaxDistributionPoints]survey.Bin
	shares [MaxDistributionPoints]float64
}

// layout returns the layout of the valid scale s with one bin per point, and as many bins
// and shares.
func (w *scratch) layout(s Scale) (survey.Layout, []survey.Bin, []float64) {
	k := s.points()
	if k > MaxDistributionPoints {
		return survey.Points(s.Min, s.Max), make([]survey.Bin, k), make([]float64, k)
	}
	return survey.Points(s.Min, s.Max), w.bins[:k], w.shares[:k]
}

// Result is a CSAT score with the distribution it comes from. Shares and Mean are
// weighted when the answers were; counts are always numbers of answers.
type Result struct {
	Scale Scale `json:"scale"`

	N      int     `json:"n"`      // number of answers
	Weight float64 `json:"weight"` // sum of weights (= N unweighted)
	// EffectiveN is the variance-equivalent sample size Satisfied·(1 - Satisfied)/Var: N
	// when the answers are unweighted; see the package documentation, "Weights".
	EffectiveN float64 `json:"effective_n"`

	SatisfiedCount int     `json:"satisfied_count"` // answers in the satisfied band
	Satisfied      float64 `json:"satisfied"`       // share of (weighted) answers satisfied, 0..1
	Score          float64 `json:"score"`           // 100 · Satisfied, in [0, 100]
	Mean           float64 `json:"mean"`            // (weighted) mean rating, in [Min, Max]

	// Counts[i] is the number of answers Min + i and Shares[i] their share of the weight,
	// for scales of at most MaxDistributionPoints points; entries past Max - Min, and
	// every entry on a longer scale, are zero. Distribution returns them as a slice.
	Counts [MaxDistributionPoints]int     `json:"counts"`
	Shares [MaxDistributionPoints]float64 `json:"shares"`
}

// Point is one answer value of a distribution.
type Point struct {
	Score int     `json:"score"` // the answer
	Count int     `json:"count"` // answers with this score
	Share float64 `json:"share"` // their share of the (weighted) answers, 0..1
}

// result turns the per-point sums of a valid scale into a Result; shares, of len(bins),
// receives each point's share of the weight.
//
// The satisfied share is the weighted mean of z = 1 for a satisfied point and 0 otherwise,
// the mean rating that of z = score - Min (added to Min afterwards, so that scales far from
// zero keep the precision of their offsets); survey.Linearize gives both with the
// linearization variance of the share and its effective n.
func result(s Scale, bins []survey.Bin, shares []float64) (Result, error) {
	var zs [MaxDistributionPoints]float64
	var z []float64
	if len(bins) <= len(zs) {
		z = zs[:len(bins)]
	} else {
		z = make([]float64, len(bins))
	}
	sat := s.SatisfiedMin - s.Min
	for j := sat; j < len(z); j++ {
		z[j] = 1
	}
	p, err := survey.Linearize(pkg, bins, z, false, shares)
	if err != nil {
		return Result{}, err
	}
	for j := range z {
		z[j] = float64(j)
	}
	// Only the mean is used, so the factor of a sample variance (and its need for two
	// answers) does not apply.
	m, err := survey.Linearize(pkg, bins, z, false, shares)
	if err != nil {
		return Result{}, err
	}
	r := Result{Scale: s, N: int(p.N), Weight: p.Weight, EffectiveN: p.EffN}
	for j := sat; j < len(bins); j++ {
		r.SatisfiedCount += int(bins[j].N)
	}
	r.Satisfied = clamp(p.Theta, 0, 1)
	r.Score = 100 * r.Satisfied
	r.Mean = clamp(float64(s.Min)+m.Theta, float64(s.Min), float64(s.Max))
	if len(bins) <= MaxDistributionPoints {
		for j, b := range bins {
			r.Counts[j] = int(b.N)
			r.Shares[j] = clamp(shares[j], 0, 1)
		}
	}
	return r, nil
}

func clamp(x, lo, hi float64) float64 { return math.Min(hi, math.Max(lo, x)) }

// Compute returns the CSAT of answers on the Standard 1-5 scale, the share of satisfied
// answers (4 or 5) in percent (the top-2 box of Farris et al. 2010, Marketing Metrics,
// section 2.7):
//
//	CSAT = 100 · Σ_{satisfied} w_i / Σ_i w_i
//
// with the mean rating Σ w_i x_i / Σ w_i and the distribution over the five points. If
// weights is nil then all of the weights are 1. If weights is not nil, then len(scores)
// must equal len(weights).
//
// A score outside [1, 5] is an *cxmetrics.InputError wrapping ErrOutOfRange with the
// index of the first such score; a negative weight wraps ErrNegativeWeight, a NaN or
// infinite one ErrNotFinite, and a non-zero weight outside [1e-150, 1e150] ErrOutOfRange
// (weights are relative: rescale them). No answers, or weights that sum to zero, is
// ErrEmpty.
func Compute(scores []int, weights []float64) (Result, error) {
	return ComputeScale(Standard, scores, weights)
}

// ComputeScale is Compute on any valid Scale, for example a 1-7 scale with 6-7 satisfied
// or the 0-10 Recommend scale. If weights is nil then all of the weights are 1. If weights
// is not nil, then len(scores) must equal len(weights).
func ComputeScale(s Scale, scores []int, weights []float64) (Result, error) {
	if err := s.Validate(); err != nil {
		return Result{}, err
	}
	var w scratch
	l, bins, shares := w.layout(s)
	if err := survey.Count(pkg, l, scores, weights, bins); err != nil {
		return Result{}, err
	}
	return result(s, bins, shares)
}

// ComputeSeq is ComputeScale for a stream of unweighted scores. It stops at the first
// invalid score, whose position in the stream the error gives.
//
// Counting an answer allocates nothing. The counts live on the heap, as the loop body that
// scores calls updates them: two allocations per call on a scale of up to
// MaxDistributionPoints points, whatever the number of answers.
func ComputeSeq(s Scale, scores iter.Seq[int]) (Result, error) {
	if err := s.Validate(); err != nil {
		return Result{}, err
	}
	var w scratch
	l, bins, shares := w.layout(s)
	if err := survey.CountSeq(pkg, l, scores, bins); err != nil {
		return Result{}, err
	}
	return result(s, bins, shares)
}

// Distribution returns the answers and shares of every point from Min to Max, or nil for
// a scale of more than MaxDistributionPoints points (use Tally.Distribution) or a Result
// that fails validation.
func (r Result) Distribution() []Point {
	if r.check() != nil || r.Scale.points() > MaxDistributionPoints {
		return nil
	}
	d := make([]Point, r.Scale.points())
	for i := range d {
		d[i] = Point{Score: r.Scale.Min + i, Count: r.Counts[i], Share: r.Shares[i]}
	}
	return d
}

// check returns nil for a Result that Compute could have returned, and an error otherwise:
// a Result decoded from JSON or built by hand with an invalid scale, counts that do not add
// up, shares that are NaN, outside [0, 1] or do not sum to 1, a Satisfied share, Score or
// Mean that the distribution does not give, a weight that is not positive and finite, or an
// effective n outside [1, MaxAnswers] (the range Compute keeps it in). No answers is
// ErrEmpty, anything else ErrCorrupt.
func (r Result) check() error {
	bad := func(what string, v any) error {
		return fmt.Errorf("csat: result: %s %v: %w", what, v, cxmetrics.ErrCorrupt)
	}
	if r.N <= 0 {
		return fmt.Errorf("csat: result with %d answers: %w", r.N, cxmetrics.ErrEmpty)
	}
	if err := r.Scale.Validate(); err != nil {
		return bad("scale", r.Scale)
	}
	lo, hi := float64(r.Scale.Min), float64(r.Scale.Max)
	switch {
	case uint64(r.N) > MaxAnswers: // uint64: an int may be 32 bits
		return bad("answers", r.N)
	case r.SatisfiedCount < 0 || r.SatisfiedCount > r.N:
		return bad("satisfied count", r.SatisfiedCount)
	case !(r.Weight > 0) || math.IsInf(r.Weight, 0):
		return bad("weight", r.Weight)
	case !(r.EffectiveN >= 1 && r.EffectiveN <= MaxAnswers):
		return bad("effective n", r.EffectiveN)
	case !(r.Satisfied >= 0 && r.Satisfied <= 1) || r.Satisfied > 0 && r.SatisfiedCount == 0:
		return bad("satisfied share", r.Satisfied)
	case math.Abs(r.Score-100*r.Satisfied) > 1e-7:
		return bad("score", r.Score)
	case !(r.Mean >= lo && r.Mean <= hi):
		return bad("mean", r.Mean)
	}
	return r.checkDistribution()
}

// checkDistribution checks Counts and Shares against the other fields: zero on a scale
// longer than MaxDistributionPoints, else counts that sum to N and SatisfiedCount, shares
// that sum to 1, are positive only where answers are, and give Satisfied and Mean.
func (r Result) checkDistribution() error {
	bad := func(what string, v any) error {
		return fmt.Errorf("csat: result: %s %v: %w", what, v, cxmetrics.ErrCorrupt)
	}
	k := r.Scale.points()
	if k > MaxDistributionPoints {
		if r.Counts != [MaxDistributionPoints]int{} || r.Shares != [MaxDistributionPoints]float64{} {
			return bad("distribution on a scale of points", k)
		}
		return nil
	}
	sat := r.Scale.SatisfiedMin - r.Scale.Min
	var n, nSat int
	var total, pSat, mean float64
	for i := range MaxDistributionPoints {
		c, p := r.Counts[i], r.Shares[i]
		switch {
		case i >= k && (c != 0 || p != 0):
			return bad("distribution entry beyond the scale at", i)
		case c < 0 || c > r.N:
			return bad("count", c)
		case !(p >= 0 && p <= 1) || p > 0 && c == 0:
			return bad("share", p)
		}
		n += c
		total += p
		mean += float64(i) * p
		if i >= sat {
			nSat += c
			pSat += p
		}
	}
	// The mean is compared on the offsets from Min; far from zero, Min itself is rounded.
	tolMean := 1e-9*float64(k) + 1e-15*math.Max(math.Abs(float64(r.Scale.Min)), math.Abs(float64(r.Scale.Max)))
	switch {
	case n != r.N:
		return bad("counts summing to", n)
	case nSat != r.SatisfiedCount:
		return bad("satisfied counts summing to", nSat)
	case math.Abs(total-1) > 1e-9:
		return bad("shares summing to", total)
	case math.Abs(pSat-r.Satisfied) > 1e-9:
		return bad("satisfied shares summing to", pSat)
	case math.Abs(float64(r.Scale.Min)+mean-r.Mean) > tolMean:
		return bad("mean of the shares", float64(r.Scale.Min)+mean)
	}
	return nil
}

// Estimate returns the score in the form the segment and trend functions take: Score,
// StdErr, N and EffectiveN. A Result that fails validation gives the zero Estimate.
func (r Result) Estimate() cxmetrics.Estimate {
	if r.check() != nil {
		return cxmetrics.Estimate{}
	}
	return cxmetrics.Estimate{Score: r.Score, StdErr: r.StdErr(), N: r.N, EffectiveN: r.EffectiveN}
}
