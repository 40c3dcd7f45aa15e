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
	return newBinomialP(p).draw(rng, n)
}

// binomialP holds what a binomial sampler needs from p alone, so that draws with the same
// p and varying n (the conditional draws of a multinomial) compute it once.
type binomialP struct {
	p, q float64 // min(p, 1-p) and its complement
	flip bool    // p > 0.5: draw with 1-p and return n - k
	lpq  float64 // log(p/q)
	s    float64 // p/q, for inversion
	lq   float64 // log(q), for inversion: exp(n·log q) is q^n at half the cost of math.Pow
}

func newBinomialP(p float64) binomialP {
	b := binomialP{p: p}
	if p > 0.5 {
		b.p, b.flip = 1-p, true
	}
	b.q = 1 - b.p
	b.lpq = math.Log(b.p / b.q)
	b.s = b.p / b.q
	b.lq = math.Log1p(-b.p)
	return b
}

// draw returns a Binomial(n, p) variate for 0 < p < 1.
func (b binomialP) draw(rng *rand.Rand, n int) int {
	if n <= 0 {
		return 0
	}
	var k int
	if float64(n)*b.p < 10 {
		k = b.inversion(rng, n)
	} else {
		k = b.btrs(rng, n)
	}
	if b.flip {
		return n - k
	}
	return k
}

// inversion walks the CDF from 0 with the recurrence P(k+1) = P(k)·(n-k)/(k+1)·p/q.
func (b binomialP) inversion(rng *rand.Rand, n int) int {
	f := math.Exp(float64(n) * b.lq)
	u := rng.Float64()
	k := 0
	for u > f && k < n {
		u -= f
		f *= b.s * float64(n-k) / float64(k+1)
		k++
	}
	return k
}

// btrs is Hörmann's algorithm BTRS for p <= 1/2 and n·p >= 10. Most draws are accepted
// by the squeeze with two uniforms; the others compare with the exact log-density, for
// which lnFactorial is accurate to about 1e-15.
func (b binomialP) btrs(rng *rand.Rand, n int) int {
	nf := float64(n)
	spq := math.Sqrt(nf * b.p * b.q)
	bb := 1.15 + 2.53*spq
	a := -0.0873 + 0.0248*bb + 0.01*b.p
	c := nf*b.p + 0.5
	vr := 0.92 - 4.2/bb
	var alpha, m, h float64
	setup := false
	for {
		u := rng.Float64() - 0.5
		v := rng.Float64()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+bb)*u + c)
		if k < 0 || k > nf {
			continue
		}
		if us >= 0.07 && v <= vr {
			return int(k)
		}
		if us <= 0 {
			continue
		}
		if !setup {
			alpha = (2.83 + 5.1/bb) * spq
			m = math.Floor((nf + 1) * b.p)
			h = lnFactorial(m) + lnFactorial(nf-m)
			setup = true
		}
		v = math.Log(v * alpha / (a/(us*us) + bb))
		if v <= h-lnFactorial(k)-lnFactorial(nf-k)+(k-m)*b.lpq {
			return int(k)
		}
	}
}

// lnFactorial returns log(k!) for a whole number k >= 0: exactly rounded values below 16,
// and Stirling's series with four correction terms above (absolute error below 1e-15).
func lnFactorial(k float64) float64 {
	if k < 16 {
		return lnFactorialSmall[int(k)]
	}
	x := k + 1
	r := 1 / (x * x)
	return (x-0.5)*math.Log(x) - x + 0.5*math.Log(2*math.Pi) +
		(1.0/12-r*(1.0/360-r*(1.0/1260-r*(1.0/1680))))/x
}

// lnFactorialSmall[k] = log(k!) for k < 16.
var lnFactorialSmall = [16]float64{
	0, 0, 0.6931471805599453, 1.791759469228055, 3.1780538303479458,
	4.787491742782046, 6.579251212010101, 8.525161361065415, 10.60460290274525,
	12.801827480081469, 15.104412573075516, 17.502307845873887, 19.987214495661885,
	22.552163853123425, 25.19122118273868, 27.89927138384089,
}

// Multinomial draws category counts for n trials with the given probabilities (which sum
// to 1) into out, which must have len(probs). It draws each count as a binomial
// conditional on the earlier ones, so it costs O(len(probs)) binomial draws whatever n is.
// For many draws with the same n and probabilities, NewMultinomial saves the set-up.
func Multinomial(rng *rand.Rand, n int, probs []float64, out []int) {
	NewMultinomial(n, probs).Draw(rng, out)
}

// MultinomialSampler draws from one multinomial distribution.
type MultinomialSampler struct {
	n     int
	conds []binomialP // binomial for category i given the earlier ones; p outside (0, 1) is a constant
	pi    []float64   // the conditional probabilities themselves
	first *binomialTable
}

