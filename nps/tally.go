package nps

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// Tally is a mergeable accumulator of answers: a weighted histogram with one bin per score
// point. Services add answers as they arrive, merge tallies from shards or time windows,
// and store them with MarshalBinary. Merging tallies of split data gives the same Result
// as adding all the data to one tally.
//
// The zero value is an empty tally on the Standard scale, ready to use. A Tally must not
// be copied after first use (use Clone) and is not safe for concurrent use.
type Tally struct {
	scale  Scale
	counts []uint64    // answers per score point
	w      []stats.Sum // sum of weights per point
	w2     []stats.Sum // sum of squared weights per point
}

// NewTally returns an empty tally on scale s, or ErrInvalidScale.
func NewTally(s Scale) (*Tally, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	t := &Tally{}
	t.init(s)
	return t, nil
}

func (t *Tally) init(s Scale) {
	t.scale = s
	k := s.points()
	t.counts = make([]uint64, k)
	t.w = make([]stats.Sum, k)
	t.w2 = make([]stats.Sum, k)
}

func (t *Tally) lazyInit() {
	if t.counts == nil {
		t.init(Standard)
	}
}

// Scale returns the tally's scale.
func (t *Tally) Scale() Scale {
	t.lazyInit()
	return t.scale
}

// Add adds one answer of weight 1. A score outside the scale is an *cxmetrics.InputError
// wrapping ErrOutOfRange (Index -1) and leaves the tally unchanged.
func (t *Tally) Add(score int) error {
	return t.AddWeighted(score, 1)
}

// AddWeighted adds one answer with a survey weight. A negative weight is
// ErrNegativeWeight, a NaN or infinite one ErrNotFinite; the tally is then unchanged.
func (t *Tally) AddWeighted(score int, weight float64) error {
	t.lazyInit()
	if score < t.scale.Min || score > t.scale.Max {
		return t.scale.rangeError(-1, score)
	}
	if err := checkWeight(-1, weight); err != nil {
		return err
	}
	i := score - t.scale.Min
	t.counts[i]++
	t.w[i].Add(weight)
	t.w2[i].Add(weight * weight)
	return nil
}

// Merge adds every answer of other to t. Tallies on different scales do not merge: the
// error wraps ErrScaleMismatch and t is unchanged. Merging a tally into itself doubles it.
func (t *Tally) Merge(other *Tally) error {
	t.lazyInit()
	other.lazyInit()
	if t.scale != other.scale {
		return fmt.Errorf("nps: merge %v into %v: %w", other.scale, t.scale, cxmetrics.ErrScaleMismatch)
	}
	if t == other {
		other = other.Clone()
	}
	for i := range t.counts {
		t.counts[i] += other.counts[i]
		t.w[i].Merge(other.w[i])
		t.w2[i].Merge(other.w2[i])
	}
	return nil
}

// Clone returns an independent copy of t.
func (t *Tally) Clone() *Tally {
	t.lazyInit()
	return &Tally{scale: t.scale, counts: slices.Clone(t.counts), w: slices.Clone(t.w), w2: slices.Clone(t.w2)}
}

// Reset empties the tally and keeps its scale.
func (t *Tally) Reset() {
	t.lazyInit()
	clear(t.counts)
	clear(t.w)
	clear(t.w2)
}

// Result returns the NPS of everything added so far; ErrEmpty when nothing was added or
// every weight was zero.
func (t *Tally) Result() (Result, error) {
	t.lazyInit()
	var a sums
	var w, wd, wp, w2 stats.Sum
	for i, c := range t.counts {
		if c == 0 {
			continue
		}
		score := t.scale.Min + i
		a.n += int(c)
		w.Merge(t.w[i])
		w2.Merge(t.w2[i])
		switch {
		case score <= t.scale.DetractorMax:
			a.nd += int(c)
			wd.Merge(t.w[i])
		case score >= t.scale.PromoterMin:
			a.np += int(c)
			wp.Merge(t.w[i])
		}
	}
	a.w, a.wd, a.wp, a.ww2 = w.Value(), wd.Value(), wp.Value(), w2.Value()
	return a.result(t.scale)
}

