package peakend_test

import (
	"math/rand/v2"
	"testing"

	"github.com/cxmetrics/cxmetrics/peakend"
)

// benchMoments is one long experience: 1000 moments.
func benchMoments() []peakend.Moment {
	rng := rand.New(rand.NewPCG(1, 1))
	exps := synthetic(rng, 100)
	var m []peakend.Moment
	for _, e := range exps {
		m = append(m, e...)
		if len(m) >= 1000 {
			break
		}
	}
	return m[:1000]
}

func BenchmarkRemembered(b *testing.B) {
	m := benchMoments()
	r := peakend.Rule{Peak: peakend.MostIntense, Neutral: 5, EndWindow: 3}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := peakend.Remembered(r, m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMean(b *testing.B) {
	m := benchMoments()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := peakend.Mean(m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSummarize(b *testing.B) {
	m := benchMoments()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := peakend.Summarize(m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFit fits 1000 experiences of 3 to 30 moments (about 16 500 moments in all).
func BenchmarkFit(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	exps := synthetic(rng, 1000)
	ratings := make([]float64, len(exps))
	for i, e := range exps {
		y, err := truth.Predict(e)
		if err != nil {
			b.Fatal(err)
		}
		ratings[i] = y + rng.NormFloat64()
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := peakend.Fit(exps, ratings); err != nil {
			b.Fatal(err)
		}
	}
}
