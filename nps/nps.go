package nps

import (
	"fmt"
	"iter"
	"math"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// MaxScalePoints is the largest number of points (Max - Min + 1) a Scale may have. It
// bounds the memory of a Tally, which keeps one bin per point.
const MaxScalePoints = 1 << 16

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
// that names the inconsistent bound otherwise.
func (s Scale) Validate() error {
	switch {
	case s.Min > s.DetractorMax:
		return fmt.Errorf("nps: scale %v: min %d above detractor max %d: %w", s, s.Min, s.DetractorMax, cxmetrics.ErrInvalidScale)
	case s.DetractorMax >= s.PromoterMin:
		return fmt.Errorf("nps: scale %v: detractor max %d not below promoter min %d: %w", s, s.DetractorMax, s.PromoterMin, cxmetrics.ErrInvalidScale)
	case s.PromoterMin > s.Max:
		return fmt.Errorf("nps: scale %v: promoter min %d above max %d: %w", s, s.PromoterMin, s.Max, cxmetrics.ErrInvalidScale)
	case int64(s.Max)-int64(s.Min)+1 > MaxScalePoints:
		return fmt.Errorf("nps: scale %v: more than %d points: %w", s, MaxScalePoints, cxmetrics.ErrInvalidScale)
	}
	return nil
}

// String formats the scale as "[min, max] detractors <= d, promoters >= p".
func (s Scale) String() string {
	return fmt.Sprintf("[%d, %d] detractors <= %d, promoters >= %d", s.Min, s.Max, s.DetractorMax, s.PromoterMin)
}

// points returns the number of score points of a valid scale.
func (s Scale) points() int { return s.Max - s.Min + 1 }

// Category is the class of one answer.
type Category int

// The three categories of the Net Promoter System.
const (
	Detractor Category = iota
	Passive
	Promoter
)

// String returns "detractor", "passive" or "promoter".
func (c Category) String() string {
	switch c {
	case Detractor:
		return "detractor"
	case Passive:
		return "passive"
	case Promoter:
		return "promoter"
	}
	return fmt.Sprintf("Category(%d)", int(c))
}

// Category returns the category of one score. A score outside [Min, Max] is an
// *cxmetrics.InputError wrapping cxmetrics.ErrOutOfRange (Index -1); an invalid scale is
// ErrInvalidScale.
func (s Scale) Category(score int) (Category, error) {
	if err := s.Validate(); err != nil {
		return 0, err
	}
	if score < s.Min || score > s.Max {
		return 0, s.rangeError(-1, score)
	}
	switch {
	case score <= s.DetractorMax:
		return Detractor, nil
	case score >= s.PromoterMin:
		return Promoter, nil
	}
	return Passive, nil
}

func (s Scale) rangeError(i, score int) error {
	return &cxmetrics.InputError{Pkg: "nps", What: "score", Index: i, Value: score,
		Err: cxmetrics.ErrOutOfRange, Detail: fmt.Sprintf("[%d, %d]", s.Min, s.Max)}
}

// Result is a Net Promoter Score with the parts it is made of. Shares are weighted when
// the answers were; counts are always numbers of answers.
type Result struct {
	Scale Scale `json:"scale"`

	N          int     `json:"n"`           // number of answers
	Weight     float64 `json:"weight"`      // sum of weights (= N unweighted)
	EffectiveN float64 `json:"effective_n"` // Kish: (Σw)² / Σw² (= N unweighted)

	DetractorCount int `json:"detractor_count"` // answers in each category
	PassiveCount   int `json:"passive_count"`
	PromoterCount  int `json:"promoter_count"`

	Detractors float64 `json:"detractors"` // share of (weighted) answers, 0..1
	Passives   float64 `json:"passives"`
	Promoters  float64 `json:"promoters"`

	Score float64 `json:"score"` // 100 · (Promoters - Detractors), in [-100, 100]
}

// sums is what every way of computing a Result accumulates.
type sums struct {
	n, nd, np      int
	w, wd, wp, ww2 float64
}

// result turns accumulated sums into a Result. Weighted sums must be finite and
// non-negative.
func (a sums) result(s Scale) (Result, error) {
	if a.n == 0 {
		return Result{}, fmt.Errorf("nps: no answers: %w", cxmetrics.ErrEmpty)
	}
	if !finite(a.w) || !finite(a.ww2) || !finite(a.wd) || !finite(a.wp) {
		return Result{}, &cxmetrics.InputError{Pkg: "nps", What: "sum of weights", Index: -1, Value: a.w,
			Err: cxmetrics.ErrNotFinite, Detail: "(the weights overflow: rescale them)"}
	}
	if !(a.w > 0) {
		return Result{}, fmt.Errorf("nps: %d answers but the weights sum to zero: %w", a.n, cxmetrics.ErrEmpty)
	}
	r := Result{Scale: s, N: a.n, Weight: a.w, DetractorCount: a.nd, PromoterCount: a.np, PassiveCount: a.n - a.nd - a.np}
	r.EffectiveN = a.w * a.w / a.ww2
	if math.IsInf(r.EffectiveN, 0) || math.IsNaN(r.EffectiveN) {
		// Σw² underflowed: weights so tiny that their squares vanish. Rescale.
		r.EffectiveN = (a.w / math.Sqrt(a.ww2)) * (a.w / math.Sqrt(a.ww2))
	}
	// Kish's n_eff lies in [1, n]; clamp rounding (and underflow of tiny weights).
	r.EffectiveN = math.Min(float64(a.n), math.Max(1, r.EffectiveN))
	r.Detractors = clamp01(a.wd / a.w)
	r.Promoters = clamp01(a.wp / a.w)
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
// infinite one ErrNotFinite. No answers, or weights that sum to zero, is ErrEmpty.
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
	if weights != nil && len(weights) != len(scores) {
		return Result{}, fmt.Errorf("nps: %d weights for %d scores: %w", len(weights), len(scores), cxmetrics.ErrLengthMismatch)
	}
	var a sums
	var err error
	if weights == nil {
		a, err = countUnweighted(s, scores)
	} else {
		a, err = countWeighted(s, scores, weights)
	}
	if err != nil {
		return Result{}, err
	}
	return a.result(s)
}

// ComputeSeq is ComputeScale for a stream of unweighted scores. It stops at the first
// invalid score, whose position in the stream the error gives.
func ComputeSeq(s Scale, scores iter.Seq[int]) (Result, error) {
	if err := s.Validate(); err != nil {
		return Result{}, err
	}
	var a sums
	i := 0
	for v := range scores {
		if v < s.Min || v > s.Max {
			return Result{}, s.rangeError(i, v)
		}
		if v <= s.DetractorMax {
			a.nd++
		} else if v >= s.PromoterMin {
			a.np++
		}
		i++
	}
	a.n = i
	a.w, a.wd, a.wp, a.ww2 = float64(a.n), float64(a.nd), float64(a.np), float64(a.n)
	return a.result(s)
}

// The fast counting paths classify a score with one table lookup. For a scale within
// [0, 255], table[uint8(x)] packs three counters into one word: detractors in bits 0-20,
// promoters in bits 21-41, and invalid scores (bytes outside [Min, Max]) in bits 42-62.
// Adding table entries counts all three at once; OR-ing every score catches the scores
// that the byte would wrap (x < 0 or x > 255). Blocks of at most flushEvery answers keep
// each 21-bit counter from overflowing. Other scales take the general loops.
const (
	tableSize  = 256
	fieldBits  = 21
	fieldMask  = 1<<fieldBits - 1
	flushEvery = 1 << 20
	promoterAt = fieldBits
	invalidAt  = 2 * fieldBits
)

// byteScale reports whether the table paths apply to s.
func byteScale(s Scale) bool { return s.Min >= 0 && s.Max < tableSize }

// classTable returns the packed counter increments of every byte.
func classTable(s Scale) *[tableSize]uint64 {
	var t [tableSize]uint64
	for x := range t {
		switch {
		case x < s.Min || x > s.Max:
			t[x] = 1 << invalidAt
		case x <= s.DetractorMax:
			t[x] = 1
		case x >= s.PromoterMin:
			t[x] = 1 << promoterAt
		}
	}
	return &t
}

// countUnweighted counts detractors and promoters without a branch on the data, so random
// answers cost no branch mispredictions.
func countUnweighted(s Scale, scores []int) (sums, error) {
	if !byteScale(s) {
		return countUnweightedWide(s, scores)
	}
	table := classTable(s)
	var nd, np int
	for start := 0; start < len(scores); start += flushEvery {
		a, or := classifyBlock(table, scores[start:min(start+flushEvery, len(scores))])
		if or >= tableSize || a>>invalidAt != 0 {
			return sums{}, firstBadScore(s, scores)
		}
		nd += int(a & fieldMask)
		np += int(a >> promoterAt & fieldMask)
	}
	n := len(scores)
	a := sums{n: n, nd: nd, np: np}
	a.w, a.wd, a.wp, a.ww2 = float64(n), float64(nd), float64(np), float64(n)
	return a, nil
}

// classifyBlock sums the table entries of a block of scores (at most flushEvery) and ORs
// the scores. It is a separate leaf function so that its few live values stay in
// registers.
func classifyBlock(table *[tableSize]uint64, sc []int) (uint64, uint) {
	var a0, a1, a2, a3 uint64
	var or uint
	i := 0
	for ; i+4 <= len(sc); i += 4 {
		b := sc[i : i+4 : i+4]
		x0, x1, x2, x3 := uint(b[0]), uint(b[1]), uint(b[2]), uint(b[3])
		or |= x0 | x1 | x2 | x3
		a0 += table[uint8(x0)]
		a1 += table[uint8(x1)]
		a2 += table[uint8(x2)]
		a3 += table[uint8(x3)]
	}
	for ; i < len(sc); i++ {
		or |= uint(sc[i])
		a0 += table[uint8(sc[i])]
	}
	return a0 + a1 + a2 + a3, or
}

// countUnweightedWide is countUnweighted for scales wider than the table: each comparison
// becomes the sign bit of a difference, and out-of-range answers are detected by OR-ing
// the signs of score - Min and Max - score. The differences cannot wrap to a wrong sign
// for valid scales (at most MaxScalePoints points).
func countUnweightedWide(s Scale, scores []int) (sums, error) {
	lo, hi := s.Min, s.Max
	dEnd, pStart := s.DetractorMax+1, s.PromoterMin-1
	var d0, d1, p0, p1 int
	var bad int
	i := 0
	for ; i+2 <= len(scores); i += 2 {
		x, y := scores[i], scores[i+1]
		bad |= (x - lo) | (hi - x) | (y - lo) | (hi - y)
		d0 += int(uint(x-dEnd) >> 63)
		p0 += int(uint(pStart-x) >> 63)
		d1 += int(uint(y-dEnd) >> 63)
		p1 += int(uint(pStart-y) >> 63)
	}
	for ; i < len(scores); i++ {
		x := scores[i]
		bad |= (x - lo) | (hi - x)
		d0 += int(uint(x-dEnd) >> 63)
		p0 += int(uint(pStart-x) >> 63)
	}
	if bad < 0 {
		return sums{}, firstBadScore(s, scores)
	}
	n := len(scores)
	a := sums{n: n, nd: d0 + d1, np: p0 + p1}
	a.w, a.wd, a.wp, a.ww2 = float64(n), float64(a.nd), float64(a.np), float64(n)
	return a, nil
}

// firstBadScore returns the error for the first score outside the scale.
func firstBadScore(s Scale, scores []int) error {
	for i, v := range scores {
		if v < s.Min || v > s.Max {
			return s.rangeError(i, v)
		}
	}
	return nil
}

// blockSize is the number of answers summed naively before the block's partial sums are
// added to compensated totals: pairwise-style error growth at the cost of a plain loop.
const blockSize = 1024

// countWeighted sums weights per category in blocks of blockSize answers (see
// weightTable.block). Across blocks, Neumaier summation keeps the rounding error
// independent of the number of answers. Scales outside [0, 255] take a slower general
// loop.
func countWeighted(s Scale, scores []int, weights []float64) (sums, error) {
	if !byteScale(s) {
		return countWeightedWide(s, scores, weights)
	}
	tab := weightTable{counts: classTable(s)}
	for x, v := range tab.counts {
		tab.isD[x] = float64(v & fieldMask)
		tab.isP[x] = float64(v >> promoterAt & fieldMask)
	}
	var tw, twd, twp, tw2 stats.Sum
	var nd, np int
	weights = weights[:len(scores)]
	for start := 0; start < len(scores); start += blockSize {
		end := min(start+blockSize, len(scores))
		b := tab.block(scores[start:end], weights[start:end])
		if b.or >= tableSize || b.c>>invalidAt != 0 || !finite(b.w+b.q) {
			if err := firstBadAnswer(s, scores[start:end], weights[start:end], start); err != nil {
				return sums{}, err
			}
		}
		nd += int(b.c & fieldMask)
		np += int(b.c >> promoterAt & fieldMask)
		tw.Add(b.w)
		twd.Add(b.wd)
		twp.Add(b.wp)
		tw2.Add(b.q)
	}
	return sums{n: len(scores), nd: nd, np: np, w: tw.Value(), wd: twd.Value(), wp: twp.Value(), ww2: tw2.Value()}, nil
}

// weightTable holds the lookup tables of the weighted path: packed counters, and 1 or 0
// as a float for "is a detractor" and "is a promoter", so that a weight is added to its
// category by a multiplication instead of a branch.
type weightTable struct {
	counts   *[tableSize]uint64
	isD, isP [tableSize]float64
}

// blockSums are the partial sums of one block of weighted answers.
type blockSums struct {
	c            uint64 // packed counters
	or           uint   // OR of the scores and of the weights' sign bits moved to bit 8
	w, wd, wp, q float64
}

// block sums one block of weighted answers with two independent accumulators per sum.
// A negative weight sets bit 8 of or (so or >= tableSize); NaN and Inf show in w or q.
func (t *weightTable) block(sc []int, ws []float64) blockSums {
	var c uint64
	var or uint
	var w0, w1, wd0, wd1, wp0, wp1, q0, q1 float64
	ws = ws[:len(sc)]
	i := 0
	for ; i+2 <= len(sc); i += 2 {
		x, y := uint(sc[i]), uint(sc[i+1])
		u, v := ws[i], ws[i+1]
		or |= x | y | uint((math.Float64bits(u)|math.Float64bits(v))>>55)
		kx, ky := uint8(x), uint8(y)
		c += t.counts[kx] + t.counts[ky]
		w0 += u
		w1 += v
		q0 += u * u
		q1 += v * v
		wd0 += u * t.isD[kx]
		wd1 += v * t.isD[ky]
		wp0 += u * t.isP[kx]
		wp1 += v * t.isP[ky]
	}
	for ; i < len(sc); i++ {
		x, u := uint(sc[i]), ws[i]
		or |= x | uint(math.Float64bits(u)>>55)
		k := uint8(x)
		c += t.counts[k]
		w0 += u
		q0 += u * u
		wd0 += u * t.isD[k]
		wp0 += u * t.isP[k]
	}
	return blockSums{c: c, or: or, w: w0 + w1, wd: wd0 + wd1, wp: wp0 + wp1, q: q0 + q1}
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// countWeightedWide is countWeighted for scales wider than the table.
func countWeightedWide(s Scale, scores []int, weights []float64) (sums, error) {
	var tw, twd, twp, tw2 stats.Sum
	var nd, np int
	for i, x := range scores {
		u := weights[i]
		if x < s.Min || x > s.Max {
			return sums{}, s.rangeError(i, x)
		}
		if err := checkWeight(i, u); err != nil {
			return sums{}, err
		}
		tw.Add(u)
		tw2.Add(u * u)
		switch {
		case x <= s.DetractorMax:
			nd++
			twd.Add(u)
		case x >= s.PromoterMin:
			np++
			twp.Add(u)
		}
	}
	return sums{n: len(scores), nd: nd, np: np, w: tw.Value(), wd: twd.Value(), wp: twp.Value(), ww2: tw2.Value()}, nil
}

func firstBadAnswer(s Scale, scores []int, weights []float64, offset int) error {
	for i, v := range scores {
		if v < s.Min || v > s.Max {
			return s.rangeError(offset+i, v)
		}
		if err := checkWeight(offset+i, weights[i]); err != nil {
			return err
		}
	}
	return nil
}

func checkWeight(i int, w float64) error {
	switch {
	case math.IsNaN(w) || math.IsInf(w, 0):
		return &cxmetrics.InputError{Pkg: "nps", What: "weight", Index: i, Value: w, Err: cxmetrics.ErrNotFinite}
	case w < 0:
		return &cxmetrics.InputError{Pkg: "nps", What: "weight", Index: i, Value: w, Err: cxmetrics.ErrNegativeWeight}
	}
	return nil
}
