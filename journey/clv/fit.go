package clv

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/optimize"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// ConvergenceError reports a fit that did not converge, with the state it reached. Its
// Unwrap returns [cxmetrics.ErrNotConverged].
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
		e.Model, cxmetrics.ErrNotConverged, e.Reason, e.Iterations, e.Params, e.LogLikelihood)
}

// Unwrap returns cxmetrics.ErrNotConverged.
func (e *ConvergenceError) Unwrap() error { return cxmetrics.ErrNotConverged }

const (
	// maxLogParam bounds the log parameters the optimizer may visit: beyond e^±40 the
	// model is degenerate (a parameter at 0 or infinity), and the objective is +Inf there
	// so that the line search steps back.
	maxLogParam = 40
	// gradTol is the largest gradient component (of the mean negative log-likelihood over
	// log parameters) at which the optimizer stops: optimize.Settings.GradientThreshold.
	gradTol = 1e-9
	// gradFloor is the largest gradient component accepted when the optimizer stops
	// otherwise (the line search finds no decrease, or the objective stops decreasing):
	// the rounding floor of the objective has then been reached.
	gradFloor = 1e-6
	// maxIter bounds the BFGS iterations of a fit, over all its restarts.
	maxIter = 500
	// maxRestarts bounds how often BFGS is restarted, with a fresh inverse-Hessian
	// approximation, from the best point of a run that stopped early.
	maxRestarts = 4
	// stallIter is the number of iterations without a decrease of the objective beyond
	// its rounding (relative stallTol) after which a run stops.
	stallIter = 20
	stallTol  = 1e-15
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

// cachedObjective adapts an objective, which computes the value and the gradient in one
// pass, to optimize.Problem, which asks for them separately: Func keeps the gradient it
// computed, and Grad at the same point (as the line search asks) copies it.
type cachedObjective struct {
	f       objective
	x, grad []float64
	valid   bool
}

func (c *cachedObjective) value(x []float64) float64 {
	v := c.f(c.grad, x)
	copy(c.x, x)
	c.valid = true
	return v
}

func (c *cachedObjective) gradient(grad, x []float64) {
	if c.valid && slices.Equal(c.x, x) {
		copy(grad, c.grad)
		return
	}
	c.f(grad, x)
}

// fitMaxLikelihood minimizes f from x0 with gonum/optimize's BFGS and its default
// bisection line search (strong Wolfe conditions, curvature factor 0.9), which steps
// back from the +Inf outside |x_i| <= maxLogParam. A run stops when the largest gradient
// component is below gradTol. A run that stops early (the line search fails, no progress,
// the objective stalls) is restarted from its best point with a fresh inverse-Hessian
// approximation while it still made progress; its best point is accepted when the
// largest gradient component there is below gradFloor. It returns the minimizing log
// parameters, or a *ConvergenceError with the last state.
func fitMaxLikelihood(model string, x0 []float64, f objective, n int, sc scaled) ([]float64, error) {
	dim := len(x0)
	obj := &cachedObjective{f: f, x: make([]float64, dim), grad: make([]float64, dim)}
	prob := optimize.Problem{Func: obj.value, Grad: obj.gradient}
	x := slices.Clone(x0)
	fx := math.Inf(1)
	iters := 0
	fail := func(reason string) error {
		ll := -fx*float64(n) + sc.llOffset
		if !stats.Finite(fx) {
			ll = math.Inf(-1)
		}
		return &ConvergenceError{Model: model, Params: sc.params(x), LogLikelihood: ll, Iterations: iters, Reason: reason}
	}
	for restart := 0; ; restart++ {
		settings := &optimize.Settings{
			GradientThreshold: gradTol,
			// Major iterations count the starting point too.
			MajorIterations: maxIter - iters + 1,
			Converger:       &optimize.FunctionConverge{Relative: stallTol, Iterations: stallIter},
		}
		res, err := optimize.Minimize(prob, x, settings, &optimize.BFGS{})
		if res == nil || res.MajorIterations == 0 {
			// The starting point was not evaluated to a finite value.
			fx = f(nil, x)
			return nil, fail("log-likelihood not finite at the starting values")
		}
		iters += res.MajorIterations - 1
		improved := res.F < fx
		if improved {
			copy(x, res.X)
			fx = res.F
		}
		if res.Status == optimize.GradientThreshold {
			return x, nil
		}
		if improved && maxAbs(res.Gradient) < gradFloor {
			return x, nil
		}
		var reason string
		switch {
		case res.Status == optimize.IterationLimit:
			reason = "iteration limit reached"
		case err != nil:
			reason = fmt.Sprintf("%v (largest gradient component %.3g)", err, maxAbs(res.Gradient))
		default:
			reason = fmt.Sprintf("optimizer stopped with status %v (largest gradient component %.3g)", res.Status, maxAbs(res.Gradient))
		}
		if !improved || restart == maxRestarts || iters >= maxIter {
			return nil, fail(reason)
		}
	}
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
	if !stats.Finite(ll) {
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

// MinRepeatCustomers is the fewest customers with at least one repeat purchase that
// [FitBGNBD], [FitParetoNBD] and [FitGammaGamma] accept. Only repeat purchases inform
// the purchase rate and the dropout process (and only repeat customers the spend), and
// with fewer than ten of them the three or four parameters of a model are not
// identified in practice: the likelihood is flat or runs to a boundary, and the fit
// would end in an optimizer error rather than an estimate. Fewer is an error wrapping
// [cxmetrics.ErrTooFew], returned before fitting, that says how many there are.
const MinRepeatCustomers = 10

// checkRepeaters returns an error wrapping cxmetrics.ErrTooFew when fewer than
// MinRepeatCustomers customers made a repeat purchase. The customers have been checked.
func checkRepeaters(model string, customers []Customer) error {
	var n int
	for _, c := range customers {
		if c.Frequency > 0 {
			n++
		}
	}
	if n < MinRepeatCustomers {
		return fmt.Errorf("clv: the %s model needs at least %d customers with a repeat purchase, have %d of %d customers: %w",
			model, MinRepeatCustomers, n, len(customers), cxmetrics.ErrTooFew)
	}
	return nil
}
