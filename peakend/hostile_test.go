package peakend_test

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/peakend"
	"gonum.org/v1/gonum/floats/scalar"
)

// TestTiesUnderOverflow checks that MostIntense finds the value farthest from Neutral when
// |Value - Neutral| does not fit a float64: the farthest value is the highest or the lowest,
// and their distances are compared without overflow.
func TestTiesUnderOverflow(t *testing.T) {
	const big = math.MaxFloat64
	for _, c := range []struct {
		name    string
		neutral float64
		moments []peakend.Moment
		want    float64
	}{
		// Both distances overflow: 1.7e308 is the farther.
		{"both above a neutral near -1e308", -1e308, series(0, 1e308, 1.7e308, 0), 1.7e308},
		{"both below a neutral near 1e308", 1e308, series(0, -1e308, -1.7e308, 0), -1.7e308},
		{"the farther first", -1e308, series(0, 1.7e308, 1e308), 1.7e308},
		{"extremes of float64 from -MaxFloat64", -big, series(0, big/2, big, -big), big},
		{"extremes of float64 from MaxFloat64", big, series(0, -big/2, -big, big), -big},
		{"below and above: the lower is farther", 1e308, series(0, big, -big), -big},
		// |v - Neutral| rounds to 1e25 for both; 1e25 is 26 farther from -13.
		{"distances that round alike", -13, series(0, -1e25, 1e25), 1e25},
		{"distances that round alike, above", 13, series(0, 1e25, -1e25), -1e25},
		{"a tie goes to the earliest", 0, series(0, big, -big), big},
		{"a tie goes to the earliest (negative first)", 0, series(0, -big, big), -big},
	} {
		r := peakend.Rule{Neutral: c.neutral, PeakWeight: 1}
		got, err := peakend.Remembered(r, c.moments)
		if err != nil || got != c.want {
			t.Errorf("%s: Remembered = %g, %v; want %g", c.name, got, err, c.want)
		}
	}
}

