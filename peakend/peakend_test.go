package peakend_test

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/peakend"
	"gonum.org/v1/gonum/floats/scalar"
)

// series builds moments of equal duration d from values.
func series(d time.Duration, values ...float64) []peakend.Moment {
	m := make([]peakend.Moment, len(values))
	for i, v := range values {
		m[i] = peakend.Moment{Value: v, Duration: d}
	}
	return m
}

// Kahneman, Thinking, Fast and Slow (2011), chapter 35, figure 15: pain (0–10) rated every
// minute. Patient A's procedure lasted 8 minutes, peaked at 8 and ended at 7; patient B's
// lasted 24 minutes, also peaked at 8, and ended at 1. The sequences follow the figure's
// shape; the book gives the peaks, the ends and the durations.
var (
	patientA = series(time.Minute, 2, 4, 6, 8, 5, 4, 6, 7)
	patientB = series(time.Minute, 1, 2, 3, 4, 6, 5, 4, 6, 8, 7, 5, 6, 4, 3, 5, 6, 4, 3, 2, 3, 2, 1, 2, 1)
)

func TestColonoscopy(t *testing.T) {
	// Classic: (peak + end) / 2. A: (8 + 7)/2 = 7.5; B: (8 + 1)/2 = 4.5 (the book's numbers).
	a, err := peakend.Remembered(peakend.Classic, patientA)
	if err != nil {
		t.Fatal(err)
	}
	b, err := peakend.Remembered(peakend.Classic, patientB)
	if err != nil {
		t.Fatal(err)
	}
	if a != 7.5 || b != 4.5 {
		t.Errorf("remembered A %g, B %g; want 7.5, 4.5", a, b)
	}

	sa, err := peakend.Summarize(patientA)
	if err != nil {
		t.Fatal(err)
	}
	sb, err := peakend.Summarize(patientB)
	if err != nil {
		t.Fatal(err)
	}
	if sa.Duration != 8*time.Minute || sb.Duration != 24*time.Minute {
		t.Errorf("durations %v, %v; want 8m, 24m", sa.Duration, sb.Duration)
	}
	if sa.Peak != 8 || sb.Peak != 8 || sa.End != 7 || sb.End != 1 {
		t.Errorf("A peak %g end %g, B peak %g end %g", sa.Peak, sa.End, sb.Peak, sb.End)
	}
	// Total pain, the area under the curve: mean × duration. A: 42 pain-minutes, B: 93.
	totalA := sa.Mean * sa.Duration.Minutes()
	totalB := sb.Mean * sb.Duration.Minutes()
	if !scalar.EqualWithinAbs(totalA, 42, 1e-12) || !scalar.EqualWithinAbs(totalB, 93, 1e-12) {
		t.Errorf("total pain A %g, B %g; want 42, 93", totalA, totalB)
	}
	if !(totalB > totalA && b < a) {
		t.Errorf("B suffered more (%g > %g) yet must be remembered as less bad (%g < %g)", totalB, totalA, b, a)
	}
}

// TestColdPressor reproduces the pattern of Kahneman et al. (1993). Discomfort (0–10,
// higher is worse) is rated every 15 seconds: the short trial is 60 s at 14 °C, the long
// trial the same 60 s followed by 30 s while the water warms to 15 °C, still painful but
// a little less. The long trial holds strictly more discomfort and a higher mean, yet ends
// better, so the peak-end rule remembers it as less bad.
func TestColdPressor(t *testing.T) {
	short := series(15*time.Second, 4, 6, 8, 8)
	long := series(15*time.Second, 4, 6, 8, 8, 7.5, 7)

	for _, c := range []struct {
		name   string
		sign   float64 // +1: discomfort, higher is worse; -1: valence, lower is worse
		rule   peakend.Rule
		short  float64 // remembered short trial, by hand
		long   float64
		meanS  float64 // duration-weighted means, by hand
		meanL  float64
		better func(a, b float64) bool // a is better than b
	}{
		// Discomfort: Classic short (8+8)/2 = 8, long (8+7)/2 = 7.5; means 26/4 = 6.5 and
		// 40.5/6 = 6.75. Lower is better.
		{"discomfort", 1, peakend.Classic, 8, 7.5, 6.5, 6.75, func(a, b float64) bool { return a < b }},
		// The same on a valence scale (negative is pain): MostIntense from neutral 0 keeps
		// the sign, so the values flip and higher is better.
		{"valence", -1, peakend.Classic, -8, -7.5, -6.5, -6.75, func(a, b float64) bool { return a > b }},
	} {
		s := make([]peakend.Moment, len(short))
		l := make([]peakend.Moment, len(long))
		for i, m := range short {
			s[i] = peakend.Moment{Value: c.sign * m.Value, Duration: m.Duration}
		}
		for i, m := range long {
			l[i] = peakend.Moment{Value: c.sign * m.Value, Duration: m.Duration}
		}
		rs, _ := peakend.Remembered(c.rule, s)
		rl, _ := peakend.Remembered(c.rule, l)
		ms, _ := peakend.Mean(s)
		ml, _ := peakend.Mean(l)
		if rs != c.short || rl != c.long || !scalar.EqualWithinAbs(ms, c.meanS, 1e-15) || !scalar.EqualWithinAbs(ml, c.meanL, 1e-15) {
			t.Errorf("%s: remembered %g, %g (want %g, %g); means %g, %g (want %g, %g)",
				c.name, rs, rl, c.short, c.long, ms, ml, c.meanS, c.meanL)
		}
		if !c.better(rl, rs) {
			t.Errorf("%s: the long trial must be remembered as better: %g vs %g", c.name, rl, rs)
		}
		if !c.better(ms, ml) {
			t.Errorf("%s: by the mean the long trial must be worse: %g vs %g", c.name, ml, ms)
		}
	}
}

