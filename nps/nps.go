package nps

import (
	"fmt"
	"iter"
	"math"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/enum"
	"github.com/cxmetrics/cxmetrics/internal/survey"
)

const pkg = "nps"

// MaxScalePoints is the largest number of points (Max - Min + 1) a Scale may have. It
// bounds the memory of a Tally, which keeps one bin per point.
const MaxScalePoints = survey.MaxPoints

// MaxAnswers is the largest number of answers a Result or a Tally may hold: 2^53, so that
// every count converts to float64 exactly. Beyond it Add and Merge return an error
// wrapping cxmetrics.ErrTooLarge.
const MaxAnswers = survey.MaxCount

// Scale defines an integer answer scale and the breaks between its categories:
//
//	detractor: Min <= score <= DetractorMax
//	passive:   DetractorMax < score < PromoterMin
//	promoter:  PromoterMin <= score <= Max
//
// A scale is valid when Min <= DetractorMax < PromoterMin <= Max and it has at most
// MaxScalePoints points. Passives may be empty (PromoterMin = DetractorMax + 1).
type Scale struct {
	Min          int `json:"min"`
	Max          int `json:"max"`
	DetractorMax int `json:"detractor_max"`
	PromoterMin  int `json:"promoter_min"`
}

// Standard is the 0-10 Net Promoter scale of Reichheld (2003): detractors 0-6, passives
// 7-8, promoters 9-10.
var Standard = Scale{Min: 0, Max: 10, DetractorMax: 6, PromoterMin: 9}

// Validate returns nil for a valid scale and an error wrapping cxmetrics.ErrInvalidScale
// that names the inconsistent bound otherwise. The number of points is computed without
// overflow, whatever the bounds.
func (s Scale) Validate() error {
	if err := survey.CheckRange(s.Min, s.Max); err != nil {
		return fmt.Errorf("nps: scale %v: %w", s, err)
	}
	switch {
	case s.Min > s.DetractorMax:
		return fmt.Errorf("nps: scale %v: min %d above detractor max %d: %w", s, s.Min, s.DetractorMax, cxmetrics.ErrInvalidScale)
	case s.DetractorMax >= s.PromoterMin:
		return fmt.Errorf("nps: scale %v: detractor max %d not below promoter min %d: %w", s, s.DetractorMax, s.PromoterMin, cxmetrics.ErrInvalidScale)
	case s.PromoterMin > s.Max:
		return fmt.Errorf("nps: scale %v: promoter min %d above max %d: %w", s, s.PromoterMin, s.Max, cxmetrics.ErrInvalidScale)
	}
	return nil
}

// String formats the scale as "[min, max] detractors <= d, promoters >= p".
func (s Scale) String() string {
	return fmt.Sprintf("[%d, %d] detractors <= %d, promoters >= %d", s.Min, s.Max, s.DetractorMax, s.PromoterMin)
}

// categories returns the layout of a valid scale's three categories: detractors, passives
// (possibly none), promoters. The offsets from Min cannot overflow once Validate passed.
func (s Scale) categories() survey.Layout {
	return survey.Layout{Lo: s.Min, Hi: s.Max,
		Edges: []int{0, s.DetractorMax - s.Min + 1, s.PromoterMin - s.Min, s.Max - s.Min + 1}}
}

// values are the per-answer contributions of the three categories to the NPS on the
// proportion scale: -1 for a detractor, 0 for a passive, +1 for a promoter.
var values = []float64{-1, 0, 1}

// Category is the class of one answer.
type Category int

// The three categories of the Net Promoter System.
const (
	Detractor Category = iota
	Passive
	Promoter
)

var categoryNames = enum.Names[Category]{Pkg: pkg, Type: "Category", Unknown: cxmetrics.ErrUnknownLabel,
	Names: []string{Detractor: "detractor", Passive: "passive", Promoter: "promoter"}}

// String returns "detractor", "passive" or "promoter", or "Category(n)" for another value.
func (c Category) String() string { return categoryNames.String(c) }

// MarshalText encodes the category as String does; another value is an error wrapping
// cxmetrics.ErrUnknownLabel.
func (c Category) MarshalText() ([]byte, error) { return categoryNames.Marshal(c) }

// UnmarshalText decodes a category name, ignoring case and surrounding spaces; another
// name is an error wrapping cxmetrics.ErrUnknownLabel.
func (c *Category) UnmarshalText(b []byte) error { return categoryNames.Unmarshal(b, c) }

// Category returns the category of one score. A score outside [Min, Max] is an
// *cxmetrics.InputError wrapping cxmetrics.ErrOutOfRange (Index -1); an invalid scale is
// ErrInvalidScale.
func (s Scale) Category(score int) (Category, error) {
	if err := s.Validate(); err != nil {
		return 0, err
	}
	if score < s.Min || score > s.Max {
		return 0, survey.ScoreError(pkg, s.Min, s.Max, -1, score)
	}
	switch {
	case score <= s.DetractorMax:
		return Detractor, nil
	case score >= s.PromoterMin:
		return Promoter, nil
	}
	return Passive, nil
}

