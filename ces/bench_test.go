package ces

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/cxmetrics/cxmetrics"
)

const benchN = 10_000_000

// benchData returns 10 million ratings 1-7 and weights in [0.5, 2), as bench/ces_numpy.py
// draws them.
func benchData() ([]int, []float64) {
	rng := rand.New(rand.NewPCG(1, 1))
	scores := make([]int, benchN)
	weights := make([]float64, benchN)
	for i := range scores {
		scores[i] = 1 + rng.IntN(7)
		weights[i] = 0.5 + 1.5*rng.Float64()
	}
	return scores, weights
}

// BenchmarkCompute10M measures Compute over 10 million answers; bench/ces.sh compares it
// with numpy.bincount (bench/ces_numpy.py) in one run.
func BenchmarkCompute10M(b *testing.B) {
	scores, weights := benchData()
	b.Run("unweighted", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(8 * len(scores)))
		for b.Loop() {
			if _, err := Compute(scores, nil); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(scores))*float64(b.N)/b.Elapsed().Seconds()/1e6, "Manswers/s")
	})
	b.Run("weighted", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(16 * len(scores)))
		for b.Loop() {
			if _, err := Compute(scores, weights); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(scores))*float64(b.N)/b.Elapsed().Seconds()/1e6, "Manswers/s")
	})
}

// BenchmarkComputeSmall measures the fixed cost of a result on each entry point, the
// standard scales and an 11-point one (which counts without the vector kernel): none
// allocates.
func BenchmarkComputeSmall(b *testing.B) {
	scores := []int{7, 6, 5, 5, 4, 7, 3, 6, 6, 2, 5, 7, 1, 6, 5}
	five := []int{1, 2, 2, 3, 1, 4, 5, 2, 1, 2, 3, 2}
	eleven := []int{0, 10, 9, 9, 8, 3, 4, 10, 7, 6}
	for _, c := range []struct {
		name string
		f    func() (Result, error)
	}{
		{"Compute", func() (Result, error) { return Compute(scores, nil) }},
		{"ComputeWeighted", func() (Result, error) { return Compute(x7, w7) }},
		{"ComputeScale5", func() (Result, error) { return ComputeScale(Standard5, five, nil) }},
		{"ComputeScale11", func() (Result, error) { return ComputeScale(Scale{0, 10, true, 9, 6}, eleven, nil) }},
		{"ComputeSeq", func() (Result, error) { return ComputeSeq(Standard7, slices.Values(scores)) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.f(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkBootstrap(b *testing.B) {
	for _, n := range []int{1000, 1_000_000} {
		r, err := Compute(x7, nil)
		if err != nil {
			b.Fatal(err)
		}
		r.N, r.Weight, r.EffectiveN, r.EasyEffectiveN = n, float64(n), float64(n), float64(n)
		r.SD = math.Sqrt(r.SD * r.SD * 14 / 15 * float64(n) / float64(n-1)) // x7's distribution, n answers
		b.Run(map[int]string{1000: "n=1e3", 1_000_000: "n=1e6"}[n], func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Bootstrap(rng, 10_000, 0.95); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkInterval(b *testing.B) {
	r, err := Compute(x7, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("TDist", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := r.Interval(cxmetrics.TDist, 0.95); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("EasyWilson", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := r.EasyInterval(cxmetrics.Wilson, 0.95); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Compare", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Compare(r, r, 0.95); err != nil {
				b.Fatal(err)
			}
		}
	})
}
