package peakend_test

import (
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

// timed builds moments from values and durations in seconds.
func timed(values []float64, seconds []int) []peakend.Moment {
	m := make([]peakend.Moment, len(values))
	for i := range values {
		m[i] = peakend.Moment{Value: values[i], Duration: time.Duration(seconds[i]) * time.Second}
	}
	return m
}

// referenceExperiences and referenceRatings are a small data set fitted in R 4.x with
//
//	w <- ifelse(d == 0, 1, d)
//	peak = max(v), end = v[length(v)], mean = weighted.mean(v, w), duration = sum(w)
//	summary(lm(rating ~ peak + end + mean + duration))
//
// computing the features independently of this package.
var (
	referenceExperiences = [][]peakend.Moment{
		timed([]float64{2, 5, 3}, []int{60, 60, 60}),
		timed([]float64{1, 7, 6, 2}, []int{30, 90, 60, 30}),
		timed([]float64{4, 4, 8}, []int{120, 60, 30}),
		timed([]float64{6, 3, 1, 1, 2}, []int{60, 60, 60, 60, 60}),
		timed([]float64{2, 9, 4}, []int{10, 20, 300}),
		timed([]float64{5, 5, 5, 7, 3}, []int{0, 0, 0, 0, 0}),
		timed([]float64{8, 2}, []int{45, 15}),
		timed([]float64{3, 6, 9, 6, 3}, []int{60, 120, 60, 120, 60}),
		timed([]float64{1, 2, 3}, []int{200, 100, 50}),
		timed([]float64{7, 7, 2, 5}, []int{30, 30, 30, 90}),
	}
	referenceRatings = []float64{4.1, 5.9, 6.2, 3.3, 5.0, 5.1, 4.4, 6.8, 2.9, 5.5}
)

func TestFitAgainstR(t *testing.T) {
	m, err := peakend.Fit(referenceExperiences, referenceRatings)
	if err != nil {
		t.Fatal(err)
	}
	// R: summary(lm(...))$coefficients[, 1:2], $r.squared, $adj.r.squared, and the same for
	// lm(rating ~ mean).
	const tol = 1e-10
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"intercept", m.Intercept, -0.06292783871959264},
		{"peak", m.Peak, -0.01703709934480695},
		{"end", m.End, 0.25306847342621153},
		{"mean", m.Mean, 0.76367660510439106},
		{"duration", m.Duration, 0.00390873257235691},
		{"SE intercept", m.StdErr[0], 1.22373352241736799},
		{"SE peak", m.StdErr[1], 0.29265839874874117},
		{"SE end", m.StdErr[2], 0.14776561005311312},
		{"SE mean", m.StdErr[3], 0.39623808931503585},
		{"SE duration", m.StdErr[4], 0.00270096371585414},
		{"R2", m.R2, 0.797570074819855},
		{"mean-only R2", m.MeanOnlyR2, 0.525042265361698},
		{"adjusted R2", m.AdjR2, 0.635626134675738},
		{"mean-only adjusted R2", m.MeanOnlyAdjR2, 0.46567254853191},
	} {
		if !scalar.EqualWithinRel(c.got, c.want, tol) {
			t.Errorf("%s = %.15g, R %.15g", c.name, c.got, c.want)
		}
	}
	if m.N != 10 {
		t.Errorf("N = %d, want 10", m.N)
	}
}

// synthetic makes n experiences of 3 to 30 moments: a random walk on 0..10 held for 10 s
// to 5 min per moment.
func synthetic(rng *rand.Rand, n int) [][]peakend.Moment {
	exps := make([][]peakend.Moment, n)
	for i := range exps {
		m := make([]peakend.Moment, 3+rng.IntN(28))
		v := 10 * rng.Float64()
		for j := range m {
			v = min(max(v+2*rng.NormFloat64(), 0), 10)
			m[j] = peakend.Moment{Value: v, Duration: time.Duration(10+rng.IntN(291)) * time.Second}
		}
		exps[i] = m
	}
	return exps
}

// truth is the model the synthetic ratings come from.
var truth = peakend.Model{Intercept: 1, Peak: 0.35, End: 0.3, Mean: 0.25, Duration: -2e-4, N: 1, Rule: peakend.Rule{Peak: peakend.Highest}}

func coefficients(m peakend.Model) [5]float64 {
	return [5]float64{m.Intercept, m.Peak, m.End, m.Mean, m.Duration}
}