func TestRemembered(t *testing.T) {
	// Values 2, -6, 5, 1 with zero durations (equal weights).
	m := series(0, 2, -6, 5, 1)
	// Two moments at the end with durations 60 s and 180 s: end window 2 is
	// (5·60 + 1·180)/240 = 2. A zero duration next to 3 s counts 1 s: (5·1 + 1·3)/4 = 2.
	timed := []peakend.Moment{{Value: 9, Duration: time.Minute}, {Value: 5, Duration: time.Minute}, {Value: 1, Duration: 3 * time.Minute}}
	mixed := []peakend.Moment{{Value: 9, Duration: time.Second}, {Value: 5}, {Value: 1, Duration: 3 * time.Second}}
	for _, c := range []struct {
		name    string
		rule    peakend.Rule
		moments []peakend.Moment
		want    float64
	}{
		{"classic", peakend.Classic, m, (-6 + 1) / 2.0},
		{"zero rule is classic", peakend.Rule{}, m, (-6 + 1) / 2.0},
		{"highest", peakend.Rule{Peak: peakend.Highest}, m, (5 + 1) / 2.0},
		{"lowest", peakend.Rule{Peak: peakend.Lowest}, m, (-6 + 1) / 2.0},
		{"highest and lowest", peakend.Rule{Peak: peakend.HighestAndLowest}, m, ((5-6)/2.0 + 1) / 2},
		// Distances from 3: 1, 9, 2, 2: still -6.
		{"neutral 3", peakend.Rule{Neutral: 3}, m, (-6 + 1) / 2.0},
		// Distances from -2: 4, 4, 7, 3: the peak is 5.
		{"neutral -2", peakend.Rule{Neutral: -2}, m, (5 + 1) / 2.0},
		// Distances from -4: 6, 2, 9, 5: the peak is 5.
		{"neutral -4", peakend.Rule{Neutral: -4}, m, (5 + 1) / 2.0},
		{"weights 2:1", peakend.Rule{Peak: peakend.Highest, PeakWeight: 2, EndWeight: 1}, m, (2*5 + 1) / 3.0},
		{"weights scale free", peakend.Rule{Peak: peakend.Highest, PeakWeight: 20, EndWeight: 10}, m, (2*5 + 1) / 3.0},
		{"peak only", peakend.Rule{Peak: peakend.Lowest, PeakWeight: 1}, m, -6},
		{"end only", peakend.Rule{EndWeight: 1}, m, 1},
		{"end window 2", peakend.Rule{EndWindow: 2, EndWeight: 1}, m, 3},
		{"end window longer than experience", peakend.Rule{EndWindow: 10, EndWeight: 1}, m, 0.5},
		{"timed end window", peakend.Rule{EndWindow: 2, EndWeight: 1}, timed, 2},
		{"zero duration counts one second", peakend.Rule{EndWindow: 2, EndWeight: 1}, mixed, 2},
		{"single moment", peakend.Classic, series(0, 4), 4},
		{"tie goes to the earliest", peakend.Rule{PeakWeight: 1}, series(0, 3, -3, 2), 3},
		{"tie goes to the earliest (negative first)", peakend.Rule{PeakWeight: 1}, series(0, -3, 3, 2), -3},
	} {
		got, err := peakend.Remembered(c.rule, c.moments)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !scalar.EqualWithinAbsOrRel(got, c.want, 1e-15, 1e-15) {
			t.Errorf("%s: got %.17g, want %.17g", c.name, got, c.want)
		}
	}
}

