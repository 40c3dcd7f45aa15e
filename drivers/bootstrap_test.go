package drivers_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/drivers"
	"gonum.org/v1/gonum/mat"
)

func TestBootstrapDeterministic(t *testing.T) {
	y, x := ratedSurvey(rand.New(rand.NewPCG(6, 6)), 300, 5, 0.1)
	for _, missing := range []drivers.Missing{drivers.Listwise, drivers.Pairwise} {
		opt := drivers.Options{Scale: drivers.FivePoint, Missing: missing}
		run := func(procs int) drivers.Intervals {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			iv, err := drivers.Bootstrap(y, x, opt, rand.New(rand.NewPCG(7, 7)), 101, 0.9)
			if err != nil {
				t.Fatal(err)
			}
			return iv
		}
		one, many := run(1), run(4)
		if !reflect.DeepEqual(one, many) {
			t.Errorf("%v: GOMAXPROCS changes the result:\n%+v\n%+v", missing, one, many)
		}
		a, err := drivers.Analyze(y, x, opt)
		if err != nil {
			t.Fatal(err)
		}
		if one.Resamples+one.Skipped != 101 || one.R2.Estimate != a.R2 || one.R2.Method != cxmetrics.Bootstrap || one.R2.Level != 0.9 {
			t.Errorf("%v: %+v", missing, one.R2)
		}
		for j, d := range a.Drivers {
			iv := one.Drivers[j]
			if iv.Correlation.Estimate != d.Correlation || iv.RelativeWeight.Estimate != d.RelativeWeight || iv.Shapley.Estimate != d.Shapley {
				t.Errorf("%v driver %d: estimates %+v, analysis %+v", missing, j, iv, d)
			}
			for _, b := range []cxmetrics.Interval{iv.Correlation, iv.RelativeWeight, iv.Shapley} {
				if !(b.Lower <= b.Upper) || !b.Contains(b.Estimate) {
					t.Errorf("%v driver %d: interval %v", missing, j, b)
				}
			}
		}
	}
}

