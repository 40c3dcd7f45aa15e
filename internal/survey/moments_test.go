package survey

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cxmetrics/cxmetrics"
)

// direct computes the weighted mean, the linearization variance and the effective n answer
// by answer, from their definitions:
//
//	θ = Σ w z / Σ w,  V = c Σ w² (z - θ)² / (Σ w)²,  σ² = Σ w (z - θ)² / Σ w,  n_eff = c σ² / V
func direct(z, w []float64, sample bool) (theta, v, neff float64) {
	var sw, swz float64
	for i := range z {
		sw += w[i]
		swz += w[i] * z[i]
	}
	theta = swz / sw
	var s2, q float64
	for i := range z {
		d := z[i] - theta
		s2 += w[i] * d * d
		q += w[i] * w[i] * d * d
	}
	c := 1.0
	if sample {
		c = float64(len(z)) / float64(len(z)-1)
	}
	v = c * q / (sw * sw)
	return theta, v, c * (s2 / sw) / v
}

func TestLinearize(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	for c := range 200 {
		l := Points("test", 1, 2+r.IntN(9))
		n := 2 + r.IntN(300)
		scores := make([]int, n)
		z := make([]float64, n)
		w := make([]float64, n)
		for i := range scores {
			scores[i] = l.Lo + r.IntN(l.Hi-l.Lo+1)
			z[i] = float64(scores[i])
			w[i] = r.ExpFloat64()
		}
		zs := make([]float64, l.Bins())
		for j := range zs {
			zs[j] = float64(l.Lo + j)
		}
		sample := c%2 == 0
		bins := make([]Bin, l.Bins())
		if err := Count(l, scores, w, bins); err != nil {
			t.Fatal(err)
		}
		m, err := Linearize("test", bins, zs, sample)
		if err != nil {
			t.Fatal(err)
		}
		theta, v, neff := direct(z, w, sample)
		if v == 0 { // one value only: direct's n_eff is 0/0
			continue
		}
		if !near(m.Theta, theta, 1e-12) || !near(m.Var, v, 1e-10) || !near(m.EffN, neff, 1e-10) {
			t.Errorf("case %d: θ %v V %v n_eff %v, want %v %v %v", c, m.Theta, m.Var, m.EffN, theta, v, neff)
		}
		// Unweighted: n_eff is n exactly and the variance is σ²/n (shares) or s²/n (means).
		ones := make([]float64, n)
		for i := range ones {
			ones[i] = 1
		}
		bins = make([]Bin, l.Bins())
		Count(l, scores, nil, bins)
		m, _ = Linearize("test", bins, zs, sample)
		theta, v, _ = direct(z, ones, sample)
		if m.EffN != float64(n) || !near(m.Var, v, 1e-12) || !near(m.Theta, theta, 1e-13) {
			t.Errorf("case %d unweighted: n_eff %v (want %d), V %v (want %v)", c, m.EffN, n, m.Var, v)
		}
	}
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

func TestLinearizeEdges(t *testing.T) {
	zs := []float64{-1, 0, 1}
	// No variation: all answers in one bin. Variance 0, n_eff Kish's (Σw)²/Σw².
	bins := make([]Bin, 3)
	Count(Layout{Pkg: "t", Lo: 0, Hi: 2, Edges: []int{0, 1, 2, 3}}, []int{2, 2, 2}, []float64{1, 2, 3}, bins)
	m, err := Linearize("t", bins, zs, false)
	if err != nil || m.Var != 0 || !near(m.EffN, 36.0/14, 1e-15) || m.Theta != 1 {
		t.Errorf("one category: %+v, %v", m, err)
	}
	if _, err := Linearize("t", make([]Bin, 3), zs, false); !errors.Is(err, cxmetrics.ErrEmpty) {
		t.Errorf("empty: %v", err)
	}
	bins = make([]Bin, 3)
	Count(Layout{Pkg: "t", Lo: 0, Hi: 2, Edges: []int{0, 1, 2, 3}}, []int{2, 1}, []float64{0, 0}, bins)
	if _, err := Linearize("t", bins, zs, false); !errors.Is(err, cxmetrics.ErrEmpty) {
		t.Errorf("zero weights: %v", err)
	}
	bins = make([]Bin, 3)
	Count(Layout{Pkg: "t", Lo: 0, Hi: 2, Edges: []int{0, 1, 2, 3}}, []int{2}, nil, bins)
	if _, err := Linearize("t", bins, zs, true); !errors.Is(err, cxmetrics.ErrTooFew) {
		t.Errorf("a mean of one rating: %v", err)
	}
}
