package clv

import (
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

func TestFitBGNBDCDNOW(t *testing.T) {
	cs := readCDNOW(t, "cdnow_summary.csv")
	m, err := FitBGNBD(cs)
	if err != nil {
		t.Fatal(err)
	}
	// Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way", and the
	// lifetimes library's BetaGeoFitter on the same data: r = 0.2426, alpha = 4.4135,
	// a = 0.7929, b = 2.4258, log-likelihood -9582.43. Tolerances are half a unit in the
	// last printed digit.
	for _, c := range []struct {
		name      string
		got, want float64
		tol       float64
	}{
		{"r", m.R, 0.2426, 5e-5},
		{"alpha", m.Alpha, 4.4135, 5e-5},
		{"a", m.A, 0.7929, 5e-5},
		{"b", m.B, 2.4258, 5e-5},
		{"log-likelihood", m.LogLikelihood, -9582.43, 5e-3},
	} {
		if !scalar.EqualWithinAbs(c.got, c.want, c.tol) {
			t.Errorf("%s = %.6f, want %.6f ± %g", c.name, c.got, c.want, c.tol)
		}
	}
	// Standard errors: lifetimes' Quickstart (docs/Quickstart.md, BetaGeoFitter().fit on
	// the same CDNOW summary, bgf.summary "se(coef)"): r 0.012557, alpha 0.378221,
	// a 0.185719, b 0.705345. lifetimes stops at b = 2.425752, 1.5e-6 short of the
	// optimum, which moves the sixth digit of se(b); the tolerance is 2e-6, two units of
	// the last printed digit.
	for i, want := range []float64{0.012557, 0.378221, 0.185719, 0.705345} {
		if !scalar.EqualWithinAbs(m.StdErr[i], want, 2e-6) {
			t.Errorf("StdErr[%d] = %.7f, want %.6f (lifetimes)", i, m.StdErr[i], want)
		}
	}
	t.Logf("%+v", m)
}

// TestBGNBDGradient compares the analytic gradient with central differences.
func TestBGNBDGradient(t *testing.T) {
	cs := []Customer{{0, 0, 30, 0}, {2, 10, 30, 5}, {1, 29.5, 30, 3}, {7, 3, 12, 1}, {0, 0, 1, 0}}
	d, err := newBGData(cs)
	if err != nil {
		t.Fatal(err)
	}
	checkGradient(t, d.negLL, [][]float64{{0, 0, 0, 0}, {-1.4, 1.5, -0.2, 0.9}, {2, -3, 1, -1}})
}

// checkGradient compares the analytic gradient of f with central differences at each
// point.
func checkGradient(t *testing.T, f objective, points [][]float64) {
	t.Helper()
	for _, x := range points {
		g := make([]float64, len(x))
		f(g, x)
		for i := range x {
			const h = 1e-6
			xp := append([]float64(nil), x...)
			xm := append([]float64(nil), x...)
			xp[i] += h
			xm[i] -= h
			num := (f(nil, xp) - f(nil, xm)) / (2 * h)
			if !scalar.EqualWithinAbsOrRel(g[i], num, 1e-7, 1e-6) {
				t.Errorf("x=%v: gradient[%d] = %v, central difference %v", x, i, g[i], num)
			}
		}
	}
}

func TestPredictCDNOW(t *testing.T) {
	// The CDNOW fit (TestFitBGNBDCDNOW). The published predictions, E[X(t)] at t = 1, 3,
	// 32, 78 weeks = 0.0532, 0.1506, 1.0437, 1.8576 and, for x = 2, t_x = 30.43,
	// T = 38.86, E[Y(39)] = 1.226 and P(alive) = 0.7266, are matched to their printed
	// digits except E[X(78)]: the closed form at these parameters, evaluated with mpmath
	// 1.2.1 at 40 digits (mp.hyp2f1), is 1.857972, and 1.8580 at the 4-digit published
	// parameters, so 1.8576 is off in its fourth decimal. The "want" values below are
	// mpmath's; the tolerance covers float64 rounding.
	m := BGNBD{R: 0.242593, Alpha: 4.413532, A: 0.792886, B: 2.425752}
	for _, c := range []struct{ t, want, published float64 }{
		{1, 0.0531847553599, 0.0532},
		{3, 0.150631969385, 0.1506},
		{32, 1.04373743356, 1.0437},
		{78, 1.8579721052, 1.8580},
	} {
		got, err := m.ExpectedPurchases(c.t)
		if err != nil {
			t.Fatal(err)
		}
		if !scalar.EqualWithinRel(got, c.want, 1e-10) || !scalar.EqualWithinAbs(got, c.published, 5e-5) {
			t.Errorf("E[X(%v)] = %.12f, want %.12f (published %.4f)", c.t, got, c.want, c.published)
		}
	}
	c := Customer{Frequency: 2, Recency: 30.43, T: 38.86}
	e, err := m.ConditionalExpectedPurchases(39, c)
	if err != nil {
		t.Fatal(err)
	}
	if !scalar.EqualWithinRel(e, 1.22591038569, 1e-10) || !scalar.EqualWithinAbs(e, 1.226, 5e-4) {
		t.Errorf("E[Y(39) | 2, 30.43, 38.86] = %.12f, want 1.22591038569 (published 1.226)", e)
	}
	p, err := m.ProbabilityAlive(c)
	if err != nil {
		t.Fatal(err)
	}
	if !scalar.EqualWithinRel(p, 0.726609102456, 1e-10) || !scalar.EqualWithinAbs(p, 0.7266, 5e-5) {
		t.Errorf("P(alive | 2, 30.43, 38.86) = %.12f, want 0.726609102456 (published 0.7266)", p)
	}
}
