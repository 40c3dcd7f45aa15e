package ces

import (
	"math"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"
)

// seq returns n ratings 1 + f(i) mod k.
func seq(n, k int, f func(int) int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = 1 + f(i)%k
	}
	return s
}

// The test against SciPy 1.10.1's pooled-variance t-test, scipy.stats.ttest_ind(a, b,
// equal_var=True): statistic and pvalue, df = len(a) + len(b) - 2. The interval is Welch's,
// with va = a.var(ddof=1)/len(a), vb likewise and the Welch-Satterthwaite df ν:
// (a.mean() - b.mean()) ∓ scipy.stats.t.ppf((1+level)/2, ν)·√(va + vb); R 4.2.2's
// t.test(a, b, conf.level = level)$conf.int gives the same intervals (ν for x7, b12:
// 24.947050230227322), except at level 0.90, where SciPy's t.ppf(0.95, 31.77) is 6e-9 below
// R's qt (1.6942598910736983 against 1.6942598972919729, which gonum matches to 1e-15):
// that interval is R's.
func TestCompareSciPy(t *testing.T) {
	b12 := []int{4, 5, 3, 6, 2, 4, 4, 5, 3, 1, 4, 6}
	a30 := seq(30, 7, func(i int) int { return i * 5 })
	b300 := seq(300, 7, func(i int) int { return i*i*3 + i })
	z14 := []int{3, 2, 4, 5, 1, 2, 3, 4, 4, 5, 2, 3, 3, 1}
	for _, c := range []struct {
		s            Scale
		a, b         []int
		level        float64
		stat, p, df  float64
		lower, upper float64
	}{
		{Standard7, x7, b12, 0.95, 1.6607808330975766, 0.10924965050345804, 25, -0.2320300078532651, 2.398696674519932},
		{Standard7, a30, b300, 0.95, 3.3909446502583256, 0.0007816184909265803, 328, 0.17661527361018392, 1.7567180597231498},
		{Standard7, b300, a30, 0.90, -3.3909446502583256, 0.0007816184909265803, 328, -1.6236182226938918, -0.30971511063944185},
		{Standard5, y5, z14, 0.99, -1.3351005088382915, 0.19437015212149222, 24, -2.0584384509548235, 0.7251051176214902},
	} {
		a, err := ComputeScale(c.s, c.a, nil)
		require.NoError(t, err)
		b, err := ComputeScale(c.s, c.b, nil)
		require.NoError(t, err)
		cmp, err := Compare(a, b, c.level)
		require.NoError(t, err)
		// SciPy prints 16-17 significant digits; the t distribution's tail and quantile
		// in gonum and SciPy agree to about 1e-12.
		assert.InDelta(t, c.stat, cmp.Statistic, 1e-12)
		assert.InDelta(t, c.p, cmp.P, 1e-11+1e-10*c.p)
		assert.InDelta(t, c.df, cmp.DF, 1e-10)
		assert.InDelta(t, c.lower, cmp.Interval.Lower, 1e-11)
		assert.InDelta(t, c.upper, cmp.Interval.Upper, 1e-11)
		assert.InDelta(t, a.Mean-b.Mean, cmp.Difference, 1e-15)
		assert.InDelta(t, math.Sqrt(a.Variance()+b.Variance()), cmp.StdErr, 1e-15)
		assert.Equal(t, cxmetrics.TDist, cmp.Interval.Method)
		assert.Equal(t, cmp.Difference, cmp.Interval.Estimate)
	}
}

