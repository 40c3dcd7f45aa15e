package csat

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"
)

// planScale is a yes/no scale: an answer 1 is satisfied.
var planScale = Scale{Min: 0, Max: 1, SatisfiedMin: 1}

// planResult returns the Result of x satisfied answers out of n on the yes/no scale,
// through ComputeScale.
func planResult(t testing.TB, x, n int) Result {
	t.Helper()
	scores := make([]int, n)
	for i := range x {
		scores[i] = 1
	}
	r, err := ComputeScale(planScale, scores, nil)
	require.NoError(t, err)
	return r
}

func TestSampleSize(t *testing.T) {
	// R: ceiling(qnorm((1 + level)/2)^2 * 1e4 * p * (1 - p) / margin^2) gives 246 385 385
	// 1931 201677 1 for the first six rows.
	for _, c := range []struct {
		satisfied, margin, level float64
		want                     int
	}{
		{0.8, 5, 0.95, 246},
		{0.5, 5, 0.95, 385},
		{0.9, 3, 0.95, 385},
		{0.97, 1, 0.99, 1931},
		{0.3, 0.2, 0.95, 201677},
		{0.5, 100, 0.95, 1},
		{0, 5, 0.95, 1},
		{1, 0.001, 0.95, 1},
	} {
		n, err := SampleSize(c.satisfied, c.margin, c.level)
		require.NoError(t, err)
		assert.Equal(t, c.want, n, "%+v", c)
	}
	for _, c := range []struct {
		satisfied, margin, level float64
		want                     error
	}{
		{math.NaN(), 5, 0.95, cxmetrics.ErrNotFinite},
		{math.Inf(1), 5, 0.95, cxmetrics.ErrNotFinite},
		{-0.1, 5, 0.95, cxmetrics.ErrOutOfRange},
		{1.1, 5, 0.95, cxmetrics.ErrOutOfRange},
		{0.5, math.NaN(), 0.95, cxmetrics.ErrNotFinite},
		{0.5, math.Inf(1), 0.95, cxmetrics.ErrNotFinite},
		{0.5, 0, 0.95, cxmetrics.ErrOutOfRange},
		{0.5, -1, 0.95, cxmetrics.ErrOutOfRange},
		{0.5, 101, 0.95, cxmetrics.ErrOutOfRange},
		{0.5, 5, 1, cxmetrics.ErrInvalidLevel},
		{0.5, 5, math.NaN(), cxmetrics.ErrInvalidLevel},
		{0.5, 1e-3, 0.95, cxmetrics.ErrTooLarge},
		{0.5, 5e-324, 0.95, cxmetrics.ErrTooLarge},
	} {
		_, err := SampleSize(c.satisfied, c.margin, c.level)
		assert.ErrorIs(t, err, c.want, "%+v", c)
		var ie *cxmetrics.InputError
		assert.True(t, errors.As(err, &ie) && ie.Index == -1, "%+v: %v", c, err)
	}
}

// R: the exact probability that the Wald half-width of n answers is within the margin,
//
//	pr <- function(n, p, m, lev) { z <- qnorm((1+lev)/2); x <- 0:n; ph <- x/n
//	  sum(dbinom(x, n, p)[z*100*sqrt(ph*(1-ph)/n) <= m]) }
//
// printed with 15 digits, at the n that SampleSizeAssured returns and at n - 1.
var planAssuredCases = []struct {
	satisfied, margin, level, assurance float64
	n                                   int
	atN, below                          float64
}{
	{0.8, 5, 0.95, 0.8, 264, 0.810767072912190, 0.776967759524234},
	{0.9, 3, 0.95, 0.8, 427, 0.826080256225244, 0.788025920184606},
	{0.9, 3, 0.95, 0.9, 447, 0.914707990241269, 0.891928090135526},
	{0.3, 0.2, 0.95, 0.8, 202006, 0.800509857423108, 0.799559564881978},
	{0.3, 0.03, 0.95, 0.8, 8965602, 0.800019331755596, 0.799876511384429},
}

