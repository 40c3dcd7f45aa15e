package drivers_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/drivers"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// knownErrors are the sentinels that bad data may cause.
var knownErrors = []error{cxmetrics.ErrEmpty, cxmetrics.ErrNotFinite, cxmetrics.ErrOutOfRange, cxmetrics.ErrTooFew,
	cxmetrics.ErrNoVariation, cxmetrics.ErrSingular, cxmetrics.ErrTooLarge}

func known(t *testing.T, err error) {
	t.Helper()
	for _, k := range knownErrors {
		if errors.Is(err, k) {
			return
		}
	}
	t.Fatalf("unexpected error %v", err)
}

// decodeSurvey turns fuzz bytes into an outcome and 1 to 5 drivers: the first byte picks
// the number of drivers, each later byte one value, respondent by respondent. Most bytes
// are ratings 0-10; a few stand for NaN, infinities and extreme magnitudes.
func decodeSurvey(data []byte) ([]float64, [][]float64) {
	if len(data) == 0 {
		return nil, nil
	}
	k := 1 + int(data[0])%5
	data = data[1:]
	n := len(data) / (k + 1)
	y := make([]float64, n)
	x := make([][]float64, k)
	for j := range x {
		x[j] = make([]float64, n)
	}
	for i := range n {
		for c := range k + 1 {
			var v float64
			switch b := data[i*(k+1)+c]; b {
			case 255:
				v = math.NaN()
			case 254:
				v = math.Inf(1)
			case 253:
				v = math.Inf(-1)
			case 252:
				v = math.MaxFloat64
			case 251:
				v = -1e300
			case 250:
				v = 1e-300
			case 249:
				v = 5e-324
			default:
				v = float64(b % 11)
			}
			if c == 0 {
				y[i] = v
			} else {
				x[c-1][i] = v
			}
		}
	}
	return y, x
}

var fuzzSeeds = [][]byte{
	{2, 9, 4, 5, 7, 3, 4, 10, 5, 5, 3, 2, 1, 8, 4, 3, 6, 2, 5},
	{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
	{3, 9, 1, 2, 3, 4, 8, 255, 4, 5, 5, 10, 5, 5, 5, 5, 2, 1, 2, 2, 1, 7, 3, 3, 4, 1, 6, 4, 2, 5, 4},
	{1, 252, 1, 251, 2, 250, 3, 249, 4, 0, 5, 7, 1},
	{4, 10, 5, 4, 5, 5, 1, 9, 4, 4, 5, 5, 2, 8, 5, 3, 4, 5, 3, 7, 3, 4, 5, 4, 1, 6, 2, 2, 3, 3, 1, 5, 1, 1, 3, 2, 4, 254, 2, 3, 3, 2},
}

// checkShares checks one importance vector of k drivers.
func checkShares(t *testing.T, what string, v []float64, k int, lo float64) {
	t.Helper()
	if len(v) != k {
		t.Fatalf("%s: %d values for %d drivers", what, len(v), k)
	}
	var sum float64
	for _, s := range v {
		if math.IsNaN(s) || math.IsInf(s, 0) || s < lo || s > 1 {
			t.Fatalf("%s: %v", what, v)
		}
		sum += s
	}
	if lo == 0 && sum > 1+1e-9 {
		t.Fatalf("%s: sum %v > 1", what, sum)
	}
}

// FuzzCorrelations checks that Correlations returns correlations in [-1, 1] or a known
// error, and that a NaN is always an error.
func FuzzCorrelations(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		y, x := decodeSurvey(data)
		r, err := drivers.Correlations(y, x)
		if err != nil {
			known(t, err)
			return
		}
		checkShares(t, "correlations", r, len(x), -1)
	})
}

// FuzzRelativeWeights checks that the weights are in [0, 1] and sum to the R² that
// Analyze reports, or that the error is known.
func FuzzRelativeWeights(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		y, x := decodeSurvey(data)
		rw, err := drivers.RelativeWeights(y, x)
		if err != nil {
			known(t, err)
			return
		}
		checkShares(t, "relative weights", rw, len(x), 0)
		a, ok := analyzeWide(t, y, x)
		if !ok {
			return
		}
		var sum float64
		for _, v := range rw {
			sum += v
		}
		if math.Abs(sum-a.R2) > 1e-9*max(1, maxVIF(a)*1e-3) {
			t.Fatalf("Σε = %v, R² = %v (VIF %v)", sum, a.R2, maxVIF(a))
		}
	})
}

