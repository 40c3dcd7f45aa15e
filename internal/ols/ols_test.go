package ols

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
)

// TestOLSSimpleRegressionByHand checks a fit worked by hand: x = 1..5, y = 2, 4, 5, 4, 5.
// x̄ = 3, ȳ = 4, Sxx = 10, Sxy = 6, so b = 0.6 and a = 4 - 0.6·3 = 2.2. The fitted values
// are 2.8, 3.4, 4, 4.6, 5.2, the residuals -0.8, 0.6, 1, -0.6, -0.2, RSS = 2.4, TSS = 6,
// R² = 1 - 2.4/6 = 0.6, σ̂² = 2.4/3 = 0.8, SE(b) = √(0.8/10), SE(a) = √(0.8·(1/5 + 9/10)).
func TestOLSSimpleRegressionByHand(t *testing.T) {
	x := mat.NewDense(5, 2, []float64{1, 1, 1, 2, 1, 3, 1, 4, 1, 5})
	fit, err := Fit(x, []float64{2, 4, 5, 4, 5})
	if err != nil {
		t.Fatal(err)
	}
	const tol = 1e-14
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"a", fit.Coef[0], 2.2},
		{"b", fit.Coef[1], 0.6},
		{"SE(a)", fit.StdErr[0], math.Sqrt(0.8 * 1.1)},
		{"SE(b)", fit.StdErr[1], math.Sqrt(0.08)},
		{"RSS", fit.RSS, 2.4},
		{"TSS", fit.TSS, 6},
		{"R2", fit.R2, 0.6},
		{"sigma", fit.Sigma, math.Sqrt(0.8)},
	} {
		if !scalar.EqualWithinAbsOrRel(c.got, c.want, tol, tol) {
			t.Errorf("%s = %.17g, want %.17g", c.name, c.got, c.want)
		}
	}
	if fit.DF != 3 {
		t.Errorf("DF = %d, want 3", fit.DF)
	}
}

// TestOLSSimpleRegressionClosedForm compares OLS with the closed form of simple regression
// on seeded random data:
//
//	b = Sxy/Sxx, a = ȳ - b·x̄, SE(b) = σ̂/√Sxx, SE(a) = σ̂·√(1/n + x̄²/Sxx), σ̂² = RSS/(n-2).
func TestOLSSimpleRegressionClosedForm(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for trial := range 20 {
		n := 3 + rng.IntN(50)
		xs := make([]float64, n)
		ys := make([]float64, n)
		design := mat.NewDense(n, 2, nil)
		for i := range n {
			xs[i] = rng.NormFloat64()*10 + 100
			ys[i] = 3 - 0.5*xs[i] + rng.NormFloat64()
			design.Set(i, 0, 1)
			design.Set(i, 1, xs[i])
		}
		var xbar, ybar float64
		for i := range n {
			xbar += xs[i]
			ybar += ys[i]
		}
		xbar /= float64(n)
		ybar /= float64(n)
		var sxx, sxy, syy float64
		for i := range n {
			sxx += (xs[i] - xbar) * (xs[i] - xbar)
			sxy += (xs[i] - xbar) * (ys[i] - ybar)
			syy += (ys[i] - ybar) * (ys[i] - ybar)
		}
		b := sxy / sxx
		a := ybar - b*xbar
		rss := syy - b*sxy
		sigma := math.Sqrt(rss / float64(n-2))
		want := []float64{a, b, sigma * math.Sqrt(1/float64(n)+xbar*xbar/sxx), sigma / math.Sqrt(sxx), 1 - rss/syy}

		fit, err := Fit(design, ys)
		if err != nil {
			t.Fatal(err)
		}
		got := []float64{fit.Coef[0], fit.Coef[1], fit.StdErr[0], fit.StdErr[1], fit.R2}
		// The closed form itself loses digits to cancellation in syy - b·sxy.
		const tol = 1e-8
		for k := range want {
			if !scalar.EqualWithinAbsOrRel(got[k], want[k], tol, tol) {
				t.Errorf("trial %d, n %d, quantity %d: got %.15g, want %.15g", trial, n, k, got[k], want[k])
			}
		}
	}
}

