package clv

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/cxmetrics/cxmetrics"
)

// hessStep is the step, in log parameters, of the central differences of the analytic
// gradient that give the Hessian: its truncation error is about hessStep² = 1e-8 of the
// third derivative, its rounding error about 1e-16/hessStep = 1e-12, so the standard
// errors are good to about 8 digits, more than any published table prints.
const hessStep = 1e-4

// logCovariance returns the asymptotic covariance matrix of the logarithms of the
// parameters at the log parameters x of the mean negative log-likelihood f of n
// observations: the inverse of the observed information matrix (Efron & Hinkley 1978).
//
// The Hessian H of f over log parameters is taken by central differences of the
// analytic gradient g. The observed information of the natural parameters θ = e^x is
// I = n · D⁻¹ (H - diag(g)) D⁻¹ with D = diag(θ) (the chain rule; the diag(g) term
// vanishes at an exact optimum and removes the first-order effect of stopping short of
// it), so that Cov(θ) = D · (n (H - diag(g)))⁻¹ · D and Cov(ln θ) = (n (H - diag(g)))⁻¹.
// It returns an error wrapping [cxmetrics.ErrSingular] when that matrix is not positive
// definite: the likelihood is then flat or curved upwards in some direction, and the
// data do not identify the parameters.
func logCovariance(model string, f objective, x []float64, n int) (*mat.SymDense, error) {
	k := len(x)
	g0 := make([]float64, k)
	f(g0, x)
	info := mat.NewSymDense(k, nil)
	gp, gm := make([]float64, k), make([]float64, k)
	xs := make([]float64, k)
	rows := make([][]float64, k)
	for i := range k {
		copy(xs, x)
		xs[i] = x[i] + hessStep
		f(gp, xs)
		xs[i] = x[i] - hessStep
		f(gm, xs)
		rows[i] = make([]float64, k)
		for j := range k {
			rows[i][j] = (gp[j] - gm[j]) / (2 * hessStep)
		}
	}
	nf := float64(n)
	for i := range k {
		for j := i; j < k; j++ {
			h := (rows[i][j] + rows[j][i]) / 2
			if i == j {
				h -= g0[i]
			}
			info.SetSym(i, j, nf*h)
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(info) {
		return nil, fmt.Errorf("clv: %s: the observed information matrix at the fitted parameters is not positive definite, so the data do not identify every parameter: %w", model, cxmetrics.ErrSingular)
	}
	cov := mat.NewSymDense(k, nil)
	if err := ch.InverseTo(cov); err != nil {
		return nil, fmt.Errorf("clv: %s: the observed information matrix is too ill-conditioned to invert (%v): %w", model, err, cxmetrics.ErrSingular)
	}
	for i := range k {
		if v := cov.At(i, i); !(v > 0) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("clv: %s: the variance of parameter %d is %v: %w", model, i, v, cxmetrics.ErrSingular)
		}
	}
	return cov, nil
}

// stdErrors stores in se the standard errors of the parameters params from the
// covariance matrix of their logarithms: se_i = θ_i · sqrt(Cov(ln θ)_ii), exactly the
// square root of the diagonal of D · Cov(ln θ) · D.
func stdErrors(se []float64, params []float64, cov *mat.SymDense) error {
	for i, p := range params {
		se[i] = p * math.Sqrt(cov.At(i, i))
		if math.IsInf(se[i], 0) || math.IsNaN(se[i]) {
			return fmt.Errorf("clv: the standard error of parameter %d (%v) is beyond the float64 range: %w", i, p, cxmetrics.ErrNotFinite)
		}
	}
	return nil
}
