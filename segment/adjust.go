package segment

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/cxmetrics/cxmetrics"
)

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
// cxmetrics.ErrNotFinite, another value outside [0, 1] one wrapping ErrOutOfRange, and an
// empty p is ErrEmpty. The work is O(n log n).
func AdjustHolm(p []float64) ([]float64, error) {
	o, err := order(p)
	if err != nil {
		return nil, err
	}
	n := len(p)
	adj := make([]float64, n)
	run := 0.0
	for i, k := range o {
		run = max(run, float64(n-i)*p[k])
		adj[k] = min(1, run)
	}
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
	n := len(p)
	adj := make([]float64, n)
	run := math.Inf(1)
	for i := n - 1; i >= 0; i-- {
		k := o[i]
		run = min(run, float64(n)/float64(i+1)*p[k])
		adj[k] = min(1, run)
	}
	return adj, nil
}

// order validates p and returns the indices that sort it, ties in input order (R's order).
func order(p []float64) ([]int, error) {
	if len(p) == 0 {
		return nil, fmt.Errorf("%s: no p-values: %w", pkg, cxmetrics.ErrEmpty)
	}
	for i, v := range p {
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0):
			return nil, &cxmetrics.InputError{Pkg: pkg, What: "p-value", Index: i, Value: v, Err: cxmetrics.ErrNotFinite}
		case v < 0 || v > 1:
			return nil, &cxmetrics.InputError{Pkg: pkg, What: "p-value", Index: i, Value: v, Err: cxmetrics.ErrOutOfRange, Detail: "[0, 1]"}
		}
	}
	o := make([]int, len(p))
	for i := range o {
		o[i] = i
	}
	slices.SortStableFunc(o, func(a, b int) int { return cmp.Compare(p[a], p[b]) })
	return o, nil
}