// longley is NIST StRD's Longley data set (Longley, J. W. (1967). An appraisal of
// least-squares programs for the electronic computer from the point of view of the user.
// JASA 62, 819–841), from https://www.itl.nist.gov/div898/strd/lls/data/Longley.shtml.
// Columns: y (total employment), x1 GNP deflator, x2 GNP, x3 unemployed, x4 armed forces,
// x5 population aged 14 and over, x6 year. R ships the same data as datasets::longley with
// y, x2 and x5 divided by 1000 and x3, x4 by 10.
var longley = [16][7]float64{
	{60323, 83.0, 234289, 2356, 1590, 107608, 1947},
	{61122, 88.5, 259426, 2325, 1456, 108632, 1948},
	{60171, 88.2, 258054, 3682, 1616, 109773, 1949},
	{61187, 89.5, 284599, 3351, 1650, 110929, 1950},
	{63221, 96.2, 328975, 2099, 3099, 112075, 1951},
	{63639, 98.1, 346999, 1932, 3594, 113270, 1952},
	{64989, 99.0, 365385, 1870, 3547, 115094, 1953},
	{63761, 100.0, 363112, 3578, 3350, 116219, 1954},
	{66019, 101.2, 397469, 2904, 3048, 117388, 1955},
	{67857, 104.6, 419180, 2822, 2857, 118734, 1956},
	{68169, 108.4, 442769, 2936, 2798, 120445, 1957},
	{66513, 110.8, 444546, 4681, 2637, 121950, 1958},
	{68655, 112.6, 482704, 3813, 2552, 123366, 1959},
	{69564, 114.2, 502601, 3931, 2514, 125368, 1960},
	{69331, 115.7, 518173, 4806, 2572, 127852, 1961},
	{70551, 116.9, 554894, 4007, 2827, 130081, 1962},
}

func longleyDesign() (*mat.Dense, []float64) {
	x := mat.NewDense(16, 7, nil)
	y := make([]float64, 16)
	for i, row := range longley {
		y[i] = row[0]
		x.Set(i, 0, 1)
		for j := 1; j < 7; j++ {
			x.Set(i, j, row[j])
		}
	}
	return x, y
}

// TestOLSLongley checks OLS against NIST's certified values for Longley, an ill-conditioned
// problem (condition number of X about 4.9e9, R: kappa(model.matrix(...), exact = TRUE)),
// to 9 significant digits, which the normal equations cannot reach.
// Certified values: https://www.itl.nist.gov/div898/strd/lls/data/LINKS/DATA/Longley.dat
// (R 4.x summary(lm(y ~ ., longley rescaled to NIST units)) agrees to 12 digits or more).
func TestOLSLongley(t *testing.T) {
	x, y := longleyDesign()
	fit, err := Fit(x, y)
	if err != nil {
		t.Fatal(err)
	}
	coef := []float64{
		-3482258.63459582,
		15.0618722713733,
		-0.358191792925910e-01,
		-2.02022980381683,
		-1.03322686717359,
		-0.511041056535807e-01,
		1829.15146461355,
	}
	se := []float64{
		890420.383607373,
		84.9149257747669,
		0.334910077722432e-01,
		0.488399681651699,
		0.214274163161675,
		0.226073200069370,
		455.478499142212,
	}
	const tol = 1e-9
	worst := 0.0
	for j := range coef {
		worst = max(worst, math.Abs(fit.Coef[j]/coef[j]-1), math.Abs(fit.StdErr[j]/se[j]-1))
		if !scalar.EqualWithinRel(fit.Coef[j], coef[j], tol) {
			t.Errorf("b%d = %.15g, certified %.15g (rel. error %.2g)", j, fit.Coef[j], coef[j], math.Abs(fit.Coef[j]/coef[j]-1))
		}
		if !scalar.EqualWithinRel(fit.StdErr[j], se[j], tol) {
			t.Errorf("SE(b%d) = %.15g, certified %.15g (rel. error %.2g)", j, fit.StdErr[j], se[j], math.Abs(fit.StdErr[j]/se[j]-1))
		}
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"residual SD", fit.Sigma, 304.854073561965},
		{"R2", fit.R2, 0.995479004577296},
		{"RSS", fit.RSS, 836424.055505915},
	} {
		if !scalar.EqualWithinRel(c.got, c.want, tol) {
			t.Errorf("%s = %.15g, certified %.15g", c.name, c.got, c.want)
		}
	}
	if fit.DF != 9 {
		t.Errorf("DF = %d, want 9", fit.DF)
	}
	t.Logf("largest relative error of a coefficient or standard error: %.2g", worst)
}