// Result is a Net Promoter Score with the parts it is made of. Shares are weighted when
// the answers were; counts are always numbers of answers.
type Result struct {
	Scale Scale `json:"scale"`

	N      int     `json:"n"`      // number of answers
	Weight float64 `json:"weight"` // sum of weights (= N unweighted)
	// EffectiveN is the variance-equivalent sample size UnitVariance/Var(NPS) (on the
	// proportion scale): N when the answers are unweighted; see the package documentation.
	EffectiveN float64 `json:"effective_n"`

	DetractorCount int `json:"detractor_count"` // answers in each category
	PassiveCount   int `json:"passive_count"`
	PromoterCount  int `json:"promoter_count"`

	Detractors float64 `json:"detractors"` // share of (weighted) answers, 0..1
	Passives   float64 `json:"passives"`
	Promoters  float64 `json:"promoters"` // also the willingness-to-recommend share (WRS)

	Score float64 `json:"score"` // 100 · (Promoters - Detractors), in [-100, 100]
}

// result turns the sums of the three categories into a Result.
func result(s Scale, bins []survey.Bin) (Result, error) {
	var share [3]float64
	m, err := survey.Linearize(pkg, bins, values, false, share[:])
	if err != nil {
		return Result{}, err
	}
	r := Result{Scale: s, N: int(m.N), Weight: m.Weight, EffectiveN: m.EffN,
		DetractorCount: int(bins[0].N), PassiveCount: int(bins[1].N), PromoterCount: int(bins[2].N)}
	r.Detractors = clamp01(share[0])
	r.Promoters = clamp01(share[2])
	r.Passives = clamp01(1 - r.Detractors - r.Promoters)
	r.Score = 100 * (r.Promoters - r.Detractors)
	return r, nil
}

func clamp01(x float64) float64 { return math.Min(1, math.Max(0, x)) }

// Compute returns the Net Promoter Score of answers on the Standard 0-10 scale:
//
//	NPS = 100 · (Σ_{promoters} w_i - Σ_{detractors} w_i) / Σ_i w_i
//
// (Reichheld 2003, "The One Number You Need to Grow"). If weights is nil then all of the
// weights are 1. If weights is not nil, then len(scores) must equal len(weights).
//
// A score outside [0, 10] is an *cxmetrics.InputError wrapping ErrOutOfRange with the
// index of the first such score; a negative weight wraps ErrNegativeWeight, a NaN or
// infinite one ErrNotFinite, and a non-zero weight outside [1e-150, 1e150] ErrOutOfRange
// (weights are relative: rescale them). No answers, or weights that sum to zero, is
// ErrEmpty.
func Compute(scores []int, weights []float64) (Result, error) {
	return ComputeScale(Standard, scores, weights)
}

// ComputeScale is Compute on any valid Scale, for example a 1-5 scale with custom breaks.
// If weights is nil then all of the weights are 1. If weights is not nil, then
// len(scores) must equal len(weights).
func ComputeScale(s Scale, scores []int, weights []float64) (Result, error) {
	if err := s.Validate(); err != nil {
		return Result{}, err
	}
	var bins [3]survey.Bin
	if err := survey.Count(pkg, s.categories(), scores, weights, bins[:]); err != nil {
		return Result{}, err
	}
	return result(s, bins[:])
}

// ComputeSeq is ComputeScale for a stream of unweighted scores. It stops at the first
// invalid score, whose position in the stream the error gives.
func ComputeSeq(s Scale, scores iter.Seq[int]) (Result, error) {
	if err := s.Validate(); err != nil {
		return Result{}, err
	}
	var bins [3]survey.Bin
	if err := survey.CountSeq(pkg, s.categories(), scores, bins[:]); err != nil {
		return Result{}, err
	}
	return result(s, bins[:])
}

// check returns nil for a Result that Compute could have returned, and an error otherwise:
// a Result decoded from JSON or built by hand with an invalid scale, counts that do not add
// up, shares that are NaN, outside [0, 1] or do not sum to 1, a Score that is not
// 100·(Promoters - Detractors), or a weight or effective n that is not positive and finite.
// No answers is ErrEmpty, anything else ErrCorrupt.
func (r Result) check() error {
	bad := func(what string, v any) error {
		return fmt.Errorf("nps: result: %s %v: %w", what, v, cxmetrics.ErrCorrupt)
	}
	if r.N <= 0 {
		return fmt.Errorf("nps: result with %d answers: %w", r.N, cxmetrics.ErrEmpty)
	}
	if err := r.Scale.Validate(); err != nil {
		return bad("scale", r.Scale)
	}
	switch {
	case uint64(r.N) > MaxAnswers: // uint64: an int may be 32 bits
		return bad("answers", r.N)
	case r.DetractorCount < 0 || r.PassiveCount < 0 || r.PromoterCount < 0 ||
		r.DetractorCount > r.N || r.PassiveCount > r.N || r.PromoterCount > r.N ||
		r.DetractorCount+r.PassiveCount+r.PromoterCount != r.N:
		return bad("category counts", [3]int{r.DetractorCount, r.PassiveCount, r.PromoterCount})
	case !(r.Weight > 0) || math.IsInf(r.Weight, 0):
		return bad("weight", r.Weight)
	case !(r.EffectiveN > 0) || math.IsInf(r.EffectiveN, 0):
		return bad("effective n", r.EffectiveN)
	}
	for _, p := range [...]float64{r.Detractors, r.Passives, r.Promoters} {
		if !(p >= 0 && p <= 1) {
			return bad("share", p)
		}
	}
	if sum := r.Detractors + r.Passives + r.Promoters; !(math.Abs(sum-1) <= 1e-9) {
		return bad("shares summing to", sum)
	}
	if !(math.Abs(r.Score-100*(r.Promoters-r.Detractors)) <= 1e-7) {
		return bad("score", r.Score)
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