// TestScaledSums checks sums, differences and products of user values whose exact result
// is representable although a naive evaluation overflows or underflows.
func TestScaledSums(t *testing.T) {
	// Slope of two moments of one hour: Δv / 3600 s.
	for _, c := range []struct {
		name string
		m    []peakend.Moment
		want float64
	}{
		{"tiny values keep their digits", series(time.Hour, 1e-300, 2e-300), 1e-300 / 3600},
		{"subnormal values", series(1, 0, 0x1p-1040), 0x1p-1040 * 1e9},
		{"huge values", series(time.Hour, -1e308, 1e308), 2e308 / 3600},
		{"huge values, long moments", series(time.Duration(math.MaxInt64/4), -1e308, 1e308), 1e308 / (float64(math.MaxInt64/4) / 2e9)},
	} {
		s, err := peakend.Summarize(c.m)
		if err != nil || math.Abs(s.Slope/c.want-1) > 1e-14 {
			t.Errorf("%s: slope %g, %v; want %g", c.name, s.Slope, err, c.want)
		}
	}

	// Mean of huge values with the longest durations.
	long := []peakend.Moment{{Value: 1e308, Duration: math.MaxInt64}, {Value: 1.5e308, Duration: math.MaxInt64}}
	if got, err := peakend.Mean(long); err != nil || !scalar.EqualWithinRel(got, 1.25e308, 1e-15) {
		t.Errorf("Mean of huge values lasting 292 years each: %g, %v", got, err)
	}

	// Predict: products that overflow one by one but cancel.
	m := peakend.Model{Intercept: 1, Peak: 1e300, Mean: -1e300, N: 6}
	if got, err := m.Predict(series(0, 1e10, 1e10)); err != nil || got != 1 {
		t.Errorf("Predict with cancelling products: %g, %v; want 1", got, err)
	}
	// 1e300·1e10 + 1e300·1e10 is 2e310: no float64 holds it.
	m = peakend.Model{Peak: 1e300, End: 1e300, N: 6}
	if got, err := m.Predict(series(0, 1e10, 1e10)); !errors.Is(err, cxmetrics.ErrNotFinite) {
		t.Errorf("Predict beyond float64: %g, %v; want ErrNotFinite", got, err)
	}

	// Fit: ratings or values multiplied by a power of two give coefficients multiplied by
	// it (exactly) and the same R², even where squares or sums of the raw numbers would
	// overflow or underflow.
	base, err := peakend.Fit(referenceExperiences, referenceRatings)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name         string
		values, rate int // powers of two applied to the values and to the ratings
	}{
		{"huge ratings", 0, 1000},
		{"tiny ratings", 0, -1000},
		{"huge values", 1000, 0},
		{"tiny values", -1000, 0},
		{"huge values and ratings", 1000, 1000},
		{"tiny values, huge ratings", -500, 500},
	} {
		exps := make([][]peakend.Moment, len(referenceExperiences))
		for i, e := range referenceExperiences {
			exps[i] = make([]peakend.Moment, len(e))
			for j, x := range e {
				exps[i][j] = peakend.Moment{Value: math.Ldexp(x.Value, c.values), Duration: x.Duration}
			}
		}
		ratings := make([]float64, len(referenceRatings))
		for i, y := range referenceRatings {
			ratings[i] = math.Ldexp(y, c.rate)
		}
		got, err := peakend.Fit(exps, ratings)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		want := [5]float64{
			math.Ldexp(base.Intercept, c.rate), math.Ldexp(base.Peak, c.rate-c.values), math.Ldexp(base.End, c.rate-c.values),
			math.Ldexp(base.Mean, c.rate-c.values), math.Ldexp(base.Duration, c.rate),
		}
		for j, g := range coefficients(got) {
			if !scalar.EqualWithinRel(g, want[j], 1e-13) {
				t.Errorf("%s: coefficient %d = %g, want %g", c.name, j, g, want[j])
			}
		}
		if !scalar.EqualWithinRel(got.R2, base.R2, 1e-13) || !scalar.EqualWithinRel(got.MeanOnlyR2, base.MeanOnlyR2, 1e-13) {
			t.Errorf("%s: R2 %g, mean only %g; want %g, %g", c.name, got.R2, got.MeanOnlyR2, base.R2, base.MeanOnlyR2)
		}
		if y, err := got.Predict(exps[0]); err != nil || !scalar.EqualWithinRel(y, math.Ldexp(mustPredict(t, base, referenceExperiences[0]), c.rate), 1e-13) {
			t.Errorf("%s: Predict = %g, %v", c.name, y, err)
		}
	}

	// The total duration of an experience may exceed time.Duration's range: the duration
	// feature is in seconds, a float64.
	exps := append([][]peakend.Moment(nil), referenceExperiences...)
	exps[2] = []peakend.Moment{{Value: 4, Duration: math.MaxInt64}, {Value: 4, Duration: math.MaxInt64}, {Value: 8, Duration: time.Minute}}
	if _, err := peakend.Fit(exps, referenceRatings); err != nil {
		t.Errorf("Fit with an experience longer than time.Duration's range: %v", err)
	}
}

func mustPredict(t *testing.T, m peakend.Model, e []peakend.Moment) float64 {
	t.Helper()
	y, err := m.Predict(e)
	if err != nil {
		t.Fatal(err)
	}
	return y
}

// TestSentinels checks that each error wraps the sentinel that says what happened.
func TestSentinels(t *testing.T) {
	constant := make([]float64, len(referenceRatings))
	for i := range constant {
		constant[i] = 4
	}
	for _, c := range []struct {
		name string
		err  error
		want error
	}{
		{"identical ratings", second(peakend.Fit(referenceExperiences, constant)), cxmetrics.ErrNoVariation},
		{"total duration beyond time.Duration", second(peakend.Summarize([]peakend.Moment{{Value: 1, Duration: math.MaxInt64}, {Value: 2}})), cxmetrics.ErrTooLarge},
		{"unfitted model", second((peakend.Model{}).Predict(patientA)), cxmetrics.ErrEmpty},
		{"unknown peak kind", (peakend.Rule{Peak: 4}).Validate(), cxmetrics.ErrUnknownLabel},
	} {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, c.err, c.want)
		}
	}
}

