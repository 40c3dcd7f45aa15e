// Package ols fits ordinary least squares by Householder QR (gonum/mat), for the packages
// that regress: peakend and drivers.
package ols

import (
	"errors"
	"fmt"
	"math"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
	"gonum.org/v1/gonum/mat"
)

// SingularError reports which column of a design matrix is, to working precision, a linear
// combination of the columns before it. It unwraps to cxmetrics.ErrSingular.
type SingularError struct {
	Column int // index of the first dependent column
}

// Error names the dependent column.
func (e *SingularError) Error() string {
	return fmt.Sprintf("ols: column %d is a linear combination of columns 0..%d: %v",
		e.Column, e.Column-1, cxmetrics.ErrSingular)
}

// Unwrap returns cxmetrics.ErrSingular.
func (e *SingularError) Unwrap() error { return cxmetrics.ErrSingular }

// RankTolerance is the relative size below which a column's component orthogonal to the
// columns before it counts as zero: column j is dependent when |R_jj| <= RankTolerance·‖x_j‖.
// It is the default tol = 1e-7 of R's lm (LINPACK dqrdc2).
const RankTolerance = 1e-7

// Result is an ordinary least-squares fit of y on the columns of a design matrix X.
type Result struct {
	Coef   []float64 // β̂, one per column of X
	StdErr []float64 // √(σ̂² [(XᵀX)⁻¹]_jj)
	RSS    float64   // Σ (y_i - x_iᵀβ̂)²
	TSS    float64   // Σ (y_i - ȳ)²
	R2     float64   // 1 - RSS/TSS; 0 when TSS is 0
	DF     int       // residual degrees of freedom n - p
	Sigma  float64   // residual standard error √(RSS/DF)
}

