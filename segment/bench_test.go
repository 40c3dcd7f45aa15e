package segment

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cxmetrics/cxmetrics"
)

// benchSegments returns k segments of 20 to 2,000 answers around NPS 30.
func benchSegments(k int) []Segment {
	rng := rand.New(rand.NewPCG(1, 1))
	segs := make([]Segment, k)
	for i := range segs {
		n := 20 + rng.IntN(1981)
		se := 70 / math.Sqrt(float64(n))
		segs[i] = Segment{Name: fmt.Sprint("segment ", i),
			Estimate: cxmetrics.Estimate{Score: 30 + 8*rng.NormFloat64() + se*rng.NormFloat64(), StdErr: se, N: n, EffectiveN: float64(n)}}
	}
	return segs
}

func BenchmarkAllPairs(b *testing.B) {
	for _, k := range []int{20, MaxPairSegments} {
		segs := benchSegments(k)
		b.Run(fmt.Sprint(k), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := AllPairs(0.95, segs); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(k*(k-1)/2)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mpairs/s")
		})
	}
}

func BenchmarkEachVsRest(b *testing.B) {
	for _, k := range []int{20, 100_000} {
		segs := benchSegments(k)
		b.Run(fmt.Sprint(k), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := EachVsRest(0.95, segs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkTrend(b *testing.B) {
	for _, k := range []int{24, 100_000} {
		segs := benchSegments(k)
		b.Run(fmt.Sprint(k), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Trend(0.95, segs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkShrink(b *testing.B) {
	for _, k := range []int{20, 100_000} {
		segs := benchSegments(k)
		b.Run(fmt.Sprint(k), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Shrink(0.95, segs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAdjust(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	p := make([]float64, 1_000_000)
	for i := range p {
		p[i] = rng.Float64()
	}
	for name, adjust := range map[string]func([]float64) ([]float64, error){"Holm": AdjustHolm, "BH": AdjustBH} {
		b.Run(name+"/1M", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := adjust(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