// NewMultinomial prepares draws of n trials over the categories of probs (which sum to 1).
func NewMultinomial(n int, probs []float64) *MultinomialSampler {
	s := &MultinomialSampler{n: n, conds: make([]binomialP, len(probs)), pi: make([]float64, len(probs))}
	rest := 1.0
	for i, p := range probs {
		c := 1.0
		if rest > 0 {
			c = math.Min(1, math.Max(0, p/rest))
		}
		if i == len(probs)-1 {
			c = 1
		}
		s.pi[i] = c
		if c > 0 && c < 1 {
			s.conds[i] = newBinomialP(c)
		}
		rest -= p
	}
	if len(s.pi) > 1 && s.pi[0] > 0 && s.pi[0] < 1 {
		s.first = newBinomialTable(n, s.pi[0])
	}
	return s
}

// Draw fills out (of the sampler's length) with one multinomial draw.
func (s *MultinomialSampler) Draw(rng *rand.Rand, out []int) {
	left := s.n
	for i, c := range s.pi {
		var k int
		switch {
		case left <= 0 || c <= 0:
			k = 0
		case c >= 1:
			k = left
		case i == 0 && s.first != nil:
			k = s.first.draw(rng, s.conds[0])
		default:
			k = s.conds[i].draw(rng, left)
		}
		out[i] = k
		left -= k
	}
}

// binomialTable draws from one Binomial(n, p) by inverting its CDF, tabulated over the
// range where the probabilities are not negligible (mean ± 40 standard deviations, outside
// which they underflow), with a guide table that finds the interval of a uniform in O(1)
// expected steps (Chen & Asau 1974).
type binomialTable struct {
	n     int
	lo    int       // the first tabulated k
	cdf   []float64 // cdf[j] = P(X <= lo + j), renormalised to end at the tabulated mass
	guide []int32   // guide[g] = first j with cdf[j] > g/len(guide)
	mass  float64   // P(lo <= X <= lo + len(cdf) - 1)
}

// maxBinomialTable bounds the size of a binomialTable: beyond it, building the table costs
// more than the draws it saves.
const maxBinomialTable = 1 << 13

// newBinomialTable tabulates Binomial(n, p) over mean ± 40 standard deviations, or
// returns nil when that range is too wide to tabulate or too narrow to be worth it.
func newBinomialTable(n int, p float64) *binomialTable {
	nf := float64(n)
	mean, sd := nf*p, math.Sqrt(nf*p*(1-p))
	if mean < 10 || nf-mean < 10 {
		return nil
	}
	lo := max(0, int(math.Floor(mean-40*sd)))
	hi := min(n, int(math.Ceil(mean+40*sd)))
	if hi-lo+1 > maxBinomialTable {
		return nil
	}
	t := &binomialTable{n: n, lo: lo, cdf: make([]float64, hi-lo+1)}
	// The pmf at the mode from log-factorials, then outwards by the ratios
	// P(k+1)/P(k) = (n-k)/(k+1) · p/q (relative error growing by about 1e-16 a step).
	pmf := t.cdf // filled with probabilities first, then accumulated
	mode := min(max(int(math.Floor((nf+1)*p)), lo), hi)
	mk := float64(mode)
	pmf[mode-lo] = math.Exp(lnFactorial(nf) - lnFactorial(mk) - lnFactorial(nf-mk) + mk*math.Log(p) + (nf-mk)*math.Log1p(-p))
	r := p / (1 - p)
	for k := mode; k < hi; k++ {
		pmf[k+1-lo] = pmf[k-lo] * r * float64(n-k) / float64(k+1)
	}
	for k := mode; k > lo; k-- {
		pmf[k-1-lo] = pmf[k-lo] / r * float64(k) / float64(n-k+1)
	}
	var acc Sum
	for j, v := range pmf {
		acc.Add(v)
		t.cdf[j] = acc.Value()
	}
	t.mass = acc.Value()
	for j := range t.cdf {
		t.cdf[j] /= t.mass
	}
	t.cdf[len(t.cdf)-1] = 1
	t.guide = make([]int32, len(t.cdf))
	j := 0
	for g := range t.guide {
		for t.cdf[j] <= float64(g)/float64(len(t.guide)) {
			j++
		}
		t.guide[g] = int32(j)
	}
	return t
}

// draw returns a Binomial(n, p) variate; exact is the sampler for the untabulated tails.
func (t *binomialTable) draw(rng *rand.Rand, exact binomialP) int {
	u := rng.Float64()
	if u >= t.mass {
		// The untabulated tails hold less than 1e-300 of the mass, below the rounding of
		// mass itself: this branch is taken with probability about 1e-16, and then draws
		// from the exact sampler.
		return exact.draw(rng, t.n)
	}
	u /= t.mass
	j := int(t.guide[int(u*float64(len(t.guide)))])
	for t.cdf[j] <= u {
		j++
	}
	return t.lo + j
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
