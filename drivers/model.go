package drivers

import (
	"fmt"
	"math"

	"github.com/cxmetrics/cxmetrics"
	"gonum.org/v1/gonum/mat"
)

// r2Slack is how far above 1 rounding may carry the R² of a consistent correlation matrix;
// beyond it, pairwise correlations contradict each other.
const r2Slack = 1e-9

// model is the regression of the outcome on the drivers as their correlations determine
// it: the drivers' correlation matrix, their correlations with the outcome, R², and the
// eigendecomposition R_xx = V Λ Vᵀ.
type model struct {
	k      int
	rxx    []float64 // k×k, row-major
	rxy    []float64 // k
	r2     float64
	lambda []float64 // eigenvalues, ascending
	vecs   []float64 // k×k, row-major: column i is the eigenvector of lambda[i]
	vif    []float64 // [R_xx⁻¹]_jj
}

// newModel checks that the drivers' correlation matrix is positive definite to within
// SingularTolerance and that the whole matrix is consistent (R² ≤ 1), and factors it.
func newModel(d *data, c *corrMatrix) (*model, error) {
	k, p := c.p-1, c.p
	m := &model{k: k, rxx: make([]float64, k*k), rxy: make([]float64, k)}
	for j := range k {
		m.rxy[j] = c.r[j+1]
		copy(m.rxx[j*k:(j+1)*k], c.r[(j+1)*p+1:(j+2)*p])
	}

	// Cholesky factor L of R_xx, row by row: the pivot of driver j is the share of its
	// variance that the drivers before it leave unexplained, 1 - R²(x_j | x_0..x_{j-1}).
	l := make([]float64, k*k)
	for j := range k {
		for i := 0; i <= j; i++ {
			v := m.rxx[j*k+i] - dot(l[j*k:j*k+i], l[i*k:i*k+i])
			if i < j {
				l[j*k+i] = v / l[i*k+i]
				continue
			}
			if v < -SingularTolerance {
				return nil, fmt.Errorf("drivers: the correlations of %s with the drivers before it are inconsistent (its residual variance would be %.3g < 0); pairwise deletion gave a matrix that is not positive definite, use Listwise: %w",
					d.driver(j), v, cxmetrics.ErrSingular)
			}
			if v <= SingularTolerance {
				return nil, fmt.Errorf("drivers: %s is a linear combination of %s to working precision (it has %.3g of its variance left, at most %g): %w",
					d.driver(j), before(d, j), max(v, 0), SingularTolerance, cxmetrics.ErrSingular)
			}
			l[j*k+j] = math.Sqrt(v)
		}
	}
	// R² = |L⁻¹ r|².
	z := make([]float64, k)
	for j := range k {
		z[j] = (m.rxy[j] - dot(l[j*k:j*k+j], z[:j])) / l[j*k+j]
		m.r2 += z[j] * z[j]
	}
	if m.r2 > 1+r2Slack {
		return nil, fmt.Errorf("drivers: the pairwise correlations imply R² = %.6g > 1, so no data have them (the matrix with the outcome is not positive semidefinite); use Listwise: %w",
			m.r2, cxmetrics.ErrSingular)
	}
	m.r2 = min(m.r2, 1)

	var eig mat.EigenSym
	if !eig.Factorize(mat.NewSymDense(k, append([]float64(nil), m.rxx...)), true) {
		return nil, fmt.Errorf("drivers: the eigendecomposition of the drivers' correlation matrix did not converge: %w", cxmetrics.ErrSingular)
	}
	m.lambda = eig.Values(nil)
	var v mat.Dense
	eig.VectorsTo(&v)
	m.vecs = append([]float64(nil), v.RawMatrix().Data...)
	if v.RawMatrix().Stride != k {
		m.vecs = make([]float64, k*k)
		for i := range k {
			for j := range k {
				m.vecs[i*k+j] = v.At(i, j)
			}
		}
	}
	m.vif = make([]float64, k)
	worst := 0
	for j := range k {
		for i, lam := range m.lambda {
			if !(lam > 0) {
				return nil, fmt.Errorf("drivers: the drivers' correlation matrix has eigenvalue %.3g: %w", lam, cxmetrics.ErrSingular)
			}
			e := m.vecs[j*k+i]
			m.vif[j] += e * e / lam
		}
		if m.vif[j] > m.vif[worst] {
			worst = j
		}
	}
	if m.vif[worst] > 1/SingularTolerance {
		return nil, fmt.Errorf("drivers: %s is a linear combination of the other drivers to working precision (variance inflation factor %.3g, at most %g): %w",
			d.driver(worst), m.vif[worst], 1/SingularTolerance, cxmetrics.ErrSingular)
	}
	return m, nil
}

// before names the drivers before driver j.
func before(d *data, j int) string {
	switch j {
	case 0:
		return "no drivers"
	case 1:
		return d.driver(0)
	}
	return fmt.Sprintf("drivers 0 to %d", j-1)
}