// A resample in which a rarely used rating vanishes cannot be analysed: it is skipped and
// counted; when none can be, Bootstrap says why.
func TestBootstrapSkipped(t *testing.T) {
	y, x := ratedSurvey(rand.New(rand.NewPCG(8, 8)), 30, 2, 0)
	rare := constant(30, 4)
	rare[0], rare[1] = 5, 3
	x = append(x, rare)
	iv, err := drivers.Bootstrap(y, x, drivers.Options{Scale: drivers.FivePoint}, rand.New(rand.NewPCG(1, 1)), 400, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	// A resample of 30 misses both unusual ratings with probability (28/30)^30 ≈ 12.6%.
	if iv.Skipped < 20 || iv.Skipped > 90 || iv.Resamples+iv.Skipped != 400 {
		t.Errorf("skipped %d of 400, resamples %d", iv.Skipped, iv.Resamples)
	}

	// With one respondent more than k + 1, a resample nearly always repeats someone and
	// has too few distinct respondents.
	y, x = ratedSurvey(rand.New(rand.NewPCG(9, 9)), 8, 6, 0)
	_, err = drivers.Bootstrap(y, x, drivers.Options{Scale: drivers.FivePoint}, rand.New(rand.NewPCG(1, 1)), 10, 0.95)
	if !errors.Is(err, cxmetrics.ErrTooFew) {
		t.Errorf("every resample too small: %v", err)
	}
}

// populationImportances returns the R², relative weights and LMG shares of the population
// whose correlation matrix (outcome first) is corr, computed with gonum.
func populationImportances(t *testing.T, corr *mat.SymDense) (float64, []float64, []float64) {
	k := corr.SymmetricDim() - 1
	rxx := mat.NewSymDense(k, nil)
	rxy := mat.NewVecDense(k, nil)
	for i := range k {
		rxy.SetVec(i, corr.At(0, i+1))
		for j := range k {
			rxx.SetSym(i, j, corr.At(i+1, j+1))
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(rxx, true) {
		t.Fatal("eigen")
	}
	var v mat.Dense
	eig.VectorsTo(&v)
	vals := eig.Values(nil)
	sq := make([]float64, k)
	for i, l := range vals {
		sq[i] = math.Sqrt(l)
	}
	var half, lam mat.Dense
	lam.Mul(&v, mat.NewDiagDense(k, sq))
	half.Mul(&lam, v.T())
	var beta mat.VecDense
	if err := beta.SolveVec(&half, rxy); err != nil {
		t.Fatal(err)
	}
	rw := make([]float64, k)
	for j := range k {
		for i := range k {
			rw[j] += half.At(j, i) * half.At(j, i) * beta.AtVec(i) * beta.AtVec(i)
		}
	}
	lmg := slowShapley(k, func(mask uint) float64 { return corrR2(t, corr, mask) })
	return corrR2(t, corr, 1<<k-1), rw, lmg
}

// TestBootstrapCoverage estimates how often the 90% percentile intervals contain the
// population's R², relative weights and LMG shares. Four drivers correlate 0.5 with each
// other, y = x₀ + 0.6 x₁ + 0.3 x₂ + 0·x₃ + e with Var(e) = 1.5; samples of 150, 200
// resamples each. Run with -v for the table. At the seed below every coverage lies
// between 87.5% and 94.5%. With 1,000 samples (bootstrapCoverage(t, 1000, n)) the
// importances are covered 86-90% of the time at n = 50, 150 and 500 and R² 81%, 86% and
// 89%: the percentile interval runs a little short, most for R², whose sample value is
// biased upwards.
func TestBootstrapCoverage(t *testing.T) {
	reps := 200
	if raceEnabled || testing.Short() {
		reps = 40
	}
	hits := bootstrapCoverage(t, reps, 150)
	// Driver 3 has no effect of its own but shares R² through its correlation with the
	// others. With 200 replications a coverage's standard error is 2 points.
	for i, c := range hits {
		if reps >= 200 && (c < 0.82 || c > 0.97) {
			t.Errorf("statistic %d: coverage %.3f", i, c)
		}
	}
}

// bootstrapCoverage runs the simulation of TestBootstrapCoverage with reps samples of n
// and returns the coverage of R², then of each relative weight, then of each LMG share.
func bootstrapCoverage(t *testing.T, reps, n int) []float64 {
	const k, level = 4, 0.9
	beta := []float64{1, 0.6, 0.3, 0}
	cov := mat.NewSymDense(k+1, nil) // outcome first
	for i := range k {
		for j := range k {
			cov.SetSym(i+1, j+1, map[bool]float64{true: 1, false: 0.5}[i == j])
		}
	}
	var vy float64
	for i := range k {
		var c float64
		for j := range k {
			c += cov.At(i+1, j+1) * beta[j]
		}
		cov.SetSym(0, i+1, c)
		vy += beta[i] * c
	}
	cov.SetSym(0, 0, vy+1.5)
	corr := mat.NewSymDense(k+1, nil)
	for i := range k + 1 {
		for j := range k + 1 {
			corr.SetSym(i, j, cov.At(i, j)/math.Sqrt(cov.At(i, i)*cov.At(j, j)))
		}
	}
	r2, rw, lmg := populationImportances(t, corr)
	var chol mat.Cholesky
	if !chol.Factorize(cov) {
		t.Fatal("covariance")
	}
	var l mat.TriDense
	chol.LTo(&l)

	rng := rand.New(rand.NewPCG(10, 10))
	hits := make([]int, 1+2*k)
	for range reps {
		y := make([]float64, n)
		x := make([][]float64, k)
		for j := range x {
			x[j] = make([]float64, n)
		}
		z := mat.NewVecDense(k+1, nil)
		var v mat.VecDense
		for i := range n {
			for c := range k + 1 {
				z.SetVec(c, rng.NormFloat64())
			}
			v.MulVec(&l, z)
			y[i] = v.AtVec(0)
			for j := range k {
				x[j][i] = v.AtVec(j + 1)
			}
		}
		iv, err := drivers.Bootstrap(y, x, drivers.Options{Scale: wide}, rng, 200, level)
		if err != nil {
			t.Fatal(err)
		}
		count := func(i int, b cxmetrics.Interval, truth float64) {
			if b.Contains(truth) {
				hits[i]++
			}
		}
		count(0, iv.R2, r2)
		for j := range k {
			count(1+j, iv.Drivers[j].RelativeWeight, rw[j])
			count(1+k+j, iv.Drivers[j].Shapley, lmg[j])
		}
	}
	covered := make([]float64, len(hits))
	for i, h := range hits {
		covered[i] = float64(h) / float64(reps)
	}
	t.Logf("coverage of %d 90%% percentile intervals (n = %d, 200 resamples):", reps, n)
	t.Logf("R²  %.4f: %.3f", r2, covered[0])
	for j := range k {
		t.Logf("driver %d: relative weight %.4f: %.3f   LMG %.4f: %.3f", j, rw[j], covered[1+j], lmg[j], covered[1+k+j])
	}
	return covered
}