// SampleSizeAssured's n and the exact probabilities at n and n - 1 agree with R's sums of
// binomial probabilities to 1e-12.
func TestSampleSizeAssuredR(t *testing.T) {
	for _, c := range planAssuredCases {
		n, err := SampleSizeAssured(c.satisfied, c.margin, c.level, c.assurance)
		require.NoError(t, err)
		assert.Equal(t, c.n, n, "%+v", c)
		z := distuv.UnitNormal.Quantile((1 + c.level) / 2)
		for _, m := range []struct {
			n    int
			want float64
		}{{c.n, c.atN}, {c.n - 1, c.below}} {
			got := probWaldWithin(c.satisfied, m.n, float64(m.n)*c.margin*c.margin/(z*z*1e4))
			assert.InDelta(t, m.want, got, 1e-12, "%+v at n = %d", c, m.n)
		}
	}
	// R: pr(201677, .3, .2, .95) = 0.500904645401512 at SampleSize's n: half the surveys.
	z0 := distuv.UnitNormal.Quantile(0.975)
	assert.InDelta(t, 0.500904645401512, probWaldWithin(0.3, 201677, 201677*0.04/(z0*z0*1e4)), 1e-12)
	// At one half every survey reaches the margin with SampleSize's n (R: pr(385, .5, 5, .95) = 1).
	for _, a := range []float64{0.5, 0.9, 0.999} {
		n, err := SampleSizeAssured(0.5, 5, 0.95, a)
		require.NoError(t, err)
		assert.Equal(t, 385, n)
	}
	for _, p := range []float64{0, 1} {
		n, err := SampleSizeAssured(p, 5, 0.95, 0.9)
		require.NoError(t, err)
		assert.Equal(t, 1, n)
	}
	for _, c := range []struct {
		satisfied, margin, assurance float64
		want                         error
	}{
		{0.8, 5, 0, cxmetrics.ErrOutOfRange},
		{0.8, 5, 1, cxmetrics.ErrOutOfRange},
		{0.8, 5, math.NaN(), cxmetrics.ErrNotFinite},
		{math.NaN(), 5, 0.8, cxmetrics.ErrNotFinite},
		{1.5, 5, 0.8, cxmetrics.ErrOutOfRange},
		{0.8, 0, 0.8, cxmetrics.ErrOutOfRange},
		{0.8, 1e-3, 0.8, cxmetrics.ErrTooLarge},
	} {
		_, err := SampleSizeAssured(c.satisfied, c.margin, 0.95, c.assurance)
		assert.ErrorIs(t, err, c.want, "%+v", c)
	}
	_, err := SampleSizeAssured(0.8, 5, 0, 0.8)
	assert.ErrorIs(t, err, cxmetrics.ErrInvalidLevel)
	// Above MaxSampleSize/2 answers the search stops at MaxSampleSize, not beyond; just
	// below it, the assured n is too large.
	z := 1.959963984540054
	for _, c := range []struct {
		n0   float64
		want error
	}{{0.6 * MaxSampleSize, nil}, {MaxSampleSize - 10, cxmetrics.ErrTooLarge}} {
		margin := 100 * z * math.Sqrt(0.21/c.n0)
		n0, err := SampleSize(0.3, margin, 0.95)
		require.NoError(t, err)
		n, err := SampleSizeAssured(0.3, margin, 0.95, 0.8)
		if c.want != nil {
			assert.ErrorIs(t, err, c.want)
			continue
		}
		require.NoError(t, err)
		assert.True(t, n > n0 && n <= MaxSampleSize, "%d from %d", n, n0)
	}
}

// SampleSizeAssured's n reaches the margin with the assurance in simulated surveys of that
// size (at least the assurance less three Monte Carlo standard errors), and a quarter fewer
// answers fall short.
func TestSampleSizeAssuredSimulated(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 1))
	reps := 20000 // Monte Carlo SE of a share near 0.8: 0.28 points
	if raceEnabled {
		reps = 4000
	}
	for _, c := range planAssuredCases[:4] {
		z := distuv.UnitNormal.Quantile((1 + c.level) / 2)
		share := func(n int) float64 {
			hits := 0
			for range reps {
				p := float64(stats.Binomial(rng, n, c.satisfied)) / float64(n)
				if z*100*math.Sqrt(p*(1-p)/float64(n)) <= c.margin {
					hits++
				}
			}
			return float64(hits) / float64(reps)
		}
		got := share(c.n)
		assert.GreaterOrEqual(t, got, c.assurance-3*math.Sqrt(c.assurance*(1-c.assurance)/float64(reps)), "%+v", c)
		assert.InDelta(t, c.atN, got, 4*math.Sqrt(c.atN*(1-c.atN)/float64(reps)), "%+v", c)
		assert.Less(t, share(c.n*3/4), c.assurance, "%+v", c)
		t.Logf("%+v: n %d reaches the margin in %.1f%% of simulated surveys (exact %.1f%%)", c, c.n, 100*got, 100*c.atN)
	}
}