func second[T any](_ T, err error) error { return err }

// TestHandBuilt checks that a Model or a Rule built by hand or decoded from JSON is
// validated before use: a bad field is an error, never a NaN result.
func TestHandBuilt(t *testing.T) {
	fitted, err := peakend.Fit(referenceExperiences, referenceRatings)
	if err != nil {
		t.Fatal(err)
	}
	if err := fitted.Validate(); err != nil {
		t.Fatalf("fitted model: %v", err)
	}
	with := func(f func(*peakend.Model)) peakend.Model {
		m := fitted
		f(&m)
		return m
	}
	for _, c := range []struct {
		name  string
		model peakend.Model
		want  error
		msg   string
	}{
		{"not fitted", peakend.Model{}, cxmetrics.ErrEmpty, "not fitted"},
		{"negative N", with(func(m *peakend.Model) { m.N = -3 }), cxmetrics.ErrOutOfRange, "n -3"},
		{"NaN intercept", with(func(m *peakend.Model) { m.Intercept = math.NaN() }), cxmetrics.ErrNotFinite, "intercept NaN"},
		{"Inf peak", with(func(m *peakend.Model) { m.Peak = math.Inf(1) }), cxmetrics.ErrNotFinite, "peak coefficient +Inf"},
		{"NaN end", with(func(m *peakend.Model) { m.End = math.NaN() }), cxmetrics.ErrNotFinite, "end coefficient"},
		{"-Inf mean", with(func(m *peakend.Model) { m.Mean = math.Inf(-1) }), cxmetrics.ErrNotFinite, "mean coefficient"},
		{"NaN duration", with(func(m *peakend.Model) { m.Duration = math.NaN() }), cxmetrics.ErrNotFinite, "duration coefficient"},
		{"NaN standard error", with(func(m *peakend.Model) { m.StdErr[2] = math.NaN() }), cxmetrics.ErrNotFinite, "standard error"},
		{"negative standard error", with(func(m *peakend.Model) { m.StdErr[4] = -1 }), cxmetrics.ErrOutOfRange, "standard error"},
		{"R² above 1", with(func(m *peakend.Model) { m.R2 = 1.5 }), cxmetrics.ErrOutOfRange, "r2 1.5"},
		{"NaN mean-only R²", with(func(m *peakend.Model) { m.MeanOnlyR2 = math.NaN() }), cxmetrics.ErrNotFinite, "mean-only r2"},
		{"Inf adjusted R²", with(func(m *peakend.Model) { m.AdjR2 = math.Inf(-1) }), cxmetrics.ErrNotFinite, "adjusted r2"},
		{"bad rule", with(func(m *peakend.Model) { m.Rule.EndWindow = -1 }), cxmetrics.ErrOutOfRange, "end window"},
		{"NaN neutral", with(func(m *peakend.Model) { m.Rule.Neutral = math.NaN() }), cxmetrics.ErrNotFinite, "neutral"},
	} {
		got, err := c.model.Predict(patientA)
		if !errors.Is(err, c.want) || got != 0 {
			t.Errorf("%s: Predict = %g, %v; want %v", c.name, got, err, c.want)
			continue
		}
		if vErr := c.model.Validate(); vErr == nil || vErr.Error() != err.Error() {
			t.Errorf("%s: Validate %v, Predict %v", c.name, vErr, err)
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "peakend: ") || !strings.Contains(msg, c.msg) {
			t.Errorf("%s: message %q, want it to contain %q", c.name, msg, c.msg)
		}
	}

	// Decoded from JSON: the same checks apply.
	for _, c := range []struct {
		json string
		want error
	}{
		{`{"n": -1, "intercept": 1}`, cxmetrics.ErrOutOfRange},
		{`{"n": 6, "r2": 7}`, cxmetrics.ErrOutOfRange},
		{`{"n": 6, "std_err": [0, -1, 0, 0, 0]}`, cxmetrics.ErrOutOfRange},
		{`{"n": 6, "peak": 1e308, "end": 1e308}`, cxmetrics.ErrNotFinite}, // Predict on values 2: 4e308
		{`{"n": 6, "rule": {"peak": "Lowest", "end_window": -4}}`, cxmetrics.ErrOutOfRange},
	} {
		var m peakend.Model
		if err := json.Unmarshal([]byte(c.json), &m); err != nil {
			t.Fatalf("%s: %v", c.json, err)
		}
		if got, err := m.Predict(series(0, 2, 2)); !errors.Is(err, c.want) {
			t.Errorf("%s: Predict = %g, %v; want %v", c.json, got, err, c.want)
		}
	}

	// A Rule: weights that sum to zero are equal weights; NaN, Inf and negative weights are
	// errors; EndWindow has no upper bound because a window longer than the experience
	// covers all of it, so the work stays one pass over the moments.
	m := series(time.Minute, 3, 9, 1, 5)
	whole, _ := peakend.Mean(m)
	for _, c := range []struct {
		name string
		rule peakend.Rule
		want float64
		err  error
	}{
		{"zero weights", peakend.Rule{Peak: peakend.Highest}, (9 + 5) / 2.0, nil},
		{"tiny weights", peakend.Rule{Peak: peakend.Highest, PeakWeight: 5e-324, EndWeight: 5e-324}, (9 + 5) / 2.0, nil},
		{"huge weights", peakend.Rule{Peak: peakend.Highest, PeakWeight: math.MaxFloat64, EndWeight: math.MaxFloat64}, (9 + 5) / 2.0, nil},
		{"largest end window", peakend.Rule{EndWindow: math.MaxInt, EndWeight: 1}, whole, nil},
		{"negative end window", peakend.Rule{EndWindow: math.MinInt}, 0, cxmetrics.ErrOutOfRange},
		{"NaN peak weight", peakend.Rule{PeakWeight: math.NaN(), EndWeight: 1}, 0, cxmetrics.ErrNotFinite},
		{"Inf end weight", peakend.Rule{PeakWeight: 1, EndWeight: math.Inf(1)}, 0, cxmetrics.ErrNotFinite},
		{"negative weight", peakend.Rule{PeakWeight: -0.5, EndWeight: 1}, 0, cxmetrics.ErrNegativeWeight},
		{"unknown peak kind", peakend.Rule{Peak: -1}, 0, cxmetrics.ErrUnknownLabel},
	} {
		got, err := peakend.Remembered(c.rule, m)
		if c.err == nil && (err != nil || got != c.want) || c.err != nil && (!errors.Is(err, c.err) || got != 0) {
			t.Errorf("%s: Remembered = %g, %v; want %g, %v", c.name, got, err, c.want, c.err)
		}
	}
	var r peakend.Rule
	if err := json.Unmarshal([]byte(`{"peak": "Highest", "peak_weight": -1}`), &r); err != nil {
		t.Fatal(err)
	}
	if _, err := peakend.Remembered(r, m); !errors.Is(err, cxmetrics.ErrNegativeWeight) {
		t.Errorf("decoded rule with a negative weight: %v", err)
	}
	if err := json.Unmarshal([]byte(`{"peak": "Loudest"}`), &r); !errors.Is(err, cxmetrics.ErrUnknownLabel) {
		t.Errorf("decoded rule with an unknown peak kind: %v", err)
	}
	if n := testing.AllocsPerRun(20, func() { _, _ = peakend.Remembered(peakend.Rule{EndWindow: math.MaxInt}, m) }); n != 0 {
		t.Errorf("Remembered with the largest window allocates %g times", n)
	}
}
