package clv

import (
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/journey"
)

// TestSumsNearOverflow: values whose sums or squares overflow, or whose sums with model
// parameters do, while the answer is representable, give that answer.
func TestSumsNearOverflow(t *testing.T) {
	near := func(name string, got float64, err error, want, tol float64) {
		t.Helper()
		if err != nil || !scalar.EqualWithinRel(got, want, tol) {
			t.Errorf("%s = %v, %v; want %v", name, got, err, want)
		}
	}
	// The correlation is the same at any scale of the spends.
	for _, scale := range []float64{1e160, 1e300, math.MaxFloat64 / 4, 1e-310} {
		cs := []Customer{{1, 1, 2, 1 * scale}, {2, 1, 2, 2 * scale}, {3, 1, 2, 3 * scale}, {0, 0, 2, 0}}
		rho, err := SpendFrequencyCorrelation(cs)
		near("correlation at scale "+fmtG(scale), rho, err, 1, 1e-12)
		cs[2].MonetaryValue = 0.5 * scale
		rho, err = SpendFrequencyCorrelation(cs)
		near("correlation at scale "+fmtG(scale), rho, err, -0.5/math.Sqrt(7.0/3), 1e-12) // corr(1:3, c(1, 2, 0.5))
	}

	// The mean repeat spend of purchases whose sum overflows.
	day := 24 * time.Hour
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	buy := func(d int, v float64) journey.Event {
		return journey.Event{User: "u", Time: t0.Add(time.Duration(d) * day), Value: v}
	}
	cs, _, err := CustomersFromEvents([]journey.Event{buy(0, 1), buy(1, 1e308), buy(2, 1.5e308), buy(3, 1.6e308)}, t0.Add(9*day), day)
	if err != nil || len(cs) != 1 {
		t.Fatalf("spends near overflow: %v, %v", cs, err)
	}
	near("mean repeat spend", cs[0].MonetaryValue, nil, 4.1e308/3, 1e-15)
	// One repeat purchase of two transactions at one instant, worth 2e308: no mean.
	_, _, err = CustomersFromEvents([]journey.Event{buy(0, 1), buy(1, 1e308), buy(1, 1e308)}, t0.Add(9*day), day)
	var ie *cxmetrics.InputError
	if !errors.Is(err, cxmetrics.ErrNotFinite) || !errors.As(err, &ie) || ie.Index != 0 {
		t.Errorf("mean repeat spend 2e308: error %v, want ErrNotFinite naming transaction 0", err)
	}

	// Expected spend where p·x and γ + x·z̄ overflow: about z̄.
	g := GammaGamma{P: 1e300, Q: 2, Gamma: 1}
	e, err := g.ExpectedSpend(Customer{Frequency: 1e12, Recency: 1, T: 1, MonetaryValue: 1e300})
	near("expected spend", e, err, 1e300, 1e-12)
	g = GammaGamma{P: 1e300, Q: 0.5, Gamma: 1e308}
	e, err = g.ExpectedSpend(Customer{Frequency: 2, Recency: 1, T: 1, MonetaryValue: 1e308})
	near("expected spend, q < 1", e, err, (1e308+2e308)/2, 1e-12) // p(γ+xz)/(px+q-1) → (γ+xz)/x

	// P(alive) and E[Y(t)] where α + T overflows: the same as with every time halved.
	m := BGNBD{R: 1, Alpha: 1e308, A: 2, B: 3}
	half := BGNBD{R: 1, Alpha: 0.5e308, A: 2, B: 3}
	c := Customer{Frequency: 1, Recency: 1e308, T: 1.7e308}
	ch := Customer{Frequency: 1, Recency: 0.5e308, T: 0.85e308}
	p, err := m.ProbabilityAlive(c)
	want, _ := half.ProbabilityAlive(ch)
	near("P(alive)", p, err, want, 1e-14)
	near("P(alive) by hand", p, err, 1/(1+2.0/3*(2.7/2)*(2.7/2)), 1e-14)
	y, err := m.ConditionalExpectedPurchases(1e308, c)
	want, _ = half.ConditionalExpectedPurchases(0.5e308, ch)
	near("E[Y(t) | c]", y, err, want, 1e-14)
	if !(y > 0) {
		t.Errorf("E[Y(t) | c] = %v, want > 0", y)
	}

	// P(X(t) = x) depends on t/α only: extreme t and α give the values at t/α.
	unit := BGNBD{R: 0.25, Alpha: 1, A: 0.8, B: 2.4}
	for _, tc := range []struct{ alpha, t float64 }{{1e308, 1e308}, {1e10, 1e-290}, {5e-324, 5e-324}, {1e-300, 1e8}} {
		mm := unit
		mm.Alpha = tc.alpha
		for x := range 4 {
			got, err := mm.ProbabilityOfPurchases(tc.t, x)
			want, _ := unit.ProbabilityOfPurchases(tc.t/tc.alpha, x)
			near("P(X(t) = x) at alpha "+fmtG(tc.alpha), got, err, want, 1e-12)
		}
	}
	p0, err := BGNBD{R: 0.25, Alpha: 1e10, A: 0.8, B: 2.4}.ProbabilityOfPurchases(5e-324, 0)
	near("P(X(5e-324) = 0)", p0, err, 1, 1e-15)
}

