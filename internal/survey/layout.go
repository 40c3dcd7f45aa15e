package survey

import (
	"fmt"
	"math"

	"github.com/cxmetrics/cxmetrics"
)

// The kinds of tally in an encoding, so that one package's tally never decodes as another's.
const (
	KindNPS  byte = 1
	KindCSAT byte = 2
	KindCES  byte = 3
)

// Limits that keep every sum exact or finite and every allocation bounded.
const (
	// MaxPoints is the largest number of points (Max - Min + 1) a scale may have. It
	// bounds the memory of a Hist, which keeps one bin per point.
	MaxPoints = 1 << 16
	// MaxCount is the largest number of answers a tally or a result may hold: 2^53, so
	// that every count converts to float64 exactly.
	MaxCount = 1 << 53
	// MinWeight and MaxWeight bound a non-zero weight, so that its square, and sums of
	// squares, stay normal floating-point numbers. Weights are relative: rescale weights
	// outside these bounds.
	MinWeight = 1e-150
	MaxWeight = 1e150
)

// CheckRange returns nil when [lo, hi] is a scale of at most MaxPoints points, computed
// without overflow for any lo and hi, and an error wrapping cxmetrics.ErrInvalidScale
// otherwise, for the caller to prefix with its package and scale.
func CheckRange(lo, hi int) error {
	switch {
	case lo > hi:
		return fmt.Errorf("min %d above max %d: %w", lo, hi, cxmetrics.ErrInvalidScale)
	case uint(hi)-uint(lo) >= MaxPoints: // hi - lo as an unsigned difference cannot wrap
		return fmt.Errorf("more than %d points: %w", MaxPoints, cxmetrics.ErrInvalidScale)
	}
	return nil
}

// Layout is a validated scale [Lo, Hi] cut into at most MaxPoints bins: bin j holds the
// scores x with Edges[j] <= x - Lo < Edges[j+1]. Edges[0] is 0, Edges[len(Edges)-1] the
// number of points, and the edges do not decrease (a bin may be empty, as the passives of
// an NPS scale without them).
//
// A Layout holds no package name (errors take it separately), so that its edges never
// escape to the heap through an error.
type Layout struct {
	Lo, Hi int
	Edges  []int
}

// Bins returns the number of bins.
func (l Layout) Bins() int { return len(l.Edges) - 1 }

// Points returns a layout with one bin per point of [lo, hi], which must be a valid range.
// Scales of up to 16 points share one read-only array of edges, so that they allocate
// nothing.
func Points(lo, hi int) Layout {
	n := hi - lo + 1
	if n < len(smallEdges) {
		return Layout{Lo: lo, Hi: hi, Edges: smallEdges[:n+1]}
	}
	edges := make([]int, n+1)
	for i := range edges {
		edges[i] = i
	}
	return Layout{Lo: lo, Hi: hi, Edges: edges}
}

// smallEdges are the edges of Points layouts of up to 16 points; never written.
var smallEdges = [...]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}

// ScoreError returns the error for score x at index i (-1 for none) outside [lo, hi].
func ScoreError(pkg string, lo, hi, i, x int) error {
	return &cxmetrics.InputError{Pkg: pkg, What: "score", Index: i, Value: x,
		Err: cxmetrics.ErrOutOfRange, Detail: fmt.Sprintf("[%d, %d]", lo, hi)}
}

// inRange reports whether x lies in [lo, hi].
func inRange(lo, hi, x int) bool { return uint(x)-uint(lo) <= uint(hi)-uint(lo) }

// CheckWeight returns nil for a usable weight: 0, or within [MinWeight, MaxWeight]. A NaN
// or infinite weight wraps cxmetrics.ErrNotFinite, a negative one ErrNegativeWeight, and a
// weight outside the bounds ErrOutOfRange; i is its index (-1 for none).
func CheckWeight(pkg string, i int, w float64) error {
	e := &cxmetrics.InputError{Pkg: pkg, What: "weight", Index: i, Value: w}
	switch {
	case math.IsNaN(w) || math.IsInf(w, 0):
		e.Err = cxmetrics.ErrNotFinite
	case w < 0:
		e.Err = cxmetrics.ErrNegativeWeight
	case w != 0 && (w < MinWeight || w > MaxWeight):
		e.Err = cxmetrics.ErrOutOfRange
		e.Detail = fmt.Sprintf("(a weight is 0 or within [%g, %g]; weights are relative, so rescale them)", MinWeight, MaxWeight)
	default:
		return nil
	}
	return e
}

// firstBad returns the error for the first bad score or weight of a block that starts at
// index offset of the caller's input; weights may be nil. It takes the layout's fields
// rather than the layout, so that the layout's edges do not escape to the heap.
func firstBad(pkg string, lo, hi int, scores []int, weights []float64, offset int) error {
	for i, x := range scores {
		if !inRange(lo, hi, x) {
			return ScoreError(pkg, lo, hi, offset+i, x)
		}
		if weights != nil {
			if err := CheckWeight(pkg, offset+i, weights[i]); err != nil {
				return err
			}
		}
	}
	return nil
}
