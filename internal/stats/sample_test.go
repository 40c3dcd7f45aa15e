package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"
)

// chiSquareBinomial draws k samples from Binomial(n, p) and returns the p-value of
// Pearson's goodness-of-fit test against the exact pmf, pooling cells with an expected
// count below 5.
func chiSquareBinomial(t *testing.T, rng *rand.Rand, n int, p float64, k int) float64 {
	t.Helper()
	counts := make(map[int]int)
	for range k {
		x := Binomial(rng, n, p)
		require.True(t, x >= 0 && x <= n, "draw %d outside [0, %d]", x, n)
		counts[x]++
	}
	dist := distuv.Binomial{N: float64(n), P: p}
	var stat, pooledObs, pooledExp float64
	cells := 0
	for x := 0; x <= n; x++ {
		e := float64(k) * dist.Prob(float64(x))
		o := float64(counts[x])
		if e < 5 {
			pooledObs += o
			pooledExp += e
			continue
		}
		stat += (o - e) * (o - e) / e
		cells++
	}
	if pooledExp > 0 {
		stat += (pooledObs - pooledExp) * (pooledObs - pooledExp) / pooledExp
		cells++
	}
	return distuv.ChiSquared{K: float64(cells - 1)}.Survival(stat)
}

// Both samplers (inversion for n·p < 10 and BTRS above) follow the binomial pmf: the
// chi-square test does not reject at the 0.1% level on 200,000 draws (seeded, so the
// outcome is fixed; a wrong sampler fails with a p-value near 0).
func TestBinomialGoodnessOfFit(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, c := range []struct {
		n int
		p float64
	}{{10, 0.3}, {50, 0.1}, {100, 0.5}, {1000, 0.02}, {1000, 0.7}, {100000, 0.25}, {3, 0.99}} {
		pv := chiSquareBinomial(t, rng, c.n, c.p, 200_000)
		assert.Greater(t, pv, 0.001, "Binomial(%d, %v) p-value %v", c.n, c.p, pv)
	}
	assert.Equal(t, 0, Binomial(rng, 0, 0.5))
	assert.Equal(t, 7, Binomial(rng, 7, 1))
	assert.Equal(t, 0, Binomial(rng, 7, 0))
}

// Multinomial counts sum to n, and each marginal has the binomial mean and variance
// (n p_i, n p_i (1 - p_i)) within 5 standard errors.
func TestMultinomialMoments(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	probs := []float64{0.5, 0.3, 0.2}
	const n, k = 1_000_000, 20_000
	out := make([]int, 3)
	var sum, sum2 [3]float64
	for range k {
		Multinomial(rng, n, probs, out)
		require.Equal(t, n, out[0]+out[1]+out[2])
		for i, c := range out {
			sum[i] += float64(c)
			sum2[i] += float64(c) * float64(c)
		}
	}
	for i, p := range probs {
		mean := sum[i] / k
		v := sum2[i]/k - mean*mean
		wantV := n * p * (1 - p)
		assert.InDelta(t, n*p, mean, 5*math.Sqrt(wantV/k), "mean %d", i)
		// The sample variance has SE ≈ v·√(2/k) for near-normal counts.
		assert.InDelta(t, wantV, v, 5*wantV*math.Sqrt(2.0/k), "variance %d", i)
	}
}

// Gamma(shape) draws have mean shape and variance shape; Dirichlet draws sum to 1 with
// means alpha_i / sum(alpha).
func TestGammaDirichlet(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	const k = 200_000
	for _, shape := range []float64{0.3, 1, 2.5, 40} {
		var s, s2 float64
		for range k {
			x := Gamma(rng, shape)
			require.True(t, x >= 0)
			s += x
			s2 += x * x
		}
		mean := s / k
		assert.InDelta(t, shape, mean, 5*math.Sqrt(shape/k), "shape %v mean", shape)
		assert.InDelta(t, shape, s2/k-mean*mean, 0.03*shape+0.01, "shape %v variance", shape)
	}
	alpha := []float64{2, 3, 5}
	out := make([]float64, 3)
	var m [3]float64
	for range k {
		Dirichlet(rng, alpha, out)
		require.InDelta(t, 1, out[0]+out[1]+out[2], 1e-12)
		for i, v := range out {
			m[i] += v / k
		}
	}
	for i, a := range alpha {
		// Var of a Dirichlet component a(10-a)/(10²·11).
		sd := math.Sqrt(a * (10 - a) / (100 * 11) / k)
		assert.InDelta(t, a/10, m[i], 5*sd)
	}
}