// conditionNumber returns √(λ_max/λ_min), the 2-norm condition number of the standardized
// drivers.
func (m *model) conditionNumber() float64 {
	return math.Sqrt(m.lambda[m.k-1] / m.lambda[0])
}

// relativeWeights returns Johnson's ε_j (see RelativeWeights).
func (m *model) relativeWeights() []float64 {
	k := m.k
	// half[j][i] = (R^{1/2})_ji = Σ_t V_jt √λ_t V_it; beta = V Λ^{-1/2} Vᵀ r.
	proj := make([]float64, k) // Vᵀ r
	for t := range k {
		for j := range k {
			proj[t] += m.vecs[j*k+t] * m.rxy[j]
		}
	}
	beta := make([]float64, k)
	for i := range k {
		for t := range k {
			beta[i] += m.vecs[i*k+t] * proj[t] / math.Sqrt(m.lambda[t])
		}
	}
	eps := make([]float64, k)
	for j := range k {
		for i := range k {
			var h float64
			for t := range k {
				h += m.vecs[j*k+t] * math.Sqrt(m.lambda[t]) * m.vecs[i*k+t]
			}
			eps[j] += h * h * beta[i] * beta[i]
		}
	}
	return eps
}

// shapley returns the LMG shares φ_j (see ShapleyR2). It walks the subsets S of the
// drivers depth-first, each child adding a driver s beyond the last one of its parent, and
// carries down the tree the residual covariances given S: of the drivers with each other
// (R_{··|S} = R_·· - R_·S R_SS⁻¹ R_S·), and with the outcome (q_j = r_j - R_jS R_SS⁻¹ r_S).
// A child updates them by one step of Gaussian elimination on the pivot s (the sweep
// operator),
//
//	R_{ab|S∪s} = R_{ab|S} - R_{as|S} R_{sb|S} / R_{ss|S},   q_{j|S∪s} = q_{j|S} - R_{js|S} q_{s|S} / R_{ss|S}
//
// and the increment of R² that any driver j outside S brings is
//
//	R²(S ∪ {j}) - R²(S) = q_{j|S}² / R_{jj|S}
//
// computed directly rather than as a difference of two R². A node keeps only the rows of
// the drivers that can still enter below it (those beyond its last driver), so each
// subset costs O(k·(k - last)) and no rounding accumulates across siblings: every node
// derives from its parent alone, at most k steps from the correlation matrix. The
// weighted increments are summed per subset size, so nothing of size 2^k is stored.
func (m *model) shapley() []float64 {
	k := m.k
	res := make([]float64, (k+1)*k*k) // per depth, R_{··|S}: rows beyond the last driver of S
	dia := make([]float64, (k+1)*k)   // per depth, R_{jj|S} for every j outside S
	cov := make([]float64, (k+1)*k)   // per depth, q_{j|S}
	out := make([]int, (k+1)*k)       // per depth, the drivers outside S
	acc := make([]float64, k*k)       // acc[size*k+j]: Σ over |S| = size, j ∉ S of the increments
	copy(res, m.rxx)
	copy(cov, m.rxy)
	for j := range k {
		dia[j], out[j] = 1, j
	}
	var visit func(depth, last, free int)
	visit = func(depth, last, free int) {
		d, q := dia[depth*k:(depth+1)*k], cov[depth*k:(depth+1)*k]
		outside := out[depth*k : depth*k+free]
		a := acc[depth*k : (depth+1)*k]
		for _, j := range outside {
			a[j] += q[j] * q[j] / d[j]
		}
		if free == 1 {
			return
		}
		r := res[depth*k*k : (depth+1)*k*k]
		nr := res[(depth+1)*k*k : (depth+2)*k*k]
		nd, nq := dia[(depth+1)*k:(depth+2)*k], cov[(depth+1)*k:(depth+2)*k]
		nout := out[(depth+1)*k : (depth+2)*k]
		for s := last + 1; s < k; s++ {
			rs := r[s*k : (s+1)*k]
			inv := 1 / d[s]
			n := 0
			for _, j := range outside {
				if j != s {
					nout[n] = j
					n++
				}
			}
			rest := nout[:n]
			for _, j := range rest {
				f := rs[j] * inv
				nd[j] = d[j] - rs[j]*f
				nq[j] = q[j] - q[s]*f
			}
			for b := s + 1; b < k; b++ {
				rb, nb := r[b*k:(b+1)*k], nr[b*k:(b+1)*k]
				g := rb[s] * inv
				for _, j := range rest {
					nb[j] = rb[j] - g*rs[j]
				}
			}
			visit(depth+1, s, n)
		}
	}
	visit(0, -1, k)

	// φ_j = Σ_size acc[size][j] / (k · C(k-1, size)).
	phi := make([]float64, k)
	binom := 1.0 // C(k-1, size)
	for size := range k {
		for j := range k {
			phi[j] += acc[size*k+j] / (float64(k) * binom)
		}
		binom = binom * float64(k-1-size) / float64(size+1)
	}
	return phi
}