// analyzeWide runs Analyze on complete data that a function without options accepted,
// with a scale as wide as a float64 allows; it reports false for a rating beyond it.
func analyzeWide(t *testing.T, y []float64, x [][]float64) (drivers.Analysis, bool) {
	a, err := drivers.Analyze(y, x, drivers.Options{Scale: drivers.Scale{Min: -math.MaxFloat64 / 2, Max: math.MaxFloat64 / 2, TopBoxMin: 0}})
	if errors.Is(err, cxmetrics.ErrOutOfRange) {
		return a, false
	}
	if err != nil {
		t.Fatalf("the function without options succeeds, Analyze: %v", err)
	}
	return a, true
}

func maxVIF(a drivers.Analysis) float64 {
	v := 0.0
	for _, d := range a.Drivers {
		v = max(v, d.VIF)
	}
	return v
}

// FuzzShapleyR2 checks ShapleyR2 against the formula over all subsets written out, with
// every subset's R² from gonum's correlation matrix and Cholesky solver, when the drivers
// are not nearly collinear and the data's sums fit a float64.
func FuzzShapleyR2(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		y, x := decodeSurvey(data)
		sh, err := drivers.ShapleyR2(y, x)
		if err != nil {
			known(t, err)
			return
		}
		k := len(x)
		checkShares(t, "Shapley", sh, k, 0)
		a, ok := analyzeWide(t, y, x)
		if !ok {
			return
		}
		if maxVIF(a) > 1e4 {
			return
		}
		m := mat.NewDense(len(y), k+1, nil)
		for i := range y {
			m.Set(i, 0, y[i])
			for j := range k {
				if v, w := math.Abs(x[j][i]), math.Abs(y[i]); v > 1e100 || w > 1e100 || (v > 0 && v < 1e-100) || (w > 0 && w < 1e-100) {
					return // beyond what the unscaled reference computes
				}
				m.Set(i, j+1, x[j][i])
			}
		}
		corr := mat.NewSymDense(k+1, nil)
		stat.CorrelationMatrix(corr, m, nil)
		want := slowShapley(k, func(mask uint) float64 { return corrR2(t, corr, mask) })
		for j := range k {
			if math.Abs(sh[j]-want[j]) > 1e-9 {
				t.Fatalf("driver %d: %v, all subsets %v", j, sh, want)
			}
		}
	})
}

// FuzzAnalyze checks Analyze with missing answers under both deletions: a known error, or
// an analysis whose every number is finite and in range and whose quadrants follow its cuts.
func FuzzAnalyze(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, false, uint8(0))
		f.Add(s, true, uint8(5))
	}
	f.Fuzz(func(t *testing.T, data []byte, pairwise bool, how uint8) {
		y, x := decodeSurvey(data)
		opt := drivers.Options{Scale: drivers.ZeroToTen, Importance: drivers.Measure(how % 3), Performance: drivers.Performance(how / 3 % 2)}
		if pairwise {
			opt.Missing = drivers.Pairwise
		}
		a, err := drivers.Analyze(y, x, opt)
		if err != nil {
			known(t, err)
			return
		}
		checkAnalysis(t, a, len(x), len(y))
	})
}

