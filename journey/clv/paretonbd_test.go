package clv

import (
	"errors"
	"math"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/cxmetrics/cxmetrics"
)

func TestFitParetoNBDCDNOW(t *testing.T) {
	cs := readCDNOW(t, "cdnow_summary.csv")
	m, err := FitParetoNBD(cs)
	if err != nil {
		t.Fatal(err)
	}
	// Fader, Hardie & Lee (2005), "A Note on Implementing the Pareto/NBD Model in MATLAB":
	// r = 0.55, alpha = 10.58, s = 0.61, beta = 11.67, LL = -9595.0, compared to half a
	// unit of their last digit. The optimum to more digits, from scipy 1.10.1 (the same
	// likelihood with scipy.special.hyp2f1, BFGS then Nelder-Mead with xatol 1e-10 over
	// the log parameters; bench/clv_scipy.py): r 0.5532755, alpha 10.5776119,
	// s 0.6062134, beta 11.6679051, LL -9594.97392983. The likelihood is flat in beta
	// (its standard error is 6.2), so beta is compared to 1e-5 relative and the rest to
	// 1e-6. The BTYD vignette's 0.5534, 10.5802, 0.6061, 11.6562 has LL -9594.97396
	// (mpmath, 40 digits), 3e-5 below the optimum.
	for _, c := range []struct {
		name                      string
		got, want, rel, pub, pTol float64
	}{
		{"r", m.R, 0.5532755, 1e-6, 0.55, 5e-3},
		{"alpha", m.Alpha, 10.5776119, 1e-6, 10.58, 5e-3},
		{"s", m.S, 0.6062134, 1e-6, 0.61, 5e-3},
		{"beta", m.Beta, 11.6679051, 1e-5, 11.67, 5e-3},
	} {
		if !scalar.EqualWithinRel(c.got, c.want, c.rel) || !scalar.EqualWithinAbs(c.got, c.pub, c.pTol) {
			t.Errorf("%s = %.7f, want %.7f (published %v)", c.name, c.got, c.want, c.pub)
		}
	}
	if !scalar.EqualWithinAbs(m.LogLikelihood, -9594.97392983, 1e-6) || !scalar.EqualWithinAbs(m.LogLikelihood, -9595.0, 0.05) {
		t.Errorf("log-likelihood %.8f, want -9594.97392983 (published -9595.0)", m.LogLikelihood)
	}
	// Standard errors: the inverse of scipy's central-difference Hessian of the same
	// likelihood over (r, alpha, s, beta) at the optimum, relative step 1e-4
	// (bench/clv_scipy.py -se): 0.04762843, 0.84272203, 0.18727418, 6.21084413. Both
	// are finite differences (here of a finite-difference gradient), good to about 1e-4;
	// the tolerance is 1e-3 relative.
	for i, want := range []float64{0.04762843, 0.84272203, 0.18727418, 6.21084413} {
		if !scalar.EqualWithinRel(m.StdErr[i], want, 1e-3) {
			t.Errorf("StdErr[%d] = %.6f, want %.6f", i, m.StdErr[i], want)
		}
	}
	t.Logf("%+v", m)
}

func TestParetoNBDPredict(t *testing.T) {
	// The BTYD vignette's parameters; the closed forms of Fader, Hardie & Lee (2005),
	// eqs. 2 and 3 (P(alive) and E[Y(52)]), evaluated with mpmath 1.2.1 at 40 digits
	// (mp.hyp2f1). Customer 1516 of CDNOW is the vignette's example (x = 26,
	// t_x = 30.86, T = 31).
	m := ParetoNBD{R: 0.5534, Alpha: 10.5802, S: 0.6061, Beta: 11.6562}
	for _, c := range []struct {
		c          Customer
		alive, e52 float64
	}{
		{Customer{26, 30.86, 31, 0}, 0.997917766551907, 25.4549135114997},
		{Customer{2, 30.43, 38.86, 0}, 0.869110643968137, 1.8507607904287},
		{Customer{0, 0, 38.86, 0}, 0.294961486437042, 0.136132191292866},
		{Customer{7, 29.43, 38.86, 0}, 0.749408600029762, 4.72082089513135},
	} {
		p, err := m.ProbabilityAlive(c.c)
		if err != nil {
			t.Fatal(err)
		}
		e, err := m.ConditionalExpectedPurchases(52, c.c)
		if err != nil {
			t.Fatal(err)
		}
		if !scalar.EqualWithinRel(p, c.alive, 1e-11) || !scalar.EqualWithinRel(e, c.e52, 1e-11) {
			t.Errorf("%+v: P(alive) %.15g, E[Y(52)] %.15g, want %.15g, %.15g", c.c, p, e, c.alive, c.e52)
		}
	}
	// s = 1 exactly: the limit (r+x)(β+T)/(α+T) · ln(1 + t/(β+T)) · P(alive).
	one := ParetoNBD{R: 0.5, Alpha: 10, S: 1, Beta: 12}
	c := Customer{3, 20, 30, 0}
	e, _ := one.ConditionalExpectedPurchases(10, c)
	p, _ := one.ProbabilityAlive(c)
	if want := 3.5 * 42 / 40 * math.Log1p(10.0/42) * p; !scalar.EqualWithinRel(e, want, 1e-14) {
		t.Errorf("s = 1: %v, want %v", e, want)
	}
	// Near s = 1 the general form agrees with the limit.
	near := ParetoNBD{R: 0.5, Alpha: 10, S: 1 + 1e-9, Beta: 12}
	if e2, _ := near.ConditionalExpectedPurchases(10, c); !scalar.EqualWithinRel(e2, e, 1e-7) {
		t.Errorf("s = 1+1e-9: %v, limit %v", e2, e)
	}
}