// TestFitRecoversWeights draws ratings = truth + N(0, σ²) and checks that every estimate
// lies within 4.5 of its standard errors of the true weight (a two-sided normal tail of
// 7e-6 per coefficient), and that the residual variance matches σ²: (N-5)σ̂²/σ² is
// χ²(N-5), whose relative standard deviation is √(2/(N-5)); we allow 5 of them.
func TestFitRecoversWeights(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	const n, sigma = 500, 0.5
	exps := synthetic(rng, n)
	ratings := make([]float64, n)
	for i, e := range exps {
		y, err := truth.Predict(e)
		if err != nil {
			t.Fatal(err)
		}
		ratings[i] = y + sigma*rng.NormFloat64()
	}
	m, err := peakend.Fit(exps, ratings)
	if err != nil {
		t.Fatal(err)
	}
	got, want := coefficients(m), coefficients(truth)
	for j := range got {
		z := (got[j] - want[j]) / m.StdErr[j]
		if math.Abs(z) > 4.5 {
			t.Errorf("coefficient %d: %g ± %g, true %g (z = %.2f)", j, got[j], m.StdErr[j], want[j], z)
		}
		t.Logf("coefficient %d: %.5g ± %.2g, true %g, z = %.2f", j, got[j], m.StdErr[j], want[j], z)
	}
	var rss float64
	for i, e := range exps {
		y, err := m.Predict(e)
		if err != nil {
			t.Fatal(err)
		}
		rss += (ratings[i] - y) * (ratings[i] - y)
	}
	ratio := rss / float64(n-5) / (sigma * sigma)
	if math.Abs(ratio-1) > 5*math.Sqrt(2.0/(n-5)) {
		t.Errorf("σ̂²/σ² = %g, want 1 within %g", ratio, 5*math.Sqrt(2.0/(n-5)))
	}
	if m.R2 <= m.MeanOnlyR2 {
		t.Errorf("R2 %g should exceed the mean-only R2 %g when peak and end matter", m.R2, m.MeanOnlyR2)
	}
}

// TestFitExact fits noise-free ratings: the weights come back to rounding and R² is 1.
func TestFitExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	exps := synthetic(rng, 40)
	for _, rule := range []peakend.Rule{
		{Peak: peakend.Highest},
		{Peak: peakend.Lowest, EndWindow: 3},
		{Peak: peakend.MostIntense, Neutral: 5, EndWindow: 2},
		{Peak: peakend.HighestAndLowest},
	} {
		want := truth
		want.Rule = rule
		ratings := make([]float64, len(exps))
		for i, e := range exps {
			ratings[i], _ = want.Predict(e)
		}
		m, err := peakend.FitRule(rule, exps, ratings)
		if err != nil {
			t.Fatalf("%v: %v", rule.Peak, err)
		}
		got, w := coefficients(m), coefficients(want)
		for j := range got {
			if !scalar.EqualWithinAbsOrRel(got[j], w[j], 1e-11, 1e-9) {
				t.Errorf("%v: coefficient %d = %.15g, want %g", rule.Peak, j, got[j], w[j])
			}
			if m.StdErr[j] > 1e-9*math.Max(1, math.Abs(w[j])) {
				t.Errorf("%v: standard error %d = %g, want about 0", rule.Peak, j, m.StdErr[j])
			}
		}
		if !scalar.EqualWithinAbs(m.R2, 1, 1e-12) {
			t.Errorf("%v: R2 = %.15g, want 1", rule.Peak, m.R2)
		}
		if m.Rule.EndWindow != max(rule.EndWindow, 1) || m.Rule.Peak != rule.Peak || m.Rule.Neutral != rule.Neutral {
			t.Errorf("model rule %+v, fitted with %+v", m.Rule, rule)
		}
	}
}

// TestFitMeanOnly checks MeanOnlyR2 against the closed form of simple regression:
// R² = corr(mean, rating)².
func TestFitMeanOnly(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	exps := synthetic(rng, 60)
	ratings := make([]float64, len(exps))
	means := make([]float64, len(exps))
	for i, e := range exps {
		means[i], _ = peakend.Mean(e)
		ratings[i] = 2 + 0.5*means[i] + rng.NormFloat64()
	}
	m, err := peakend.Fit(exps, ratings)
	if err != nil {
		t.Fatal(err)
	}
	var mx, my float64
	for i := range means {
		mx += means[i]
		my += ratings[i]
	}
	mx /= float64(len(means))
	my /= float64(len(means))
	var sxx, syy, sxy float64
	for i := range means {
		sxx += (means[i] - mx) * (means[i] - mx)
		syy += (ratings[i] - my) * (ratings[i] - my)
		sxy += (means[i] - mx) * (ratings[i] - my)
	}
	want := sxy * sxy / (sxx * syy)
	if !scalar.EqualWithinRel(m.MeanOnlyR2, want, 1e-10) {
		t.Errorf("MeanOnlyR2 = %.15g, closed form %.15g", m.MeanOnlyR2, want)
	}
	n := float64(len(means))
	if adj := 1 - (1-want)*(n-1)/(n-2); !scalar.EqualWithinRel(m.MeanOnlyAdjR2, adj, 1e-10) {
		t.Errorf("MeanOnlyAdjR2 = %.15g, want %.15g", m.MeanOnlyAdjR2, adj)
	}
}