// R: power.prop.test(p1 = a, p2 = b, power = power, tol = 1e-10)$n, printed with 15
// digits; SampleSizeCompare rounds it up.
var planCompareCases = []struct {
	a, b, alpha, power float64
	rN                 float64
}{
	{0.5, 0.75, 0.05, 0.8, 57.6734367389017},
	{0.9, 0.8, 0.05, 0.8, 198.963413284331},
	{0.05, 0.12, 0.05, 0.8, 247.979675964117},
	{0.3, 0.2, 0.05, 0.8, 293.151285506487},
	{0.8, 0.75, 0.05, 0.8, 1093.73904576616},
	{0.5, 0.75, 0.05, 0.9, 76.7069284530835}, // power.prop.test(p1 = .5, p2 = .75, power = .90)
}

func TestSampleSizeCompareR(t *testing.T) {
	for _, c := range planCompareCases {
		n, err := SampleSizeCompare(c.a, c.b, c.alpha, c.power)
		require.NoError(t, err)
		assert.Equal(t, int(math.Ceil(c.rN)), n, "%+v", c)
		m, _ := SampleSizeCompare(c.b, c.a, c.alpha, c.power)
		assert.Equal(t, n, m, "symmetric")
	}
	n, err := SampleSizeCompare(0, 1, 0.05, 0.8)
	require.NoError(t, err)
	assert.Equal(t, 2, n) // (z_{0.975} √(1/2))² = 1.92
	n, err = SampleSizeCompare(0.5, 0.6, 0.05, 0.01)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	for _, c := range []struct {
		a, b, alpha, power float64
		want               error
	}{
		{0.5, 0.5, 0.05, 0.8, cxmetrics.ErrOutOfRange},
		{math.NaN(), 0.5, 0.05, 0.8, cxmetrics.ErrNotFinite},
		{0.5, math.Inf(-1), 0.05, 0.8, cxmetrics.ErrNotFinite},
		{-0.5, 0.5, 0.05, 0.8, cxmetrics.ErrOutOfRange},
		{0.5, 0.6, 0, 0.8, cxmetrics.ErrOutOfRange},
		{0.5, 0.6, 1, 0.8, cxmetrics.ErrOutOfRange},
		{0.5, 0.6, math.NaN(), 0.8, cxmetrics.ErrNotFinite},
		{0.5, 0.6, 0.05, 1, cxmetrics.ErrOutOfRange},
		{0.5, 0.6, 0.05, math.NaN(), cxmetrics.ErrNotFinite},
		{0.5, 0.5 + 1e-6, 0.05, 0.8, cxmetrics.ErrTooLarge},
	} {
		_, err := SampleSizeCompare(c.a, c.b, c.alpha, c.power)
		assert.ErrorIs(t, err, c.want, "%+v", c)
	}
}

// SampleSizeCompare's n gives Compare's test the planned power within 2 points, computed
// exactly by summing the binomial probabilities of the pairs of samples whose p-value is
// below alpha (outcomes of probability below 1e-15 left out).
func TestSampleSizeComparePower(t *testing.T) {
	cases := planCompareCases
	if raceEnabled || testing.Short() {
		cases = cases[:1]
	}
	type outcome struct {
		prob float64
		r    Result
	}
	outcomes := func(n int, p float64) []outcome {
		bin := distuv.Binomial{N: float64(n), P: p}
		var o []outcome
		for x := 0; x <= n; x++ {
			if pr := bin.Prob(float64(x)); pr >= 1e-15 {
				o = append(o, outcome{pr, planResult(t, x, n)})
			}
		}
		return o
	}
	for _, c := range cases {
		n, err := SampleSizeCompare(c.a, c.b, c.alpha, c.power)
		require.NoError(t, err)
		oa, ob := outcomes(n, c.a), outcomes(n, c.b)
		var power float64
		for _, x := range oa {
			for _, y := range ob {
				cmp, err := Compare(x.r, y.r, 0.95)
				require.NoError(t, err)
				if cmp.P < c.alpha {
					power += x.prob * y.prob
				}
			}
		}
		t.Logf("%v vs %v: n = %d per group, exact power %.2f%% (target %.0f%%)", c.a, c.b, n, 100*power, 100*c.power)
		assert.InDelta(t, c.power, power, 0.02, "%+v: n %d", c, n)
	}
}