func TestRememberedDurationNeglect(t *testing.T) {
	// Outside the end window durations do not matter.
	a := series(time.Second, 3, 9, 4, 2)
	b := series(time.Hour, 3, 9, 4, 2)
	ra, _ := peakend.Remembered(peakend.Classic, a)
	rb, _ := peakend.Remembered(peakend.Classic, b)
	if ra != rb {
		t.Errorf("remembered %g vs %g for the same profile at different speeds", ra, rb)
	}
}

// meanSlow is the obviously correct duration-weighted mean.
func meanSlow(m []peakend.Moment) float64 {
	var num, den float64
	for _, x := range m {
		w := x.Duration.Seconds()
		if x.Duration == 0 {
			w = 1
		}
		num += w * x.Value
		den += w
	}
	return num / den
}

func TestMean(t *testing.T) {
	for _, c := range []struct {
		name    string
		moments []peakend.Moment
		want    float64
	}{
		{"zero durations: plain mean", series(0, 1, 2, 3, 10), 4},
		{"equal durations", series(time.Minute, 1, 2, 3, 10), 4},
		// (1·1 + 2·3) / 4 = 7/4.
		{"weighted", []peakend.Moment{{Value: 1, Duration: time.Second}, {Value: 2, Duration: 3 * time.Second}}, 1.75},
		// Zero counts one second: (1·1 + 2·3) / 4.
		{"zero is one second", []peakend.Moment{{Value: 1}, {Value: 2, Duration: 3 * time.Second}}, 1.75},
		{"constant", series(time.Millisecond, -2, -2, -2), -2},
		{"huge values do not overflow", series(0, math.MaxFloat64, math.MaxFloat64), math.MaxFloat64},
		{"huge opposite values", series(0, math.MaxFloat64, -math.MaxFloat64), 0},
	} {
		got, err := peakend.Mean(c.moments)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !scalar.EqualWithinAbsOrRel(got, c.want, 1e-15, 1e-15) {
			t.Errorf("%s: got %.17g, want %.17g", c.name, got, c.want)
		}
	}

	rng := rand.New(rand.NewPCG(1, 1))
	for range 200 {
		m := make([]peakend.Moment, 1+rng.IntN(40))
		for i := range m {
			m[i] = peakend.Moment{Value: rng.NormFloat64() * 5, Duration: time.Duration(rng.IntN(4)) * time.Duration(rng.Int64N(int64(time.Hour)))}
		}
		got, err := peakend.Mean(m)
		if err != nil {
			t.Fatal(err)
		}
		if want := meanSlow(m); !scalar.EqualWithinAbsOrRel(got, want, 1e-12, 1e-12) {
			t.Errorf("Mean %.17g, reference %.17g", got, want)
		}
	}
}

