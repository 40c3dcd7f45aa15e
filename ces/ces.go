package ces

import (
	"encoding/json"
	"fmt"
	"iter"
	"math"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/enum"
	"github.com/cxmetrics/cxmetrics/internal/survey"
)

const pkg = "ces"

// MaxScalePoints is the largest number of points (Max - Min + 1) a Scale may have: 11,
// enough for a 0-10 scale. A Result holds the share of every point in a fixed array of
// this size, so that computing a score does not allocate.
const MaxScalePoints = 11

// MaxAnswers is the largest number of answers a Result or a Tally may hold: 2^53, so that
// every count converts to float64 exactly. Beyond it Add and Merge return an error
// wrapping cxmetrics.ErrTooLarge.
const MaxAnswers = survey.MaxCount

// Scale defines an integer rating scale, its direction and the buckets of easy and
// difficult answers. The buckets are read on the ease axis, on which a higher value is
// always easier: a rating r is its own ease when HighIsEasy is true, and is mirrored to
// Min + Max - r when it is false (a scale of effort, where 1 is "very low effort"). Then
//
//	difficult: Min <= ease <= DifficultMax
//	neutral:   DifficultMax < ease < EasyMin
//	easy:      EasyMin <= ease <= Max
//
// A scale is valid when Min <= DifficultMax < EasyMin <= Max and it has at most
// MaxScalePoints points. The neutral band may be empty (EasyMin = DifficultMax + 1), as
// on a scale without a midpoint: vendors bucket differently, and every split is allowed.
type Scale struct {
	Min          int  `json:"min"`
	Max          int  `json:"max"`
	HighIsEasy   bool `json:"high_is_easy"`
	EasyMin      int  `json:"easy_min"`      // on the ease axis
	DifficultMax int  `json:"difficult_max"` // on the ease axis
}

// Standard7 is the 1-7 scale of CES 2.0 (CEB, now Gartner, 2013): "The company made it
// easy for me to handle my issue", 1 strongly disagree .. 7 strongly agree; ratings 5-7
// are easy and 1-3 difficult.
var Standard7 = Scale{Min: 1, Max: 7, HighIsEasy: true, EasyMin: 5, DifficultMax: 3}

// Standard5 is the 1-5 effort scale of the original CES (Dixon, Freeman & Toman 2010,
// "Stop Trying to Delight Your Customers", Harvard Business Review): "How much effort did
// you personally have to put forth to handle your request?", 1 very low .. 5 very high.
// Low is easy: ratings 1-2 are easy (ease 4-5 on the mirrored axis) and 4-5 difficult.
var Standard5 = Scale{Min: 1, Max: 5, HighIsEasy: false, EasyMin: 4, DifficultMax: 2}

// Validate returns nil for a valid scale and an error wrapping cxmetrics.ErrInvalidScale
// that names the inconsistent bound otherwise. The number of points is computed without
// overflow, whatever the bounds.
func (s Scale) Validate() error {
	if err := survey.CheckRange(s.Min, s.Max); err != nil {
		return fmt.Errorf("ces: scale %v: %w", s, err)
	}
	switch {
	case s.Max-s.Min >= MaxScalePoints:
		return fmt.Errorf("ces: scale %v: more than %d points: %w", s, MaxScalePoints, cxmetrics.ErrInvalidScale)
	case s.Min > s.DifficultMax:
		return fmt.Errorf("ces: scale %v: min %d above difficult max %d: %w", s, s.Min, s.DifficultMax, cxmetrics.ErrInvalidScale)
	case s.DifficultMax >= s.EasyMin:
		return fmt.Errorf("ces: scale %v: difficult max %d not below easy min %d: %w", s, s.DifficultMax, s.EasyMin, cxmetrics.ErrInvalidScale)
	case s.EasyMin > s.Max:
		return fmt.Errorf("ces: scale %v: easy min %d above max %d: %w", s, s.EasyMin, s.Max, cxmetrics.ErrInvalidScale)
	}
	return nil
}

// String formats the scale as "[min, max] high is easy, easy >= e, difficult <= d" (or
// "low is easy").
func (s Scale) String() string {
	dir := "high"
	if !s.HighIsEasy {
		dir = "low"
	}
	return fmt.Sprintf("[%d, %d] %s is easy, easy >= %d, difficult <= %d on the ease axis", s.Min, s.Max, dir, s.EasyMin, s.DifficultMax)
}

// points returns the number of points of a valid scale.
func (s Scale) points() int { return s.Max - s.Min + 1 }