func checkAnalysis(t *testing.T, a drivers.Analysis, k, n int) {
	t.Helper()
	if len(a.Drivers) != k || a.Respondents != n || a.N > n || a.Complete > n || a.N < k+2 {
		t.Fatalf("counts: %+v", a)
	}
	for _, v := range []float64{a.R2, a.ConditionNumber, a.ImportanceCut, a.PerformanceCut} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("%+v", a)
		}
	}
	if a.R2 < 0 || a.R2 > 1 || a.ConditionNumber < 1-1e-12 {
		t.Fatalf("%+v", a)
	}
	var srw, ssh float64
	for _, d := range a.Drivers {
		for _, v := range []float64{d.Correlation, d.RelativeWeight, d.Shapley, d.VIF, d.Mean, d.NormalizedMean, d.TopBox} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%+v", d)
			}
		}
		if d.RelativeWeight < 0 || d.Shapley < 0 || d.VIF < 1-1e-9 || d.NormalizedMean < 0 || d.NormalizedMean > 100 ||
			d.TopBox < 0 || d.TopBox > 100 || d.Answers < a.N || d.Answers > n {
			t.Fatalf("%+v", d)
		}
		srw += d.RelativeWeight
		ssh += d.Shapley
	}
	if tol := 1e-9 * max(1, maxVIF(a)*1e-3); math.Abs(srw-a.R2) > tol || math.Abs(ssh-a.R2) > tol {
		t.Fatalf("Σε %v, Σφ %v, R² %v", srw, ssh, a.R2)
	}
	checkQuadrants(t, a)
}

// FuzzBootstrap checks that Bootstrap gives ordered, finite intervals around Analyze's
// estimates, or a known error.
func FuzzBootstrap(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, false, uint64(1))
		f.Add(s, true, uint64(2))
	}
	f.Fuzz(func(t *testing.T, data []byte, pairwise bool, seed uint64) {
		y, x := decodeSurvey(data)
		opt := drivers.Options{Scale: drivers.ZeroToTen}
		if pairwise {
			opt.Missing = drivers.Pairwise
		}
		iv, err := drivers.Bootstrap(y, x, opt, rand.New(rand.NewPCG(seed, 0)), 16, 0.9)
		if err != nil {
			known(t, err)
			return
		}
		if iv.Resamples+iv.Skipped != 16 || iv.Resamples < 1 || len(iv.Drivers) != len(x) {
			t.Fatalf("%+v", iv)
		}
		ivs := []cxmetrics.Interval{iv.R2}
		for _, d := range iv.Drivers {
			ivs = append(ivs, d.Correlation, d.RelativeWeight, d.Shapley)
		}
		for _, b := range ivs {
			if math.IsNaN(b.Lower) || math.IsNaN(b.Upper) || b.Lower > b.Upper || b.Lower < -1 || b.Upper > 1 || math.IsNaN(b.Estimate) {
				t.Fatalf("%v", b)
			}
		}
	})
}

// FuzzWithCuts checks that any finite cuts classify consistently and others are refused.
func FuzzWithCuts(f *testing.F) {
	f.Add(0.1, 50.0)
	f.Add(math.NaN(), 1.0)
	f.Add(-1e300, math.Inf(1))
	a, err := drivers.Analyze(mtcarsMpg, [][]float64{mtcarsCyl, mtcarsDisp, mtcarsHp, mtcarsGear}, drivers.Options{Scale: wide})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, imp, perf float64) {
		b, err := a.WithCuts(imp, perf)
		if err != nil {
			if !errors.Is(err, cxmetrics.ErrNotFinite) || !(math.IsNaN(imp) || math.IsInf(imp, 0) || math.IsNaN(perf) || math.IsInf(perf, 0)) {
				t.Fatalf("WithCuts(%v, %v): %v", imp, perf, err)
			}
			return
		}
		checkQuadrants(t, b)
	})
}

// FuzzUnmarshalText checks that every enumeration either rejects a text with
// ErrUnknownLabel or decodes it to a value whose text decodes back to it.
func FuzzUnmarshalText(f *testing.F) {
	for _, s := range []string{"Listwise", "pairwise", " Shapley ", "TopBox", "KeyWeakness", "", "Missing(3)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		type codec interface {
			UnmarshalText([]byte) error
			MarshalText() ([]byte, error)
		}
		for _, v := range []codec{new(drivers.Missing), new(drivers.Measure), new(drivers.Performance), new(drivers.Quadrant)} {
			if err := v.UnmarshalText([]byte(s)); err != nil {
				if !errors.Is(err, cxmetrics.ErrUnknownLabel) {
					t.Fatal(err)
				}
				continue
			}
			b, err := v.MarshalText()
			if err != nil {
				t.Fatal(err)
			}
			if err := v.UnmarshalText(b); err != nil {
				t.Fatal(err)
			}
		}
	})
}
