package clv

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/cxmetrics/cxmetrics"
)

// The two worked examples of Fader & Hardie (2007), "How to Project Customer Retention",
// J. Interactive Marketing 21(1), Table 1 / Figure 1: customers still active at the start
// of years 0..7 of two cohorts of 1,000.
var (
	sbgRegular = []int{1000, 631, 468, 382, 326, 289, 262, 241}
	sbgHighEnd = []int{1000, 869, 743, 653, 593, 551, 517, 491}
)

func TestFitShiftedBetaGeometric(t *testing.T) {
	// Published estimates (Fader & Hardie 2007, p. 82): regular alpha 0.704, beta 1.182;
	// high end alpha 0.668, beta 3.806. More digits, log-likelihoods and standard errors
	// from scipy 1.10.1 (the same likelihood with scipy.special.betaln,
	// optimize.minimize Nelder-Mead with xatol 1e-12 over log parameters, and the inverse
	// of a central-difference Hessian over (alpha, beta) with relative step 1e-4):
	// regular 0.70407732, 1.18204307, LL -1680.26518846, se 0.06559894, 0.15247557;
	// high end 0.66808839, 3.80609550, LL -1611.15814739, se 0.10373478, 0.78553068.
	for _, c := range []struct {
		name              string
		active            []int
		alpha, beta, ll   float64
		pubAlpha, pubBeta float64
		se                [2]float64
	}{
		{"regular", sbgRegular, 0.70407732, 1.18204307, -1680.26518846, 0.704, 1.182, [2]float64{0.06559894, 0.15247557}},
		{"high end", sbgHighEnd, 0.66808839, 3.80609550, -1611.15814739, 0.668, 3.806, [2]float64{0.10373478, 0.78553068}},
	} {
		m, err := FitShiftedBetaGeometric(c.active)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !scalar.EqualWithinRel(m.Alpha, c.alpha, 1e-6) || !scalar.EqualWithinRel(m.Beta, c.beta, 1e-6) ||
			!scalar.EqualWithinAbs(m.Alpha, c.pubAlpha, 5e-4) || !scalar.EqualWithinAbs(m.Beta, c.pubBeta, 5e-4) {
			t.Errorf("%s: alpha %.8f beta %.8f, want %.8f %.8f (published %.3f %.3f)", c.name, m.Alpha, m.Beta, c.alpha, c.beta, c.pubAlpha, c.pubBeta)
		}
		if !scalar.EqualWithinAbs(m.LogLikelihood, c.ll, 1e-6) {
			t.Errorf("%s: log-likelihood %.8f, want %.8f", c.name, m.LogLikelihood, c.ll)
		}
		for i := range 2 {
			if !scalar.EqualWithinRel(m.StdErr[i], c.se[i], 1e-4) {
				t.Errorf("%s: StdErr[%d] = %.8f, want %.8f", c.name, i, m.StdErr[i], c.se[i])
			}
		}
	}
}

// TestShiftedBetaGeometricCurves checks S(t) and r_t against the closed forms derived
// from the recursion S(t) = S(t-1)·(β+t-1)/(α+β+t-1), S(0) = 1 (Fader & Hardie 2007,
// eq. 3), computed here by the product, and the regular segment's retention rate in
// year 1, β/(α+β) = 1.182/1.886 = 0.6267.
func TestShiftedBetaGeometricCurves(t *testing.T) {
	m := ShiftedBetaGeometric{Alpha: 0.704, Beta: 1.182}
	s := 1.0
	for tt := 0; tt <= 200; tt++ {
		if tt > 0 {
			s *= (m.Beta + float64(tt) - 1) / (m.Alpha + m.Beta + float64(tt) - 1)
			r, err := m.RetentionRate(tt)
			if err != nil {
				t.Fatal(err)
			}
			if want := (m.Beta + float64(tt) - 1) / (m.Alpha + m.Beta + float64(tt) - 1); !scalar.EqualWithinRel(r, want, 1e-15) {
				t.Errorf("r_%d = %v, want %v", tt, r, want)
			}
		}
		got, err := m.Survival(tt)
		if err != nil {
			t.Fatal(err)
		}
		if !scalar.EqualWithinRel(got, s, 1e-12) {
			t.Errorf("S(%d) = %.15g, want %.15g", tt, got, s)
		}
	}
	if r, _ := m.RetentionRate(1); !scalar.EqualWithinAbs(r, 0.6267, 5e-5) {
		t.Errorf("r_1 = %v, want 0.6267", r)
	}
}