// Values from R 4.2: quantile(x, q) (type 7, numpy's default "linear").
func TestQuantile(t *testing.T) {
	x := []float64{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5}
	for _, c := range []struct{ q, want float64 }{
		{0, 1}, {0.025, 1}, {0.1, 1}, {0.25, 2.5}, {0.5, 4}, {0.9, 6}, {0.975, 8.25}, {1, 9},
	} {
		y := append([]float64(nil), x...)
		assert.InDelta(t, c.want, Quantile(y, c.q), 1e-12, "q=%v", c.q)
	}
	// Larger samples exercise the selection loop: compare with sorting.
	rng := rand.New(rand.NewPCG(4, 4))
	y := make([]float64, 10001)
	for i := range y {
		y[i] = math.Round(rng.NormFloat64() * 10) // many ties
	}
	sorted := append([]float64(nil), y...)
	slices.Sort(sorted)
	for _, q := range []float64{0.025, 0.5, 0.975, 0.33333} {
		h := float64(len(y)-1) * q
		lo := int(h)
		want := sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
		z := append([]float64(nil), y...)
		assert.InDelta(t, want, Quantile(z, q), 1e-12, "q=%v", q)
	}
}

func TestSum(t *testing.T) {
	// 1 + 1e100 + 1 - 1e100 = 2 exactly with compensation (naively 0).
	var s Sum
	for _, x := range []float64{1, 1e100, 1, -1e100} {
		s.Add(x)
	}
	assert.Equal(t, 2.0, s.Value())
	var a, b Sum
	a.Add(1e16)
	b.Add(1)
	b.Add(1)
	a.Merge(b)
	assert.Equal(t, 1e16+2, a.Value())
	hi, lo := a.Parts()
	assert.Equal(t, a, SumOf(hi, lo))
}

// lnFactorial matches math.Lgamma(k+1) to a few units in the last place.
func TestLnFactorial(t *testing.T) {
	for k := 0.0; k < 3000; k++ {
		want, _ := math.Lgamma(k + 1)
		assert.InDelta(t, want, lnFactorial(k), 4e-16*math.Max(1, want), "k=%v", k)
	}
	for _, k := range []float64{1e5, 1e7, 1e9} {
		want, _ := math.Lgamma(k + 1)
		assert.InEpsilon(t, want, lnFactorial(k), 1e-15, "k=%v", k)
	}
}

// The tabulated first draw of a MultinomialSampler follows the binomial pmf, and so does
// the conditional second draw: chi-square tests on 200,000 draws, as above.
func TestMultinomialSamplerGoodnessOfFit(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for _, c := range []struct {
		n     int
		probs []float64
	}{{200, []float64{0.3, 0.5, 0.2}}, {1000, []float64{0.45, 0.25, 0.3}}, {40, []float64{0.5, 0.5}}} {
		s := NewMultinomial(c.n, c.probs)
		if c.n*2 > 40 {
			require.NotNil(t, s.first, "n=%d should use the table", c.n)
		}
		const k = 200_000
		first := map[int]int{}
		second := map[int]int{}
		out := make([]int, len(c.probs))
		for range k {
			s.Draw(rng, out)
			first[out[0]]++
			second[out[1]]++
		}
		for i, counts := range []map[int]int{first, second} {
			p := c.probs[i]
			dist := distuv.Binomial{N: float64(c.n), P: p}
			var stat, po, pe float64
			cells := 0
			for x := 0; x <= c.n; x++ {
				e := k * dist.Prob(float64(x))
				o := float64(counts[x])
				if e < 5 {
					po += o
					pe += e
					continue
				}
				stat += (o - e) * (o - e) / e
				cells++
			}
			if pe > 0 {
				stat += (po - pe) * (po - pe) / pe
				cells++
			}
			pv := distuv.ChiSquared{K: float64(cells - 1)}.Survival(stat)
			assert.Greater(t, pv, 0.001, "n=%d category %d: p-value %v", c.n, i, pv)
		}
	}
}