// Weighted samples: variances from the linearization and df from the effective n's, with
// R 4.2.2 and survey 4.1.1 (svymean of each sample, effective n as in TestWeightedR) for the
// interval:
//
//	v  <- SE(ma)^2 + SE(mb)^2
//	df <- v^2 / (SE(ma)^4/(neffa - 1) + SE(mb)^4/(neffb - 1))  # 14.858857758448258
//	coef(ma) - coef(mb) + c(-1, 1) * qt(0.975, df) * sqrt(v)   # -0.87110402109917628 2.418472442151808
//
// and the pooled test by its formula on the same quantities, s² = n_eff·SE²:
// s_p² = ((n_a - 1) s_a² + (n_b - 1) s_b²)/(n_a + n_b - 2), t = d/(s_p √(1/n_a + 1/n_b)).
func TestCompareWeightedR(t *testing.T) {
	b12 := []int{4, 5, 3, 6, 2, 4, 4, 5, 3, 1, 4, 6}
	wb := []float64{2, 1, 1, 0.5, 3, 1, 2, 2, 1, 0.5, 1, 4}
	a, err := Compute(x7, w7)
	require.NoError(t, err)
	b, err := Compute(b12, wb)
	require.NoError(t, err)
	assert.InDelta(t, 6.9831544816876088, b.EffectiveN, 1e-11)
	c, err := Compare(a, b, 0.95)
	require.NoError(t, err)
	assert.InDelta(t, 0.77368421052631575, c.Difference, 1e-14)
	assert.InDelta(t, 0.77103750595705367, c.StdErr, 1e-13)
	na, nb := a.EffectiveN, b.EffectiveN
	sp2 := ((na-1)*na*a.Variance() + (nb-1)*nb*b.Variance()) / (na + nb - 2)
	tw := c.Difference / math.Sqrt(sp2*(1/na+1/nb))
	assert.InDelta(t, tw, c.Statistic, 1e-12)
	assert.InDelta(t, na+nb-2, c.DF, 1e-12)
	assert.InDelta(t, 2*distuv.StudentsT{Mu: 0, Sigma: 1, Nu: na + nb - 2}.Survival(math.Abs(tw)), c.P, 1e-12)
	assert.InDelta(t, -0.87110402109917628, c.Interval.Lower, 1e-10)
	assert.InDelta(t, 2.418472442151808, c.Interval.Upper, 1e-10)
}

func TestCompareEdges(t *testing.T) {
	// Neither sample varies: DF is the test's, n_a + n_b - 2, and the interval is the point.
	a, _ := Compute([]int{6, 6, 6, 6}, nil)
	b, _ := Compute([]int{3, 3, 3, 3}, nil)
	c, err := Compare(a, b, 0.95)
	require.NoError(t, err)
	assert.Equal(t, Comparison{Difference: 3, DF: 6, Interval: cxmetrics.Interval{Estimate: 3, Lower: 3, Upper: 3, Level: 0.95, Method: cxmetrics.TDist}}, c)
	c, err = Compare(a, a, 0.95)
	require.NoError(t, err)
	assert.Equal(t, 1.0, c.P)
	// One sample varies: the test's df is n_a + n_b - 2; the interval's Welch df is that
	// sample's n - 1 (t_{0.975, 4} = 2.7764451051977987, R's qt(0.975, 4)).
	v, _ := Compute([]int{5, 7, 6, 6, 4}, nil)
	c, err = Compare(v, b, 0.95)
	require.NoError(t, err)
	assert.InDelta(t, 7, c.DF, 1e-12)
	assert.InDelta(t, 2.7764451051977987*c.StdErr, c.Interval.Upper-c.Difference, 1e-12)
	assert.Greater(t, c.Interval.Width(), 0.0)
	// The interval is clipped to ±(Max - Min).
	lo, _ := Compute([]int{1, 7}, nil)
	c, err = Compare(lo, b, 0.95)
	require.NoError(t, err)
	assert.Equal(t, -6.0, c.Interval.Lower)
	assert.Equal(t, 6.0, c.Interval.Upper)

	// Other buckets on the same axis compare; another axis does not.
	other, _ := ComputeScale(Scale{1, 7, true, 6, 2}, []int{5, 7, 6}, nil)
	_, err = Compare(v, other, 0.95)
	require.NoError(t, err)
	for _, s := range []Scale{Standard5, {1, 7, false, 5, 3}, {0, 6, true, 4, 2}} {
		w, err := ComputeScale(s, []int{1, 2, 3}, nil)
		require.NoError(t, err)
		_, err = Compare(v, w, 0.95)
		assert.ErrorIs(t, err, cxmetrics.ErrScaleMismatch, "%v", s)
	}
	_, err = Compare(v, Result{}, 0.95)
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty)
}