// TestFitGammaGammaSpread: spends that span more than the float64 range below their mean
// keep their logarithms, so the likelihood at the starting point is finite.
func TestFitGammaGammaSpread(t *testing.T) {
	cs := []Customer{{1, 1, 2, 5e-324}, {2, 1, 2, 1e300}, {1, 1, 2, 3e299}, {3, 1, 2, 2e300}, {2, 1, 2, 7e299}}
	_, err := FitGammaGamma(cs)
	var ce *ConvergenceError
	if errors.As(err, &ce) && ce.Reason == "log-likelihood not finite at the starting values" {
		t.Errorf("%v", err)
	}
}

// TestLifetimeValueBounds: periods beyond MaxPeriods are an error at once, and the most
// periods with the least discount finish.
func TestLifetimeValueBounds(t *testing.T) {
	g := GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	c := Customer{Frequency: 2, Recency: 30.43, T: 38.86, MonetaryValue: 22.35}
	for _, periods := range []int{MaxPeriods + 1, math.MaxInt} {
		var ie *cxmetrics.InputError
		if _, err := LifetimeValue(cdnowModel, g, c, periods, 1, 0.01); !errors.Is(err, cxmetrics.ErrTooLarge) || !errors.As(err, &ie) {
			t.Errorf("%d periods: error %v, want an InputError wrapping ErrTooLarge", periods, err)
		}
	}
	if testing.Short() {
		return
	}
	start := time.Now()
	v, err := LifetimeValue(cdnowModel, g, c, MaxPeriods, 1, 1e-12)
	if err != nil || !(v > 0) {
		t.Errorf("MaxPeriods: %v, %v", v, err)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("MaxPeriods took %v", d)
	}
}

// lifetimeValueLoop is LifetimeValue as the definition reads, one period at a time.
func lifetimeValueLoop(b BGNBD, g GammaGamma, c Customer, periods int, L, d float64) (float64, error) {
	spend, err := g.ExpectedSpend(c)
	if err != nil {
		return 0, err
	}
	var value, prev float64
	factor := 1.0
	for i := 1; i <= periods; i++ {
		e, err := b.ConditionalExpectedPurchases(float64(i)*L, c)
		if err != nil {
			return 0, err
		}
		factor /= 1 + d
		value += (e - prev) * spend * factor
		prev = e
	}
	return value, nil
}

func TestLifetimeValueAgainstLoop(t *testing.T) {
	g := GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	for _, b := range []BGNBD{cdnowModel, {R: 2, Alpha: 30, A: 1.7, B: 6}, {R: 0.5, Alpha: 1, A: 3, B: 0.4}} {
		for _, c := range []Customer{{2, 30.43, 38.86, 22.35}, {0, 0, 10, 0}, {40, 300, 301, 5}} {
			for _, periods := range []int{1, 12, 200} {
				for _, d := range []float64{0, 1e-6, 0.01, 0.5, 10} {
					got, err := LifetimeValue(b, g, c, periods, 4.345, d)
					if err != nil {
						t.Fatal(err)
					}
					want, err := lifetimeValueLoop(b, g, c, periods, 4.345, d)
					if err != nil {
						t.Fatal(err)
					}
					if !scalar.EqualWithinAbsOrRel(got, want, 1e-300, 1e-12) {
						t.Errorf("%+v, %+v, %d periods, discount %v: %v, loop %v", b, c, periods, d, got, want)
					}
				}
			}
		}
	}
}

// TestHandBuiltModels: parameters that no fit returns are errors from every method,
// never NaN.
func TestHandBuiltModels(t *testing.T) {
	c := Customer{Frequency: 2, Recency: 30.43, T: 38.86, MonetaryValue: 22.35}
	goodB := cdnowModel
	goodG := GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, -1, math.Copysign(0, -1)} {
		for k := range 4 {
			b := goodB
			*[...]*float64{&b.R, &b.Alpha, &b.A, &b.B}[k] = v
			for name, call := range map[string]func() (float64, error){
				"ExpectedPurchases":            func() (float64, error) { return b.ExpectedPurchases(1) },
				"ConditionalExpectedPurchases": func() (float64, error) { return b.ConditionalExpectedPurchases(1, c) },
				"ProbabilityAlive":             func() (float64, error) { return b.ProbabilityAlive(c) },
				"ProbabilityOfPurchases":       func() (float64, error) { return b.ProbabilityOfPurchases(1, 2) },
				"LifetimeValue":                func() (float64, error) { return LifetimeValue(b, goodG, c, 3, 1, 0.01) },
			} {
				if got, err := call(); err == nil || !knownError(err) {
					t.Errorf("BG/NBD field %d = %v, %s: %v, %v", k, v, name, got, err)
				}
			}
		}
		for k := range 3 {
			g := goodG
			*[...]*float64{&g.P, &g.Q, &g.Gamma}[k] = v
			if got, err := g.ExpectedSpend(c); err == nil || !knownError(err) {
				t.Errorf("Gamma-Gamma field %d = %v: %v, %v", k, v, got, err)
			}
			if got, err := LifetimeValue(goodB, g, c, 3, 1, 0.01); err == nil || !knownError(err) {
				t.Errorf("Gamma-Gamma field %d = %v, LifetimeValue: %v, %v", k, v, got, err)
			}
		}
	}
}

func fmtG(v float64) string { return fmt.Sprintf("%g", v) }
