// Package multtest adjusts p-values for multiple testing: Holm's step-down procedure and
// Benjamini and Hochberg's step-up procedure, equal to R's p.adjust operation for operation,
// ties included. The exported wrappers with their documentation are segment.AdjustHolm and
// segment.AdjustBH; other packages that compare many groups call this package directly.
package multtest

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/cxmetrics/cxmetrics"
)

// MaxP is the largest number of p-values Check accepts: indices are kept in 32 bits.
const MaxP = math.MaxInt32

// Check validates p: not empty (ErrEmpty), at most MaxP values (ErrTooLarge), every value
// finite (ErrNotFinite) and in [0, 1] (ErrOutOfRange), as *cxmetrics.InputError naming pkg,
// the index and the value.
func Check(pkg string, p []float64) error {
	if len(p) == 0 {
		return fmt.Errorf("%s: no p-values: %w", pkg, cxmetrics.ErrEmpty)
	}
	if len(p) > MaxP {
		return &cxmetrics.InputError{Pkg: pkg, What: "p-value count", Index: -1, Value: len(p),
			Err: cxmetrics.ErrTooLarge, Detail: fmt.Sprintf("(at most %d)", MaxP)}
	}
	for i, v := range p {
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0):
			return &cxmetrics.InputError{Pkg: pkg, What: "p-value", Index: i, Value: v, Err: cxmetrics.ErrNotFinite}
		case v < 0 || v > 1:
			return &cxmetrics.InputError{Pkg: pkg, What: "p-value", Index: i, Value: v, Err: cxmetrics.ErrOutOfRange, Detail: "[0, 1]"}
		}
	}
	return nil
}

// Holm returns Holm's (1979) step-down adjusted p-values in the order of p:
// p̃₍ᵢ₎ = min(1, max_{j ≤ i} (n - j + 1)·p₍ⱼ₎) over the sorted p. p must pass Check.
func Holm(p []float64) []float64 {
	adj := make([]float64, len(p))
	holm(p, order(p), adj)
	return adj
}

// BH returns Benjamini and Hochberg's (1995) step-up adjusted p-values in the order of p:
// p̃₍ᵢ₎ = min(1, min_{j ≥ i} (n/j)·p₍ⱼ₎) over the sorted p. p must pass Check.
func BH(p []float64) []float64 {
	adj := make([]float64, len(p))
	bh(p, order(p), adj)
	return adj
}

// Both returns Holm(p) and BH(p) from one sort. p must pass Check.
func Both(p []float64) (holmAdj, bhAdj []float64) {
	o := order(p)
	holmAdj, bhAdj = make([]float64, len(p)), make([]float64, len(p))
	holm(p, o, holmAdj)
	bh(p, o, bhAdj)
	return holmAdj, bhAdj
}

// holm writes the Holm-adjusted p into adj, with o the order of p.
func holm(p []float64, o []int32, adj []float64) {
	n := len(p)
	run := 0.0
	for i, k := range o {
		run = max(run, float64(n-i)*p[k])
		adj[k] = min(1, run)
	}
}

// bh writes the Benjamini-Hochberg-adjusted p into adj, with o the order of p.
func bh(p []float64, o []int32, adj []float64) {
	n := len(p)
	run := math.Inf(1)
	for i := n - 1; i >= 0; i-- {
		k := o[i]
		run = min(run, float64(n)/float64(i+1)*p[k])
		adj[k] = min(1, run)
	}
}

// order returns the indices that sort p, ties in input order (R's order). A NaN sorts
// somewhere without a panic; Check keeps them out.
func order(p []float64) []int32 {
	// Sort (p, index) pairs, ties in input order as a stable sort would leave them, with
	// pdqsort's O(n log n) and without reaching back into p for every comparison.
	type item struct {
		p float64
		i int32
	}
	items := make([]item, len(p))
	for i, v := range p {
		items[i] = item{v, int32(i)}
	}
	slices.SortFunc(items, func(a, b item) int {
		switch {
		case a.p < b.p:
			return -1
		case a.p > b.p:
			return 1
		}
		return cmp.Compare(a.i, b.i)
	})
	o := make([]int32, len(p))
	for i, it := range items {
		o[i] = it.i
	}
	return o
}
