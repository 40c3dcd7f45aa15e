package clv

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// simulateBGNBD draws n customers from the BG/NBD process with the given parameters:
// λ ~ Gamma(r, rate α), p ~ Beta(a, b); from the first purchase at time 0 the customer
// buys as a Poisson process with rate λ and, after each repeat purchase, drops out with
// probability p. Ages T are uniform on [tMin, tMax].
func simulateBGNBD(rng *rand.Rand, n int, m BGNBD, tMin, tMax float64) []Customer {
	cs, _ := simulateBGNBDAlive(rng, n, m, tMin, tMax)
	return cs
}

// simulateBGNBDAlive is simulateBGNBD that also reports which customers are still active
// at the end of their observation.
func simulateBGNBDAlive(rng *rand.Rand, n int, m BGNBD, tMin, tMax float64) ([]Customer, []bool) {
	out := make([]Customer, n)
	alive := make([]bool, n)
	for i := range out {
		lambda := stats.Gamma(rng, m.R) / m.Alpha
		ga, gb := stats.Gamma(rng, m.A), stats.Gamma(rng, m.B)
		p := ga / (ga + gb)
		T := tMin + (tMax-tMin)*rng.Float64()
		c := Customer{T: T}
		t := 0.0
		alive[i] = true
		for {
			t += rng.ExpFloat64() / lambda
			if t > T {
				break
			}
			c.Frequency++
			c.Recency = t
			if rng.Float64() < p {
				alive[i] = false
				break
			}
		}
		out[i] = c
	}
	return out, alive
}

// logParamStdErr returns the standard errors of the log parameters at the optimum x of
// f (the negative mean log-likelihood of n customers): the square roots of the diagonal
// of the inverse observed information, n times the Hessian of f, which is computed by
// central differences of the analytic gradient.
func logParamStdErr(t *testing.T, f objective, x []float64, n int) []float64 {
	t.Helper()
	k := len(x)
	h := mat.NewSymDense(k, nil)
	gp, gm := make([]float64, k), make([]float64, k)
	const eps = 1e-5
	for j := range k {
		xp := append([]float64(nil), x...)
		xm := append([]float64(nil), x...)
		xp[j] += eps
		xm[j] -= eps
		f(gp, xp)
		f(gm, xm)
		for i := 0; i <= j; i++ {
			h.SetSym(i, j, float64(n)*(gp[i]-gm[i])/(2*eps))
		}
	}
	var cov mat.SymDense
	var chol mat.Cholesky
	if !chol.Factorize(h) {
		t.Fatal("observed information is not positive definite")
	}
	if err := chol.InverseTo(&cov); err != nil {
		t.Fatal(err)
	}
	se := make([]float64, k)
	for i := range se {
		se[i] = math.Sqrt(cov.At(i, i))
	}
	return se
}

// TestFitBGNBDSimulated recovers known parameters from simulated customers. Each
// estimate must be within 4 standard errors (from the inverse observed information) of
// the truth on the log scale, where the likelihood is close to quadratic; for a correct
// estimator that fails with probability about 6e-5 per parameter, and the seed is fixed.
func TestFitBGNBDSimulated(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, truth := range []BGNBD{
		{R: 0.5, Alpha: 8, A: 0.8, B: 3},
		{R: 2, Alpha: 30, A: 1.7, B: 6}, // a > 1, days instead of weeks
		{R: 0.25, Alpha: 4.4, A: 0.8, B: 2.4},
	} {
		cs := simulateBGNBD(rng, 3000, truth, 20, 60)
		m, err := FitBGNBD(cs)
		if err != nil {
			t.Fatalf("%+v: %v", truth, err)
		}
		d, _ := newBGData(cs)
		x := []float64{math.Log(m.R), math.Log(m.Alpha / d.scale), math.Log(m.A), math.Log(m.B)}
		se := logParamStdErr(t, d.negLL, x, len(cs))
		want := []float64{truth.R, truth.Alpha / d.scale, truth.A, truth.B}
		checkWithinSE(t, truth, []string{"r", "alpha", "a", "b"}, x, se, want)
		// The fitted log-likelihood is at least that of the true parameters.
		xt := []float64{math.Log(truth.R), math.Log(truth.Alpha / d.scale), math.Log(truth.A), math.Log(truth.B)}
		if llTrue := -d.negLL(nil, xt)*float64(len(cs)) - d.sumX*math.Log(d.scale); m.LogLikelihood < llTrue {
			t.Errorf("truth %+v: fitted log-likelihood %v below the true parameters' %v", truth, m.LogLikelihood, llTrue)
		}
	}
}

// simulateGammaGamma draws n repeat customers: x uniform on 1..maxX repeat purchases,
// ν ~ Gamma(q, rate γ), and x transactions z ~ Gamma(p, rate ν) whose mean is z̄.
func simulateGammaGamma(rng *rand.Rand, n, maxX int, m GammaGamma) []Customer {
	out := make([]Customer, n)
	for i := range out {
		x := 1 + rng.IntN(maxX)
		nu := stats.Gamma(rng, m.Q) / m.Gamma
		var sum float64
		for range x {
			sum += stats.Gamma(rng, m.P) / nu
		}
		out[i] = Customer{Frequency: float64(x), Recency: 1, T: 2, MonetaryValue: sum / float64(x)}
	}
	return out
}

// TestFitGammaGammaSimulated recovers known parameters within 4 standard errors on the
// log scale, as TestFitBGNBDSimulated.
func TestFitGammaGammaSimulated(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, truth := range []GammaGamma{
		{P: 6, Q: 4, Gamma: 15},
		{P: 1.5, Q: 2.5, Gamma: 100},
	} {
		cs := simulateGammaGamma(rng, 2000, 8, truth)
		m, err := FitGammaGamma(cs)
		if err != nil {
			t.Fatalf("%+v: %v", truth, err)
		}
		d := &ggData{}
		for _, c := range cs {
			d.x = append(d.x, c.Frequency)
			d.z = append(d.z, c.MonetaryValue)
		}
		scale := meanOf(d.z)
		for i := range d.z {
			d.z[i] /= scale
		}
		d.prepare()
		x := []float64{math.Log(m.P), math.Log(m.Q), math.Log(m.Gamma / scale)}
		se := logParamStdErr(t, d.negLL, x, len(cs))
		want := []float64{truth.P, truth.Q, truth.Gamma / scale}
		checkWithinSE(t, truth, []string{"p", "q", "gamma"}, x, se, want)
	}
}

// checkWithinSE checks that each fitted log parameter x[i] lies within 4 standard errors
// se[i] of the log of its true value want[i].
func checkWithinSE(t *testing.T, truth any, names []string, x, se, want []float64) {
	t.Helper()
	for i, name := range names {
		z := (x[i] - math.Log(want[i])) / se[i]
		t.Logf("%s = %.4f (true %v), log-scale SE %.3f, z = %.2f", name, math.Exp(x[i]), want[i], se[i], z)
		if math.Abs(z) > 4 {
			t.Errorf("truth %+v: %s = %.4f, %.1f standard errors (%.3f on the log scale) from %v", truth, name, math.Exp(x[i]), z, se[i], want[i])
		}
	}
}
