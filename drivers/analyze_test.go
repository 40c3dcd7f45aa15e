package drivers_test

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/drivers"
)

// Eight respondents, three drivers on a 1-5 scale (driver 1 skipped by respondent 2).
var (
	handY = []float64{9, 7, 8, 5, 10, 6, 3, 9}
	handX = [][]float64{
		{5, 4, 4, 3, 5, 4, 2, 5},
		{4, 4, nan, 2, 5, 3, 1, 4},
		{3, 2, 4, 3, 3, 2, 3, 4},
	}
)

func TestPerformance(t *testing.T) {
	a, err := drivers.Analyze(handY, handX, drivers.Options{Scale: drivers.FivePoint})
	if err != nil {
		t.Fatal(err)
	}
	// By hand: driver 0 has mean 32/8 = 4, (4-1)/(5-1) = 75%, top box (4-5) 6 of 8;
	// driver 1 mean 23/7, normalized 100·(23/7 - 1)/4, top box 4 of 7; driver 2 mean 3,
	// 50%, top box 2 of 8.
	want := []struct {
		answers            int
		mean, norm, topBox float64
	}{
		{8, 4, 75, 75},
		{7, 23.0 / 7, 100 * (23.0/7 - 1) / 4, 400.0 / 7},
		{8, 3, 50, 25},
	}
	for j, w := range want {
		d := a.Drivers[j]
		if d.Answers != w.answers || !near(d.Mean, w.mean, 1e-14) || !near(d.NormalizedMean, w.norm, 1e-14) || !near(d.TopBox, w.topBox, 1e-14) {
			t.Errorf("driver %d: %d answers, mean %v, normalized %v, top box %v; want %+v", j, d.Answers, d.Mean, d.NormalizedMean, d.TopBox, w)
		}
		if d.Performance(drivers.NormalizedMean) != d.NormalizedMean || d.Performance(drivers.TopBox) != d.TopBox {
			t.Errorf("driver %d: Performance does not select the field", j)
		}
	}
	// Listwise deletion leaves respondent 2 out of the importances but not out of the
	// performance.
	if a.Complete != 7 || a.N != 7 || a.Respondents != 8 {
		t.Errorf("listwise: %+v", a)
	}
}

// Analyze under listwise deletion equals the functions without options on the complete
// respondents.
func TestListwiseEqualsCompleteCases(t *testing.T) {
	var y []float64
	x := make([][]float64, 3)
	for i := range airOzone {
		if math.IsNaN(airOzone[i]) || math.IsNaN(airSolar[i]) {
			continue
		}
		y = append(y, airOzone[i])
		for j, col := range [][]float64{airSolar, airWind, airTemp} {
			x[j] = append(x[j], col[i])
		}
	}
	a, err := drivers.Analyze(airOzone, [][]float64{airSolar, airWind, airTemp}, drivers.Options{Scale: wide})
	if err != nil {
		t.Fatal(err)
	}
	rw, _ := drivers.RelativeWeights(y, x)
	sh, _ := drivers.ShapleyR2(y, x)
	r, _ := drivers.Correlations(y, x)
	for j, d := range a.Drivers {
		if d.RelativeWeight != rw[j] || d.Shapley != sh[j] || d.Correlation != r[j] {
			t.Errorf("driver %d: %+v, want %v %v %v", j, d, rw[j], sh[j], r[j])
		}
	}
}

func TestQuadrants(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	y, x := ratedSurvey(rng, 400, 7, 0)
	for _, opt := range []drivers.Options{
		{Scale: drivers.FivePoint},
		{Scale: drivers.FivePoint, Importance: drivers.RelativeWeight, Performance: drivers.TopBox},
		{Scale: drivers.FivePoint, Importance: drivers.Correlation},
	} {
		a, err := drivers.Analyze(y, x, opt)
		if err != nil {
			t.Fatal(err)
		}
		var imp, perf []float64
		for _, d := range a.Drivers {
			imp = append(imp, d.Importance(opt.Importance))
			perf = append(perf, d.Performance(opt.Performance))
		}
		// With 7 drivers the median is the 4th smallest value.
		slices.Sort(imp)
		slices.Sort(perf)
		if a.ImportanceCut != imp[3] || a.PerformanceCut != perf[3] {
			t.Errorf("%v/%v: cuts %v %v, want medians %v %v", opt.Importance, opt.Performance, a.ImportanceCut, a.PerformanceCut, imp[3], perf[3])
		}
		checkQuadrants(t, a)
		counts := map[drivers.Quadrant]int{}
		for _, d := range a.Drivers {
			counts[d.Quadrant]++
		}
		if counts[drivers.KeyStrength]+counts[drivers.KeyWeakness] != 4 {
			t.Errorf("%v: %v important drivers, want 4 of 7 (at or above the median)", opt.Importance, counts)
		}

		fixed, err := a.WithCuts(0, 101)
		if err != nil {
			t.Fatal(err)
		}
		for j, d := range fixed.Drivers {
			if d.Quadrant != drivers.KeyWeakness {
				t.Errorf("cuts (0, 101): driver %d is %v, want KeyWeakness", j, d.Quadrant)
			}
		}
		checkQuadrants(t, fixed)
		checkQuadrants(t, a) // the original keeps its own quadrants
		if again, _ := fixed.WithCuts(a.ImportanceCut, a.PerformanceCut); !slices.Equal(again.Drivers, a.Drivers) {
			t.Error("WithCuts at the medians does not restore the quadrants")
		}
	}
}

