package nps

import (
	"math/rand/v2"
	"testing"

	"github.com/cxmetrics/cxmetrics"
)

const benchN = 10_000_000

func benchData() ([]int, []float64) {
	rng := rand.New(rand.NewPCG(1, 1))
	scores := make([]int, benchN)
	weights := make([]float64, benchN)
	for i := range scores {
		scores[i] = rng.IntN(11)
		weights[i] = 0.5 + 1.5*rng.Float64()
	}
	return scores, weights
}

// BenchmarkCompute10M measures Compute over 10 million answers; bench/nps.sh compares it
// with numpy.bincount (bench/nps_numpy.py) in one run.
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

func BenchmarkBootstrap(b *testing.B) {
	for _, n := range []int{1000, 1_000_000} {
		r := Result{Scale: Standard, N: n, Weight: float64(n), EffectiveN: float64(n),
			DetractorCount: n / 4, PassiveCount: n - n/4 - n*45/100, PromoterCount: n * 45 / 100,
			Promoters: 0.45, Passives: 0.3, Detractors: 0.25, Score: 20}
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
	r, err := Compute(answers(250, 300, 450), nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range []cxmetrics.Method{cxmetrics.Wald, cxmetrics.AdjustedWald, cxmetrics.Tango, cxmetrics.Bayesian} {
		b.Run(m.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Interval(m, 0.95); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
