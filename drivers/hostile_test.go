package drivers_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/drivers"
)

// importances returns the three importances and R² of complete data, failing the test on
// an error.
func importances(t *testing.T, y []float64, x [][]float64) (r, rw, sh []float64, r2 float64) {
	t.Helper()
	a, err := drivers.Analyze(y, x, drivers.Options{Scale: drivers.Scale{Min: -math.MaxFloat64 / 2, Max: math.MaxFloat64 / 2, TopBoxMin: 0}})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range a.Drivers {
		r, rw, sh = append(r, d.Correlation), append(rw, d.RelativeWeight), append(sh, d.Shapley)
	}
	return r, rw, sh, a.R2
}

// Both decompositions are non-negative and sum to R², however collinear the drivers.
func TestDecompositionsSumToR2(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	for _, rho := range []float64{0, 0.3, 0.7, 0.95, 0.999} {
		for _, k := range []int{1, 2, 4, 9, 15} {
			y, x := correlated(rng, 5*k+20, k, rho)
			_, rw, sh, r2 := importances(t, y, x)
			var srw, ssh float64
			for j := range k {
				if rw[j] < 0 || sh[j] < 0 {
					t.Errorf("rho %v k %d: negative share %v %v", rho, k, rw[j], sh[j])
				}
				srw += rw[j]
				ssh += sh[j]
			}
			if !near(srw, r2, 1e-12) || !near(ssh, r2, 1e-12) {
				t.Errorf("rho %v k %d: Σ relative weights %.17g, Σ Shapley %.17g, R² %.17g", rho, k, srw, ssh, r2)
			}
		}
	}
}

// Strongly collinear drivers (VIFs in the thousands) still match the QR reference.
func TestCollinearAgainstSubsetFits(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 12))
	y, x := correlated(rng, 80, 5, 0.9995)
	a, err := drivers.Analyze(y, x, drivers.Options{Scale: wide})
	if err != nil {
		t.Fatal(err)
	}
	if a.Drivers[0].VIF < 100 || a.ConditionNumber < 30 {
		t.Fatalf("not collinear enough: VIF %v, condition %v", a.Drivers[0].VIF, a.ConditionNumber)
	}
	want := slowShapley(5, func(mask uint) float64 { return olsR2(t, y, x, mask) })
	for j, d := range a.Drivers {
		if !near(d.Shapley, want[j], 1e-9) {
			t.Errorf("driver %d: %.15g, QR %.15g (VIF %.3g)", j, d.Shapley, want[j], d.VIF)
		}
	}
}

// Affine changes of units leave the importances alone (a negative factor flips the sign
// of a correlation only), at any magnitude a float64 holds, and reordering the drivers
// reorders the results.
func TestInvariance(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 13))
	y, x := correlated(rng, 100, 4, 0.6)
	r0, rw0, sh0, r20 := importances(t, y, x)
	transform := func(v []float64, a, b float64) []float64 {
		out := make([]float64, len(v))
		for i := range v {
			out[i] = a*v[i] + b
		}
		return out
	}
	for _, c := range []struct {
		name string
		a, b float64
		tol  float64
	}{
		{"huge", 0x1p1000, 0, 1e-12}, {"tiny", 0x1p-1000, 0, 1e-12},
		{"subnormal", 0x1p-1060, 0, 1e-3}, // the values keep about 12 significant bits
		{"negative", -3, 7, 1e-12}, {"offset", 1, 1e6, 1e-8}, {"decimal", 1e-3, -2.5, 1e-12},
	} {
		ty := transform(y, c.a, c.b)
		inv := 1 / c.a
		if math.IsInf(inv, 0) {
			inv = c.a
		}
		tx := [][]float64{transform(x[0], c.a, c.b), x[1], transform(x[2], inv, 0), x[3]}
		r, rw, sh, r2 := importances(t, ty, tx)
		sign := map[bool]float64{true: -1, false: 1}[c.a < 0]
		if !near(r2, r20, c.tol) {
			t.Errorf("%s: R² %.15g, want %.15g", c.name, r2, r20)
		}
		for j := range 4 {
			want := r0[j]
			if j == 1 || j == 3 {
				want *= sign // y's sign flipped, the driver's did not
			}
			if !near(r[j], want, c.tol) || !near(rw[j], rw0[j], c.tol) || !near(sh[j], sh0[j], c.tol) {
				t.Errorf("%s: driver %d: %v %v %v, want %v %v %v", c.name, j, r[j], rw[j], sh[j], want, rw0[j], sh0[j])
			}
		}
	}
	perm := []int{2, 0, 3, 1}
	px := make([][]float64, 4)
	for j, p := range perm {
		px[j] = x[p]
	}
	r, rw, sh, _ := importances(t, y, px)
	for j, p := range perm {
		if !near(r[j], r0[p], 1e-13) || !near(rw[j], rw0[p], 1e-12) || !near(sh[j], sh0[p], 1e-12) {
			t.Errorf("permuted driver %d: %v %v %v, want %v %v %v", j, r[j], rw[j], sh[j], r0[p], rw0[p], sh0[p])
		}
	}
}

