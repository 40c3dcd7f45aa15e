package drivers_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/cxmetrics/cxmetrics/drivers"
)

// BenchmarkAnalyze measures the three importances (correlation, relative weights, exact
// Shapley) with the collinearity and the performance, for 15 drivers and 100,000
// respondents: complete, with 5% of the ratings missing under listwise deletion, and the
// same under pairwise deletion.
func BenchmarkAnalyze(b *testing.B) {
	y, x := ratedSurvey(rand.New(rand.NewPCG(1, 1)), 100_000, 15, 0)
	ym, xm := ratedSurvey(rand.New(rand.NewPCG(1, 1)), 100_000, 15, 0.05)
	for _, c := range []struct {
		name string
		y    []float64
		x    [][]float64
		opt  drivers.Options
	}{
		{"k=15/n=1e5/complete", y, x, drivers.Options{Scale: drivers.FivePoint}},
		{"k=15/n=1e5/listwise", ym, xm, drivers.Options{Scale: drivers.FivePoint}},
		{"k=15/n=1e5/pairwise", ym, xm, drivers.Options{Scale: drivers.FivePoint, Missing: drivers.Pairwise}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := drivers.Analyze(c.y, c.x, c.opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkImportances measures each function without options on the same complete data.
func BenchmarkImportances(b *testing.B) {
	y, x := ratedSurvey(rand.New(rand.NewPCG(1, 1)), 100_000, 15, 0)
	for _, c := range []struct {
		name string
		f    func([]float64, [][]float64) ([]float64, error)
	}{{"Correlations", drivers.Correlations}, {"RelativeWeights", drivers.RelativeWeights}, {"ShapleyR2", drivers.ShapleyR2}} {
		b.Run(c.name+"/k=15/n=1e5", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.f(y, x); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkShapleyDrivers shows the 2^k growth of the exact decomposition on few
// respondents, where the subsets dominate.
func BenchmarkShapleyDrivers(b *testing.B) {
	for _, k := range []int{5, 10, 15, 20} {
		y, x := ratedSurvey(rand.New(rand.NewPCG(2, 2)), 500, k, 0)
		b.Run(fmt.Sprintf("k=%d/n=500", k), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := drivers.ShapleyR2(y, x); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBootstrap measures 200 resamples of 15 drivers and 10,000 respondents.
func BenchmarkBootstrap(b *testing.B) {
	y, x := ratedSurvey(rand.New(rand.NewPCG(3, 3)), 10_000, 15, 0)
	rng := rand.New(rand.NewPCG(4, 4))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := drivers.Bootstrap(y, x, drivers.Options{Scale: drivers.FivePoint}, rng, 200, 0.95); err != nil {
			b.Fatal(err)
		}
	}
}
