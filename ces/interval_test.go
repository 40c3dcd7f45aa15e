package ces

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/survey/surveytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// R 4.2.2: t.test(x)$conf.int, with conf.level 0.95 and 0.9.
func TestTDistR(t *testing.T) {
	for _, c := range []struct {
		s      Scale
		scores []int
		level  float64
		want   [2]float64
	}{
		{Standard7, x7, 0.95, [2]float64{3.9961857099120719, 6.0038142900879281}},
		{Standard7, x7, 0.90, [2]float64{4.1756624127110857, 5.8243375872889152}},
		{Standard5, y5, 0.95, [2]float64{1.5512473119673245, 3.1154193546993425}},
	} {
		r, err := ComputeScale(c.s, c.scores, nil)
		require.NoError(t, err)
		iv, err := r.Interval(cxmetrics.TDist, c.level)
		require.NoError(t, err)
		// R prints 17 significant digits; gonum's t quantile agrees with qt to about 1e-13.
		assert.InDelta(t, c.want[0], iv.Lower, 1e-12)
		assert.InDelta(t, c.want[1], iv.Upper, 1e-12)
		assert.Equal(t, r.Mean, iv.Estimate)
		assert.Equal(t, cxmetrics.TDist, iv.Method)
		assert.Equal(t, c.level, iv.Level)
	}
}

// R 4.2.2 with survey 4.1.1: svymean(~x, d) for x7 with weights w7 gives 4.905263157894737,
// SE 0.52194838018871381, effective n 12.508445074855521 (see TestWeightedR), and
//
//	coef(m) + c(-1, 1) * qt(0.975, neff - 1) * SE(m)  # 3.7626246046803975 6.0479017111090769
func TestTDistWeightedR(t *testing.T) {
	r, err := Compute(x7, w7)
	require.NoError(t, err)
	iv, err := r.Interval(cxmetrics.TDist, 0.95)
	require.NoError(t, err)
	assert.InDelta(t, 3.7626246046803975, iv.Lower, 1e-11)
	assert.InDelta(t, 6.0479017111090769, iv.Upper, 1e-11)
}

// statsmodels 0.13.5: proportion_confint(count, nobs, alpha=0.05, method=m) for m normal,
// wilson, agresti_coull, beta, jeffreys, in percent. The easy answers of x7 are 11 of 15 on
// Standard7; of y5, 8 of 12 on Standard5 (low effort is easy). At x = 0 and x = n the
// Jeffreys bound on that side is the bound itself (statsmodels: 4.00753100765989e-05 and
// 0.999959924689923 for 0/12 and 12/12), as internal/survey documents.
func TestEasyIntervalStatsmodels(t *testing.T) {
	methods := []cxmetrics.Method{cxmetrics.Wald, cxmetrics.Wilson, cxmetrics.AgrestiCoull, cxmetrics.ClopperPearson, cxmetrics.Jeffreys}
	rep := func(r, n int) []int { // r ratings of 6 then n - r ratings of 2, on Standard7
		s := make([]int, n)
		for i := range s {
			s[i] = 2
			if i < r {
				s[i] = 6
			}
		}
		return s
	}
	for _, c := range []struct {
		s      Scale
		scores []int
		want   [5][2]float64
	}{
		{Standard7, x7, [5][2]float64{{0.50954494909134, 0.957121717575326}, {0.480495659440194, 0.891025466743076}, {0.47615277010351, 0.895368356079761}, {0.448996758963029, 0.922128453708956}, {0.483378494988115, 0.902589074197315}}},
		{Standard5, y5, [5][2]float64{{0.399949351313594, 0.933383982019739}, {0.390622088872799, 0.861879908908787}, {0.388010965785954, 0.864491031995632}, {0.348875506418816, 0.900753908850417}, {0.387563896557623, 0.875462678547851}}},
		{Standard7, rep(10, 15), [5][2]float64{{0.428107447504379, 0.905225885828954}, {0.417135477385198, 0.848236755602853}, {0.415013572771133, 0.850358660216917}, {0.383803732541154, 0.881758896633119}, {0.41583623285425, 0.859747362884005}}},
		{Standard7, rep(0, 12), [5][2]float64{{0, 0}, {0, 0.242494006655241}, {0, 0.281985321888164}, {0, 0.264648469397051}, {0, 0.185305938312485}}},
		{Standard7, rep(12, 12), [5][2]float64{{1, 1}, {0.757505993344759, 1}, {0.718014678111836, 1}, {0.735351530602949, 1}, {0.814694061687515, 1}}},
		{Standard7, rep(1, 30), [5][2]float64{{0, 0.0975673689058453}, {0.00590859038161246, 0.166703909914092}, {0, 0.180917984532611}, {0.000843570926630479, 0.172169455633413}, {0.00362046437379167, 0.14541777735402}}},
	} {
		r, err := ComputeScale(c.s, c.scores, nil)
		require.NoError(t, err)
		for k, m := range methods {
			iv, err := r.EasyInterval(m, 0.95)
			require.NoError(t, err)
			// statsmodels prints 15 significant digits.
			assert.InDelta(t, 100*c.want[k][0], iv.Lower, 1e-9, "%v %v lower", c.scores, m)
			assert.InDelta(t, 100*c.want[k][1], iv.Upper, 1e-9, "%v %v upper", c.scores, m)
			assert.Equal(t, 100*r.Easy, iv.Estimate)
			assert.Equal(t, m, iv.Method)
		}
	}
}

