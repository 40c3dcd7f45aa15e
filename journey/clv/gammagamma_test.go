package clv

import (
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

func TestFitGammaGammaCDNOW(t *testing.T) {
	cs := readCDNOW(t, "cdnow_summary_spend.csv")
	m, err := FitGammaGamma(cs)
	if err != nil {
		t.Fatal(err)
	}
	// Fader, Hardie & Lee (2005), "RFM and CLV", on the 946 CDNOW repeat customers:
	// p = 6.25, q = 3.74, gamma = 15.44, log-likelihood -4055.92. The optimum to more
	// digits, from scipy 1.10.1 (optimize.minimize, Nelder-Mead with xatol 1e-10 on the log
	// parameters of the same log-likelihood): p = 6.24880269, q = 3.74458844,
	// gamma = 15.44774722, log-likelihood -4055.92324350. The likelihood is flat along a
	// ridge, so the published gamma is 0.008 below the optimum (its log-likelihood at the
	// published rounded parameters is -4055.9247); the parameters are compared with scipy's
	// to 1e-5 relative and with the published ones to 0.01.
	for _, c := range []struct {
		name                 string
		got, want, published float64
	}{
		{"p", m.P, 6.24880269, 6.25},
		{"q", m.Q, 3.74458844, 3.74},
		{"gamma", m.Gamma, 15.44774722, 15.44},
	} {
		if !scalar.EqualWithinRel(c.got, c.want, 1e-5) || !scalar.EqualWithinAbs(c.got, c.published, 0.01) {
			t.Errorf("%s = %.8f, want %.8f (published %.2f)", c.name, c.got, c.want, c.published)
		}
	}
	if !scalar.EqualWithinAbs(m.LogLikelihood, -4055.92324350, 1e-6) {
		t.Errorf("log-likelihood = %.8f, want -4055.92324350 (published -4055.92)", m.LogLikelihood)
	}
	// Standard errors from the observed information: scipy 1.10.1, the Hessian of the
	// summed negative log-likelihood over (p, q, gamma) by central second differences at
	// the Nelder-Mead optimum with relative steps 2e-4 and 1e-4, Richardson-extrapolated,
	// then np.sqrt(np.diag(np.linalg.inv(H))): 1.18967846, 0.29016405, 4.15996235. The
	// finite differences of a sum of 946 terms near -4056 are good to about 1e-5.
	for i, want := range []float64{1.18967846, 0.29016405, 4.15996235} {
		if !scalar.EqualWithinRel(m.StdErr[i], want, 1e-4) {
			t.Errorf("StdErr[%d] = %.8f, want %.8f (scipy)", i, m.StdErr[i], want)
		}
	}
	t.Logf("%+v", m)
	rho, err := SpendFrequencyCorrelation(cs)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("spend-frequency correlation %v", rho)
}

// TestGammaGammaGradient compares the analytic gradient with central differences.
func TestGammaGammaGradient(t *testing.T) {
	d := &ggData{x: []float64{1, 2, 2, 7, 150}, z: []float64{0.5, 1.2, 3, 0.9, 1.1}}
	d.prepare()
	checkGradient(t, d.negLL, [][]float64{{0, 0, 0}, {1.8, 1.3, 2.7}, {-2, 3, -1}})
}
