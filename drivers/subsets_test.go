package drivers_test

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"testing"

	"github.com/cxmetrics/cxmetrics/drivers"
	"github.com/cxmetrics/cxmetrics/internal/ols"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// correlated returns n respondents' values of k drivers that share a common factor with
// loading rho (so pairs correlate about rho²), and an outcome that depends on the drivers
// with coefficients 1, -1/2, 1/3, ... plus noise. Ratings are continuous.
func correlated(rng *rand.Rand, n, k int, rho float64) ([]float64, [][]float64) {
	x := make([][]float64, k)
	for j := range x {
		x[j] = make([]float64, n)
	}
	y := make([]float64, n)
	for i := range n {
		f := rng.NormFloat64()
		for j := range k {
			x[j][i] = rho*f + math.Sqrt(1-rho*rho)*rng.NormFloat64() + float64(j)
			y[i] += x[j][i] * math.Pow(-0.5, float64(j))
		}
		y[i] += 2 * rng.NormFloat64()
	}
	return y, x
}

// olsR2 returns the R² of the least-squares fit of y on the drivers in mask with an
// intercept, by Householder QR (internal/ols), one fit per subset.
func olsR2(t testing.TB, y []float64, x [][]float64, mask uint) float64 {
	if mask == 0 {
		return 0
	}
	n := len(y)
	cols := []int{}
	for j := range x {
		if mask&(1<<j) != 0 {
			cols = append(cols, j)
		}
	}
	design := mat.NewDense(n, len(cols)+1, nil)
	for i := range n {
		design.Set(i, 0, 1)
		for c, j := range cols {
			design.Set(i, c+1, x[j][i])
		}
	}
	fit, err := ols.Fit(design, y)
	if err != nil {
		t.Fatal(err)
	}
	return fit.R2
}

// corrR2 returns r_Sᵀ R_SS⁻¹ r_S for the drivers in mask, from the correlation matrix corr
// (outcome first, as gonum's stat.CorrelationMatrix computes it), solving R_SS β = r_S by
// Gaussian elimination with partial pivoting.
func corrR2(t testing.TB, corr *mat.SymDense, mask uint) float64 {
	var cols []int
	for j := 0; j+1 < corr.SymmetricDim(); j++ {
		if mask&(1<<j) != 0 {
			cols = append(cols, j+1)
		}
	}
	m := len(cols)
	a := make([][]float64, m) // [R_SS | r_S]
	for i, ci := range cols {
		a[i] = make([]float64, m+1)
		for j, cj := range cols {
			a[i][j] = corr.At(ci, cj)
		}
		a[i][m] = corr.At(0, ci)
	}
	for p := range m {
		best := p
		for i := p + 1; i < m; i++ {
			if math.Abs(a[i][p]) > math.Abs(a[best][p]) {
				best = i
			}
		}
		a[p], a[best] = a[best], a[p]
		if a[p][p] == 0 {
			t.Fatal("singular subset")
		}
		for i := p + 1; i < m; i++ {
			f := a[i][p] / a[p][p]
			for j := p; j <= m; j++ {
				a[i][j] -= f * a[p][j]
			}
		}
	}
	beta := make([]float64, m)
	for i := m - 1; i >= 0; i-- {
		v := a[i][m]
		for j := i + 1; j < m; j++ {
			v -= a[i][j] * beta[j]
		}
		beta[i] = v / a[i][i]
	}
	var r2 float64
	for i, ci := range cols {
		r2 += corr.At(0, ci) * beta[i]
	}
	return r2
}

// slowShapley is the Shapley formula written out over all subsets, with every R² from r2:
// φ_j = Σ_{S ∌ j} |S|!(k-|S|-1)!/k! (R²(S ∪ {j}) - R²(S)).
func slowShapley(k int, r2 func(mask uint) float64) []float64 {
	all := make([]float64, 1<<k)
	for mask := range all {
		all[mask] = r2(uint(mask))
	}
	phi := make([]float64, k)
	for j := range k {
		for mask := range all {
			if mask&(1<<j) != 0 {
				continue
			}
			s := bits.OnesCount(uint(mask))
			w := math.Exp(lgamma(s+1) + lgamma(k-s) - lgamma(k+1))
			phi[j] += w * (all[mask|1<<j] - all[mask])
		}
	}
	return phi
}

func lgamma(n int) float64 {
	v, _ := math.Lgamma(float64(n))
	return v
}

// TestShapleyAgainstSubsetFits compares ShapleyR2 with the formula written out over every
// subset, each subset fitted by its own least-squares regression (QR, internal/ols), and
// R² with the fit on all drivers.
func TestShapleyAgainstSubsetFits(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, c := range []struct {
		k   int
		rho float64
	}{{1, 0}, {2, 0.5}, {3, 0.9}, {5, 0.3}, {6, 0.95}, {8, 0.7}, {10, 0.5}} {
		y, x := correlated(rng, 60, c.k, c.rho)
		got, err := drivers.ShapleyR2(y, x)
		if err != nil {
			t.Fatal(err)
		}
		want := slowShapley(c.k, func(mask uint) float64 { return olsR2(t, y, x, mask) })
		checkAll(t, "Shapley", got, want, 1e-10)
		a, err := drivers.Analyze(y, x, drivers.Options{Scale: wide})
		if err != nil {
			t.Fatal(err)
		}
		if full := olsR2(t, y, x, 1<<c.k-1); !near(a.R2, full, 1e-11) {
			t.Errorf("k=%d: R² %.15g, QR fit %.15g", c.k, a.R2, full)
		}
	}
}

// TestShapleyFifteen checks 15 drivers, with every subset's R² from gonum's correlation
// matrix and Cholesky solver.
func TestShapleyFifteen(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	const k = 15
	y, x := correlated(rng, 200, k, 0.6)
	got, err := drivers.ShapleyR2(y, x)
	if err != nil {
		t.Fatal(err)
	}
	data := mat.NewDense(len(y), k+1, nil)
	for i := range y {
		data.Set(i, 0, y[i])
		for j := range k {
			data.Set(i, j+1, x[j][i])
		}
	}
	corr := mat.NewSymDense(k+1, nil)
	stat.CorrelationMatrix(corr, data, nil)
	want := slowShapley(k, func(mask uint) float64 { return corrR2(t, corr, mask) })
	checkAll(t, "Shapley", got, want, 1e-10)
	var sum float64
	for _, v := range got {
		sum += v
	}
	if full := corrR2(t, corr, 1<<k-1); !near(sum, full, 1e-12) {
		t.Errorf("Σφ = %.15g, R² %.15g", sum, full)
	}
}
