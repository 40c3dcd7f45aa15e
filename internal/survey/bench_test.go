package survey

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkCount10M counts 10 million answers into the bins of the standard scales: NPS
// categories (3 bins of 0-10), CSAT points (1-5) and CES points (1-7).
func BenchmarkCount10M(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 10_000_000
	scores := make([]int, n)
	weights := make([]float64, n)
	for i := range weights {
		weights[i] = 0.5 + r.Float64()
	}
	for _, c := range []struct {
		name string
		l    Layout
	}{
		{"nps3", Layout{Lo: 0, Hi: 10, Edges: []int{0, 7, 9, 11}}},
		{"csat5", Points(1, 5)},
		{"ces7", Points(1, 7)},
	} {
		for i := range scores {
			scores[i] = c.l.Lo + r.IntN(c.l.Hi-c.l.Lo+1)
		}
		for _, vector := range []bool{true, false} {
			for _, w := range [][]float64{nil, weights} {
				name := fmt.Sprintf("%s/vector=%v/weighted=%v", c.name, vector, w != nil)
				b.Run(name, func(b *testing.B) {
					bins := make([]Bin, c.l.Bins())
					b.SetBytes(8 * n)
					b.ReportAllocs()
					for b.Loop() {
						if err := count("b", c.l, scores, w, bins, vector && hasAVX512); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}
