package survey

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cxmetrics/cxmetrics"
)

// naive counts bins the obvious way: one comparison per edge, plain sums.
func naive(l Layout, scores []int, weights []float64) ([]uint64, []float64, []float64, error) {
	n := make([]uint64, l.Bins())
	w := make([]float64, l.Bins())
	q := make([]float64, l.Bins())
	for i, x := range scores {
		if x < l.Lo || x > l.Hi {
			return nil, nil, nil, ScoreError("test", l.Lo, l.Hi, i, x)
		}
		u := 1.0
		if weights != nil {
			if err := CheckWeight("test", i, weights[i]); err != nil {
				return nil, nil, nil, err
			}
			u = weights[i]
		}
		for j := range n {
			if x-l.Lo < l.Edges[j+1] { // x - Lo cannot overflow once x is in range
				n[j]++
				w[j] += u
				q[j] += u * u
				break
			}
		}
	}
	return n, w, q, nil
}

// randomLayout returns a scale with lo anywhere (including near the ends of int) and
// between 1 and 12 bins over up to 300 points.
func randomLayout(r *rand.Rand) Layout {
	points := 1 + r.IntN(300)
	if r.IntN(3) == 0 {
		points = 1 + r.IntN(12)
	}
	var lo int
	switch r.IntN(4) {
	case 0:
		lo = math.MinInt64 + r.IntN(10)
	case 1:
		lo = math.MaxInt64 - points + 1 - r.IntN(10)
	default:
		lo = r.IntN(21) - 10
	}
	bins := 1 + r.IntN(min(points, 12))
	edges := []int{0}
	for _, e := range r.Perm(points - 1)[:bins-1] {
		edges = append(edges, e+1)
	}
	edges = append(edges, points)
	for i := 1; i < len(edges); i++ { // insertion sort: few edges
		for j := i; j > 0 && edges[j] < edges[j-1]; j-- {
			edges[j], edges[j-1] = edges[j-1], edges[j]
		}
	}
	return Layout{Lo: lo, Hi: lo + points - 1, Edges: edges}
}

// TestCountPathsAgree compares every counting path with the naive loop on random data,
// scales and bins, with and without weights, with and without a bad value.
func TestCountPathsAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for c := range 3000 {
		l := randomLayout(r)
		n := r.IntN(5000)
		if c%10 == 0 {
			n = r.IntN(20)
		}
		scores := make([]int, n)
		for i := range scores {
			scores[i] = l.Lo + r.IntN(l.Hi-l.Lo+1)
		}
		var weights []float64
		if r.IntN(2) == 0 {
			weights = make([]float64, n)
			for i := range weights {
				weights[i] = r.ExpFloat64()
				if r.IntN(20) == 0 {
					weights[i] = 0
				}
			}
		}
		if n > 0 && r.IntN(3) == 0 {
			i := r.IntN(n)
			switch bad := r.IntN(6); {
			case bad == 0 && l.Lo > math.MinInt64:
				scores[i] = l.Lo - 1 - r.IntN(3)
			case bad == 1 && l.Hi < math.MaxInt64:
				scores[i] = l.Hi + 1
			case bad == 2:
				scores[i] = l.Lo ^ math.MinInt64
			case weights != nil && bad == 3:
				weights[i] = math.NaN()
			case weights != nil && bad == 4:
				weights[i] = -1e-300
			case weights != nil:
				weights[i] = []float64{math.Inf(1), 1e151, 1e-151, math.SmallestNonzeroFloat64}[r.IntN(4)]
			}
		}
		wn, ww, wq, werr := naive(l, scores, weights)
		for _, vector := range []bool{false, true} {
			bins := make([]Bin, l.Bins())
			err := count("test", l, scores, weights, bins, vector && hasAVX512)
			if (err == nil) != (werr == nil) || err != nil && err.Error() != werr.Error() {
				t.Fatalf("case %d (vector %v, layout %+v): error %v, want %v", c, vector, l, err, werr)
			}
			if err != nil {
				continue
			}
			for j := range bins {
				if bins[j].N != wn[j] || !close(bins[j].W.Value(), ww[j]) || !close(bins[j].W2.Value(), wq[j]) {
					t.Fatalf("case %d (vector %v, layout %+v) bin %d: %d %v %v, want %d %v %v", c, vector, l, j,
						bins[j].N, bins[j].W.Value(), bins[j].W2.Value(), wn[j], ww[j], wq[j])
				}
			}
		}
	}
}

