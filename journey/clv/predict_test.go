package clv

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/cxmetrics/cxmetrics"
)

var cdnowModel = BGNBD{R: 0.242593, Alpha: 4.413532, A: 0.792886, B: 2.425752}

// TestProbabilityOfPurchasesMoments checks that P(X(t) = x) sums to 1 over x and that
// its mean is E[X(t)], which is computed by a different formula.
func TestProbabilityOfPurchasesMoments(t *testing.T) {
	for _, m := range []BGNBD{cdnowModel, {R: 2, Alpha: 30, A: 1.7, B: 6}, {R: 0.5, Alpha: 1, A: 3, B: 0.4}} {
		for _, tt := range []float64{0.5, 39, 78, 400} {
			var total, mean float64
			for x := 0; x < 5000; x++ {
				p, err := m.ProbabilityOfPurchases(tt, x)
				if err != nil {
					t.Fatal(err)
				}
				if p < 0 || p > 1 {
					t.Fatalf("P(X(%v) = %d) = %v", tt, x, p)
				}
				total += p
				mean += float64(x) * p
			}
			e, err := m.ExpectedPurchases(tt)
			if err != nil {
				t.Fatal(err)
			}
			if !scalar.EqualWithinAbs(total, 1, 1e-10) || !scalar.EqualWithinRel(mean, e, 1e-8) {
				t.Errorf("%+v, t = %v: Σ P = %.12f, Σ x P = %.12f, E[X(t)] = %.12f", m, tt, total, mean, e)
			}
		}
	}
	// P(X(t) = 0) at t = 0 is 1, and at t = 0 nothing else.
	p0, _ := cdnowModel.ProbabilityOfPurchases(0, 0)
	p1, _ := cdnowModel.ProbabilityOfPurchases(0, 1)
	if p0 != 1 || p1 != 0 {
		t.Errorf("P(X(0) = 0) = %v, P(X(0) = 1) = %v", p0, p1)
	}
}

// TestExpectedPurchasesSimulated compares E[X(t)] with the mean number of repeat
// purchases of simulated customers observed for exactly t, within 4 standard errors.
func TestExpectedPurchasesSimulated(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, c := range []struct {
		m BGNBD
		t float64
	}{{cdnowModel, 39}, {BGNBD{R: 2, Alpha: 30, A: 1.7, B: 6}, 200}, {BGNBD{R: 1, Alpha: 2, A: 1, B: 1}, 10}} {
		cs := simulateBGNBD(rng, 20000, c.m, c.t, c.t)
		var sum, sum2 float64
		for _, x := range cs {
			sum += x.Frequency
			sum2 += x.Frequency * x.Frequency
		}
		n := float64(len(cs))
		mean := sum / n
		se := math.Sqrt((sum2/n - mean*mean) / n)
		e, err := c.m.ExpectedPurchases(c.t)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(e-mean) > 4*se {
			t.Errorf("%+v: E[X(%v)] = %v, simulated mean %v ± %v", c.m, c.t, e, mean, se)
		}
	}
}

