package clv

import (
	"fmt"
	"math"
	"sync"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// expectedNew returns E[X(t)] of a BG/NBD model with parameters r, alpha, a, b, given
// s = t/alpha (see ratio for computing it when alpha is a sum). The
// paper's closed form (Fader, Hardie & Lee 2005)
//
//	E[X(t)] = (a+b-1)/(a-1) · [1 - (α/(α+t))^r · 2F1(r, b; a+b-1; t/(α+t))]
//
// is 0/0 at a = 1 and a + b = 1, and the hypergeometric series converges slowly and
// with cancellation when t/(α+t) is near 1 or r and b are large (long horizons, customers
// with many purchases). expectedNew therefore uses two other forms of the same number.
//
// With Pfaff's transformation 2F1(r, b; c; z) = (1-z)^-r · 2F1(r, c-b; c; z/(z-1))
// (Abramowitz & Stegun 15.3.4) and z/(z-1) = -s, s = t/α, the closed form is the power
// series
//
//	E[X(t)] = Σ_{k≥1} (-1)^(k+1) · (r)_k (a)_(k-1) / ((a+b)_(k-1) k!) · s^k
//
// with rising factorials of positive numbers only, so no singularity at a = 1 or
// a + b = 1. It is used when s <= 3/4 and its terms never exceed 1000 times the sum, so
// that at most 3 digits are lost to cancellation.
//
// Pfaff's transformation in the other parameter, 2F1(r, a-1; c; -s) =
// (1+s)^(1-a) · 2F1(c-r, a-1; c; z), z = s/(1+s), gives a series in z instead, which
// converges for every s:
//
//	E[X(t)] = (a+b-1) · (1 - (1+s)^(1-a))/(a-1)
//	        - (1+s)^(1-a) · Σ_{k≥1} (a+b-1-r)_k (a)_(k-1) / ((a+b)_(k-1) k!) · z^k
//
// again free of the singularities (the first term is computed with expm1 and tends to
// (a+b-1)·ln(1+s) as a -> 1). It is used for s <= 9 (z <= 0.9) when neither the series'
// terms nor the two parts are more than 1e5 times the result.
//
// Otherwise E[X(t)] is computed from its definition: given p, the expected number of
// purchases of a customer with rate λ ~ Gamma(r, α) is (1 - (α/(α+pt))^r)/p, so
//
//	E[X(t)] = ∫_0^1 (1 - (1+ps)^-r)/p · p^(a-1) (1-p)^(b-1) / B(a, b) dp
//
// an integral of a positive, bounded integrand with no cancellation at all. It is
// evaluated by double-exponential (tanh-sinh) quadrature (Takahasi & Mori 1974), which
// converges double exponentially also with the end-point singularities of the beta
// density, halving the step until two estimates agree to 1e-10; the integral is split at
// the mean of the beta distribution, which resolves narrow peaks.
//
// The result must lie in [0, r·s] (E[X(t)] <= E[λ]·t); a value outside, or not finite,
// is an error rather than a wrong number.
func expectedNew(r, s, a, b float64) (float64, error) {
	if s == 0 {
		return 0, nil
	}
	upper := r * s
	e, ok := math.NaN(), false
	if s <= 0.75 {
		e, ok = expectedSeries(r, a, b, s)
	}
	if !ok && s <= 9 {
		e, ok = expectedSeriesZ(r, a, b, s)
	}
	if !ok {
		e, ok = expectedQuadrature(r, a, b, s)
	}
	if !ok || !stats.Finite(e) || e < 0 || e > upper*(1+1e-9) {
		return 0, fmt.Errorf("clv: E[X(t)] cannot be computed accurately for r=%v a=%v b=%v t/alpha=%v: %w", r, a, b, s, cxmetrics.ErrNotFinite)
	}
	return math.Min(e, upper), nil
}

// expectedSeries sums the power series of expectedNew. It reports false when the terms
// grow beyond 1000 times the sum (too much cancellation) or do not become negligible.
func expectedSeries(r, a, b, s float64) (float64, bool) {
	term := r * s
	sum, largest := term, term
	for k := 1.0; k < 1000; k++ {
		term *= -(r + k) * (a + k - 1) * s / ((a + b + k - 1) * (k + 1))
		sum += term
		largest = math.Max(largest, math.Abs(term))
		if largest > 1000*math.Abs(sum) {
			return 0, false
		}
		if math.Abs(term) <= 1e-17*math.Abs(sum) {
			return sum, true
		}
	}
	return 0, false
}

// expectedSeriesZ sums the series in z of expectedNew. It reports false when the result
// is less than 1e-5 of the magnitudes it is computed from, or the terms do not become
// negligible.
func expectedSeriesZ(r, a, b, s float64) (float64, bool) {
	c := a + b - 1
	l := math.Log1p(s)
	phi := l // (1 - (1+s)^(1-a))/(a-1) at a = 1
	if a != 1 {
		phi = -math.Expm1(-(a-1)*l) / (a - 1)
	}
	z := s / (1 + s)
	term := (c - r) * z
	sum, abs := term, math.Abs(term)
	converged := false
	for k := 1.0; k < 2000; k++ {
		term *= (c - r + k) * (a + k - 1) * z / ((a + b + k - 1) * (k + 1))
		sum += term
		abs += math.Abs(term)
		if math.Abs(term) <= 1e-17*abs {
			converged = true
			break
		}
	}
	if !converged {
		return 0, false
	}
	f := math.Exp((1 - a) * l)
	e := c*phi - f*sum
	if !(e > 1e-5*(math.Abs(c*phi)+f*abs)) {
		return 0, false
	}
	return e, true
}

// deNode is one node of the tanh-sinh rule on (0, 1) in logistic form: with
// v = π·sinh(u), p = 1/(1+e^-v) and dp/du = π·cosh(u)·p·(1-p).
type deNode struct {
	p, lnP, ln1mP, lnJ float64 // p, ln p, ln(1-p), ln(π cosh u)
}

const (
	deLevels = 7          // step sizes 1/2 .. 1/128
	deHMin   = 1.0 / 128  // finest step
	deUMax   = 12.0       // |u| <= 12 reaches p down to about e^-2.5e5
	deCount  = 12.0 * 128 // nodes on each side at the finest step
)

// deTable returns the nodes u = k·deHMin, k = -deCount..deCount, computed once.
var deTable = sync.OnceValue(func() []deNode {
	nodes := make([]deNode, 2*int(deCount)+1)
	for i := range nodes {
		u := float64(i-int(deCount)) * deHMin
		v := math.Pi * math.Sinh(u)
		lnP := -softplus(-v)
		ln1mP := -softplus(v)
		nodes[i] = deNode{p: math.Exp(lnP), lnP: lnP, ln1mP: ln1mP, lnJ: math.Log(math.Pi * math.Cosh(u))}
	}
	return nodes
})

// softplus returns ln(1 + e^y) without overflow.
func softplus(y float64) float64 {
	if y > 0 {
		return y + math.Log1p(math.Exp(-y))
	}
	return math.Log1p(math.Exp(y))
}

// expectedQuadrature integrates the definition of E[X(t)] (see expectedNew), split at
// the mean m = a/(a+b) of the beta distribution so that a narrow peak of the density (a
// and b large) sits at an end point of both pieces, where the tanh-sinh nodes cluster.
// Both pieces are refined together; it reports false when two successive estimates of
// their sum do not agree to 1e-10 by the finest step.
func expectedQuadrature(r, a, b, s float64) (float64, bool) {
	lnB := lnBeta(a, b)
	if !stats.Finite(lnB) {
		return 0, false
	}
	m := a / (a + b)
	oneMinusM := b / (a + b)
	if !(m > 0 && oneMinusM > 0) {
		return 0, false
	}
	lnM, ln1mM := math.Log(m), math.Log(oneMinusM)
	// f returns the integrand times dp/du at p, with ln p, ln(1-p) and the log of the
	// Jacobian given.
	f := func(p, lnP, ln1mP, lnJac float64) float64 {
		lw := (a-1)*lnP + (b-1)*ln1mP - lnB + lnJac
		if lw < -745 {
			return 0
		}
		// (1 - (1+ps)^-r) / p, which tends to r·s as p -> 0.
		var g float64
		if p*s < 1e-300 {
			g = r * s
		} else {
			g = -math.Expm1(-r*math.Log1p(p*s)) / p
		}
		return math.Exp(lw) * g
	}
	// term adds the node's contributions on (0, m), with p = m·q, and on (m, 1), with
	// p = m + (1-m)·q; the Jacobian is the piece's width times π cosh u · q(1-q).
	term := func(n *deNode) float64 {
		q1 := math.Exp(n.ln1mP) // 1 - q
		lnJ := n.lnJ + n.lnP + n.ln1mP
		pl := m * n.p
		left := f(pl, lnM+n.lnP, math.Log(oneMinusM+m*q1), lnM+lnJ)
		pr := m + oneMinusM*n.p
		right := f(pr, math.Log(pr), ln1mM+n.ln1mP, ln1mM+lnJ)
		return left + right
	}
	nodes := deTable()
	var sum, prev float64
	step := 1 << (deLevels - 1) // stride through the table at the coarsest level
	for i := 0; i < len(nodes); i += step {
		sum += term(&nodes[i])
	}
	prev = sum * float64(step) * deHMin
	for level := 1; level < deLevels; level++ {
		half := step / 2
		for i := half; i < len(nodes); i += step {
			sum += term(&nodes[i])
		}
		step = half
		est := sum * float64(step) * deHMin
		if level >= 3 && math.Abs(est-prev) <= 1e-10*est {
			return est, true
		}
		prev = est
	}
	return prev, false
}

// ratio returns t / (a + b) for a, b >= 0 without overflow in a + b.
func ratio(t, a, b float64) float64 {
	if d := a + b; !math.IsInf(d, 0) {
		return t / d
	}
	return (t / 2) / (a/2 + b/2)
}

// logRatio1p returns ln(1 + a/b) for a >= 0, b > 0, also when a/b overflows.
func logRatio1p(a, b float64) float64 {
	if q := a / b; !math.IsInf(q, 0) {
		return math.Log1p(q)
	}
	return math.Log(a) - math.Log(b) // 1 is below the rounding of a/b
}
