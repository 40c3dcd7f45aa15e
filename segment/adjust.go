package segment

import "github.com/cxmetrics/cxmetrics/internal/multtest"

// MaxP is the largest number of p-values AdjustHolm and AdjustBH take (ErrTooLarge beyond):
// indices are kept in 32 bits.
const MaxP = multtest.MaxP

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
	if err := multtest.Check(pkg, p); err != nil {
		return nil, err
	}
	return multtest.Holm(p), nil
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
	if err := multtest.Check(pkg, p); err != nil {
		return nil, err
	}
	return multtest.BH(p), nil
}

// adjustBoth returns AdjustHolm(p) and AdjustBH(p) from one sort, for p-values in [0, 1]
// (which the callers have checked).
func adjustBoth(p []float64) (h, b []float64) { return multtest.Both(p) }
