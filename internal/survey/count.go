package survey

import (
	"fmt"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// Bin holds the sums of the answers in one bin: their number, and the compensated sums of
// their weights and squared weights.
type Bin struct {
	N     uint64
	W, W2 stats.Sum
}

// blockSize is the number of weighted answers summed plainly (in vector lanes or table
// entries) before the block's per-bin sums are added to compensated totals: the rounding
// error then does not grow with the number of answers.
const blockSize = 2048

// Count validates scores (and weights, unless nil) and adds them to bins, which must have
// l.Bins() elements. If weights is nil then all of the weights are 1. If weights is not
// nil, then len(scores) must equal len(weights). The first bad score or weight is an
// *cxmetrics.InputError with its index, naming pkg; bins is then unspecified.
func Count(pkg string, l Layout, scores []int, weights []float64, bins []Bin) error {
	return count(pkg, l, scores, weights, bins, hasAVX512)
}

// count is Count with the choice of kernel made by the caller, so that tests run every path.
func count(pkg string, l Layout, scores []int, weights []float64, bins []Bin, vector bool) error {
	if weights != nil && len(weights) != len(scores) {
		return fmt.Errorf("%s: %d weights for %d scores: %w", pkg, len(weights), len(scores), cxmetrics.ErrLengthMismatch)
	}
	if uint64(len(scores)) > MaxCount {
		return fmt.Errorf("%s: %d answers, more than %d: %w", pkg, len(scores), uint64(MaxCount), cxmetrics.ErrTooLarge)
	}
	k := newKernel(l, vector)
	if weights == nil {
		return k.unweighted(pkg, l, scores, bins)
	}
	return k.weighted(pkg, l, scores, weights, bins)
}

// unweightedScalar counts a histogram of points, then sums the points of each bin. Scores
// are compared as unsigned offsets from Lo, so that one comparison finds both x < Lo and
// x > Hi.
//
// offset is the index of scores[0] in the caller's input, for errors.
func unweightedScalar(pkg string, l Layout, scores []int, bins []Bin, offset int) error {
	points := l.Hi - l.Lo + 1
	lo, span := uint(l.Lo), uint(points)
	if points <= 256 {
		// Four interleaved tables, so that equal consecutive scores do not wait on each
		// other's increment; out-of-range offsets are ORed and checked once per chunk.
		var h [4][256]uint32
		const chunk = 1 << 30 // keeps each uint32 entry from wrapping
		for start := 0; start < len(scores); start += chunk {
			sc := scores[start:min(start+chunk, len(scores))]
			var or uint
			i := 0
			for ; i+4 <= len(sc); i += 4 {
				b := sc[i : i+4 : i+4]
				u0, u1, u2, u3 := uint(b[0])-lo, uint(b[1])-lo, uint(b[2])-lo, uint(b[3])-lo
				or |= u0 | u1 | u2 | u3
				h[0][uint8(u0)]++
				h[1][uint8(u1)]++
				h[2][uint8(u2)]++
				h[3][uint8(u3)]++
			}
			for ; i < len(sc); i++ {
				u := uint(sc[i]) - lo
				or |= u
				h[0][uint8(u)]++
			}
			if or >= 256 || tableOutside(&h, points) {
				return firstBad(pkg, l.Lo, l.Hi, scores[start:], nil, offset+start)
			}
			addTable(l, &h, bins)
			h = [4][256]uint32{}
		}
		return nil
	}
	h := make([]uint64, points)
	for i, x := range scores {
		u := uint(x) - lo
		if u >= span {
			return ScoreError(pkg, l.Lo, l.Hi, offset+i, x)
		}
		h[u]++
	}
	for j := range bins {
		for p := l.Edges[j]; p < l.Edges[j+1]; p++ {
			bins[j].N += h[p]
			bins[j].W.Add(float64(h[p]))
			bins[j].W2.Add(float64(h[p]))
		}
	}
	return nil
}

// tableOutside reports whether any table entry at or beyond points was counted.
func tableOutside(h *[4][256]uint32, points int) bool {
	for t := range h {
		for _, c := range h[t][points:] {
			if c != 0 {
				return true
			}
		}
	}
	return false
}

func addTable(l Layout, h *[4][256]uint32, bins []Bin) {
	for j := range bins {
		var n uint64
		for p := l.Edges[j]; p < l.Edges[j+1]; p++ {
			n += uint64(h[0][p]) + uint64(h[1][p]) + uint64(h[2][p]) + uint64(h[3][p])
		}
		bins[j].AddCount(n)
	}
}

// weightedScalar sums weights and squared weights per point in blocks, then per bin;
// offset is the index of scores[0] in the caller's input.
func weightedScalar(pkg string, l Layout, scores []int, weights []float64, bins []Bin, offset int) error {
	points := l.Hi - l.Lo + 1
	lo, span := uint(l.Lo), uint(points)
	var small [2][256]float64
	var sw, sq []float64
	var cnt []uint64
	if points <= 256 {
		sw, sq = small[0][:points], small[1][:points]
	} else {
		sw, sq = make([]float64, points), make([]float64, points)
	}
	var smallCnt [256]uint64
	if points <= 256 {
		cnt = smallCnt[:points]
	} else {
		cnt = make([]uint64, points)
	}
	for start := 0; start < len(scores); start += blockSize {
		end := min(start+blockSize, len(scores))
		ws := weights[start:end]
		for i, x := range scores[start:end] {
			u, w := uint(x)-lo, ws[i]
			if u >= span || !(w == 0 || (w >= MinWeight && w <= MaxWeight)) {
				return firstBad(pkg, l.Lo, l.Hi, scores[start:end], ws, offset+start)
			}
			cnt[u]++
			sw[u] += w
			sq[u] += w * w
		}
		for j := range bins {
			var w, q float64
			var n uint64
			for p := l.Edges[j]; p < l.Edges[j+1]; p++ {
				n += cnt[p]
				w += sw[p]
				q += sq[p]
			}
			bins[j].N += n
			bins[j].W.Add(w)
			bins[j].W2.Add(q)
		}
		clear(cnt)
		clear(sw)
		clear(sq)
	}
	return nil
}