// layout returns one bin per point of a valid scale.
func (s Scale) layout() survey.Layout { return survey.Points(s.Min, s.Max) }

// class returns the category of the point at offset j from Min of a valid scale.
func (s Scale) class(j int) Category {
	ease := j // offset on the ease axis
	if !s.HighIsEasy {
		ease = s.Max - s.Min - j
	}
	switch {
	case ease >= s.EasyMin-s.Min:
		return Easy
	case ease <= s.DifficultMax-s.Min:
		return Difficult
	}
	return Neutral
}

var (
	// offsets are the ratings of the points as offsets from Min: the mean is taken on them
	// and Min added after, so that scales near the ends of int keep their precision.
	offsets = [MaxScalePoints]float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
)

// Category is the bucket of one answer.
type Category int

// The three buckets of a CES scale.
const (
	Difficult Category = iota
	Neutral
	Easy
)

var categoryNames = enum.Names[Category]{Pkg: pkg, Type: "Category", Unknown: cxmetrics.ErrUnknownLabel,
	Names: []string{Difficult: "difficult", Neutral: "neutral", Easy: "easy"}}

// String returns "difficult", "neutral" or "easy", or "Category(n)" for another value.
func (c Category) String() string { return categoryNames.String(c) }

// MarshalText encodes the category as String does; another value is an error wrapping
// cxmetrics.ErrUnknownLabel.
func (c Category) MarshalText() ([]byte, error) { return categoryNames.Marshal(c) }

// UnmarshalText decodes a category name, ignoring case and surrounding spaces; another
// name is an error wrapping cxmetrics.ErrUnknownLabel.
func (c *Category) UnmarshalText(b []byte) error { return categoryNames.Unmarshal(b, c) }

// Category returns the bucket of one rating, after mirroring it when HighIsEasy is false.
// A rating outside [Min, Max] is an *cxmetrics.InputError wrapping ErrOutOfRange (Index
// -1); an invalid scale is ErrInvalidScale.
func (s Scale) Category(rating int) (Category, error) {
	if err := s.Validate(); err != nil {
		return 0, err
	}
	if rating < s.Min || rating > s.Max {
		return 0, survey.ScoreError(pkg, s.Min, s.Max, -1, rating)
	}
	return s.class(rating - s.Min), nil
}

// Result is a Customer Effort Score with the parts it is made of. Means and shares are
// weighted when the answers were; counts are always numbers of answers.
type Result struct {
	Scale Scale `json:"scale"`

	N      int     `json:"n"`      // number of answers
	Weight float64 `json:"weight"` // sum of weights (= N unweighted)
	// EffectiveN is the variance-equivalent sample size of Mean, SD²/Variance (N when
	// the answers are unweighted); see the package documentation, "Weights".
	EffectiveN float64 `json:"effective_n"`

	// Mean is the CES, Σ w r / Σ w, on the scale as answered (not mirrored).
	Mean float64 `json:"mean"`
	// SD is the standard deviation of the ratings in its n - 1 form,
	// √(n/(n-1) · Σ w (r - Mean)² / Σ w), which is the sample standard deviation s when
	// the answers are unweighted. With one answer it is 0: one rating shows no spread, and
	// the intervals that need one are ErrTooFew.
	SD float64 `json:"sd"`

	Easy      float64 `json:"easy"`      // share of (weighted) answers in the easy bucket, 0..1
	Difficult float64 `json:"difficult"` // share in the difficult bucket, 0..1
	NetEasy   float64 `json:"net_easy"`  // 100 · (Easy - Difficult), in [-100, 100]

	EasyCount      int `json:"easy_count"` // answers in each bucket
	DifficultCount int `json:"difficult_count"`
	// EasyEffectiveN is the variance-equivalent sample size of the Easy share,
	// Easy(1 - Easy)/Var(Easy) (N unweighted), which EasyInterval uses.
	EasyEffectiveN float64 `json:"easy_effective_n"`

	// Distribution[j] is the share of the (weighted) answers at rating Min + j; the
	// entries beyond the scale's points are 0, and JSON lists only the scale's points.
	Distribution [MaxScalePoints]float64 `json:"distribution"`
}

// MarshalJSON encodes the result with its fields' tags, listing in "distribution" only
// the points of the scale (all MaxScalePoints entries when the scale is invalid).
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result
	k := MaxScalePoints
	if r.Scale.Validate() == nil {
		k = r.Scale.points()
	}
	return json.Marshal(struct {
		plain
		Distribution []float64 `json:"distribution"`
	}{plain(r), r.Distribution[:k]})
}

