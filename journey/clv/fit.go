package clv

import (
	"errors"
	"fmt"
	"math"
)

// ErrNotConverged reports that a maximum-likelihood fit stopped before it converged.
// Fits return it wrapped in a [*ConvergenceError] that holds the last state.
var ErrNotConverged = errors.New("fit did not converge")

// ConvergenceError reports a fit that did not converge, with the state it reached. Its
// Unwrap returns [ErrNotConverged].
type ConvergenceError struct {
	Model         string    // "BG/NBD" or "Gamma-Gamma"
	Params        []float64 // the last parameters: r, alpha, a, b or p, q, gamma
	LogLikelihood float64   // the log-likelihood at Params
	Iterations    int       // the optimizer's iterations
	Reason        string    // why the optimizer stopped
}

// Error returns "clv: <model> fit did not converge: <reason> ...".
func (e *ConvergenceError) Error() string {
	return fmt.Sprintf("clv: %s %v: %s after %d iterations; last parameters %v, log-likelihood %v",
		e.Model, ErrNotConverged, e.Reason, e.Iterations, e.Params, e.LogLikelihood)
}

// Unwrap returns ErrNotConverged.
func (e *ConvergenceError) Unwrap() error { return ErrNotConverged }

const (
	// maxLogParam bounds the log parameters the optimizer may visit: beyond e^±40 the
	// model is degenerate (a parameter at 0 or infinity), and the objective is +Inf there
	// so that the line search steps back.
	maxLogParam = 40
	// gradTol is the largest gradient component (of the mean negative log-likelihood over
	// log parameters) at which the optimizer stops.
	gradTol = 1e-9
	// gradFloor is the largest gradient component accepted when no step decreases the
	// objective any more (the rounding floor of the objective has been reached).
	gradFloor = 1e-6
	maxIter   = 500
)

// objective returns the negative mean log-likelihood at the log parameters x and, when
// grad is not nil, stores its gradient.
type objective func(grad, x []float64) float64

// scaled describes how the optimizer's parameters relate to the model's: the data were
// divided by a scale (the largest age T, the mean spend) so that the optimizer works on
// numbers near 1 whatever the unit, and the model's parameter i is exp(x_i)·scale[i]; the
// log-likelihood of the original data is that of the scaled data plus llOffset.
type scaled struct {
	scale    []float64
	llOffset float64
}

// params returns the model's parameters at the optimizer's log parameters x.
func (s scaled) params(x []float64) []float64 {
	p := make([]float64, len(x))
	for i, v := range x {
		p[i] = math.Exp(v) * s.scale[i]
	}
	return p
}

// fitMaxLikelihood minimizes f from x0 with BFGS (Nocedal & Wright 2006, Algorithm 6.1)
// and a backtracking line search under the Armijo condition; the inverse-Hessian update is
// skipped when the curvature condition y's > 0 fails. It returns the minimizing log
// parameters, or a *ConvergenceError with the last state.
func fitMaxLikelihood(model string, x0 []float64, f objective, n int, sc scaled) ([]float64, error) {
	dim := len(x0)
	x := append([]float64(nil), x0...)
	g := make([]float64, dim)
	fx := f(g, x)
	fail := func(reason string, iters int) error {
		ll := -fx*float64(n) + sc.llOffset
		if math.IsInf(fx, 0) || math.IsNaN(fx) {
			ll = math.Inf(-1)
		}
		return &ConvergenceError{Model: model, Params: sc.params(x), LogLikelihood: ll, Iterations: iters, Reason: reason}
	}
	if math.IsNaN(fx) || math.IsInf(fx, 0) {
		return nil, fail("log-likelihood not finite at the starting values", 0)
	}

	h := make([]float64, dim*dim) // inverse Hessian approximation, row major
	resetH := func(scale float64) {
		for i := range h {
			h[i] = 0
		}
		for i := 0; i < dim; i++ {
			h[i*dim+i] = scale
		}
	}
	resetH(1)
	p := make([]float64, dim)
	xn := make([]float64, dim)
	gn := make([]float64, dim)
	s := make([]float64, dim)
	y := make([]float64, dim)
	hy := make([]float64, dim)
	fresh := true // h is a multiple of the identity
	for iter := 1; iter <= maxIter; iter++ {
		if maxAbs(g) < gradTol {
			return x, nil
		}
		var slope float64
		for i := range p {
			var v float64
			for j := range g {
				v -= h[i*dim+j] * g[j]
			}
			p[i] = v
			slope += v * g[i]
		}
		if !(slope < 0) {
			resetH(1)
			fresh = true
			slope = 0
			for i := range p {
				p[i] = -g[i]
				slope -= g[i] * g[i]
			}
		}
		step := 1.0
		if fresh {
			// Keep the first step, along the raw gradient, to a unit change.
			step = math.Min(1, 1/maxAbs(p))
		}
		var fn float64
		accepted := false
		for range 60 {
			for i := range xn {
				xn[i] = x[i] + step*p[i]
			}
			fn = f(gn, xn)
			if fn <= fx+1e-4*step*slope {
				accepted = true
				break
			}
			step *= 0.5
		}
		if !accepted || fn == fx {
			if maxAbs(g) < gradFloor {
				return x, nil
			}
			if !fresh {
				resetH(1)
				fresh = true
				continue
			}
			return nil, fail(fmt.Sprintf("line search found no decrease (largest gradient component %.3g)", maxAbs(g)), iter)
		}
		var sy, yhy float64
		for i := range s {
			s[i] = xn[i] - x[i]
			y[i] = gn[i] - g[i]
			sy += s[i] * y[i]
		}
		copy(x, xn)
		copy(g, gn)
		fx = fn
		if !(sy > 1e-300) {
			continue
		}
		if fresh {
			var yy float64
			for i := range y {
				yy += y[i] * y[i]
			}
			resetH(sy / yy)
			fresh = false
		}
		for i := range hy {
			var v float64
			for j := range y {
				v += h[i*dim+j] * y[j]
			}
			hy[i] = v
			yhy += y[i] * v
		}
		// H += (sy + y'Hy) ss'/sy² - (Hy s' + s y'H)/sy
		c := (sy + yhy) / (sy * sy)
		for i := range dim {
			for j := range dim {
				h[i*dim+j] += c*s[i]*s[j] - (hy[i]*s[j]+s[i]*hy[j])/sy
			}
		}
	}
	if maxAbs(g) < gradFloor {
		return x, nil
	}
	return nil, fail("iteration limit reached", maxIter)
}

// checkParams reports whether the fitted log parameters x stayed inside the region where
// the model is identified, and whether the model's parameters and log-likelihood are
// representable (positive, finite) once the scale is multiplied back.
func checkParams(model string, x []float64, fx float64, n int, sc scaled) error {
	params := sc.params(x)
	ll := -fx*float64(n) + sc.llOffset
	for i, v := range x {
		if !(math.Abs(v) < maxLogParam-1) {
			return &ConvergenceError{Model: model, Params: params, LogLikelihood: ll,
				Reason: "a parameter went to 0 or infinity (the data do not identify the model)"}
		}
		if p := params[i]; !(p > 0) || math.IsInf(p, 0) {
			return &ConvergenceError{Model: model, Params: params, LogLikelihood: ll,
				Reason: "a parameter is not representable in float64 at the data's scale"}
		}
	}
	if math.IsNaN(ll) || math.IsInf(ll, 0) {
		return &ConvergenceError{Model: model, Params: params, LogLikelihood: ll,
			Reason: "the log-likelihood is not representable in float64 at the data's scale"}
	}
	return nil
}

func maxAbs(v []float64) float64 {
	var m float64
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	return m
}
