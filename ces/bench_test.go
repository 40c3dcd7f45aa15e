package ces

import (
	"math"
	"slices"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/survey/surveytest"
)

// BenchmarkCompute10M measures Compute over 10 million ratings 1-7 with weights in
// [0.5, 2); bench/ces.sh compares it with numpy.bincount (bench/ces_numpy.py) in one run.
func BenchmarkCompute10M(b *testing.B) {
	surveytest.BenchCompute(b, Compute, 1, 7)
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
		b.Run(c.name, func(b *testing.B) { surveytest.Loop(b, c.f) })
	}
}

func BenchmarkBootstrap(b *testing.B) {
	surveytest.BenchBootstrap(b, func(n int) surveytest.BootstrapFunc {
		r, err := Compute(x7, nil)
		if err != nil {
			b.Fatal(err)
		}
		r.N, r.Weight, r.EffectiveN, r.EasyEffectiveN = n, float64(n), float64(n), float64(n)
		r.SD = math.Sqrt(r.SD * r.SD * 14 / 15 * float64(n) / float64(n-1)) // x7's distribution, n answers
		return r.Bootstrap
	})
}

func BenchmarkInterval(b *testing.B) {
	r, err := Compute(x7, nil)
	if err != nil {
		b.Fatal(err)
	}
	surveytest.BenchIntervals(b, r.Interval, cxmetrics.TDist)
	b.Run("EasyWilson", func(b *testing.B) {
		surveytest.Loop(b, func() (cxmetrics.Interval, error) { return r.EasyInterval(cxmetrics.Wilson, 0.95) })
	})
	b.Run("Compare", func(b *testing.B) {
		surveytest.Loop(b, func() (Comparison, error) { return Compare(r, r, 0.95) })
	})
}