func close(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }

// TestCountErrors checks the error of every class of bad input, at the first, a middle and
// the last position, for every path.
func TestCountErrors(t *testing.T) {
	l := Layout{Lo: 0, Hi: 10, Edges: []int{0, 7, 9, 11}}
	for _, c := range []struct {
		score  int
		weight float64
		want   error
	}{
		{11, 1, cxmetrics.ErrOutOfRange},
		{-1, 1, cxmetrics.ErrOutOfRange},
		{math.MinInt64, 1, cxmetrics.ErrOutOfRange},
		{math.MaxInt64, 1, cxmetrics.ErrOutOfRange},
		{5, math.NaN(), cxmetrics.ErrNotFinite},
		{5, math.Inf(1), cxmetrics.ErrNotFinite},
		{5, math.Inf(-1), cxmetrics.ErrNotFinite},
		{5, -1, cxmetrics.ErrNegativeWeight},
		{5, 1e200, cxmetrics.ErrOutOfRange},
		{5, 8e-163, cxmetrics.ErrOutOfRange},
	} {
		for _, n := range []int{1, 7, 8, 9, 100, 4097} {
			for _, at := range []int{0, n / 2, n - 1} {
				scores := make([]int, n)
				weights := make([]float64, n)
				for i := range weights {
					weights[i] = 1
				}
				scores[at], weights[at] = c.score, c.weight
				if c.weight == 1 {
					weights = nil
				}
				for _, vector := range []bool{false, true} {
					err := count("test", l, scores, weights, make([]Bin, 3), vector && hasAVX512)
					var ie *cxmetrics.InputError
					if !errors.Is(err, c.want) || !errors.As(err, &ie) || ie.Index != at {
						t.Errorf("score %d weight %v at %d of %d (vector %v): %v", c.score, c.weight, at, n, vector, err)
					}
				}
			}
		}
	}
	// A weight of -0 is a valid 0, also where a kernel checks whole blocks by bit patterns.
	for _, lz := range []Layout{l, Points(1, 5), Points(1, 7), Points(1, 8)} {
		for _, n := range []int{9, 4097, 20000} {
			scores := make([]int, n)
			weights := make([]float64, n)
			for i := range scores {
				scores[i], weights[i] = lz.Lo+i%(lz.Hi-lz.Lo+1), 1
			}
			weights[n/2] = math.Copysign(0, -1)
			for _, vector := range []bool{false, true} {
				bins := make([]Bin, lz.Bins())
				err := count("test", lz, scores, weights, bins, vector && hasAVX512)
				var total uint64
				var w float64
				for _, b := range bins {
					total += b.N
					w += b.W.Value()
				}
				if err != nil || total != uint64(n) || w != float64(n-1) {
					t.Errorf("%+v, -0 weight (vector %v): %v, %d answers, weight %v", lz, vector, err, total, w)
				}
			}
		}
	}
	if err := Count("test", l, []int{1, 2}, []float64{1}, make([]Bin, 3)); !errors.Is(err, cxmetrics.ErrLengthMismatch) {
		t.Errorf("mismatched lengths: %v", err)
	}
}

func TestCheckRange(t *testing.T) {
	for _, c := range []struct {
		lo, hi int
		ok     bool
	}{
		{0, 10, true}, {5, 5, true}, {0, MaxPoints - 1, true}, {0, MaxPoints, false},
		{math.MinInt64, math.MaxInt64, false}, {math.MinInt64, math.MinInt64 + MaxPoints - 1, true},
		{math.MaxInt64 - 3, math.MaxInt64, true}, {math.MinInt64, 0, false}, {1, 0, false},
		{math.MaxInt64, math.MinInt64, false},
	} {
		err := CheckRange(c.lo, c.hi)
		if (err == nil) != c.ok || err != nil && !errors.Is(err, cxmetrics.ErrInvalidScale) {
			t.Errorf("[%d, %d]: %v", c.lo, c.hi, err)
		}
	}
}
