package nps

import (
	"testing"

	"github.com/cxmetrics/cxmetrics/internal/survey/surveytest"
)

// BenchmarkCompute10M measures Compute over 10 million answers; bench/nps.sh compares it
// with numpy.bincount (bench/nps_numpy.py) in one run.
func BenchmarkCompute10M(b *testing.B) {
	surveytest.BenchCompute(b, Compute, 0, 10)
}

func BenchmarkBootstrap(b *testing.B) {
	surveytest.BenchBootstrap(b, func(n int) surveytest.BootstrapFunc {
		r := Result{Scale: Standard, N: n, Weight: float64(n), EffectiveN: float64(n),
			DetractorCount: n / 4, PassiveCount: n - n/4 - n*45/100, PromoterCount: n * 45 / 100,
			Promoters: 0.45, Passives: 0.3, Detractors: 0.25, Score: 20}
		return r.Bootstrap
	})
}

func BenchmarkInterval(b *testing.B) {
	r, err := Compute(answers(250, 300, 450), nil)
	if err != nil {
		b.Fatal(err)
	}
	surveytest.BenchIntervals(b, r.Interval, methods...)
}