// Values spanning float64's range in one column, and the largest finite values, work.
func TestExtremeValues(t *testing.T) {
	y := []float64{math.MaxFloat64, -math.MaxFloat64, 0, math.MaxFloat64 / 2, -1e300, 5e-324, 1}
	x := [][]float64{{1, 2, 3, 4, 5, 6, 8}, {math.MaxFloat64, 1, -math.MaxFloat64, 0, 2, -1e308, 1e308}}
	for _, f := range []func([]float64, [][]float64) ([]float64, error){drivers.Correlations, drivers.RelativeWeights, drivers.ShapleyR2} {
		got, err := f(y, x)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range got {
			if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1 {
				t.Errorf("%v", got)
			}
		}
	}
}

// Near-dependence is accepted up to SingularTolerance and refused beyond it; exactly k + 2
// respondents suffice.
func TestSingularBoundary(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 14))
	y, x := correlated(rng, 50, 2, 0)
	near := func(eps float64) [][]float64 {
		z := make([]float64, len(y))
		for i := range z {
			z[i] = x[0][i] - x[1][i] + eps*rng.NormFloat64()
		}
		return [][]float64{x[0], x[1], z}
	}
	a, err := drivers.Analyze(y, near(1e-3), drivers.Options{Scale: wide})
	if err != nil || !(a.Drivers[2].VIF > 1e5) {
		t.Errorf("VIF %v: %v", a.Drivers[2].VIF, err)
	}
	_, err = drivers.Analyze(y, near(1e-7), drivers.Options{Scale: wide})
	if !errors.Is(err, cxmetrics.ErrSingular) || !strings.Contains(err.Error(), "driver 2 is a linear combination of drivers 0 to 1") {
		t.Errorf("VIF above 1e10: %v", err)
	}

	y, x = correlated(rng, 7, 5, 0.5)
	if _, err := drivers.ShapleyR2(y, x); err != nil {
		t.Errorf("n = k + 2: %v", err)
	}
	if _, err := drivers.ShapleyR2(y[:6], [][]float64{x[0][:6], x[1][:6], x[2][:6], x[3][:6], x[4][:6]}); !errors.Is(err, cxmetrics.ErrTooFew) {
		t.Errorf("n = k + 1: %v", err)
	}
}

// The most drivers the exact decomposition accepts work, and a perfect fit gives R² = 1.
func TestLimits(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("20 drivers take a second under the race detector")
	}
	rng := rand.New(rand.NewPCG(15, 15))
	y, x := correlated(rng, 300, drivers.MaxShapleyDrivers, 0.4)
	sh, err := drivers.ShapleyR2(y, x)
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, v := range sh {
		sum += v
	}
	_, _, _, r2 := importances(t, y, x)
	if !near(sum, r2, 1e-12) {
		t.Errorf("Σφ %.15g, R² %.15g", sum, r2)
	}
}

func TestPerfectFit(t *testing.T) {
	x := [][]float64{{1, 2, 3, 4, 5, 6}, {2, 1, 2, 1, 2, 2}}
	y := make([]float64, 6)
	for i := range y {
		y[i] = 3*x[0][i] - 2*x[1][i] + 1
	}
	_, rw, sh, r2 := importances(t, y, x)
	if !near(r2, 1, 1e-14) || !near(rw[0]+rw[1], 1, 1e-14) || !near(sh[0]+sh[1], 1, 1e-14) {
		t.Errorf("R² %v, %v, %v", r2, rw, sh)
	}
}