func TestShiftedBetaGeometricDERL(t *testing.T) {
	// scipy 1.10.1: (be+n-1)/(al+be+n-1) * scipy.special.hyp2f1(1, be+n, al+be+n, 1/(1+d))
	// at d = 0.1 and the scipy fits of TestFitShiftedBetaGeometric.
	for _, c := range []struct {
		alpha, beta float64
		n           int
		want        float64
	}{
		{0.7040773192610499, 1.1820430737809569, 1, 2.9643992518824076},
		{0.7040773192610499, 1.1820430737809569, 2, 4.103139721998814},
		{0.7040773192610499, 1.1820430737809569, 5, 5.894095287944827},
		{0.7040773192610499, 1.1820430737809569, 8, 6.842314875921201},
		{0.6680883872278957, 3.806095501915106, 1, 5.414478964568281},
		{0.6680883872278957, 3.806095501915106, 5, 6.896706665958255},
	} {
		m := ShiftedBetaGeometric{Alpha: c.alpha, Beta: c.beta}
		got, err := m.DERL(0.1, c.n-1)
		if err != nil {
			t.Fatal(err)
		}
		if !scalar.EqualWithinRel(got, c.want, 1e-12) {
			t.Errorf("DERL(0.1, %d renewals) = %.15g, want %.15g", c.n-1, got, c.want)
		}
	}
	// A customer who never leaves (α → 0) pays every period: DERL -> (1+d)/d.
	m := ShiftedBetaGeometric{Alpha: 1e-12, Beta: 1}
	if got, _ := m.DERL(0.1, 0); !scalar.EqualWithinRel(got, 11, 1e-9) {
		t.Errorf("DERL without churn = %v, want 11", got)
	}
	// The smallest discount finishes.
	if got, err := (ShiftedBetaGeometric{Alpha: 2, Beta: 1e6}).DERL(MinDERLDiscount, 0); err != nil || !(got > 0) {
		t.Errorf("DERL at the smallest discount: %v, %v", got, err)
	}
}

func TestShiftedBetaGeometricErrors(t *testing.T) {
	m := ShiftedBetaGeometric{Alpha: 0.7, Beta: 1.2}
	for _, c := range []struct {
		name  string
		err   error
		index int // of the InputError; -2 for none
		call  func() error
	}{
		{"one period", cxmetrics.ErrTooFew, -2, func() error { _, err := FitShiftedBetaGeometric([]int{10, 5}); return err }},
		{"nil", cxmetrics.ErrTooFew, -2, func() error { _, err := FitShiftedBetaGeometric(nil); return err }},
		{"empty cohort", cxmetrics.ErrEmpty, 0, func() error { _, err := FitShiftedBetaGeometric([]int{0, 0, 0}); return err }},
		{"negative", cxmetrics.ErrOutOfRange, 2, func() error { _, err := FitShiftedBetaGeometric([]int{10, 5, -1}); return err }},
		{"growing", cxmetrics.ErrOutOfRange, 2, func() error { _, err := FitShiftedBetaGeometric([]int{10, 5, 6}); return err }},
		{"negative t", cxmetrics.ErrOutOfRange, -1, func() error { _, err := m.Survival(-1); return err }},
		{"retention at 0", cxmetrics.ErrOutOfRange, -1, func() error { _, err := m.RetentionRate(0); return err }},
		{"bad alpha", cxmetrics.ErrOutOfRange, -1, func() error { _, err := ShiftedBetaGeometric{Beta: 1}.Survival(1); return err }},
		{"NaN beta", cxmetrics.ErrNotFinite, -1, func() error { _, err := ShiftedBetaGeometric{Alpha: 1, Beta: math.NaN()}.RetentionRate(1); return err }},
		{"negative renewals", cxmetrics.ErrOutOfRange, -1, func() error { _, err := m.DERL(0.1, -1); return err }},
		{"tiny discount", cxmetrics.ErrOutOfRange, -1, func() error { _, err := m.DERL(MinDERLDiscount/2, 0); return err }},
		{"NaN discount", cxmetrics.ErrNotFinite, -1, func() error { _, err := m.DERL(math.NaN(), 0); return err }},
	} {
		err := c.call()
		if !errors.Is(err, c.err) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.err)
			continue
		}
		var ie *cxmetrics.InputError
		if c.index >= -1 && (!errors.As(err, &ie) || ie.Index != c.index) {
			t.Errorf("%s: error %v does not name index %d", c.name, err, c.index)
		}
	}
	// Nobody leaves, or everybody at once: not identified, an error and never NaN.
	for _, active := range [][]int{{10, 10, 10}, {10, 0, 0}} {
		m, err := FitShiftedBetaGeometric(active)
		if err == nil {
			t.Errorf("%v: fit %+v, want an error", active, m)
			continue
		}
		if !errors.Is(err, cxmetrics.ErrNotConverged) && !errors.Is(err, cxmetrics.ErrSingular) {
			t.Errorf("%v: %v", active, err)
		}
	}
}

// TestShiftedBetaGeometricProjection checks the fit to the high-end data against an
// independent implementation: the README example of the Python package
// shifted_beta_geometric ("sBG model of customer retention", after Fader & Hardie 2007),
// which fits the same survival shares (.869 ... .491), projects S(8..12) as
// [0.460, 0.436, 0.414, 0.395, 0.378], and gives DERL 7.530 at a discount of 0.10 for
// the survivors at t = 7 (seven renewals). Both are printed to three decimals.
func TestShiftedBetaGeometricProjection(t *testing.T) {
	m, err := FitShiftedBetaGeometric(sbgHighEnd)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{0.460, 0.436, 0.414, 0.395, 0.378} {
		s, err := m.Survival(8 + i)
		if err != nil || math.Abs(s-want) > 0.0005 {
			t.Errorf("S(%d) = %.5f, %v; want %.3f", 8+i, s, err, want)
		}
	}
	d, err := m.DERL(0.10, 7)
	if err != nil || math.Abs(d-7.530) > 0.0005 {
		t.Errorf("DERL(0.10, 7) = %.5f, %v; want 7.530", d, err)
	}
}
