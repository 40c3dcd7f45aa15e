package survey

import "testing"

// TestCountLargeBlocks fills one packed field of every lane to its limit and beyond, for
// every field width of the table kernels, so that a block one answer too long would wrap a
// count.
func TestCountLargeBlocks(t *testing.T) {
	for _, l := range []Layout{Points(1, 8), Points(1, 7), Points(1, 5), Points(-2, 2), {Lo: 0, Hi: 10, Edges: []int{0, 7, 9, 11}}, {Lo: 0, Hi: 15, Edges: []int{0, 1, 2, 3, 4, 5, 6, 7, 16}}} {
		k := newKernel(l, hasAVX512)
		n := 3*k.tableBlock() + 17
		if !hasAVX512 || n > 1<<22 {
			n = 100_017
		}
		for _, at := range []int{l.Lo, l.Hi} {
			scores := make([]int, n)
			weights := make([]float64, n)
			for i := range scores {
				scores[i], weights[i] = at, 0.5
			}
			for _, w := range [][]float64{nil, weights} {
				bins := make([]Bin, l.Bins())
				if err := Count("test", l, scores, w, bins); err != nil {
					t.Fatal(err)
				}
				j := 0
				for l.Lo+l.Edges[j+1] <= at {
					j++
				}
				if bins[j].N != uint64(n) {
					t.Errorf("%+v, all %d, weighted %v: bin %d has %d of %d", l, at, w != nil, j, bins[j].N, n)
				}
			}
		}
	}
}