func TestSummarize(t *testing.T) {
	// Experience 5 of the R reference in fit_test.go: values 2, 9, 4 lasting 10, 20 and
	// 300 seconds. Midpoints 5, 20, 180. R: coef(lm(v ~ t, weights = w)) gives the slope
	// -0.0151881720430107; weighted.mean(v, w) = 4.24242424242424.
	s, err := peakend.Summarize([]peakend.Moment{
		{Value: 2, Duration: 10 * time.Second},
		{Value: 9, Duration: 20 * time.Second},
		{Value: 4, Duration: 300 * time.Second},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := peakend.Summary{Peak: 9, PeakIndex: 1, Trough: 2, TroughIndex: 0, End: 4, Mean: 4.24242424242424, Duration: 330 * time.Second, Slope: -0.0151881720430107}
	if s.Peak != want.Peak || s.PeakIndex != want.PeakIndex || s.Trough != want.Trough || s.TroughIndex != want.TroughIndex ||
		s.End != want.End || s.Duration != want.Duration ||
		!scalar.EqualWithinRel(s.Mean, want.Mean, 1e-13) || !scalar.EqualWithinRel(s.Slope, want.Slope, 1e-13) {
		t.Errorf("got %+v\nwant %+v", s, want)
	}

	// Experience 2 of the reference: R's slope is 8.6e-18, zero to rounding.
	s, err = peakend.Summarize([]peakend.Moment{
		{Value: 1, Duration: 30 * time.Second}, {Value: 7, Duration: 90 * time.Second},
		{Value: 6, Duration: 60 * time.Second}, {Value: 2, Duration: 30 * time.Second},
	})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(s.Slope) > 1e-15 || !scalar.EqualWithinRel(s.Mean, 5.14285714285714, 1e-13) {
		t.Errorf("slope %g, mean %.15g; want 0, 5.14285714285714", s.Slope, s.Mean)
	}

	// Zero durations: the slope is the ordinary regression slope on the index,
	// Σ(i - ī)(v_i - v̄) / Σ(i - ī)², here with ī = 2, v̄ = 4:
	// ((-2)(-3) + (-1)(1) + 0 + (1)(-2) + (2)(4)) / 10 = 11/10 per moment (per second).
	s, err = peakend.Summarize(series(0, 1, 5, 4, 2, 8))
	if err != nil {
		t.Fatal(err)
	}
	if !scalar.EqualWithinRel(s.Slope, 1.1, 1e-14) || s.Duration != 5*time.Second || s.PeakIndex != 4 || s.TroughIndex != 0 {
		t.Errorf("got %+v, want slope 1.1, duration 5s", s)
	}
	// Equal durations of one minute: the same trend per minute, 1.1/60 per second.
	s, _ = peakend.Summarize(series(time.Minute, 1, 5, 4, 2, 8))
	if !scalar.EqualWithinRel(s.Slope, 1.1/60, 1e-14) {
		t.Errorf("slope %g, want %g", s.Slope, 1.1/60)
	}

	for _, m := range [][]peakend.Moment{series(0, 3), series(time.Hour, 2, 2, 2)} {
		s, err := peakend.Summarize(m)
		if err != nil || s.Slope != 0 {
			t.Errorf("%v: slope %g, error %v; want 0", m, s.Slope, err)
		}
	}
	// Ties: the first moment with the extreme value.
	s, _ = peakend.Summarize(series(0, 1, 7, 0, 7, 0))
	if s.PeakIndex != 1 || s.TroughIndex != 2 {
		t.Errorf("peak index %d, trough index %d; want 1, 2", s.PeakIndex, s.TroughIndex)
	}
}

func TestErrors(t *testing.T) {
	good := series(0, 1, 2, 3)
	nan := series(0, 1, math.NaN(), 3)
	inf := series(0, 1, 2, math.Inf(-1))
	neg := []peakend.Moment{{Value: 1}, {Value: 2, Duration: -time.Second}}
	type call struct {
		name string
		f    func() error
	}
	remembered := func(r peakend.Rule, m []peakend.Moment) func() error {
		return func() error { _, err := peakend.Remembered(r, m); return err }
	}
	mean := func(m []peakend.Moment) func() error {
		return func() error { _, err := peakend.Mean(m); return err }
	}
	summarize := func(m []peakend.Moment) func() error {
		return func() error { _, err := peakend.Summarize(m); return err }
	}
	for _, c := range []struct {
		call
		want  error
		index int // the InputError's index, or -2 for no InputError
		msg   string
	}{
		{call{"remembered empty", remembered(peakend.Classic, nil)}, cxmetrics.ErrEmpty, -2, "peakend: no moments"},
		{call{"remembered NaN", remembered(peakend.Classic, nan)}, cxmetrics.ErrNotFinite, 1, "peakend: value NaN at index 1: not finite"},
		{call{"remembered Inf", remembered(peakend.Classic, inf)}, cxmetrics.ErrNotFinite, 2, "index 2"},
		{call{"remembered negative duration", remembered(peakend.Classic, neg)}, cxmetrics.ErrNegativeWeight, 1, "peakend: duration -1s at index 1: negative weight"},
		{call{"end window", remembered(peakend.Rule{EndWindow: -1}, good)}, cxmetrics.ErrOutOfRange, -1, "end window -1"},
		{call{"peak weight NaN", remembered(peakend.Rule{PeakWeight: math.NaN()}, good)}, cxmetrics.ErrNotFinite, -1, "peak weight"},
		{call{"end weight Inf", remembered(peakend.Rule{EndWeight: math.Inf(1)}, good)}, cxmetrics.ErrNotFinite, -1, "end weight"},
		{call{"negative weight", remembered(peakend.Rule{EndWeight: -1}, good)}, cxmetrics.ErrNegativeWeight, -1, "end weight -1"},
		{call{"unknown peak", remembered(peakend.Rule{Peak: 9}, good)}, cxmetrics.ErrUnknownLabel, -1, "peak kind 9"},
		{call{"neutral NaN", remembered(peakend.Rule{Neutral: math.NaN()}, good)}, cxmetrics.ErrNotFinite, -1, "neutral"},
		{call{"mean empty", mean(nil)}, cxmetrics.ErrEmpty, -2, ""},
		{call{"mean NaN", mean(nan)}, cxmetrics.ErrNotFinite, 1, ""},
		{call{"mean negative duration", mean(neg)}, cxmetrics.ErrNegativeWeight, 1, ""},
		{call{"summarize empty", summarize([]peakend.Moment{})}, cxmetrics.ErrEmpty, -2, ""},
		{call{"summarize Inf", summarize(inf)}, cxmetrics.ErrNotFinite, 2, ""},
		{call{"summarize negative duration", summarize(neg)}, cxmetrics.ErrNegativeWeight, 1, ""},
		{call{"total duration overflows", summarize([]peakend.Moment{{Value: 1, Duration: math.MaxInt64}, {Value: 2, Duration: time.Second}})},
			cxmetrics.ErrTooLarge, -2, "total duration"},
		// A slope of 2·MaxFloat64 per nanosecond does not fit a float64.
		{call{"slope overflows", summarize([]peakend.Moment{{Value: -math.MaxFloat64, Duration: 1}, {Value: math.MaxFloat64, Duration: 1}})},
			cxmetrics.ErrNotFinite, -2, "slope"},
	} {
		err := c.f()
		if !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
			continue
		}
		var ie *cxmetrics.InputError
		switch isInput := errors.As(err, &ie); {
		case c.index == -2 && isInput:
			t.Errorf("%s: unexpected InputError %v", c.name, err)
		case c.index != -2 && !isInput:
			t.Errorf("%s: %v is not an InputError", c.name, err)
		case isInput && ie.Index != c.index:
			t.Errorf("%s: index %d, want %d", c.name, ie.Index, c.index)
		}
		if !strings.HasPrefix(err.Error(), "peakend: ") || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: message %q, want it to contain %q", c.name, err, c.msg)
		}
	}
}