func TestFitErrors(t *testing.T) {
	ok := referenceExperiences
	ratings := referenceRatings
	sameLength := make([][]peakend.Moment, 8)
	oneMoment := make([][]peakend.Moment, 8)
	for i := range sameLength {
		// Every experience lasts 3 minutes: duration is 180 times the intercept.
		sameLength[i] = series(time.Minute, float64(i%3), float64(i*i%7), float64(i%4))
		oneMoment[i] = []peakend.Moment{{Value: float64(i * i % 5), Duration: time.Duration(i+1) * time.Minute}}
	}
	badMoment := append([][]peakend.Moment(nil), ok...)
	badMoment[3] = series(0, 1, 2, math.NaN())
	emptyExp := append([][]peakend.Moment(nil), ok...)
	emptyExp[4] = nil
	nanRating := append([]float64(nil), ratings...)
	nanRating[6] = math.NaN()
	constant := []float64{3, 3, 3, 3, 3, 3, 3, 3, 3, 3}

	for _, c := range []struct {
		name    string
		rule    peakend.Rule
		exps    [][]peakend.Moment
		ratings []float64
		want    error
		msg     string
	}{
		{"length mismatch", peakend.Classic, ok, ratings[:9], cxmetrics.ErrLengthMismatch, "10 experiences but 9 ratings"},
		{"no experiences", peakend.Classic, nil, nil, cxmetrics.ErrEmpty, "no experiences"},
		{"too few", peakend.Classic, ok[:5], ratings[:5], cxmetrics.ErrTooFew, "5 experiences for 5 coefficients, need at least 6"},
		{"equal durations", peakend.Classic, sameLength, ratings[:8], cxmetrics.ErrSingular, "the duration feature"},
		{"single moments", peakend.Classic, oneMoment, ratings[:8], cxmetrics.ErrSingular, "the end feature"},
		{"bad moment", peakend.Classic, badMoment, ratings, cxmetrics.ErrNotFinite, "peakend: experience 3 value NaN at index 2"},
		{"empty experience", peakend.Classic, emptyExp, ratings, cxmetrics.ErrEmpty, "experience 4 has no moments"},
		{"NaN rating", peakend.Classic, ok, nanRating, cxmetrics.ErrNotFinite, "rating NaN at index 6"},
		{"constant ratings", peakend.Classic, ok, constant, cxmetrics.ErrNoVariation, "every rating is 3"},
		{"bad rule", peakend.Rule{EndWindow: -2}, ok, ratings, cxmetrics.ErrOutOfRange, "end window"},
	} {
		_, err := peakend.FitRule(c.rule, c.exps, c.ratings)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
			continue
		}
		if !strings.HasPrefix(err.Error(), "peakend: ") || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: message %q, want it to contain %q", c.name, err, c.msg)
		}
	}
}

func TestPredict(t *testing.T) {
	m, err := peakend.Fit(referenceExperiences, referenceRatings)
	if err != nil {
		t.Fatal(err)
	}
	// Experience 0 has peak 5, end 3, mean 10/3 and lasts 180 s (R's model frame above).
	want := m.Intercept + 5*m.Peak + 3*m.End + 10.0/3*m.Mean + 180*m.Duration
	got, err := m.Predict(referenceExperiences[0])
	if err != nil || !scalar.EqualWithinRel(got, want, 1e-14) {
		t.Errorf("Predict = %.15g (%v), want %.15g", got, err, want)
	}
	if _, err := (peakend.Model{}).Predict(referenceExperiences[0]); !errors.Is(err, cxmetrics.ErrEmpty) {
		t.Errorf("unfitted model: %v", err)
	}
	if _, err := m.Predict(series(0, 1, math.Inf(1))); !errors.Is(err, cxmetrics.ErrNotFinite) {
		t.Errorf("bad moment: %v", err)
	}
	huge := peakend.Model{Peak: math.MaxFloat64, End: math.MaxFloat64, N: 6}
	if _, err := huge.Predict(series(0, 2, 2)); !errors.Is(err, cxmetrics.ErrNotFinite) {
		t.Errorf("overflowing prediction: %v", err)
	}
}
