package segment

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/cxmetrics/cxmetrics"
)

// MaxP is the largest number of p-values AdjustHolm and AdjustBH take (ErrTooLarge beyond):
// indices are kept in 32 bits.
const MaxP = math.MaxInt32

// AdjustHolm returns Holm's step-down adjusted p-values (Holm 1979, "A simple sequentially
// rejective multiple test procedure", Scandinavian Journal of Statistics 6(2), 65-70),
// which control the family-wise error rate under any dependence between the tests. With
// p₍₁₎ ≤ … ≤ p₍ₙ₎ the sorted p-values,
//
//	p̃₍ᵢ₎ = min(1, max_{j ≤ i} (n - j + 1)·p₍ⱼ₎)
//
// and p̃ is returned in the order of p. It equals R's p.adjust(p, "holm"), operation for
// operation, ties included. Rejecting the hypotheses with p̃ ≤ α is Holm's procedure at
// level α; it rejects everything that Bonferroni's n·p ≤ α rejects, and possibly more.
//
// Every p must be in [0, 1]: NaN or Inf is an *cxmetrics.InputError wrapping
// cxmetrics.ErrNotFinite, another value outside [0, 1] one wrapping ErrOutOfRange; an
// empty p is ErrEmpty, and more than MaxP values ErrTooLarge. The work is O(n log n).
func AdjustHolm(p []float64) ([]float64, error) {
	o, err := order(p)
	if err != nil {
		return nil, err
	}
	adj := make([]float64, len(p))
	holm(p, o, adj)
	return adj, nil
}

// AdjustBH returns Benjamini and Hochberg's step-up adjusted p-values (Benjamini &
// Hochberg 1995, "Controlling the false discovery rate: a practical and powerful approach
// to multiple testing", JRSS B 57(1), 289-300), which control the false discovery rate for
// independent or positively dependent tests. With p₍₁₎ ≤ … ≤ p₍ₙ₎ the sorted p-values,
//
//	p̃₍ᵢ₎ = min(1, min_{j ≥ i} (n/j)·p₍ⱼ₎)
//
// and p̃ is returned in the order of p. It equals R's p.adjust(p, "BH"), operation for
// operation, ties included. Rejecting the hypotheses with p̃ ≤ q keeps the expected share
// of false rejections among all rejections at most q.
//
// The errors are those of AdjustHolm.
func AdjustBH(p []float64) ([]float64, error) {
	o, err := order(p)
	if err != nil {
		return nil, err
	}
	adj := make([]float64, len(p))
	bh(p, o, adj)
	return adj, nil
}

// adjustBoth returns AdjustHolm(p) and AdjustBH(p) from one sort, for p-values in [0, 1]
// (which the callers have checked: a NaN would sort anywhere, never panic).
func adjustBoth(p []float64) (h, b []float64) {
	o := sortedOrder(p)
	h, b = make([]float64, len(p)), make([]float64, len(p))
	holm(p, o, h)
	bh(p, o, b)
	return h, b
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

// order validates p and returns the indices that sort it, ties in input order (R's order).
// It takes at most maxP values.
func order(p []float64) ([]int32, error) {
	if len(p) == 0 {
		return nil, fmt.Errorf("%s: no p-values: %w", pkg, cxmetrics.ErrEmpty)
	}
	if len(p) > MaxP {
		return nil, &cxmetrics.InputError{Pkg: pkg, What: "p-value count", Index: -1, Value: len(p),
			Err: cxmetrics.ErrTooLarge, Detail: fmt.Sprintf("(at most %d)", MaxP)}
	}
	for i, v := range p {
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0):
			return nil, &cxmetrics.InputError{Pkg: pkg, What: "p-value", Index: i, Value: v, Err: cxmetrics.ErrNotFinite}
		case v < 0 || v > 1:
			return nil, &cxmetrics.InputError{Pkg: pkg, What: "p-value", Index: i, Value: v, Err: cxmetrics.ErrOutOfRange, Detail: "[0, 1]"}
		}
	}
	return sortedOrder(p), nil
}

// sortedOrder returns the indices that sort p, which holds no NaN, ties in input order.
func sortedOrder(p []float64) []int32 {
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
	// No NaN reaches here, so plain comparisons order the values.
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
