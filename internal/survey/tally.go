package survey

import (
	"fmt"

	"github.com/cxmetrics/cxmetrics"
)

// Spec describes a package's scale to the shared Tally: the package name for messages,
// its kind byte in encodings, the scale of a zero Tally, and how a valid scale maps to its
// range and to the parameters of its encoding and back (Decode validates).
type Spec[S comparable] struct {
	Pkg     string
	Kind    byte
	Default S
	Range   func(S) (lo, hi int)
	Encode  func(S) []int64
	Decode  func([]int64) (S, error)
}

// Tally is the state and the logic of the nps, csat and ces tallies: a scale and the
// weighted histogram of its answers. The zero value is an empty tally on the Spec's
// Default scale; methods on a nil *Tally return an error wrapping cxmetrics.ErrEmpty (or,
// for those without one, do nothing).
type Tally[S comparable] struct {
	scale S
	h     Hist
}

// NewTally returns an empty tally on a valid scale s.
func NewTally[S comparable](sp *Spec[S], s S) Tally[S] {
	lo, hi := sp.Range(s)
	return Tally[S]{scale: s, h: NewHist(lo, hi)}
}

func (t *Tally[S]) init(sp *Spec[S]) error {
	if t == nil {
		return fmt.Errorf("%s: nil *Tally: %w", sp.Pkg, cxmetrics.ErrEmpty)
	}
	if t.h.N == nil {
		*t = NewTally(sp, sp.Default)
	}
	return nil
}

// Scale returns the tally's scale (the Default for a nil tally).
func (t *Tally[S]) Scale(sp *Spec[S]) S {
	if t.init(sp) != nil {
		return sp.Default
	}
	return t.scale
}

// Add adds one answer x of weight w; see Hist.Add.
func (t *Tally[S]) Add(sp *Spec[S], x int, w float64) error {
	if err := t.init(sp); err != nil {
		return err
	}
	return t.h.Add(sp.Pkg, x, w)
}

// Merge adds every answer of o to t; a nil o adds nothing. Tallies on different scales
// wrap cxmetrics.ErrScaleMismatch; see Hist.Merge for the limits. t is unchanged on error.
func (t *Tally[S]) Merge(sp *Spec[S], o *Tally[S]) error {
	if err := t.init(sp); err != nil {
		return err
	}
	if o == nil {
		return nil
	}
	o.init(sp)
	if t.scale != o.scale {
		return fmt.Errorf("%s: merge %v into %v: %w", sp.Pkg, o.scale, t.scale, cxmetrics.ErrScaleMismatch)
	}
	return t.h.Merge(sp.Pkg, &o.h)
}

// Clone returns an independent copy of t, or nil for a nil t.
func (t *Tally[S]) Clone(sp *Spec[S]) *Tally[S] {
	if t.init(sp) != nil {
		return nil
	}
	return &Tally[S]{scale: t.scale, h: t.h.Clone()}
}

// Reset empties t and keeps its scale.
func (t *Tally[S]) Reset(sp *Spec[S]) {
	if t.init(sp) == nil {
		t.h.Reset()
	}
}

// Hist returns the tally's scale and histogram, for the package to turn into its Result.
func (t *Tally[S]) Hist(sp *Spec[S]) (S, *Hist, error) {
	if err := t.init(sp); err != nil {
		var zero S
		return zero, nil, err
	}
	return t.scale, &t.h, nil
}

// AppendBinary appends the encoding of Hist.AppendBinary, with the Spec's kind and the
// scale's parameters, to b.
func (t *Tally[S]) AppendBinary(sp *Spec[S], b []byte) ([]byte, error) {
	if err := t.init(sp); err != nil {
		return nil, err
	}
	return t.h.AppendBinary(b, sp.Kind, sp.Encode(t.scale)), nil
}

// UnmarshalBinary replaces t with the tally encoded in data; see Decode for what is
// rejected (as cxmetrics.ErrCorrupt). t is unchanged on error.
func (t *Tally[S]) UnmarshalBinary(sp *Spec[S], data []byte) error {
	if t == nil {
		return fmt.Errorf("%s: decode into a nil *Tally: %w", sp.Pkg, cxmetrics.ErrEmpty)
	}
	var s S
	h, _, err := Decode(sp.Pkg, data, sp.Kind, len(sp.Encode(sp.Default)), func(p []int64) (int, int, error) {
		var err error
		if s, err = sp.Decode(p); err != nil {
			return 0, 0, err
		}
		lo, hi := sp.Range(s)
		return lo, hi, nil
	})
	if err != nil {
		return err
	}
	t.scale, t.h = s, h
	return nil
}
