package csat

import "github.com/cxmetrics/cxmetrics/internal/survey"

// Tally is a mergeable accumulator of answers: a weighted histogram with one bin per score
// point (answers, Σw and Σw²). Services add answers as they arrive, merge tallies from
// shards or time windows, and store them with MarshalBinary. Merging tallies of split data
// gives the same Result as adding all the data to one tally.
//
// The zero value is an empty tally on the Standard scale, ready to use. A Tally must not
// be copied after first use (use Clone) and is not safe for concurrent use. A tally holds
// at most MaxAnswers answers, and its sums of weights and squared weights must stay
// finite: Add and Merge refuse what would break either, and leave the tally unchanged.
type Tally struct {
	core survey.Tally[Scale]
}

// tallySpec tells the shared tally how a Scale is stored.
var tallySpec = &survey.Spec[Scale]{
	Pkg: pkg, Kind: survey.KindCSAT, Default: Standard,
	Range:  func(s Scale) (int, int) { return s.Min, s.Max },
	Encode: func(s Scale) []int64 { return []int64{int64(s.Min), int64(s.Max), int64(s.SatisfiedMin)} },
	Decode: func(p []int64) (Scale, error) {
		s := Scale{Min: int(p[0]), Max: int(p[1]), SatisfiedMin: int(p[2])}
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

// Scale returns the tally's scale (Standard for a nil tally).
func (t *Tally) Scale() Scale { return t.c().Scale(tallySpec) }

// Add adds one answer of weight 1. A score outside the scale is an *cxmetrics.InputError
// wrapping ErrOutOfRange (Index -1) and leaves the tally unchanged.
func (t *Tally) Add(score int) error { return t.c().Add(tallySpec, score, 1) }

// AddWeighted adds one answer with a survey weight. A negative weight is
// ErrNegativeWeight, a NaN or infinite one ErrNotFinite, a non-zero weight outside
// [1e-150, 1e150] ErrOutOfRange; the tally is then unchanged.
func (t *Tally) AddWeighted(score int, weight float64) error {
	return t.c().Add(tallySpec, score, weight)
}

// Merge adds every answer of other to t; a nil other adds nothing. Tallies on different
// scales do not merge: the error wraps ErrScaleMismatch. More than MaxAnswers answers is
// ErrTooLarge, sums that overflow ErrNotFinite; t is then unchanged. Merging a tally into
// itself doubles it.
func (t *Tally) Merge(other *Tally) error { return t.c().Merge(tallySpec, other.c()) }

// Clone returns an independent copy of t (nil for a nil t).
func (t *Tally) Clone() *Tally {
	c := t.c().Clone(tallySpec)
	if c == nil {
		return nil
	}
	return &Tally{core: *c}
}

// Reset empties the tally and keeps its scale.
func (t *Tally) Reset() { t.c().Reset(tallySpec) }

// Result returns the CSAT of everything added so far; ErrEmpty when nothing was added or
// every weight was zero.
func (t *Tally) Result() (Result, error) {
	var w scratch
	s, bins, shares, err := t.bins(&w)
	if err != nil {
		return Result{}, err
	}
	return result(s, bins, shares)
}

// bins returns the tally's scale and its answers per point, in w's bins when they fit,
// with as many shares to fill.
func (t *Tally) bins(w *scratch) (Scale, []survey.Bin, []float64, error) {
	s, h, err := t.c().Hist(tallySpec)
	if err != nil {
		return s, nil, nil, err
	}
	l, bins, shares := w.layout(s)
	h.Bins(l, bins)
	return s, bins, shares, nil
}

// Distribution returns the answers and (weighted) shares of every point from Min to Max,
// on a scale of any length; ErrEmpty when nothing was added or every weight was zero.
func (t *Tally) Distribution() ([]Point, error) {
	var w scratch
	s, bins, shares, err := t.bins(&w)
	if err != nil {
		return nil, err
	}
	if _, err := result(s, bins, shares); err != nil {
		return nil, err
	}
	d := make([]Point, len(bins))
	for i, b := range bins {
		d[i] = Point{Score: s.Min + i, Count: int(b.N), Share: clamp(shares[i], 0, 1)}
	}
	return d, nil
}

// MarshalBinary encodes the tally: a version byte (2), the kind of tally, the scale as
// three zig-zag varints, then for each score point its count (uvarint) and its compensated
// weight sums (four IEEE 754 doubles, little endian).
func (t *Tally) MarshalBinary() ([]byte, error) { return t.AppendBinary(nil) }

// AppendBinary appends the encoding of MarshalBinary to b.
func (t *Tally) AppendBinary(b []byte) ([]byte, error) { return t.c().AppendBinary(tallySpec, b) }

// UnmarshalBinary replaces t with a tally encoded by MarshalBinary. Truncated data, an
// unknown version, another package's tally, an invalid scale, trailing bytes, or sums that
// no sequence of valid answers can produce are errors wrapping ErrCorrupt; t is then
// unchanged.
func (t *Tally) UnmarshalBinary(data []byte) error { return t.c().UnmarshalBinary(tallySpec, data) }