// TestConditionalSimulated checks the predictions for customers with a history through
// the law of total expectation: over simulated histories of customers of age T, the mean
// of E[Y(t) | history] is E[X(T+t)] - E[X(T)], and the mean of P(alive | history) is the
// share of customers still active at T. Each must hold within 4 standard errors of the
// Monte Carlo mean (plus, for the alive share, the binomial error of the simulated share).
func TestConditionalSimulated(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, c := range []struct {
		m     BGNBD
		T, tt float64
	}{{cdnowModel, 38.86, 39}, {BGNBD{R: 2, Alpha: 30, A: 1.7, B: 6}, 100, 300}, {BGNBD{R: 0.5, Alpha: 2, A: 0.5, B: 0.5}, 10, 2}} {
		cs, alive := simulateBGNBDAlive(rng, 20000, c.m, c.T, c.T)
		var se, se2, sp, sp2, nAlive float64
		for i, cu := range cs {
			e, err := c.m.ConditionalExpectedPurchases(c.tt, cu)
			if err != nil {
				t.Fatal(err)
			}
			p, err := c.m.ProbabilityAlive(cu)
			if err != nil {
				t.Fatal(err)
			}
			se += e
			se2 += e * e
			sp += p
			sp2 += p * p
			if alive[i] {
				nAlive++
			}
		}
		n := float64(len(cs))
		meanE, meanP, share := se/n, sp/n, nAlive/n
		sdE := math.Sqrt((se2/n - meanE*meanE) / n)
		sdP := math.Sqrt((sp2/n-meanP*meanP)/n + share*(1-share)/n)
		hi, err := c.m.ExpectedPurchases(c.T + c.tt)
		if err != nil {
			t.Fatal(err)
		}
		lo, err := c.m.ExpectedPurchases(c.T)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(meanE-(hi-lo)) > 4*sdE {
			t.Errorf("%+v: mean E[Y(%v) | history] = %v, E[X(T+t)] - E[X(T)] = %v (SE %v)", c.m, c.tt, meanE, hi-lo, sdE)
		}
		if math.Abs(meanP-share) > 4*sdP {
			t.Errorf("%+v: mean P(alive | history) = %v, simulated alive share %v (SE %v)", c.m, meanP, share, sdP)
		}
	}
}

// TestConditionalNewCustomer: a customer with no history (x = 0, T = 0) has the prior's
// expectation, and a customer with x = 0 is alive with probability 1.
func TestConditionalNewCustomer(t *testing.T) {
	for _, tt := range []float64{0, 0.3, 39, 1e4} {
		e, err := cdnowModel.ExpectedPurchases(tt)
		if err != nil {
			t.Fatal(err)
		}
		c, err := cdnowModel.ConditionalExpectedPurchases(tt, Customer{})
		if err != nil {
			t.Fatal(err)
		}
		if !scalar.EqualWithinRel(c, e, 1e-12) {
			t.Errorf("t = %v: conditional %v, unconditional %v", tt, c, e)
		}
	}
	p, err := cdnowModel.ProbabilityAlive(Customer{T: 30})
	if err != nil || p != 1 {
		t.Errorf("P(alive | x = 0) = %v, %v", p, err)
	}
}

// TestProbabilityAliveLimits checks the log-space evaluation far in both directions.
func TestProbabilityAliveLimits(t *testing.T) {
	// A customer who bought often and recently is almost surely alive; one who bought
	// often long ago is almost surely not; neither result is NaN.
	recent, err := cdnowModel.ProbabilityAlive(Customer{Frequency: 500, Recency: 100, T: 100})
	if err != nil {
		t.Fatal(err)
	}
	gone, err := cdnowModel.ProbabilityAlive(Customer{Frequency: 500, Recency: 1, T: 100})
	if err != nil {
		t.Fatal(err)
	}
	// At t_x = T the odds of having dropped out are a/(b+x-1).
	if want := 1 / (1 + cdnowModel.A/(cdnowModel.B+499)); !scalar.EqualWithinRel(recent, want, 1e-14) {
		t.Errorf("P(alive | 500, 100, 100) = %v, want %v", recent, want)
	}
	if !(gone >= 0 && gone < 1e-300) {
		t.Errorf("P(alive | 500, 1, 100) = %v, want about 0", gone)
	}
}