// A weighted Easy share uses its effective n: with p and SE from svymean (TestWeightedR),
// n_eff = p(1-p)/(SE² (n-1)/n) = 12.290600120242667, and statsmodels 0.13.5's
// proportion_confint(n_eff·p, n_eff, alpha=0.05, method=m) (count and nobs may be
// fractional) gives the bounds below.
func TestEasyIntervalWeighted(t *testing.T) {
	r, err := Compute(x7, w7)
	require.NoError(t, err)
	for _, c := range []struct {
		m    cxmetrics.Method
		want [2]float64
	}{
		{cxmetrics.Wald, [2]float64{0.4770577581320146, 0.9755738208153539}},
		{cxmetrics.Wilson, [2]float64{0.44828309230329716, 0.8965652472052557}},
		{cxmetrics.AgrestiCoull, [2]float64{0.4434002866375327, 0.9014480528710199}},
		{cxmetrics.ClopperPearson, [2]float64{0.40899397532761633, 0.9318162047591333}},
		{cxmetrics.Jeffreys, [2]float64{0.44960704036583105, 0.9097039418939427}},
	} {
		iv, err := r.EasyInterval(c.m, 0.95)
		require.NoError(t, err)
		// The effective n agrees with R's to 1e-11 (TestWeightedR), the bounds to 1e-9.
		assert.InDelta(t, 100*c.want[0], iv.Lower, 1e-7, "%v", c.m)
		assert.InDelta(t, 100*c.want[1], iv.Upper, 1e-7, "%v", c.m)
	}
}

func TestIntervalErrors(t *testing.T) {
	r, err := Compute(x7, nil)
	require.NoError(t, err)
	for _, m := range []cxmetrics.Method{cxmetrics.Wald, cxmetrics.Wilson, cxmetrics.Bootstrap, cxmetrics.Bayesian, cxmetrics.Method(99)} {
		_, err := r.Interval(m, 0.95)
		assert.ErrorIs(t, err, cxmetrics.ErrUnsupportedMethod, "%v", m)
	}
	for _, m := range []cxmetrics.Method{cxmetrics.TDist, cxmetrics.Tango, cxmetrics.AdjustedWald} {
		_, err := r.EasyInterval(m, 0.95)
		assert.ErrorIs(t, err, cxmetrics.ErrUnsupportedMethod, "%v", m)
	}
	for _, level := range []float64{0, 1, -0.5, math.NaN(), math.Inf(1), 0.9999999999999999} {
		_, err := r.Interval(cxmetrics.TDist, level)
		assert.ErrorIs(t, err, cxmetrics.ErrInvalidLevel, "%v", level)
		_, err = r.EasyInterval(cxmetrics.Wilson, level)
		assert.ErrorIs(t, err, cxmetrics.ErrInvalidLevel, "%v", level)
		_, err = r.Bootstrap(rand.New(rand.NewPCG(1, 1)), 10, level)
		assert.ErrorIs(t, err, cxmetrics.ErrInvalidLevel, "%v", level)
		_, err = Compare(r, r, level)
		assert.ErrorIs(t, err, cxmetrics.ErrInvalidLevel, "%v", level)
	}
	_, err = r.Interval(cxmetrics.TDist, 1)
	assert.Contains(t, err.Error(), "ces: level 1")
	_, err = r.Bootstrap(nil, 10, 0.95)
	assert.ErrorIs(t, err, cxmetrics.ErrNilRand)
	_, err = r.Bootstrap(rand.New(rand.NewPCG(1, 1)), 0, 0.95)
	assert.ErrorIs(t, err, cxmetrics.ErrOutOfRange)
	_, err = r.Bootstrap(rand.New(rand.NewPCG(1, 1)), MaxResamples+1, 0.95)
	assert.ErrorIs(t, err, cxmetrics.ErrTooLarge)
	_, err = Result{}.Interval(cxmetrics.TDist, 0.95)
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty)

	// Two answers of which one has weight 0: one rating carries all the weight.
	one, err := Compute([]int{3, 6}, []float64{0, 2})
	require.NoError(t, err)
	_, err = one.Interval(cxmetrics.TDist, 0.95)
	assert.ErrorIs(t, err, cxmetrics.ErrTooFew)
}