// OLS fits y = Xβ + ε by least squares through the Householder QR factorisation X = QR
// (gonum/mat, LAPACK dgeqrf), never through the normal equations, whose condition number
// is the square of X's:
//
//	β̂ = R⁻¹ Qᵀ y,   Var(β̂) = σ̂² (XᵀX)⁻¹ = σ̂² R⁻¹ R⁻ᵀ,   σ̂² = RSS / (n - p)
//
// so the standard error of β̂_j is σ̂ times the norm of row j of R⁻¹. Columns are first
// scaled by powers of two (exactly) to comparable norms, which makes the rank test and the
// condition estimate independent of the columns' units.
//
// X is n×p with n > p; include a column of ones for an intercept. R2 is the centred
// coefficient of determination 1 - RSS/TSS, the usual R² for a model with an intercept.
//
// OLS returns a *SingularError (cxmetrics.ErrSingular) when a column's component orthogonal to the
// columns before it is at most RankTolerance times its norm, or when the condition number
// of the scaled X exceeds mat.ConditionTolerance; cxmetrics.ErrTooFew when n <= p; and errors wrapping
// cxmetrics.ErrLengthMismatch or cxmetrics.ErrNotFinite for mismatched, non-finite input or
// a non-finite result. It never returns NaN or Inf.
//
// Reference: Björck, Å. (1996). Numerical Methods for Least Squares Problems, SIAM, §1.3,
// §2.7. The accuracy is checked against NIST StRD's Longley data in the tests.
func Fit(x mat.Matrix, y []float64) (Result, error) {
	n, p := x.Dims()
	if len(y) != n {
		return Result{}, fmt.Errorf("ols: %d responses for %d rows: %w", len(y), n, cxmetrics.ErrLengthMismatch)
	}
	if p == 0 || n <= p {
		return Result{}, fmt.Errorf("ols: %d observations for %d coefficients, need at least %d: %w", n, p, p+1, cxmetrics.ErrTooFew)
	}
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Result{}, fmt.Errorf("ols: response %v at row %d: %w", v, i, cxmetrics.ErrNotFinite)
		}
	}

	// Scale column j by 2^-e_j, where 2^e_j is about its norm: exact, and the condition
	// number of the scaled matrix measures collinearity rather than units.
	xs := mat.DenseCopyOf(x)
	norms := make([]float64, p)
	scale := make([]float64, p)
	col := make([]float64, n)
	for j := range p {
		mat.Col(col, j, xs)
		for i, v := range col {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return Result{}, fmt.Errorf("ols: x[%d][%d] = %v: %w", i, j, v, cxmetrics.ErrNotFinite)
			}
		}
		norms[j] = Norm2(col)
		if norms[j] == 0 {
			return Result{}, &SingularError{Column: j}
		}
		_, e := math.Frexp(norms[j])
		scale[j] = math.Ldexp(1, -e)
		for i := range n {
			xs.Set(i, j, xs.At(i, j)*scale[j])
		}
		norms[j] *= scale[j]
	}

	var qr mat.QR
	qr.Factorize(xs)
	var r mat.Dense
	qr.RTo(&r)
	for j := range p {
		if math.Abs(r.At(j, j)) <= RankTolerance*norms[j] {
			return Result{}, &SingularError{Column: j}
		}
	}

	var beta mat.VecDense
	if err := qr.SolveVecTo(&beta, false, mat.NewVecDense(n, y)); err != nil {
		var c mat.Condition
		if errors.As(err, &c) {
			return Result{}, fmt.Errorf("ols: condition number %.3g: %w", float64(c), cxmetrics.ErrSingular)
		}
		return Result{}, fmt.Errorf("ols: %w", err)
	}

	// (XᵀX)⁻¹ = R⁻¹R⁻ᵀ: its diagonal holds the squared row norms of R⁻¹.
	rt := mat.NewTriDense(p, mat.Upper, nil)
	for i := range p {
		for j := i; j < p; j++ {
			rt.SetTri(i, j, r.At(i, j))
		}
	}
	var rinv mat.TriDense
	if err := rinv.InverseTri(rt); err != nil {
		return Result{}, fmt.Errorf("ols: inverting R: %w", cxmetrics.ErrSingular)
	}

	fit := Result{Coef: make([]float64, p), StdErr: make([]float64, p), DF: n - p}
	for j := range p {
		fit.Coef[j] = beta.AtVec(j) * scale[j]
	}

	var mean stats.Sum
	for _, v := range y {
		mean.Add(v)
	}
	ybar := mean.Value() / float64(n)
	var rss, tss stats.Sum
	row := make([]float64, p)
	for i := range n {
		mat.Row(row, i, x)
		var fitted stats.Sum
		for j, v := range row {
			fitted.Add(v * fit.Coef[j])
		}
		e := y[i] - fitted.Value()
		rss.Add(e * e)
		d := y[i] - ybar
		tss.Add(d * d)
	}
	fit.RSS = rss.Value()
	fit.TSS = tss.Value()
	if fit.TSS > 0 {
		fit.R2 = 1 - fit.RSS/fit.TSS
	}
	fit.Sigma = math.Sqrt(fit.RSS / float64(fit.DF))
	for j := range p {
		mat.Row(row, j, &rinv)
		fit.StdErr[j] = fit.Sigma * Norm2(row) * scale[j]
	}

	if !stats.Finite(fit.RSS) || !stats.Finite(fit.TSS) || !stats.Finite(fit.R2) || !stats.Finite(fit.Sigma) {
		return Result{}, fmt.Errorf("ols: residual sums overflow: %w", cxmetrics.ErrNotFinite)
	}
	for j := range p {
		if !stats.Finite(fit.Coef[j]) || !stats.Finite(fit.StdErr[j]) {
			return Result{}, fmt.Errorf("ols: coefficient %d overflows: %w", j, cxmetrics.ErrNotFinite)
		}
	}
	return fit, nil
}

// Norm2 returns the Euclidean norm √(Σ x_i²) without overflow or underflow in the squares
// (scaled sum of squares, as LAPACK's dnrm2).
func Norm2(x []float64) float64 {
	scale, ssq := 0.0, 1.0
	for _, v := range x {
		if v == 0 {
			continue
		}
		a := math.Abs(v)
		if scale < a {
			ssq = 1 + ssq*(scale/a)*(scale/a)
			scale = a
		} else {
			ssq += (v / scale) * (v / scale)
		}
	}
	return scale * math.Sqrt(ssq)
}
