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
		l := Points(1, 2+r.IntN(9))
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
		if err := Count("test", l, scores, w, bins); err != nil {
			t.Fatal(err)
		}
		m, err := Linearize("test", bins, zs, sample, make([]float64, len(bins)))
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
		Count("test", l, scores, nil, bins)
		m, _ = Linearize("test", bins, zs, sample, make([]float64, len(bins)))
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
	Count("test", Layout{Lo: 0, Hi: 2, Edges: []int{0, 1, 2, 3}}, []int{2, 2, 2}, []float64{1, 2, 3}, bins)
	m, err := Linearize("t", bins, zs, false, make([]float64, len(bins)))
	if err != nil || m.Var != 0 || !near(m.EffN, 36.0/14, 1e-15) || m.Theta != 1 {
		t.Errorf("one category: %+v, %v", m, err)
	}
	if _, err := Linearize("t", make([]Bin, 3), zs, false, make([]float64, 3)); !errors.Is(err, cxmetrics.ErrEmpty) {
		t.Errorf("empty: %v", err)
	}
	bins = make([]Bin, 3)
	Count("test", Layout{Lo: 0, Hi: 2, Edges: []int{0, 1, 2, 3}}, []int{2, 1}, []float64{0, 0}, bins)
	if _, err := Linearize("t", bins, zs, false, make([]float64, len(bins))); !errors.Is(err, cxmetrics.ErrEmpty) {
		t.Errorf("zero weights: %v", err)
	}
	bins = make([]Bin, 3)
	Count("test", Layout{Lo: 0, Hi: 2, Edges: []int{0, 1, 2, 3}}, []int{2}, nil, bins)
	if _, err := Linearize("t", bins, zs, true, make([]float64, len(bins))); !errors.Is(err, cxmetrics.ErrTooFew) {
		t.Errorf("a mean of one rating: %v", err)
	}
}

// TestLinearizeSurveyPackage compares with R's survey package 4.1.1 (design with weights
// only):
//
//	x <- c(1,2,2,3,4,5,5,5,1,3); w <- c(1,2,0.5,3,1,1,2,0.25,4,1.5)
//	des <- svydesign(ids=~1, weights=~w, data=data.frame(x=x, w=w, sat=as.numeric(x>=4)))
//	svymean(~x, des)   # 2.6923076923076925, SE 0.58185070035478637
//	svymean(~sat, des) # 0.26153846153846155, SE 0.15252923438356089
//
// svymean's variance carries n/(n-1) for both; Linearize applies it to means of ratings
// (sample = true) and not to shares, whose variance is the multinomial p(1-p)/n when the
// weights are equal, so the share's SE here is svymean's times √((n-1)/n).
func TestLinearizeSurveyPackage(t *testing.T) {
	x := []int{1, 2, 2, 3, 4, 5, 5, 5, 1, 3}
	w := []float64{1, 2, 0.5, 3, 1, 1, 2, 0.25, 4, 1.5}
	bins := make([]Bin, 5)
	if err := Count("test", Points(1, 5), x, w, bins); err != nil {
		t.Fatal(err)
	}
	m, err := Linearize("test", bins, []float64{1, 2, 3, 4, 5}, true, make([]float64, 5))
	if err != nil || !near(m.Theta, 2.6923076923076925, 1e-15) || !near(math.Sqrt(m.Var), 0.58185070035478637, 1e-14) {
		t.Errorf("mean: %+v, %v", m, err)
	}
	cut := make([]Bin, 2)
	if err := Count("test", Layout{Lo: 1, Hi: 5, Edges: []int{0, 3, 5}}, x, w, cut); err != nil {
		t.Fatal(err)
	}
	s, err := Linearize("test", cut, []float64{0, 1}, false, make([]float64, 2))
	if err != nil || !near(s.Theta, 0.26153846153846155, 1e-15) || !near(math.Sqrt(s.Var), 0.15252923438356089*math.Sqrt(0.9), 1e-14) {
		t.Errorf("share: %+v, %v", s, err)
	}
}
