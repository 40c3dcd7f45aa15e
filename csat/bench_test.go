package csat

import (
	"slices"
	"testing"

	"github.com/cxmetrics/cxmetrics/internal/survey/surveytest"
)

// BenchmarkCompute10M measures Compute over 10 million answers on the Standard 1-5 scale;
// bench/csat.sh compares it with numpy.bincount (bench/csat_numpy.py) in one run.
func BenchmarkCompute10M(b *testing.B) {
	surveytest.BenchCompute(b, Compute, 1, 5)
}

// BenchmarkSmall measures the fixed cost of each entry point on 100 answers: Compute,
// ComputeScale on the 0-10 Recommend scale, ComputeSeq (two allocations per call, none per
// answer) and a Tally's Result.
func BenchmarkSmall(b *testing.B) {
	scores, weights := surveytest.BenchData(1, 5)
	scores, weights = scores[:100], weights[:100]
	b.Run("Compute", func(b *testing.B) {
		surveytest.Loop(b, func() (Result, error) { return Compute(scores, weights) })
	})
	b.Run("ComputeScale/Recommend", func(b *testing.B) {
		surveytest.Loop(b, func() (Result, error) { return ComputeScale(Recommend, scores, nil) })
	})
	b.Run("ComputeSeq", func(b *testing.B) {
		surveytest.Loop(b, func() (Result, error) { return ComputeSeq(Standard, slices.Values(scores)) })
	})
	b.Run("Tally.Result", func(b *testing.B) {
		var t Tally
		for _, s := range scores {
			_ = t.Add(s)
		}
		surveytest.Loop(b, t.Result)
	})
}

func BenchmarkBootstrap(b *testing.B) {
	surveytest.BenchBootstrap(b, func(n int) surveytest.BootstrapFunc {
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
		return r.Bootstrap
	})
}

func BenchmarkInterval(b *testing.B) {
	r, err := ComputeSeq(Standard, slices.Values([]int{5, 4, 1, 2, 5, 5, 4, 3}))
	if err != nil {
		b.Fatal(err)
	}
	surveytest.BenchIntervals(b, r.Interval, methods...)
	b.Run("Compare", func(b *testing.B) {
		surveytest.Loop(b, func() (Comparison, error) { return Compare(r, r, 0.95) })
	})
}
