package stats

import (
	"math"
	"math/rand/v2"
)

// Binomial draws from Binomial(n, p) with the caller's source.
//
// For n·min(p, 1-p) < 10 it inverts the CDF by sequential search, which takes O(n·p)
// expected steps; otherwise it uses Hörmann's BTRS transformed rejection with squeeze,
// which takes O(1) expected time whatever n is:
//
// Hörmann, W. (1993). The generation of binomial random variates. Journal of Statistical
// Computation and Simulation 46(1–2), 101–110.
func Binomial(rng *rand.Rand, n int, p float64) int {
	if n <= 0 || p <= 0 {
		return 0
	}
	if p >= 1 {
		return n
	}
	if p > 0.5 {
		return n - Binomial(rng, n, 1-p)
	}
	if float64(n)*p < 10 {
		return binomialInversion(rng, n, p)
	}
	return binomialBTRS(rng, n, p)
}

// binomialInversion walks the CDF from 0 with the recurrence
// P(k+1) = P(k)·(n-k)/(k+1)·p/q.
func binomialInversion(rng *rand.Rand, n int, p float64) int {
	q := 1 - p
	s := p / q
	f := math.Pow(q, float64(n))
	u := rng.Float64()
	k := 0
	for u > f && k < n {
		u -= f
		f *= s * float64(n-k) / float64(k+1)
		k++
	}
	return k
}

func binomialBTRS(rng *rand.Rand, n int, p float64) int {
	nf := float64(n)
	q := 1 - p
	spq := math.Sqrt(nf * p * q)
	b := 1.15 + 2.53*spq
	a := -0.0873 + 0.0248*b + 0.01*p
	c := nf*p + 0.5
	vr := 0.92 - 4.2/b
	alpha := (2.83 + 5.1/b) * spq
	lpq := math.Log(p / q)
	m := math.Floor((nf + 1) * p)
	h := lgamma(m+1) + lgamma(nf-m+1)
	for {
		u := rng.Float64() - 0.5
		v := rng.Float64()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + c)
		if k < 0 || k > nf {
			continue
		}
		if us >= 0.07 && v <= vr {
			return int(k)
		}
		if us <= 0 {
			continue
		}
		v = math.Log(v * alpha / (a/(us*us) + b))
		if v <= h-lgamma(k+1)-lgamma(nf-k+1)+(k-m)*lpq {
			return int(k)
		}
	}
}

func lgamma(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}

// Multinomial draws category counts for n trials with the given probabilities (which sum
// to 1) into out, which must have len(probs). It draws each count as a binomial
// conditional on the earlier ones, so it costs O(len(probs)) binomial draws whatever n is.
func Multinomial(rng *rand.Rand, n int, probs []float64, out []int) {
	left := n
	rest := 1.0
	for i, p := range probs {
		if i == len(probs)-1 || left == 0 {
			out[i] = left
			for j := i + 1; j < len(out); j++ {
				out[j] = 0
			}
			return
		}
		var k int
		if rest > 0 {
			k = Binomial(rng, left, math.Min(1, p/rest))
		}
		out[i] = k
		left -= k
		rest -= p
	}
}

// Gamma draws from Gamma(shape, 1) with Marsaglia and Tsang's method (ACM TOMS 26(3),
// 2000); shapes below 1 use the boost Gamma(a) = Gamma(a+1)·U^(1/a).
func Gamma(rng *rand.Rand, shape float64) float64 {
	if shape < 1 {
		u := rng.Float64()
		for u == 0 {
			u = rng.Float64()
		}
		return Gamma(rng, shape+1) * math.Pow(u, 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		if u < 1-0.0331*x*x*x*x {
			return d * v
		}
		if math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

// Dirichlet draws a probability vector from Dirichlet(alpha) into out, which must have
// len(alpha), by normalising independent Gamma(alpha_i, 1) draws.
func Dirichlet(rng *rand.Rand, alpha []float64, out []float64) {
	var s float64
	for i, a := range alpha {
		out[i] = Gamma(rng, a)
		s += out[i]
	}
	for i := range out {
		out[i] /= s
	}
}
