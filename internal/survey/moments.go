package survey

import (
	"fmt"
	"math"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// Mean is a weighted mean θ = Σ w_i z_i / Σ w_i of per-answer values z_i, with its
// linearization variance and effective n.
type Mean struct {
	N      uint64  // answers
	Weight float64 // Σ w
	Theta  float64 // θ
	// Sigma2 is the weighted population variance of the values, Σ w (z - θ)² / Σ w.
	Sigma2 float64
	// Var is the linearization (Taylor) variance of θ, as R's survey::svymean computes it
	// for a design with weights only:
	//
	//	Var(θ) = c · Σ w_i² (z_i - θ)² / (Σ w_i)²
	//
	// with c = n/(n-1) for the mean of a rating (Sample) and c = 1 for a share or the NPS,
	// whose variance is the multinomial p(1-p)/n when the weights are equal.
	Var float64
	// EffN is the variance-equivalent effective n, c·Sigma2/Var: the number of
	// unweighted answers whose mean would have the same variance. It is N exactly when
	// every weight is 1. When the values do not vary (Var = 0) it is Kish's (Σw)²/Σw².
	// It is at least 1, and it exceeds N when the weights shrink the variance (weights
	// 0.5, 0.5, 2, 1, 1 on NPS answers 10, 9, 3, 8, 2 give 5.44); with few answers, and
	// most of all with weights that differ by orders of magnitude (weights 1 and 10⁻¹⁰ on
	// two different answers give 5·10⁹), the linearization variance, and so EffN, is itself
	// unreliable. It is kept below MaxCount.
	EffN float64
}

// Linearize returns the weighted mean of z over bins (z[j] is the value of every answer in
// bin j) with its variance and effective n, and fills shares (of len(bins)) with each
// bin's share of the total weight; sample selects the factor n/(n-1) of a mean of ratings. No answers, or weights that sum to zero, is ErrEmpty; a mean of ratings from
// one answer has no variance and is ErrTooFew.
//
// Sums are taken over the bins' shares of the total weight, and the values relative to
// z[0], so that neither the weights' size nor the values' offset can overflow or cancel.
func Linearize(pkg string, bins []Bin, z []float64, sample bool, shares []float64) (Mean, error) {
	var m Mean
	var w, w2 stats.Sum
	unit := true // every weight is 1: each bin's weights and squares sum to its count
	for _, b := range bins {
		m.N += b.N
		w.Merge(b.W)
		w2.Merge(b.W2)
		unit = unit && b.W.Value() == float64(b.N) && b.W2.Value() == float64(b.N)
	}
	m.Weight = w.Value()
	switch {
	case m.N == 0:
		return Mean{}, fmt.Errorf("%s: no answers: %w", pkg, cxmetrics.ErrEmpty)
	case !(m.Weight > 0):
		return Mean{}, fmt.Errorf("%s: %d answers but the weights sum to zero: %w", pkg, m.N, cxmetrics.ErrEmpty)
	case !stats.Finite(m.Weight) || !stats.Finite(w2.Value()):
		return Mean{}, overflowError(pkg)
	case sample && m.N < 2:
		return Mean{}, fmt.Errorf("%s: the variance of a mean needs at least 2 answers, have 1: %w", pkg, cxmetrics.ErrTooFew)
	}
	ref := z[0]
	var t stats.Sum
	for j, b := range bins {
		shares[j] = b.W.Value() / m.Weight
		t.Add(shares[j] * (z[j] - ref))
	}
	m.Theta = ref + t.Value()
	var s2, v stats.Sum
	for j, b := range bins {
		d := z[j] - m.Theta
		s2.Add(shares[j] * d * d)
		v.Add(b.W2.Value() / m.Weight / m.Weight * d * d)
	}
	m.Sigma2 = math.Max(0, s2.Value())
	m.Var = math.Max(0, v.Value())
	c := 1.0
	if sample {
		c = float64(m.N) / float64(m.N-1)
	}
	n := float64(m.N)
	switch {
	case unit:
		m.EffN = n
	case m.Var > 0:
		m.EffN = m.Sigma2 / m.Var
	default:
		m.EffN = m.Weight / w2.Value() * m.Weight
	}
	m.EffN = math.Min(MaxCount, math.Max(1, m.EffN))
	m.Var *= c
	if !stats.Finite(m.EffN) || !stats.Finite(m.Var) || !stats.Finite(m.Theta) {
		return Mean{}, overflowError(pkg)
	}
	return m, nil
}
