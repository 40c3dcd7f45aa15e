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

// with returns a copy of the columns with x[j][i] = v.
func with(x [][]float64, j, i int, v float64) [][]float64 {
	out := make([][]float64, len(x))
	for c := range x {
		out[c] = append([]float64(nil), x[c]...)
	}
	out[j][i] = v
	return out
}

// withY returns a copy of y with y[i] = v.
func withY(y []float64, i int, v float64) []float64 {
	out := append([]float64(nil), y...)
	out[i] = v
	return out
}

// entry is one way of calling the package on y and x: the three functions without options, Analyze
// (listwise and pairwise) and Bootstrap.
type entry struct {
	name string
	call func(y []float64, x [][]float64) error
}

func entries(opt drivers.Options) []entry {
	plain := func(f func([]float64, [][]float64) ([]float64, error)) func([]float64, [][]float64) error {
		return func(y []float64, x [][]float64) error { _, err := f(y, x); return err }
	}
	pairwise := opt
	pairwise.Missing = drivers.Pairwise
	return []entry{
		{"Correlations", plain(drivers.Correlations)},
		{"RelativeWeights", plain(drivers.RelativeWeights)},
		{"ShapleyR2", plain(drivers.ShapleyR2)},
		{"Analyze", func(y []float64, x [][]float64) error { _, err := drivers.Analyze(y, x, opt); return err }},
		{"Analyze/Pairwise", func(y []float64, x [][]float64) error { _, err := drivers.Analyze(y, x, pairwise); return err }},
		{"Bootstrap", func(y []float64, x [][]float64) error {
			_, err := drivers.Bootstrap(y, x, opt, rand.New(rand.NewPCG(1, 1)), 20, 0.9)
			return err
		}},
	}
}

func TestErrors(t *testing.T) {
	y, x := ratedSurvey(rand.New(rand.NewPCG(5, 5)), 40, 3, 0)
	sum := make([]float64, len(y))
	for i := range y {
		sum[i] = (x[0][i] + x[1][i]) / 2
	}
	all := []string{"Correlations", "RelativeWeights", "ShapleyR2", "Analyze", "Analyze/Pairwise", "Bootstrap"}
	regression := all[1:]
	options := all[3:]
	for _, c := range []struct {
		name     string
		y        []float64
		x        [][]float64
		only     []string // the entries that must fail; the others must succeed
		sentinel error
		contains []string
	}{
		{"no drivers", y, nil, all, cxmetrics.ErrEmpty, []string{"no drivers"}},
		{"no respondents", []float64{}, [][]float64{{}}, all, cxmetrics.ErrEmpty, []string{"no respondents"}},
		{"short driver", y, [][]float64{x[0], x[1][:7]}, all, cxmetrics.ErrLengthMismatch, []string{"driver 1 has 7 ratings for 40 outcomes"}},
		{"infinite outcome", withY(y, 3, math.Inf(1)), x, all, cxmetrics.ErrNotFinite, []string{"outcome +Inf at index 3"}},
		{"infinite rating", y, with(x, 2, 5, math.Inf(-1)), all, cxmetrics.ErrNotFinite, []string{"driver 2 rating -Inf at index 5"}},
		{"missing rating, complete data required", y, with(x, 1, 4, math.NaN()), all[:3], cxmetrics.ErrNotFinite,
			[]string{"driver 1 rating NaN at index 4", "Analyze treats NaN as not answered"}},
		{"missing outcome, complete data required", withY(y, 0, math.NaN()), x, all[:3], cxmetrics.ErrNotFinite, []string{"outcome NaN at index 0"}},
		{"rating off the scale", y, with(x, 0, 6, 6), options, cxmetrics.ErrOutOfRange, []string{"driver 0 rating 6 at index 6", "[1, 5]"}},
		{"too few for the regression", y[:4], [][]float64{x[0][:4], x[1][:4], x[2][:4]}, regression, cxmetrics.ErrTooFew,
			[]string{"need at least 5"}},
		{"too few for a correlation", y[:2], [][]float64{x[0][:2]}, all, cxmetrics.ErrTooFew, []string{"need at least 3"}},
		{"constant driver", y, [][]float64{x[0], constant(40, 3)}, all, cxmetrics.ErrNoVariation, []string{"driver 1 is 3 for every respondent"}},
		{"constant outcome", constant(40, 7), x, all, cxmetrics.ErrNoVariation, []string{"the outcome is 7 for every respondent"}},
		{"duplicate driver", y, [][]float64{x[0], x[1], x[0]}, regression, cxmetrics.ErrSingular,
			[]string{"driver 2 is a linear combination of drivers 0 to 1"}},
		{"linear combination", y, [][]float64{x[0], x[1], sum}, regression, cxmetrics.ErrSingular,
			[]string{"driver 2 is a linear combination"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, e := range entries(drivers.Options{Scale: drivers.FivePoint}) {
				err := e.call(c.y, c.x)
				fails := false
				for _, name := range c.only {
					fails = fails || name == e.name
				}
				if !fails {
					if err != nil {
						t.Errorf("%s: unexpected %v", e.name, err)
					}
					continue
				}
				if !errors.Is(err, c.sentinel) {
					t.Errorf("%s: %v, want %v", e.name, err, c.sentinel)
					continue
				}
				for _, s := range c.contains {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("%s: %q does not say %q", e.name, err, s)
					}
				}
			}
		})
	}
}