// R 4.2.2 for x satisfied of n against the target 100·p0: binom.test(x, n, p0)$p.value;
// prop.test(x, n, p0, correct = FALSE): p.value and sqrt(statistic), the score test's |z|;
// the Wald p-value 2*pnorm(-abs((x/n - p0)/sqrt(x/n*(1-x/n)/n))). 15 digits.
var planTestCases = []struct {
	x, n               int
	target             float64
	exact, score, absZ float64
	wald               float64
}{
	{30, 100, 50, 7.85013964559369e-05, 6.33424836662398e-05, 4, 1.2749674921097e-05},
	{30, 100, 20, 0.0169453596767852, 0.0124193306515523, 2.5, 0.0290963317412523},
	{7, 20, 20, 0.0982217286134687, 0.0935325126890931, 1.67705098312484, 0.159598942442649},
	{13, 20, 20, 1.51628403127092e-05, 4.87538999672551e-07, 5.03115294937453, 2.45099963618181e-05},
	{0, 10, 30, 0.0388396033, 0.0384339302367818, 2.07019667802706, 0},
	{500, 1000, 47, 0.0615528021684248, 0.0573293796394439, 1.9007911049267, 0.057779571123597},
	{3, 200, 5, 0.0211378201269911, 0.0231409313087437, 2.27109989583068, 4.65895486032338e-05},
	{5, 10, 50, 1, 1, 0, 1},
}

func TestTestR(t *testing.T) {
	for _, c := range planTestCases {
		r := planResult(t, c.x, c.n)
		cp, err := r.Test(c.target, cxmetrics.ClopperPearson, 0.95)
		require.NoError(t, err)
		// Binomial probabilities to about 1e-15 relative; R prints 15 digits.
		assert.InEpsilon(t, c.exact, cp.P, 1e-12, "%+v exact", c)
		assert.Equal(t, float64(c.x), cp.Statistic)
		w, err := r.Test(c.target, cxmetrics.Wilson, 0.95)
		require.NoError(t, err)
		assert.InEpsilon(t, c.score, w.P, 1e-12, "%+v score", c)
		assert.InDelta(t, c.absZ, math.Abs(w.Statistic), 1e-12, "%+v score z", c)
		if d := float64(c.x)/float64(c.n) - c.target/100; d != 0 {
			assert.Equal(t, d < 0, w.Statistic < 0, "%+v score z sign", c)
		}
		wald, err := r.Test(c.target, cxmetrics.Wald, 0.95)
		require.NoError(t, err)
		assert.InDelta(t, c.wald, wald.P, 1e-12*math.Max(c.wald, 1e-300)+1e-300, "%+v Wald", c)
		for _, cmp := range []Comparison{cp, w, wald} {
			assert.InDelta(t, r.Score-c.target, cmp.Difference, 1e-12)
			assert.Equal(t, r.StdErr(), cmp.StdErr)
			assert.Zero(t, cmp.DF)
			iv, _ := r.Interval(cmp.Interval.Method, 0.95)
			assert.InDelta(t, iv.Lower-c.target, cmp.Interval.Lower, 1e-12)
			assert.InDelta(t, iv.Upper-c.target, cmp.Interval.Upper, 1e-12)
			assert.Equal(t, cmp.Difference, cmp.Interval.Estimate)
		}
	}
	// binom.test's own example (Mendel's peas, 682 of 925 against 3/4), R 4.2.2 with 15
	// digits: binom.test(682, 925, p = 0.75) gives p-value 0.382491559574852 and conf.int
	// 0.707668264079039 0.765406558241525.
	r := planResult(t, 682, 925)
	c, err := r.Test(75, cxmetrics.ClopperPearson, 0.95)
	require.NoError(t, err)
	assert.InEpsilon(t, 0.382491559574852, c.P, 1e-12)
	assert.InDelta(t, 70.7668264079039-75, c.Interval.Lower, 1e-9)
	assert.InDelta(t, 76.5406558241525-75, c.Interval.Upper, 1e-9)
}

