package ces

import (
	"fmt"

	"github.com/cxmetrics/cxmetrics"
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
type Tally struct {
	scale Scale
	h     survey.Hist
}

// NewTally returns an empty tally on scale s, or ErrInvalidScale.
func NewTally(s Scale) (*Tally, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &Tally{scale: s, h: survey.NewHist(s.Min, s.Max)}, nil
}

// init gives the zero value its Standard7 scale; a nil tally is an error.
func (t *Tally) init() error {
	if t == nil {
		return fmt.Errorf("ces: nil *Tally: %w", cxmetrics.ErrEmpty)
	}
	if t.h.N == nil {
		t.scale, t.h = Standard7, survey.NewHist(Standard7.Min, Standard7.Max)
	}
	return nil
}

// Scale returns the tally's scale (Standard7 for a nil tally).
func (t *Tally) Scale() Scale {
	if t.init() != nil {
		return Standard7
	}
	return t.scale
}

// Add adds one answer of weight 1. A rating outside the scale is an *cxmetrics.InputError
// wrapping ErrOutOfRange (Index -1) and leaves the tally unchanged.
func (t *Tally) Add(score int) error {
	return t.AddWeighted(score, 1)
}

// AddWeighted adds one answer with a survey weight. A negative weight is
// ErrNegativeWeight, a NaN or infinite one ErrNotFinite, a non-zero weight outside
// [1e-150, 1e150] ErrOutOfRange; the tally is then unchanged.
func (t *Tally) AddWeighted(score int, weight float64) error {
	if err := t.init(); err != nil {
		return err
	}
	return t.h.Add(pkg, score, weight)
}

// Merge adds every answer of other to t; a nil other adds nothing. Tallies on different
// scales do not merge: the error wraps ErrScaleMismatch. More than MaxAnswers answers is
// ErrTooLarge, sums that overflow ErrNotFinite; t is then unchanged. Merging a tally into
// itself doubles it.
func (t *Tally) Merge(other *Tally) error {
	if err := t.init(); err != nil {
		return err
	}
	if other == nil {
		return nil
	}
	other.init()
	if t.scale != other.scale {
		return fmt.Errorf("ces: merge %v into %v: %w", other.scale, t.scale, cxmetrics.ErrScaleMismatch)
	}
	return t.h.Merge(pkg, &other.h)
}

// Clone returns an independent copy of t.
func (t *Tally) Clone() *Tally {
	if t.init() != nil {
		return nil
	}
	return &Tally{scale: t.scale, h: t.h.Clone()}
}

// Reset empties the tally and keeps its scale.
func (t *Tally) Reset() {
	if t.init() == nil {
		t.h.Reset()
	}
}

// Result returns the CES of everything added so far; ErrEmpty when nothing was added or
// every weight was zero.
func (t *Tally) Result() (Result, error) {
	if err := t.init(); err != nil {
		return Result{}, err
	}
	var bins [MaxScalePoints]survey.Bin
	k := t.scale.points()
	t.h.Bins(t.scale.layout(), bins[:k])
	return result(t.scale, bins[:k])
}

// MarshalBinary encodes the tally: a version byte (2), the kind of tally, the scale as
// five zig-zag varints (Min, Max, HighIsEasy as 0 or 1, EasyMin, DifficultMax), then for
// each rating its count (uvarint) and its compensated weight sums (four IEEE 754 doubles,
// little endian).
func (t *Tally) MarshalBinary() ([]byte, error) {
	return t.AppendBinary(nil)
}

// AppendBinary appends the encoding of MarshalBinary to b.
func (t *Tally) AppendBinary(b []byte) ([]byte, error) {
	if err := t.init(); err != nil {
		return nil, err
	}
	s := t.scale
	var high int64
	if s.HighIsEasy {
		high = 1
	}
	return t.h.AppendBinary(b, survey.KindCES, []int64{int64(s.Min), int64(s.Max), high, int64(s.EasyMin), int64(s.DifficultMax)}), nil
}

// UnmarshalBinary replaces t with a tally encoded by MarshalBinary. Truncated data, an
// unknown version, another package's tally, an invalid scale (or a direction other than 0
// or 1), trailing bytes, or sums that no sequence of valid answers can produce are errors
// wrapping ErrCorrupt; t is then unchanged.
func (t *Tally) UnmarshalBinary(data []byte) error {
	if t == nil {
		return fmt.Errorf("ces: decode into a nil *Tally: %w", cxmetrics.ErrEmpty)
	}
	var s Scale
	h, _, err := survey.Decode(pkg, data, survey.KindCES, 5, func(p []int64) (int, int, error) {
		if p[2] != 0 && p[2] != 1 {
			return 0, 0, fmt.Errorf("direction %d, want 0 or 1", p[2])
		}
		s = Scale{Min: int(p[0]), Max: int(p[1]), HighIsEasy: p[2] == 1, EasyMin: int(p[3]), DifficultMax: int(p[4])}
		return s.Min, s.Max, s.Validate()
	})
	if err != nil {
		return err
	}
	t.scale, t.h = s, h
	return nil
}