func constant(n int, v float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// An error about one value is an *cxmetrics.InputError with the respondent's index.
func TestInputErrorFields(t *testing.T) {
	_, err := drivers.Analyze(handY, with(handX, 2, 6, 0), drivers.Options{Scale: drivers.FivePoint, Names: []string{"a", "b", "price"}})
	var ie *cxmetrics.InputError
	if !errors.As(err, &ie) || ie.Index != 6 || ie.Value != 0.0 || ie.Pkg != "drivers" || !strings.Contains(ie.What, `driver 2 (price)`) {
		t.Fatalf("%#v", err)
	}
}

func TestMissingErrors(t *testing.T) {
	y := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	// Driver 0 varies, but not among the six respondents who answered driver 1.
	x0 := []float64{1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 1, 2}
	x1 := []float64{1, 2, 3, 4, 2, 3, nan, nan, nan, nan, nan, nan}
	opt := drivers.Options{Scale: wide, Missing: drivers.Pairwise}
	_, err := drivers.Analyze(y, [][]float64{x0, x1}, opt)
	if !errors.Is(err, cxmetrics.ErrNoVariation) || !strings.Contains(err.Error(), "driver 0 does not vary among the 6 respondents who also answered driver 1") {
		t.Errorf("pairwise constant: %v", err)
	}
	// Listwise, the same data leave 6 complete respondents, in whom driver 0 is constant.
	_, err = drivers.Analyze(y, [][]float64{x0, x1}, drivers.Options{Scale: wide})
	if !errors.Is(err, cxmetrics.ErrNoVariation) || !strings.Contains(err.Error(), "for every respondent who answered every question") {
		t.Errorf("listwise constant: %v", err)
	}
	// Too few who answered both.
	x2 := []float64{nan, nan, nan, nan, nan, nan, nan, nan, 1, 2, 3, 4}
	_, err = drivers.Analyze(y, [][]float64{x0, x1, x2}, opt)
	if !errors.Is(err, cxmetrics.ErrTooFew) || !strings.Contains(err.Error(), "has 4 answers, need at least 5") {
		t.Errorf("pairwise too few answers: %v", err)
	}
	x0 = []float64{1, 5, 2, 4, 3, 1, 2, 3, 4, 5, 1, 2}
	x2 = []float64{nan, nan, nan, nan, 2, 1, 5, 3, 1, 2, 3, 4}
	_, err = drivers.Analyze(y, [][]float64{x0, x1, x2}, opt)
	if !errors.Is(err, cxmetrics.ErrTooFew) || !strings.Contains(err.Error(), "2 respondents answered both driver 1 and driver 2, need at least 5") {
		t.Errorf("pairwise too few pairs: %v", err)
	}
	_, err = drivers.Analyze(y, [][]float64{x0, x1, x2}, drivers.Options{Scale: wide})
	if !errors.Is(err, cxmetrics.ErrTooFew) || !strings.Contains(err.Error(), "2 respondents who answered every question for 3 drivers") {
		t.Errorf("listwise too few: %v", err)
	}
	// Nothing answered.
	_, err = drivers.Analyze(y, [][]float64{{nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan}}, opt)
	if !errors.Is(err, cxmetrics.ErrTooFew) {
		t.Errorf("no answers: %v", err)
	}
}

// Pairwise deletion can give correlations that no data have; Analyze says so.
func TestPairwiseInconsistent(t *testing.T) {
	// R: R <- cor(cbind(y, x0, x1, x2), use = "pairwise.complete.obs") on handY and handX
	// gives r_yxᵀ R_xx⁻¹ r_yx = 1.00217633370373, an R² above 1.
	_, err := drivers.Analyze(handY, handX, drivers.Options{Scale: drivers.FivePoint, Missing: drivers.Pairwise})
	if !errors.Is(err, cxmetrics.ErrSingular) || !strings.Contains(err.Error(), "R² = 1.00218 > 1") {
		t.Errorf("R² above 1: %v", err)
	}
	// Drivers 0 and 1 agree in one group, 0 and 2 in another, 1 and 2 disagree in a
	// third: the three correlations (about 0.9, 0.9 and -0.9) fit no data.
	var y []float64
	x := [][]float64{nil, nil, nil}
	for g := range 3 {
		for i := range 6 {
			a, e := float64(i+1), 0.3*float64(i%2*2-1)
			y = append(y, float64((i*7+g)%5))
			row := [3]float64{nan, nan, nan}
			switch g {
			case 0:
				row[0], row[1] = a, a+e
			case 1:
				row[0], row[2] = a, a+e
			case 2:
				row[1], row[2] = a, -a+e
			}
			for j := range 3 {
				x[j] = append(x[j], row[j])
			}
		}
	}
	_, err = drivers.Analyze(y, x, drivers.Options{Scale: wide, Missing: drivers.Pairwise})
	if !errors.Is(err, cxmetrics.ErrSingular) || !strings.Contains(err.Error(), "inconsistent") || !strings.Contains(err.Error(), "driver 2") {
		t.Errorf("not positive definite: %v", err)
	}
}

func TestOptionErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, c := range []struct {
		name     string
		opt      drivers.Options
		sentinel error
	}{
		{"zero options", drivers.Options{}, cxmetrics.ErrInvalidScale},
		{"top box below the scale", drivers.Options{Scale: drivers.Scale{Min: 1, Max: 5, TopBoxMin: 1}}, cxmetrics.ErrInvalidScale},
		{"top box above the scale", drivers.Options{Scale: drivers.Scale{Min: 1, Max: 5, TopBoxMin: 6}}, cxmetrics.ErrInvalidScale},
		{"NaN scale", drivers.Options{Scale: drivers.Scale{Min: math.NaN(), Max: 5, TopBoxMin: 4}}, cxmetrics.ErrInvalidScale},
		{"scale wider than float64", drivers.Options{Scale: drivers.Scale{Min: -math.MaxFloat64, Max: math.MaxFloat64, TopBoxMin: 0}}, cxmetrics.ErrInvalidScale},
		{"unknown missing", drivers.Options{Scale: drivers.FivePoint, Missing: 2}, cxmetrics.ErrUnknownLabel},
		{"unknown importance", drivers.Options{Scale: drivers.FivePoint, Importance: -1}, cxmetrics.ErrUnknownLabel},
		{"unknown performance", drivers.Options{Scale: drivers.FivePoint, Performance: 5}, cxmetrics.ErrUnknownLabel},
		{"names", drivers.Options{Scale: drivers.FivePoint, Names: []string{"a"}}, cxmetrics.ErrLengthMismatch},
	} {
		if _, err := drivers.Analyze(handY, handX, c.opt); !errors.Is(err, c.sentinel) {
			t.Errorf("%s: Analyze %v", c.name, err)
		}
		if _, err := drivers.Bootstrap(handY, handX, c.opt, rng, 10, 0.9); !errors.Is(err, c.sentinel) {
			t.Errorf("%s: Bootstrap %v", c.name, err)
		}
	}
	for _, s := range []drivers.Scale{drivers.FivePoint, drivers.SevenPoint, drivers.ZeroToTen} {
		if err := s.Validate(); err != nil {
			t.Errorf("%+v: %v", s, err)
		}
	}

	opt := drivers.Options{Scale: drivers.FivePoint}
	for _, c := range []struct {
		name      string
		rng       *rand.Rand
		resamples int
		level     float64
		sentinel  error
	}{
		{"nil rng", nil, 10, 0.9, cxmetrics.ErrNilRand},
		{"no resamples", rng, 0, 0.9, cxmetrics.ErrOutOfRange},
		{"negative resamples", rng, math.MinInt, 0.9, cxmetrics.ErrOutOfRange},
		{"too many resamples", rng, drivers.MaxResamples + 1, 0.9, cxmetrics.ErrTooLarge},
		{"level 1", rng, 10, 1, cxmetrics.ErrInvalidLevel},
		{"level 0", rng, 10, 0, cxmetrics.ErrInvalidLevel},
		{"level NaN", rng, 10, math.NaN(), cxmetrics.ErrInvalidLevel},
		{"level next to 1", rng, 10, math.Nextafter(1, 0), cxmetrics.ErrInvalidLevel},
	} {
		if _, err := drivers.Bootstrap(handY, handX, opt, c.rng, c.resamples, c.level); !errors.Is(err, c.sentinel) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// More drivers than the exact Shapley decomposition enumerates are ErrTooLarge before any
// work; relative weights and correlations have no limit.
func TestTooManyDrivers(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	k := drivers.MaxShapleyDrivers + 1
	y, x := ratedSurvey(rng, 200, k, 0)
	if _, err := drivers.ShapleyR2(y, x); !errors.Is(err, cxmetrics.ErrTooLarge) || !strings.Contains(err.Error(), "21 drivers") {
		t.Errorf("ShapleyR2: %v", err)
	}
	if _, err := drivers.Analyze(y, x, drivers.Options{Scale: drivers.FivePoint}); !errors.Is(err, cxmetrics.ErrTooLarge) {
		t.Errorf("Analyze: %v", err)
	}
	if _, err := drivers.Bootstrap(y, x, drivers.Options{Scale: drivers.FivePoint}, rng, 10, 0.9); !errors.Is(err, cxmetrics.ErrTooLarge) {
		t.Errorf("Bootstrap: %v", err)
	}
	if _, err := drivers.RelativeWeights(y, x); err != nil {
		t.Errorf("RelativeWeights: %v", err)
	}
	if _, err := drivers.Correlations(y, x); err != nil {
		t.Errorf("Correlations: %v", err)
	}
}