// TestParetoNBDBranches: alpha >= beta and alpha < beta are the same integral, so the
// likelihood is continuous across alpha = beta, where the series is a single term.
func TestParetoNBDBranches(t *testing.T) {
	for _, c := range []Customer{{3, 20, 30, 0}, {40, 1, 50, 0}, {1, 0.5, 0.5, 0}} {
		lo, ok1 := paretoLnA0(0.7, 5*(1-1e-12), 0.9, 5, c.Frequency, c.Recency, c.T)
		hi, ok2 := paretoLnA0(0.7, 5*(1+1e-12), 0.9, 5, c.Frequency, c.Recency, c.T)
		eq, ok3 := paretoLnA0(0.7, 5, 0.9, 5, c.Frequency, c.Recency, c.T)
		if !ok1 || !ok2 || !ok3 || !scalar.EqualWithinAbs(lo, eq, 1e-9) || !scalar.EqualWithinAbs(hi, eq, 1e-9) {
			t.Errorf("%+v: ln A0 %v | %v | %v", c, lo, eq, hi)
		}
	}
}

func TestParetoNBDErrors(t *testing.T) {
	m := ParetoNBD{R: 0.55, Alpha: 10.58, S: 0.61, Beta: 11.67}
	for _, c := range []struct {
		name string
		err  error
		call func() error
	}{
		{"empty", cxmetrics.ErrEmpty, func() error { _, err := FitParetoNBD(nil); return err }},
		{"too few", cxmetrics.ErrTooFew, func() error { _, err := FitParetoNBD([]Customer{{2, 1, 3, 0}, {0, 0, 3, 0}}); return err }},
		{"bad customer", cxmetrics.ErrOutOfRange, func() error { _, err := FitParetoNBD([]Customer{{2, 4, 3, 0}}); return err }},
		{"zero s", cxmetrics.ErrOutOfRange, func() error {
			_, err := ParetoNBD{R: 1, Alpha: 1, Beta: 1}.ProbabilityAlive(Customer{T: 1})
			return err
		}},
		{"NaN beta", cxmetrics.ErrNotFinite, func() error {
			_, err := ParetoNBD{R: 1, Alpha: 1, S: 1, Beta: math.NaN()}.ConditionalExpectedPurchases(1, Customer{T: 1})
			return err
		}},
		{"negative t", cxmetrics.ErrOutOfRange, func() error { _, err := m.ConditionalExpectedPurchases(-1, Customer{T: 1}); return err }},
		{"NaN recency", cxmetrics.ErrNotFinite, func() error { _, err := m.ProbabilityAlive(Customer{1, math.NaN(), 1, 0}); return err }},
	} {
		if err := c.call(); !errors.Is(err, c.err) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.err)
		}
	}
}

// TestFitParetoNBDAnyGOMAXPROCS checks that the fit, whose gradient is evaluated on every
// core, gives the same bits with one core as with several.
func TestFitParetoNBDAnyGOMAXPROCS(t *testing.T) {
	customers := readCDNOW(t, "cdnow_summary.csv")
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	one, err := FitParetoNBD(customers)
	if err != nil {
		t.Fatal(err)
	}
	for _, procs := range []int{2, 3, 8} {
		runtime.GOMAXPROCS(procs)
		m, err := FitParetoNBD(customers)
		if err != nil || m != one {
			t.Errorf("GOMAXPROCS %d: %+v, %v; with 1: %+v", procs, m, err, one)
		}
	}
}