// TestOLSColumnScale checks that rescaling a column rescales its coefficient and standard
// error and leaves the rest unchanged: β_j(c·x_j) = β_j(x_j)/c.
func TestOLSColumnScale(t *testing.T) {
	x, y := longleyDesign()
	base, err := Fit(x, y)
	if err != nil {
		t.Fatal(err)
	}
	const c = 1e-6
	for i := range 16 {
		x.Set(i, 2, x.At(i, 2)*c)
	}
	scaled, err := Fit(x, y)
	if err != nil {
		t.Fatal(err)
	}
	for j := range base.Coef {
		want, wantSE := base.Coef[j], base.StdErr[j]
		if j == 2 {
			want /= c
			wantSE /= c
		}
		if !scalar.EqualWithinRel(scaled.Coef[j], want, 1e-9) || !scalar.EqualWithinRel(scaled.StdErr[j], wantSE, 1e-9) {
			t.Errorf("column %d: %g ± %g, want %g ± %g", j, scaled.Coef[j], scaled.StdErr[j], want, wantSE)
		}
	}
}

func TestOLSErrors(t *testing.T) {
	x, y := longleyDesign()
	dup := mat.DenseCopyOf(x)
	for i := range 16 {
		// Column 3 becomes 2·x1 - 5 (an exact linear combination of 0 and 1).
		dup.Set(i, 3, 2*dup.At(i, 1)-5)
	}
	zero := mat.DenseCopyOf(x)
	for i := range 16 {
		zero.Set(i, 4, 0)
	}
	nan := mat.DenseCopyOf(x)
	nan.Set(3, 2, math.NaN())
	yInf := append([]float64(nil), y...)
	yInf[5] = math.Inf(1)
	square := mat.NewDense(7, 7, nil)
	for i := range 7 {
		for j := range 7 {
			square.Set(i, j, float64((i+1)*(j+2)%11))
		}
	}

	for _, c := range []struct {
		name   string
		x      mat.Matrix
		y      []float64
		want   error
		column int
	}{
		{"collinear", dup, y, cxmetrics.ErrSingular, 3},
		{"zero column", zero, y, cxmetrics.ErrSingular, 4},
		{"n equals p", square, y[:7], cxmetrics.ErrTooFew, -1},
		{"n below p", x.Slice(0, 5, 0, 7), y[:5], cxmetrics.ErrTooFew, -1},
		{"length mismatch", x, y[:15], cxmetrics.ErrLengthMismatch, -1},
		{"NaN in x", nan, y, cxmetrics.ErrNotFinite, -1},
		{"Inf in y", x, yInf, cxmetrics.ErrNotFinite, -1},
	} {
		_, err := Fit(c.x, c.y)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
			continue
		}
		if c.column >= 0 {
			var se *SingularError
			if !errors.As(err, &se) || se.Column != c.column {
				t.Errorf("%s: error %v, want column %d", c.name, err, c.column)
			}
		}
	}
}

// TestOLSNearlyCollinear checks the rank tolerance: a column that differs from a
// combination of the others by 1e-12 of its size is singular, one that differs by 1e-3 is
// not.
func TestOLSNearlyCollinear(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	const n = 40
	for _, c := range []struct {
		eps      float64
		singular bool
	}{{1e-12, true}, {1e-3, false}} {
		x := mat.NewDense(n, 3, nil)
		y := make([]float64, n)
		for i := range n {
			v := rng.NormFloat64()
			x.Set(i, 0, 1)
			x.Set(i, 1, v)
			x.Set(i, 2, 3*v+1+c.eps*rng.NormFloat64())
			y[i] = rng.NormFloat64()
		}
		_, err := Fit(x, y)
		if got := errors.Is(err, cxmetrics.ErrSingular); got != c.singular {
			t.Errorf("eps %g: singular %v (error %v), want %v", c.eps, got, err, c.singular)
		}
	}
}

func TestNorm2(t *testing.T) {
	for _, c := range []struct {
		x    []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3, 4}, 5},
		{[]float64{0, -3, 0, 4}, 5},
		{[]float64{3e300, 4e300}, 5e300},
		{[]float64{3e-300, 4e-300}, 5e-300},
	} {
		if got := Norm2(c.x); !scalar.EqualWithinRel(got, c.want, 1e-15) {
			t.Errorf("Norm2(%v) = %g, want %g", c.x, got, c.want)
		}
	}
}

func BenchmarkOLSLongley(b *testing.B) {
	x, y := longleyDesign()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Fit(x, y); err != nil {
			b.Fatal(err)
		}
	}
}
