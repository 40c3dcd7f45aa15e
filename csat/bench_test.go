package csat

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/cxmetrics/cxmetrics"
)

const benchN = 10_000_000

func benchData() ([]int, []float64) {
	rng := rand.New(rand.NewPCG(1, 1))
	scores := make([]int, benchN)
	weights := make([]float64, benchN)
	for i := range scores {
		scores[i] = 1 + rng.IntN(5)
		weights[i] = 0.5 + 1.5*rng.Float64()
	}
	return scores, weights
}

// BenchmarkCompute10M measures Compute over 10 million answers on the Standard 1-5 scale;
// bench/csat.sh compares it with numpy.bincount (bench/csat_numpy.py) in one run.
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

// BenchmarkSmall measures the fixed cost of each entry point on 100 answers: Compute,
// ComputeScale on the 0-10 Recommend scale, ComputeSeq (two allocations per call, none per
// answer) and a Tally's Result.
func BenchmarkSmall(b *testing.B) {
	scores, weights := benchData()
	scores, weights = scores[:100], weights[:100]
	b.Run("Compute", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Compute(scores, weights); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ComputeScale/Recommend", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ComputeScale(Recommend, scores, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ComputeSeq", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ComputeSeq(Standard, slices.Values(scores)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Tally.Result", func(b *testing.B) {
		var t Tally
		for _, s := range scores {
			_ = t.Add(s)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := t.Result(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkBootstrap(b *testing.B) {
	for _, n := range []int{1000, 1_000_000} {
		r, err := ComputeSeq(Standard, func(yield func(int) bool) {
			for i := range n {
				if !yield(1 + i%5) {
					return
				}
			}
		})
		if err != nil {
			b.Fatal(err)
		}
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
	r, err := ComputeSeq(Standard, slices.Values([]int{5, 4, 1, 2, 5, 5, 4, 3}))
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range []cxmetrics.Method{cxmetrics.Wald, cxmetrics.Wilson, cxmetrics.AgrestiCoull, cxmetrics.ClopperPearson, cxmetrics.Jeffreys} {
		b.Run(m.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Interval(m, 0.95); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("Compare", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Compare(r, r, 0.95); err != nil {
				b.Fatal(err)
			}
		}
	})
}