func TestLifetimeValue(t *testing.T) {
	g := GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	c := Customer{Frequency: 2, Recency: 30.43, T: 38.86, MonetaryValue: 22.35}
	spend, err := g.ExpectedSpend(c)
	if err != nil {
		t.Fatal(err)
	}
	// Without discounting the sum telescopes to E[Y(periods·L)] · E[Z].
	v, err := LifetimeValue(cdnowModel, g, c, 12, 4.345, 0)
	if err != nil {
		t.Fatal(err)
	}
	e, err := cdnowModel.ConditionalExpectedPurchases(12*4.345, c)
	if err != nil {
		t.Fatal(err)
	}
	if !scalar.EqualWithinRel(v, e*spend, 1e-12) {
		t.Errorf("undiscounted CLV %v, want %v", v, e*spend)
	}
	// With discounting: the sum written out with ConditionalExpectedPurchases.
	const d = 0.01
	var want float64
	for i := 1; i <= 12; i++ {
		hi, _ := cdnowModel.ConditionalExpectedPurchases(float64(i)*4.345, c)
		lo, _ := cdnowModel.ConditionalExpectedPurchases(float64(i-1)*4.345, c)
		want += (hi - lo) * spend / math.Pow(1+d, float64(i))
	}
	v, err = LifetimeValue(cdnowModel, g, c, 12, 4.345, d)
	if err != nil {
		t.Fatal(err)
	}
	if !scalar.EqualWithinRel(v, want, 1e-12) || !(v < e*spend) {
		t.Errorf("discounted CLV %v, want %v (< %v)", v, want, e*spend)
	}
	// The same horizon in days instead of weeks gives the same value when the model's
	// alpha and the customer's times are in days too.
	days := BGNBD{R: cdnowModel.R, Alpha: 7 * cdnowModel.Alpha, A: cdnowModel.A, B: cdnowModel.B}
	cd := Customer{Frequency: 2, Recency: 7 * 30.43, T: 7 * 38.86, MonetaryValue: 22.35}
	vd, err := LifetimeValue(days, g, cd, 12, 7*4.345, d)
	if err != nil {
		t.Fatal(err)
	}
	if !scalar.EqualWithinRel(vd, v, 1e-10) {
		t.Errorf("CLV in days %v, in weeks %v", vd, v)
	}
	if v0, err := LifetimeValue(cdnowModel, g, c, 0, 1, 0); v0 != 0 || err != nil {
		t.Errorf("CLV over 0 periods = %v, %v", v0, err)
	}
}

func TestExpectedSpend(t *testing.T) {
	g := GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	// The posterior mean is a weighted mean of the population mean p·γ/(q-1) and the
	// customer's z̄, with weight (q-1)/(p·x+q-1) on the population (Fader, Hardie & Lee
	// 2005, "RFM and CLV").
	for _, c := range []Customer{{0, 0, 10, 0}, {1, 2, 10, 5}, {2, 30.43, 38.86, 22.35}, {50, 30, 40, 300}} {
		got, err := g.ExpectedSpend(c)
		if err != nil {
			t.Fatal(err)
		}
		w := (g.Q - 1) / (g.P*c.Frequency + g.Q - 1)
		want := w*g.P*g.Gamma/(g.Q-1) + (1-w)*c.MonetaryValue
		if !scalar.EqualWithinRel(got, want, 1e-13) {
			t.Errorf("%+v: E[Z] = %v, want %v", c, got, want)
		}
	}
	if _, err := (GammaGamma{P: 1, Q: 0.9, Gamma: 1}).ExpectedSpend(Customer{T: 1}); !errors.Is(err, cxmetrics.ErrOutOfRange) {
		t.Errorf("q < 1, x = 0: %v, want ErrOutOfRange", err)
	}
}

func TestSpendFrequencyCorrelationCDNOW(t *testing.T) {
	cs := readCDNOW(t, "cdnow_summary_spend.csv")
	rho, err := SpendFrequencyCorrelation(cs)
	if err != nil {
		t.Fatal(err)
	}
	// numpy 1.24.2: np.corrcoef(x[x > 0], zbar[x > 0])[0, 1]; Fader & Hardie (2013)
	// report 0.11.
	if !scalar.EqualWithinAbs(rho, 0.11388391048600437, 1e-13) {
		t.Errorf("correlation %v, want 0.11388391048600437", rho)
	}
}
