package surveytest

import (
	"math/rand/v2"
	"testing"

	"github.com/cxmetrics/cxmetrics"
)

// benchN is the number of answers of the 10-million-answer benchmarks.
const benchN = 10_000_000

// BenchData returns 10 million scores uniform from lo to hi and weights uniform in
// [0.5, 2), as bench/*_numpy.py draws them.
func BenchData(lo, hi int) ([]int, []float64) {
	return Answers(rand.New(rand.NewPCG(1, 1)), benchN, lo, hi, uniform(0.5, 2))
}

// Loop is a benchmark's loop over f, which must not fail; it reports allocations.
func Loop[R any](b *testing.B, f func() (R, error)) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchCompute measures compute (a package's Compute) over BenchData(lo, hi) without and
// with weights, in answers per second.
func BenchCompute[R any](b *testing.B, compute func([]int, []float64) (R, error), lo, hi int) {
	scores, weights := BenchData(lo, hi)
	for _, c := range []struct {
		name    string
		weights []float64
		bytes   int
	}{{"unweighted", nil, 8}, {"weighted", weights, 16}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(c.bytes * len(scores)))
			Loop(b, func() (R, error) { return compute(scores, c.weights) })
			b.ReportMetric(float64(len(scores))*float64(b.N)/b.Elapsed().Seconds()/1e6, "Manswers/s")
		})
	}
}

// BenchBootstrap measures 10000 resamples at 95% of the results of 1000 and 1000000
// answers that at returns the Bootstrap method of.
func BenchBootstrap(b *testing.B, at func(n int) BootstrapFunc) {
	for _, c := range []struct {
		name string
		n    int
	}{{"n=1e3", 1000}, {"n=1e6", 1_000_000}} {
		boot := at(c.n)
		b.Run(c.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			Loop(b, func() (cxmetrics.Interval, error) { return boot(rng, 10_000, 0.95) })
		})
	}
}

// BenchIntervals measures interval (a Result's Interval method) at 95% with each method.
func BenchIntervals(b *testing.B, interval func(cxmetrics.Method, float64) (cxmetrics.Interval, error), methods ...cxmetrics.Method) {
	for _, m := range methods {
		b.Run(m.String(), func(b *testing.B) {
			Loop(b, func() (cxmetrics.Interval, error) { return interval(m, 0.95) })
		})
	}
}
