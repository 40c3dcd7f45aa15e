package nps

import (
	"fmt"
	"iter"
	"math"
	"math/bits"

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

// countUnweighted counts detractors and promoters with the fastest path the processor
// and the scale allow: AVX2 vectors (four comparisons at a time), else the byte table,
// else sign-bit arithmetic. None branches on the data, so random answers cost no branch
// mispredictions.
func countUnweighted(s Scale, scores []int) (sums, error) {
	n4 := len(scores) &^ 3
	if nd, np, bad, ok := countVector(s, scores[:n4]); ok {
		for _, x := range scores[n4:] {
			bad = bad || x < s.Min || x > s.Max
			if x <= s.DetractorMax {
				nd++
			} else if x >= s.PromoterMin {
				np++
			}
		}
		if bad {
			return sums{}, firstBadScore(s, scores)
		}
		return unweightedSums(len(scores), nd, np), nil
	}
	if byteScale(s) {
		return countUnweightedTable(s, scores)
	}
	return countUnweightedWide(s, scores)
}

func unweightedSums(n, nd, np int) sums {
	return sums{n: n, nd: nd, np: np, w: float64(n), wd: float64(nd), wp: float64(np), ww2: float64(n)}
}

// countUnweightedTable counts with the byte table, for scales within [0, 255].
func countUnweightedTable(s Scale, scores []int) (sums, error) {
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
	return unweightedSums(len(scores), nd, np), nil
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

// signShift moves the sign bit of an int to bit 0.
const signShift = bits.UintSize - 1

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
		d0 += int(uint(x-dEnd) >> signShift)
		p0 += int(uint(pStart-x) >> signShift)
		d1 += int(uint(y-dEnd) >> signShift)
		p1 += int(uint(pStart-y) >> signShift)
	}
	for ; i < len(scores); i++ {
		x := scores[i]
		bad |= (x - lo) | (hi - x)
		d0 += int(uint(x-dEnd) >> signShift)
		p0 += int(uint(pStart-x) >> signShift)
	}
	if bad < 0 {
		return sums{}, firstBadScore(s, scores)
	}
	return unweightedSums(len(scores), d0+d1, p0+p1), nil
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

// countWeighted sums weights per category in blocks of blockSize answers, with AVX2
// vectors where the processor has them, else with the byte-table histogram, else with a
// plain loop. Within a block the sums are plain (in vector lanes or histogram bins);
// across blocks, Neumaier summation keeps the rounding error independent of the number of
// answers.
func countWeighted(s Scale, scores []int, weights []float64) (sums, error) {
	if hasAVX2 {
		return countWeightedVector(s, scores, weights)
	}
	if byteScale(s) {
		return countWeightedTable(s, scores, weights)
	}
	return countWeightedWide(s, scores, weights)
}

// blockSums are the partial results of one block of weighted answers.
type blockSums struct {
	nd, np       int
	bad          bool // a score out of range, or a negative or NaN weight
	w, wd, wp, q float64
}

// countWeightedVector is countWeighted with the AVX2 kernel.
func countWeightedVector(s Scale, scores []int, weights []float64) (sums, error) {
	var tw, twd, twp, tw2 stats.Sum
	var nd, np int
	weights = weights[:len(scores)]
	for start := 0; start < len(scores); start += blockSize {
		end := min(start+blockSize, len(scores))
		sc, ws := scores[start:end], weights[start:end]
		var b blockSums
		n4 := len(sc) &^ 3
		weightedVector(s, sc[:n4], ws[:n4], &b)
		for i, x := range sc[n4:] {
			u := ws[n4+i]
			b.bad = b.bad || x < s.Min || x > s.Max || !(u >= 0)
			b.w += u
			b.q += u * u
			if x <= s.DetractorMax {
				b.nd++
				b.wd += u
			} else if x >= s.PromoterMin {
				b.np++
				b.wp += u
			}
		}
		if b.bad || !finite(b.w+b.q) {
			if err := firstBadAnswer(s, sc, ws, start); err != nil {
				return sums{}, err
			}
		}
		nd += b.nd
		np += b.np
		tw.Add(b.w)
		twd.Add(b.wd)
		twp.Add(b.wp)
		tw2.Add(b.q)
	}
	return sums{n: len(scores), nd: nd, np: np, w: tw.Value(), wd: twd.Value(), wp: twp.Value(), ww2: tw2.Value()}, nil
}

// countWeightedTable is countWeighted for scales within [0, 255]: a histogram of weight
// per score byte (see weightHistogram), with packed counters from the byte table.
func countWeightedTable(s Scale, scores []int, weights []float64) (sums, error) {
	table := classTable(s)
	var bins [tableSize]stats.Sum // compensated weight per score
	var tw2 stats.Sum
	var nd, np int
	var h weightHistogram
	weights = weights[:len(scores)]
	for start := 0; start < len(scores); start += blockSize {
		end := min(start+blockSize, len(scores))
		sc, ws := scores[start:end], weights[start:end]
		c, or, sign, q := h.add(table, sc, ws)
		if or >= tableSize || c>>invalidAt != 0 || sign>>63 != 0 || !finite(q) {
			if err := firstBadAnswer(s, sc, ws, start); err != nil {
				return sums{}, err
			}
		}
		nd += int(c & fieldMask)
		np += int(c >> promoterAt & fieldMask)
		tw2.Add(q)
		for x := s.Min; x <= s.Max; x++ {
			bins[x].Add(h[0][x] + h[1][x] + h[2][x] + h[3][x])
			h[0][x], h[1][x], h[2][x], h[3][x] = 0, 0, 0, 0
		}
	}
	var tw, twd, twp stats.Sum
	for x := s.Min; x <= s.Max; x++ {
		tw.Merge(bins[x])
		switch {
		case x <= s.DetractorMax:
			twd.Merge(bins[x])
		case x >= s.PromoterMin:
			twp.Merge(bins[x])
		}
	}
	return sums{n: len(scores), nd: nd, np: np, w: tw.Value(), wd: twd.Value(), wp: twp.Value(), ww2: tw2.Value()}, nil
}

// weightHistogram holds four interleaved histograms of weight per score byte, so that
// consecutive answers with the same score do not wait on each other's store.
type weightHistogram [4][tableSize]float64

// add adds a block of weighted answers to h and returns the block's packed counters, the
// OR of its scores, the OR of its weights' bits (a negative weight sets the sign bit) and
// its sum of squared weights (NaN or Inf when a weight is).
func (h *weightHistogram) add(table *[tableSize]uint64, sc []int, ws []float64) (c uint64, or uint, sign uint64, q float64) {
	ws = ws[:len(sc)]
	var q1 float64
	i := 0
	for ; i+4 <= len(sc); i += 4 {
		x := sc[i : i+4 : i+4]
		u := ws[i : i+4 : i+4]
		or |= uint(x[0]) | uint(x[1]) | uint(x[2]) | uint(x[3])
		sign |= math.Float64bits(u[0]) | math.Float64bits(u[1]) | math.Float64bits(u[2]) | math.Float64bits(u[3])
		k0, k1, k2, k3 := uint8(x[0]), uint8(x[1]), uint8(x[2]), uint8(x[3])
		c += table[k0] + table[k1] + table[k2] + table[k3]
		h[0][k0] += u[0]
		h[1][k1] += u[1]
		h[2][k2] += u[2]
		h[3][k3] += u[3]
		q += u[0]*u[0] + u[1]*u[1]
		q1 += u[2]*u[2] + u[3]*u[3]
	}
	for ; i < len(sc); i++ {
		x, u := sc[i], ws[i]
		or |= uint(x)
		sign |= math.Float64bits(u)
		k := uint8(x)
		c += table[k]
		h[0][k] += u
		q += u * u
	}
	return c, or, sign, q + q1
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
