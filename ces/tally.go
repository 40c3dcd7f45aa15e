package ces

import (
	"fmt"

	"github.com/cxmetrics/cxmetrics/internal/survey"
)

// Tally is a mergeable accumulator of answers: a weighted histogram with one bin per
// rating (answers, Σw and Σw²). Services add answers as they arrive, merge tallies from
// shards or time windows, and store them with MarshalBinary. Merging tallies of split data
// gives the same Result as adding all the data to one tally.
//
// The zero value is an empty tally on the Standard7 scale, ready to use. A Tally must not
// be copied after first use (use Clone) and is not safe for concurrent use. A tally holds
// at most MaxAnswers answers, and its sums of weights and squared weights must stay
// finite: Add and Merge refuse what would break either, and leave the tally unchanged.
// Methods on a nil *Tally return an error wrapping ErrEmpty (or do nothing).
type Tally struct {
	core survey.Tally[Scale]
}

// tallySpec tells the shared tally how a Scale is stored: Min, Max, HighIsEasy (0 or 1),
// EasyMin, DifficultMax.
var tallySpec = &survey.Spec[Scale]{
	Pkg: pkg, Kind: survey.KindCES, Default: Standard7,
	Range: func(s Scale) (int, int) { return s.Min, s.Max },
	Encode: func(s Scale) []int64 {
		var high int64
		if s.HighIsEasy {
			high = 1
		}
		return []int64{int64(s.Min), int64(s.Max), high, int64(s.EasyMin), int64(s.DifficultMax)}
	},
	Decode: func(p []int64) (Scale, error) {
		if p[2] != 0 && p[2] != 1 {
			return Scale{}, fmt.Errorf("direction %d, want 0 or 1", p[2])
		}
		s := Scale{Min: int(p[0]), Max: int(p[1]), HighIsEasy: p[2] == 1, EasyMin: int(p[3]), DifficultMax: int(p[4])}
		return s, s.Validate()
	},
}

// c returns the shared tally, or nil for a nil t.
func (t *Tally) c() *survey.Tally[Scale] {
	if t == nil {
		return nil
	}
	return &t.core
}

// NewTally returns an empty tally on scale s, or ErrInvalidScale.
func NewTally(s Scale) (*Tally, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &Tally{core: survey.NewTally(tallySpec, s)}, nil
}

// Scale returns the tally's scale (Standard7 for a nil tally).
func (t *Tally) Scale() Scale { return t.c().Scale(tallySpec) }

// Add adds one answer of weight 1. A rating outside the scale is an *cxmetrics.InputError
// wrapping ErrOutOfRange (Index -1) and leaves the tally unchanged.
func (t *Tally) Add(score int) error { return t.c().Add(tallySpec, score, 1) }

// AddWeighted adds one answer with a survey weight. A negative weight is
// ErrNegativeWeight, a NaN or infinite one ErrNotFinite, a non-zero weight outside
// [1e-150, 1e150] ErrOutOfRange; the tally is then unchanged.
func (t *Tally) AddWeighted(score int, weight float64) error {
	return t.c().Add(tallySpec, score, weight)
}

// Merge adds every answer of other to t; a nil other adds nothing. Tallies on different
// scales (also the same range with other buckets) do not merge: the error wraps
// ErrScaleMismatch. More than MaxAnswers answers is ErrTooLarge, sums that overflow
// ErrNotFinite; t is then unchanged. Merging a tally into itself doubles it.
func (t *Tally) Merge(other *Tally) error { return t.c().Merge(tallySpec, other.c()) }

// Clone returns an independent copy of t (nil for a nil t).
func (t *Tally) Clone() *Tally {
	if c := t.c().Clone(tallySpec); c != nil {
		return &Tally{core: *c}
	}
	return nil
}

// Reset empties the tally and keeps its scale.
func (t *Tally) Reset() { t.c().Reset(tallySpec) }

// Result returns the CES of everything added so far; ErrEmpty when nothing was added or
// every weight was zero.
func (t *Tally) Result() (Result, error) {
	s, h, err := t.c().Hist(tallySpec)
	if err != nil {
		return Result{}, err
	}
	var bins [MaxScalePoints]survey.Bin
	k := s.points()
	h.Bins(s.layout(), bins[:k])
	return result(s, bins[:k])
}

// MarshalBinary encodes the tally: a version byte (2), the kind of tally, the scale as
// five zig-zag varints (Min, Max, HighIsEasy as 0 or 1, EasyMin, DifficultMax), then for
// each rating its count (uvarint) and its compensated weight sums (four IEEE 754 doubles,
// little endian).
func (t *Tally) MarshalBinary() ([]byte, error) { return t.AppendBinary(nil) }

// AppendBinary appends the encoding of MarshalBinary to b.
func (t *Tally) AppendBinary(b []byte) ([]byte, error) { return t.c().AppendBinary(tallySpec, b) }

// UnmarshalBinary replaces t with a tally encoded by MarshalBinary. Truncated data, an
// unknown version, another package's tally, an invalid scale (or a direction other than 0
// or 1), trailing bytes, or sums that no sequence of valid answers can produce are errors
// wrapping ErrCorrupt; t is then unchanged.
func (t *Tally) UnmarshalBinary(data []byte) error { return t.c().UnmarshalBinary(tallySpec, data) }