// No variation: the interval is the one rating. Huge samples: the bounds stay finite and
// ordered, and the t quantile is no worse than the normal one (internal/dist computes it
// by an expansion in 1/df at large degrees of freedom).
func TestIntervalEdges(t *testing.T) {
	r, err := Compute([]int{4, 4, 4}, []float64{1, 2, 3})
	require.NoError(t, err)
	iv, err := r.Interval(cxmetrics.TDist, 0.95)
	require.NoError(t, err)
	assert.Equal(t, [2]float64{4, 4}, [2]float64{iv.Lower, iv.Upper})

	// Two answers at the ends of the scale: the 95% interval 4 ± 12.7·3 is clipped.
	r, err = Compute([]int{1, 7}, nil)
	require.NoError(t, err)
	iv, err = r.Interval(cxmetrics.TDist, 0.95)
	require.NoError(t, err)
	assert.Equal(t, [2]float64{1, 7}, [2]float64{iv.Lower, iv.Upper})

	// An effective n barely above 1 (weights that differ by orders of magnitude): with
	// 0.01 degrees of freedom the t quantile is finite and the interval is the whole scale;
	// with 10⁻⁶ it is infinite, and there are too few answers.
	for _, c := range []struct {
		neff float64
		err  error
	}{{1.01, nil}, {1 + 1e-6, cxmetrics.ErrTooFew}} {
		thin := r
		thin.EffectiveN = c.neff
		iv, err := thin.Interval(cxmetrics.TDist, 0.95)
		assert.ErrorIs(t, err, c.err, "n_eff %v", c.neff)
		if c.err == nil {
			assert.Equal(t, [2]float64{1, 7}, [2]float64{iv.Lower, iv.Upper})
		}
		_, err = Compare(thin, r, 0.95)
		if c.err != nil {
			assert.ErrorIs(t, err, c.err, "compare, n_eff %v", c.neff)
		}
	}

	for _, n := range []int{1_000, 1e7, 1e9, 1e12, 1e15, MaxAnswers} {
		big := r
		big.N, big.Weight, big.EffectiveN, big.EasyEffectiveN = n, float64(n), float64(n), float64(n)
		big.SD = math.Sqrt(9 * float64(n) / float64(n-1))
		iv, err := big.Interval(cxmetrics.TDist, 0.95)
		require.NoError(t, err, "n=%d", n)
		half := (iv.Upper - iv.Lower) / 2 / big.StdErr()
		// The critical value lies between z = 1.959964 and the t quantile with 999 df (less
		// the rounding of bounds near 4 that are 10⁻⁸ apart at n = 2^53: 1e-7 relative).
		assert.True(t, half >= 1.959963984540054*(1-1e-7) && half <= 1.9623415, "n=%d: %v", n, half)
		c, err := Compare(big, r, 0.95)
		require.NoError(t, err, "n=%d", n)
		assert.True(t, c.P >= 0 && c.P <= 1 && c.DF > 0, "n=%d: %+v", n, c)
	}
}

func TestBootstrap(t *testing.T) {
	r, err := Compute(surveytest.Expand([]int{1, 2, 3, 4, 5, 6, 7}, 50, 80, 120, 150, 250, 200, 150), nil)
	require.NoError(t, err)
	// With n = 1000 the bootstrap distribution of the mean is close to normal with the
	// plug-in standard error √((n-1)/n)·SE, so the percentile interval matches the t
	// interval within Monte Carlo error (the quantiles' SE is about 0.003 points here).
	w, err := r.Interval(cxmetrics.TDist, 0.95)
	require.NoError(t, err)
	surveytest.CheckBootstrap(t, r.Bootstrap, r.Mean, w, 0.012)

	// Mirrored scale: the bootstrap works on the ratings as answered.
	y, err := ComputeScale(Standard5, y5, nil)
	require.NoError(t, err)
	iv, err := y.Bootstrap(rand.New(rand.NewPCG(2, 2)), 5000, 0.9)
	require.NoError(t, err)
	assert.True(t, iv.Lower < y.Mean && y.Mean < iv.Upper && iv.Lower >= 1 && iv.Upper <= 5, "%v", iv)
}