// result turns per-point sums into a Result: the mean and its linearization variance over
// the ratings (as offsets from Min), and the Easy share and its variance over the values
// 1 on easy points and 0 elsewhere.
func result(s Scale, bins []survey.Bin) (Result, error) {
	k := len(bins)
	var n uint64
	var easy [MaxScalePoints]float64
	r := Result{Scale: s}
	for j, b := range bins {
		n += b.N
		switch s.class(j) {
		case Easy:
			easy[j] = 1
			r.EasyCount += int(b.N)
		case Difficult:
			r.DifficultCount += int(b.N)
		}
	}
	// The n/(n-1) of a sample variance needs two answers; one answer has SD 0.
	m, err := survey.Linearize(pkg, bins, offsets[:k], n >= 2, r.Distribution[:k])
	if err != nil {
		return Result{}, err
	}
	var shares [MaxScalePoints]float64
	e, err := survey.Linearize(pkg, bins, easy[:k], false, shares[:k])
	if err != nil {
		return Result{}, err
	}
	r.N, r.Weight, r.EffectiveN, r.EasyEffectiveN = int(m.N), m.Weight, m.EffN, e.EffN
	r.Mean = float64(s.Min) + m.Theta
	if n >= 2 {
		r.SD = math.Sqrt(float64(n) / float64(n-1) * m.Sigma2)
	}
	r.Easy = clamp01(e.Theta)
	var d float64
	for j, p := range r.Distribution[:k] {
		if s.class(j) == Difficult {
			d += p
		}
	}
	r.Difficult = clamp01(d)
	r.NetEasy = 100 * (r.Easy - r.Difficult)
	return r, nil
}

func clamp01(x float64) float64 { return math.Min(1, math.Max(0, x)) }

// Compute returns the Customer Effort Score of answers on the Standard7 scale (CES 2.0):
//
//	CES = Σ_i w_i r_i / Σ_i w_i
//
// the mean rating, with the shares of easy (5-7) and difficult (1-3) answers (Dixon,
// Freeman & Toman 2010; CEB 2013 for the 7-point agreement scale). If weights is nil then
// all of the weights are 1. If weights is not nil, then len(scores) must equal
// len(weights).
//
// A score outside [1, 7] is an *cxmetrics.InputError wrapping ErrOutOfRange with the index
// of the first such score; a negative weight wraps ErrNegativeWeight, a NaN or infinite
// one ErrNotFinite, and a non-zero weight outside [1e-150, 1e150] ErrOutOfRange (weights
// are relative: rescale them). No answers, or weights that sum to zero, is ErrEmpty.
func Compute(scores []int, weights []float64) (Result, error) {
	return ComputeScale(Standard7, scores, weights)
}

// ComputeScale is Compute on any valid Scale, for example Standard5, whose low ratings
// are easy. If weights is nil then all of the weights are 1. If weights is not nil, then
// len(scores) must equal len(weights).
func ComputeScale(s Scale, scores []int, weights []float64) (Result, error) {
	if err := s.Validate(); err != nil {
		return Result{}, err
	}
	var bins [MaxScalePoints]survey.Bin
	k := s.points()
	if err := survey.Count(pkg, s.layout(), scores, weights, bins[:k]); err != nil {
		return Result{}, err
	}
	return result(s, bins[:k])
}

// ComputeSeq is ComputeScale for a stream of unweighted scores. It stops at the first
// invalid score, whose position in the stream the error gives.
func ComputeSeq(s Scale, scores iter.Seq[int]) (Result, error) {
	if err := s.Validate(); err != nil {
		return Result{}, err
	}
	var bins [MaxScalePoints]survey.Bin
	if err := survey.CountSeq(pkg, s.layout(), scores, bins[:s.points()]); err != nil {
		return Result{}, err
	}
	return result(s, bins[:s.points()])
}