// encodingVersion is the first byte of every encoded Tally.
const encodingVersion = 1

// MarshalBinary encodes the tally: a version byte, the scale as four zig-zag varints, then
// for each score point its count (uvarint) and its compensated weight sums (four IEEE 754
// doubles, little endian).
func (t *Tally) MarshalBinary() ([]byte, error) {
	return t.AppendBinary(nil)
}

// AppendBinary appends the encoding of MarshalBinary to b.
func (t *Tally) AppendBinary(b []byte) ([]byte, error) {
	t.lazyInit()
	b = append(b, encodingVersion)
	for _, v := range [...]int{t.scale.Min, t.scale.Max, t.scale.DetractorMax, t.scale.PromoterMin} {
		b = binary.AppendVarint(b, int64(v))
	}
	for i, c := range t.counts {
		b = binary.AppendUvarint(b, c)
		ws, wc := t.w[i].Parts()
		qs, qc := t.w2[i].Parts()
		for _, f := range [...]float64{ws, wc, qs, qc} {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
		}
	}
	return b, nil
}

// UnmarshalBinary replaces t with a tally encoded by MarshalBinary. Truncated data, an
// unknown version, an invalid scale, trailing bytes, or sums that no sequence of valid
// answers can produce are errors wrapping ErrCorrupt; t is then unchanged.
func (t *Tally) UnmarshalBinary(data []byte) error {
	corrupt := func(what string) error {
		return fmt.Errorf("nps: decode tally: %s: %w", what, cxmetrics.ErrCorrupt)
	}
	if len(data) == 0 {
		return corrupt("no data")
	}
	if data[0] != encodingVersion {
		return corrupt(fmt.Sprintf("unknown version %d", data[0]))
	}
	data = data[1:]
	var bounds [4]int64
	for i := range bounds {
		v, k := binary.Varint(data)
		if k <= 0 {
			return corrupt("truncated scale")
		}
		if v < math.MinInt32 || v > math.MaxInt32 {
			return corrupt("scale bound out of range")
		}
		bounds[i] = v
		data = data[k:]
	}
	s := Scale{Min: int(bounds[0]), Max: int(bounds[1]), DetractorMax: int(bounds[2]), PromoterMin: int(bounds[3])}
	if err := s.Validate(); err != nil {
		return corrupt(err.Error())
	}
	var u Tally
	u.init(s)
	var total uint64
	for i := range u.counts {
		c, k := binary.Uvarint(data)
		if k <= 0 {
			return corrupt("truncated counts")
		}
		data = data[k:]
		if len(data) < 32 {
			return corrupt("truncated sums")
		}
		var f [4]float64
		for j := range f {
			f[j] = math.Float64frombits(binary.LittleEndian.Uint64(data[8*j:]))
			if math.IsNaN(f[j]) || math.IsInf(f[j], 0) {
				return corrupt("sum is not finite")
			}
		}
		data = data[32:]
		u.counts[i] = c
		u.w[i] = stats.SumOf(f[0], f[1])
		u.w2[i] = stats.SumOf(f[2], f[3])
		if total+c < total || total+c > math.MaxInt64 {
			return corrupt("count overflows")
		}
		total += c
		w, w2 := u.w[i].Value(), u.w2[i].Value()
		// For c non-negative weights with sum w, their squares sum to between w²/c and w².
		if w < 0 || w2 < 0 || (c == 0 && (w != 0 || w2 != 0)) ||
			w2 > w*w*(1+1e-9) || w2*float64(c) < w*w*(1-1e-9) {
			return corrupt("weight sums inconsistent with counts")
		}
	}
	if len(data) != 0 {
		return corrupt(fmt.Sprintf("%d trailing bytes", len(data)))
	}
	*t = u
	return nil
}