// Far from R's reach: the exact test of 10⁹ answers (the sum over a billion counts that
// binom.test would take) agrees with the score test to the order of a continuity
// correction, and symmetric cases give p = 1 at the mean.
func TestTestLarge(t *testing.T) {
	n := 1e9
	x := 0.5*n - 30000 // z = -1.897
	exact := binomTestP(x, n, 0.5)
	_, score := scoreTest(x/n, 0.5, n)
	assert.InDelta(t, score, exact, 2e-5)
	assert.Equal(t, 1.0, binomTestP(0.5*n, n, 0.5))
	// Symmetric at one half: the two tails are equal.
	assert.InDelta(t, 2*binomCDF(x, n, 0.5), exact, 1e-12)

	// Above 10^10 answers the exact test is the score test.
	const big, sat = 30_000_000_000, 20_000_100_000
	r := Result{Scale: planScale, N: big, Weight: big, EffectiveN: big, SatisfiedCount: sat,
		Satisfied: float64(sat) / big, Score: 100 * float64(sat) / big, Mean: float64(sat) / big}
	r.Counts[0], r.Counts[1] = big-sat, sat
	r.Shares[0], r.Shares[1] = 1-r.Satisfied, r.Satisfied
	cp, err := r.Test(100*2/3., cxmetrics.ClopperPearson, 0.95)
	require.NoError(t, err)
	w, err := r.Test(100*2/3., cxmetrics.Wilson, 0.95)
	require.NoError(t, err)
	assert.Equal(t, w.P, cp.P)
	assert.Equal(t, w.Statistic, cp.Statistic)
	assert.True(t, cp.P > 0.01 && cp.P < 0.99, "%v", cp.P)
}

// The score test agrees with the Wilson interval: at either bound, P = 1 - level.
func TestTestWilsonAgrees(t *testing.T) {
	for _, xn := range [][2]int{{30, 100}, {1, 20}, {19, 20}, {0, 15}, {15, 15}, {412, 500}} {
		r := planResult(t, xn[0], xn[1])
		for _, level := range []float64{0.9, 0.95, 0.99} {
			iv, _ := r.Interval(cxmetrics.Wilson, level)
			for _, target := range []float64{iv.Lower, iv.Upper} {
				if target == 0 || target == 100 {
					continue
				}
				c, err := r.Test(target, cxmetrics.Wilson, level)
				require.NoError(t, err)
				assert.InDelta(t, 1-level, c.P, 1e-9, "%v at %v", xn, target)
			}
		}
	}
}

func TestTestEdges(t *testing.T) {
	all := planResult(t, 10, 10)
	none := planResult(t, 0, 10)
	half := planResult(t, 5, 10)
	for _, c := range []struct {
		r      Result
		m      cxmetrics.Method
		target float64
		p, z   float64
	}{
		{all, cxmetrics.Wald, 100, 1, 0},
		{all, cxmetrics.Wald, 90, 0, 0}, // no variance to test with
		{all, cxmetrics.Wilson, 100, 1, 0},
		{half, cxmetrics.Wilson, 100, 0, 0}, // no variance under the null, contradicted
		{half, cxmetrics.Wilson, 0, 0, 0},
		{none, cxmetrics.Wilson, 0, 1, 0},
		{all, cxmetrics.ClopperPearson, 100, 1, 10},
		{half, cxmetrics.ClopperPearson, 100, 0, 5},
		{none, cxmetrics.ClopperPearson, 0, 1, 0},
		{half, cxmetrics.ClopperPearson, 0, 0, 5},
	} {
		cmp, err := c.r.Test(c.target, c.m, 0.95)
		require.NoError(t, err)
		assert.Equal(t, c.p, cmp.P, "%v %v against %v", c.r.Score, c.m, c.target)
		assert.Equal(t, c.z, cmp.Statistic, "%v %v against %v", c.r.Score, c.m, c.target)
	}
	// R: binom.test(10, 10, 0.9)$p.value = 0.612579511: every count but 9, the one more
	// likely than 10.
	c, err := all.Test(90, cxmetrics.ClopperPearson, 0.95)
	require.NoError(t, err)
	assert.InEpsilon(t, 0.612579511, c.P, 1e-12)

	for _, c := range []struct {
		target float64
		m      cxmetrics.Method
		level  float64
		want   error
	}{
		{math.NaN(), cxmetrics.Wald, 0.95, cxmetrics.ErrNotFinite},
		{math.Inf(1), cxmetrics.Wilson, 0.95, cxmetrics.ErrNotFinite},
		{-1, cxmetrics.Wilson, 0.95, cxmetrics.ErrOutOfRange},
		{100.5, cxmetrics.Wilson, 0.95, cxmetrics.ErrOutOfRange},
		{50, cxmetrics.Jeffreys, 0.95, cxmetrics.ErrUnsupportedMethod},
		{50, cxmetrics.AgrestiCoull, 0.95, cxmetrics.ErrUnsupportedMethod},
		{50, cxmetrics.Bootstrap, 0.95, cxmetrics.ErrUnsupportedMethod},
		{50, cxmetrics.Wilson, 1, cxmetrics.ErrInvalidLevel},
	} {
		_, err := half.Test(c.target, c.m, c.level)
		assert.ErrorIs(t, err, c.want, "%+v", c)
	}
	_, err = Result{}.Test(50, cxmetrics.Wilson, 0.95)
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty)
	bad := half
	bad.Satisfied = 0.7
	_, err = bad.Test(50, cxmetrics.Wilson, 0.95)
	assert.ErrorIs(t, err, cxmetrics.ErrCorrupt)
}