// checkQuadrants checks every driver's quadrant against the analysis' cuts.
func checkQuadrants(t *testing.T, a drivers.Analysis) {
	t.Helper()
	for j, d := range a.Drivers {
		important := d.Importance(a.Importance) >= a.ImportanceCut
		good := d.Performance(a.Performance) >= a.PerformanceCut
		want := map[[2]bool]drivers.Quadrant{
			{true, true}: drivers.KeyStrength, {true, false}: drivers.KeyWeakness,
			{false, true}: drivers.SecondaryStrength, {false, false}: drivers.SecondaryWeakness,
		}[[2]bool{important, good}]
		if d.Quadrant != want {
			t.Errorf("driver %d: %v, want %v", j, d.Quadrant, want)
		}
	}
}

func TestWithCutsErrors(t *testing.T) {
	a, err := drivers.Analyze(handY, handX, drivers.Options{Scale: drivers.FivePoint})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range [][2]float64{{math.NaN(), 0}, {0, math.Inf(1)}, {math.Inf(-1), 1}} {
		if _, err := a.WithCuts(c[0], c[1]); !errors.Is(err, cxmetrics.ErrNotFinite) {
			t.Errorf("WithCuts(%v, %v): %v", c[0], c[1], err)
		}
	}
}

func TestNamesAndJSON(t *testing.T) {
	names := []string{"speed", "friendliness", "price"}
	a, err := drivers.Analyze(handY, handX, drivers.Options{Scale: drivers.FivePoint, Names: names})
	if err != nil {
		t.Fatal(err)
	}
	for j, d := range a.Drivers {
		if d.Name != names[j] {
			t.Errorf("driver %d named %q", j, d.Name)
		}
	}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"missing":"Listwise"`, `"importance":"Shapley"`, `"performance":"NormalizedMean"`, `"name":"speed"`, `"quadrant":"`} {
		if !strings.Contains(string(b), s) {
			t.Errorf("JSON lacks %s: %s", s, b)
		}
	}
	var back drivers.Analysis
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.R2 != a.R2 || !slices.Equal(back.Drivers, a.Drivers) || back.Missing != a.Missing {
		t.Errorf("JSON round trip: %+v", back)
	}
}

// Every enumeration's String, MarshalText and UnmarshalText agree, and unknown values are
// errors wrapping ErrUnknownLabel.
func TestEnumText(t *testing.T) {
	type text interface {
		String() string
		MarshalText() ([]byte, error)
	}
	check := func(v text, parse func([]byte) (text, error)) {
		t.Helper()
		b, err := v.MarshalText()
		if err != nil {
			t.Fatalf("%v: %v", v, err)
		}
		if string(b) != v.String() {
			t.Errorf("MarshalText %q, String %q", b, v)
		}
		got, err := parse([]byte(" " + strings.ToLower(string(b)) + " "))
		if err != nil || got != v {
			t.Errorf("UnmarshalText(%q) = %v, %v", b, got, err)
		}
		if _, err := parse([]byte("nonsense")); !errors.Is(err, cxmetrics.ErrUnknownLabel) {
			t.Errorf("UnmarshalText(nonsense): %v", err)
		}
	}
	for _, v := range []drivers.Missing{drivers.Listwise, drivers.Pairwise} {
		check(v, func(b []byte) (text, error) { var m drivers.Missing; err := m.UnmarshalText(b); return m, err })
	}
	for _, v := range []drivers.Measure{drivers.Shapley, drivers.RelativeWeight, drivers.Correlation} {
		check(v, func(b []byte) (text, error) { var m drivers.Measure; err := m.UnmarshalText(b); return m, err })
	}
	for _, v := range []drivers.Performance{drivers.NormalizedMean, drivers.TopBox} {
		check(v, func(b []byte) (text, error) { var m drivers.Performance; err := m.UnmarshalText(b); return m, err })
	}
	for _, v := range []drivers.Quadrant{drivers.KeyStrength, drivers.KeyWeakness, drivers.SecondaryStrength, drivers.SecondaryWeakness} {
		check(v, func(b []byte) (text, error) { var m drivers.Quadrant; err := m.UnmarshalText(b); return m, err })
	}
	for _, v := range []text{drivers.Missing(7), drivers.Measure(-1), drivers.Performance(2), drivers.Quadrant(4)} {
		if _, err := v.MarshalText(); !errors.Is(err, cxmetrics.ErrUnknownLabel) {
			t.Errorf("%v: MarshalText %v", v, err)
		}
		if d := (drivers.Driver{Shapley: 1, NormalizedMean: 1}); d.Importance(drivers.Measure(9)) != 0 || d.Performance(drivers.Performance(9)) != 0 {
			t.Error("unknown measure or performance is not 0")
		}
	}
}

// ratedSurvey simulates n respondents rating k drivers 1-5 (a common mood plus noise), an
// outcome 0-10 driven unevenly by them, and NaN for a share gaps of the ratings.
func ratedSurvey(rng *rand.Rand, n, k int, gaps float64) ([]float64, [][]float64) {
	x := make([][]float64, k)
	for j := range x {
		x[j] = make([]float64, n)
	}
	y := make([]float64, n)
	for i := range n {
		mood := rng.NormFloat64()
		var s float64
		for j := range k {
			r := math.Round(3 + 0.7*mood + 0.9*rng.NormFloat64() + 0.2*float64(j%3-1))
			x[j][i] = min(5, max(1, r))
			s += float64(j%4+1) * x[j][i]
		}
		y[i] = min(10, max(0, math.Round(0.12*s-float64(k)/4+1.5*rng.NormFloat64())))
		for j := range k {
			if rng.Float64() < gaps {
				x[j][i] = math.NaN()
			}
		}
	}
	return y, x
}