// check returns nil for a Result that Compute could have returned, and an error otherwise:
// a Result decoded from JSON or built by hand with an invalid scale, counts that do not add
// up, a distribution that is not one (entries outside [0, 1], mass beyond the scale, a sum
// other than 1), a Mean, SD, Easy, Difficult or NetEasy that the distribution does not
// give, or a weight or effective n that is not positive and finite. No answers is
// ErrEmpty, anything else ErrCorrupt.
func (r Result) check() error {
	bad := func(what string, v any) error {
		return fmt.Errorf("ces: result: %s %v: %w", what, v, cxmetrics.ErrCorrupt)
	}
	if r.N <= 0 {
		return fmt.Errorf("ces: result with %d answers: %w", r.N, cxmetrics.ErrEmpty)
	}
	if err := r.Scale.Validate(); err != nil {
		return bad("scale", r.Scale)
	}
	switch {
	case uint64(r.N) > MaxAnswers: // uint64: an int may be 32 bits
		return bad("answers", r.N)
	case r.EasyCount < 0 || r.DifficultCount < 0 || r.EasyCount > r.N || r.DifficultCount > r.N-r.EasyCount:
		return bad("bucket counts", [2]int{r.EasyCount, r.DifficultCount})
	case !(r.Weight > 0) || math.IsInf(r.Weight, 0):
		return bad("weight", r.Weight)
	case !(r.EffectiveN >= 1 && r.EffectiveN <= MaxAnswers):
		return bad("effective n", r.EffectiveN)
	case !(r.EasyEffectiveN >= 1 && r.EasyEffectiveN <= MaxAnswers):
		return bad("effective n of the easy share", r.EasyEffectiveN)
	}
	k := r.Scale.points()
	var sum, mean, easy, difficult float64
	for j, p := range r.Distribution {
		switch {
		case !(p >= 0 && p <= 1):
			return bad("share", p)
		case j >= k && p != 0:
			return bad("share beyond the scale", p)
		}
		sum += p
		mean += p * offsets[j]
		switch r.Scale.class(j) {
		case Easy:
			easy += p
		case Difficult:
			difficult += p
		}
	}
	var ss float64
	for j, p := range r.Distribution[:k] {
		ss += p * (offsets[j] - mean) * (offsets[j] - mean)
	}
	span := float64(k - 1)
	sd := 0.0
	if r.N >= 2 {
		sd = math.Sqrt(float64(r.N) / float64(r.N-1) * ss)
	}
	switch {
	case math.Abs(sum-1) > 1e-9:
		return bad("distribution summing to", sum)
	case !(math.Abs(r.Mean-float64(r.Scale.Min)-mean) <= 1e-9*span+1e-15*math.Abs(r.Mean)):
		return bad("mean", r.Mean)
	case !(math.Abs(r.SD-sd) <= 1e-7*span):
		return bad("sd", r.SD)
	case !(math.Abs(r.Easy-easy) <= 1e-9) || r.Easy > 0 && r.EasyCount == 0:
		return bad("easy share", r.Easy)
	case !(math.Abs(r.Difficult-difficult) <= 1e-9) || r.Difficult > 0 && r.DifficultCount == 0:
		return bad("difficult share", r.Difficult)
	case !(math.Abs(r.NetEasy-100*(r.Easy-r.Difficult)) <= 1e-7):
		return bad("net easy", r.NetEasy)
	}
	return nil
}

// Estimate returns the CES in the form the segment and trend functions take: Score (the
// Mean, in rating points), StdErr, N and EffectiveN. A Result that fails validation gives
// the zero Estimate.
func (r Result) Estimate() cxmetrics.Estimate {
	if r.check() != nil {
		return cxmetrics.Estimate{}
	}
	return cxmetrics.Estimate{Score: r.Mean, StdErr: r.StdErr(), N: r.N, EffectiveN: r.EffectiveN}
}

// Normalize maps the mean to a 0-100 ease scale, on which 100 is always the easiest and
// 0 the most difficult end, so that results on scales of different lengths or directions
// compare:
//
//	ease = 100 · (Mean - Min) / (Max - Min)   when HighIsEasy
//	ease = 100 · (Max - Mean) / (Max - Min)   otherwise
//
// that is 100 · (ease-axis mean - Min)/(Max - Min), the percent-of-maximum-possible
// rescaling (Cohen, Cohen, Aiken & West 1999, "The Problem of Units and the Circumstance
// for POMP", Multivariate Behavioral Research 34(3)). A mean of 5.5 on Standard7 is 75; a
// mean of 2 on Standard5 is 75 too. It is linear, so interval bounds map the same way. The
// receiver is validated as for Result.Interval.
func (r Result) Normalize() (float64, error) {
	if err := r.check(); err != nil {
		return 0, err
	}
	span := float64(r.Scale.points() - 1)
	var m float64 // the mean as an offset from Min
	for j, p := range r.Distribution {
		m += p * offsets[j]
	}
	if !r.Scale.HighIsEasy {
		m = span - m
	}
	return math.Min(100, math.Max(0, 100*m/span)), nil
}