func TestNoAllocations(t *testing.T) {
	m := patientB
	if n := testing.AllocsPerRun(100, func() { _, _ = peakend.Remembered(peakend.Rule{EndWindow: 3}, m) }); n != 0 {
		t.Errorf("Remembered allocates %g times", n)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = peakend.Mean(m) }); n != 0 {
		t.Errorf("Mean allocates %g times", n)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = peakend.Summarize(m) }); n != 0 {
		t.Errorf("Summarize allocates %g times", n)
	}
}

func TestPeakKindText(t *testing.T) {
	for k := peakend.MostIntense; k <= peakend.HighestAndLowest; k++ {
		b, err := k.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != k.String() {
			t.Errorf("MarshalText %q, String %q", b, k)
		}
		var back peakend.PeakKind
		if err := back.UnmarshalText(b); err != nil || back != k {
			t.Errorf("round trip of %v: %v, %v", k, back, err)
		}
	}
	if s := peakend.PeakKind(7).String(); s != "PeakKind(7)" {
		t.Errorf("String of unknown kind %q", s)
	}
	if _, err := peakend.PeakKind(-1).MarshalText(); !errors.Is(err, cxmetrics.ErrUnknownLabel) {
		t.Errorf("MarshalText of unknown kind: %v", err)
	}
	var k peakend.PeakKind
	if err := k.UnmarshalText([]byte("Loudest")); !errors.Is(err, cxmetrics.ErrUnknownLabel) {
		t.Errorf("UnmarshalText of unknown name: %v", err)
	}
	// The module's one text form: names are read ignoring case and surrounding spaces.
	if err := k.UnmarshalText([]byte(" lowest ")); err != nil || k != peakend.Lowest {
		t.Errorf("UnmarshalText(\" lowest \") = %v, %v", k, err)
	}
	b, err := json.Marshal(peakend.Rule{Peak: peakend.HighestAndLowest, EndWindow: 3})
	if want := `{"peak":"HighestAndLowest","neutral":0,"end_window":3,"peak_weight":0,"end_weight":0}`; err != nil || string(b) != want {
		t.Errorf("JSON of a rule: %s, %v; want %s", b, err, want)
	}
	var r peakend.Rule
	if err := json.Unmarshal(b, &r); err != nil || r.Peak != peakend.HighestAndLowest || r.EndWindow != 3 {
		t.Errorf("JSON round trip: %+v, %v", r, err)
	}
}