// Weighted results enter with their effective n: the score test is that of the effective
// counts, the exact test that of the rounded effective counts.
func TestTestWeighted(t *testing.T) {
	scores := []int{1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0}
	weights := []float64{1, 1, 1, 1, 2, 2, 1, 1, 1, 3, 0.5, 0.5}
	r, err := ComputeScale(planScale, scores, weights)
	require.NoError(t, err)
	require.NotEqual(t, float64(r.N), r.EffectiveN)
	n, p := r.EffectiveN, r.Satisfied
	w, err := r.Test(40, cxmetrics.Wilson, 0.95)
	require.NoError(t, err)
	assert.InDelta(t, (p-0.4)/math.Sqrt(0.4*0.6/n), w.Statistic, 1e-12)
	cp, err := r.Test(40, cxmetrics.ClopperPearson, 0.95)
	require.NoError(t, err)
	trials, x := math.Round(n), math.Round(n*p)
	assert.Equal(t, x, cp.Statistic)
	assert.Equal(t, binomTestP(x, trials, 0.4), cp.P)
	wald, err := r.Test(40, cxmetrics.Wald, 0.95)
	require.NoError(t, err)
	assert.InDelta(t, (r.Score-40)/r.StdErr(), wald.Statistic, 1e-12)
}

// binomTestP against the definition, summed over every count, for every x of small n and
// a few success probabilities.
func TestBinomTestDefinition(t *testing.T) {
	for _, n := range []int{1, 2, 7, 20, 51} {
		for _, p := range []float64{0.03, 0.2, 0.5, 0.61, 0.95} {
			bin := distuv.Binomial{N: float64(n), P: p}
			probs := make([]float64, n+1)
			for k := range probs {
				probs[k] = bin.Prob(float64(k))
			}
			for x := range probs {
				var want float64
				for _, q := range probs {
					if q <= probs[x]*(1+1e-7) {
						want += q
					}
				}
				want = math.Min(1, want)
				if float64(x) == float64(n)*p {
					want = 1
				}
				got := binomTestP(float64(x), float64(n), p)
				assert.InDelta(t, want, got, 1e-12*math.Max(1, want), "x %d of %d against %v", x, n, p)
			}
			ks := make([]float64, n+1)
			for k := range ks {
				ks[k] = math.Exp(logBinomPMF(float64(k), float64(n), p))
			}
			assert.True(t, slices.EqualFunc(ks, probs, func(a, b float64) bool { return math.Abs(a-b) <= 1e-13*b+1e-300 }), "pmf of %d, %v", n, p)
		}
	}
}

// The binomial tails against R 4.2.2's pbinom (printed with 16 digits), far beyond the
// sizes at which gonum's incomplete beta function loses its accuracy near the mean.
func TestBinomTails(t *testing.T) {
	for _, c := range []struct {
		k, n, p     float64
		lower, want float64 // lower: pbinom(k, n, p); want: the same with lower.tail = FALSE
	}{
		{3e7, 1e8, 0.3, 5.000493319272875e-01, 1 - 5.000493319272875e-01},
		{499990000, 1e9, 0.5, 2.635549573773347e-01, 1 - 2.635549573773347e-01},
		{2990000, 1e8, 0.03, 2.247302690428862e-09, 9.999999977526973e-01},
		{350, 1000, 0.3, 1 - 2.924063747507480e-04, 2.924063747507480e-04},
		{3, 1e4, 1e-3, 1.030958170281549e-02, 1 - 1.030958170281549e-02},
	} {
		assert.InEpsilon(t, c.lower, binomCDF(c.k, c.n, c.p), 1e-10, "%+v", c)
		assert.InEpsilon(t, c.want, binomUpper(c.k+1, c.n, c.p), 1e-10, "%+v", c)
	}
}
