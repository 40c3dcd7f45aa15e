package ces

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/dist"
	"github.com/cxmetrics/cxmetrics/internal/normal"
	"github.com/cxmetrics/cxmetrics/internal/stats"
	"github.com/cxmetrics/cxmetrics/internal/survey"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSampleSize(t *testing.T) {
	// R: f <- function(sd, m, lev) { n <- 2:100000; min(n[qt((1+lev)/2, n-1)*sd/sqrt(n) <= m]) }
	// gives 219 18 31 879 7 for the first five rows.
	for _, c := range []struct {
		sd, margin, level float64
		want              int
	}{
		{1.5, 0.2, 0.95, 219},
		{1, 0.5, 0.95, 18},
		{2, 1, 0.99, 31},
		{1.8, 0.1, 0.9, 879},
		{1, 1, 0.95, 7},
		{0, 0.1, 0.95, 2},
		{1, 100, 0.95, 2},
	} {
		n, err := SampleSize(c.sd, c.margin, c.level)
		require.NoError(t, err)
		assert.Equal(t, c.want, n, "%+v", c)
		z := normal.Quantile(0.5 + c.level/2)
		assert.GreaterOrEqual(t, float64(n), math.Ceil(z*z*c.sd*c.sd/c.margin/c.margin), "%+v: below the normal approximation", c)
	}
	for _, c := range []struct {
		sd, margin, level float64
		want              error
	}{
		{math.NaN(), 0.2, 0.95, cxmetrics.ErrNotFinite},
		{math.Inf(1), 0.2, 0.95, cxmetrics.ErrNotFinite},
		{-1, 0.2, 0.95, cxmetrics.ErrOutOfRange},
		{1, math.NaN(), 0.95, cxmetrics.ErrNotFinite},
		{1, math.Inf(1), 0.95, cxmetrics.ErrNotFinite},
		{1, 0, 0.95, cxmetrics.ErrOutOfRange},
		{1, -0.1, 0.95, cxmetrics.ErrOutOfRange},
		{1, 0.2, 0, cxmetrics.ErrInvalidLevel},
		{1, 0.2, 1, cxmetrics.ErrInvalidLevel},
		{1, 1e-5, 0.95, cxmetrics.ErrTooLarge},
		{1, 5e-324, 0.95, cxmetrics.ErrTooLarge},
	} {
		_, err := SampleSize(c.sd, c.margin, c.level)
		assert.ErrorIs(t, err, c.want, "%+v", c)
		var ie *cxmetrics.InputError
		assert.True(t, errors.As(err, &ie) && ie.Index == -1, "%+v: %v", c, err)
	}
}

// R, Beal's unconditional probability that the t interval's half-width is within the
// margin, and the smallest n that reaches the assurance:
//
//	b <- function(n, sd, m, lev) { t <- qt((1+lev)/2, n-1); pchisq((n-1)*n*m^2/(t^2*sd^2), n-1) }
//	g <- function(sd, m, lev, a) { n <- 2:100000; min(n[b(n, sd, m, lev) >= a]) }
//
// g gives 236 22 36 913 8 at assurance 0.8 and 244 24 39 931 9 at 0.9; b, printed with 15
// digits, gives the probabilities at n and n - 1 of the cases below that have them.
var planAssured = []struct {
	sd, margin, level, assurance float64
	n                            int
	atN, below                   float64 // b(n, ...) and b(n - 1, ...); 0 when not checked
}{
	{1.5, 0.2, 0.95, 0.8, 236, 0.812053195430676, 0.798462108110744},
	{1, 0.5, 0.95, 0.8, 22, 0.819218710648235, 0.763284768387766},
	{1.8, 0.1, 0.9, 0.9, 931, 0.900276037426621, 0.895947434792404},
	{2, 1, 0.99, 0.8, 36, 0, 0},
	{1.8, 0.1, 0.9, 0.8, 913, 0, 0},
	{1, 1, 0.95, 0.8, 8, 0, 0},
	{1.5, 0.2, 0.95, 0.9, 244, 0, 0},
	{1, 0.5, 0.95, 0.9, 24, 0, 0},
	{2, 1, 0.99, 0.9, 39, 0, 0},
	{1, 1, 0.95, 0.9, 9, 0, 0},
}

func TestSampleSizeAssuredR(t *testing.T) {
	for _, c := range planAssured {
		n, err := SampleSizeAssured(c.sd, c.margin, c.level, c.assurance)
		require.NoError(t, err)
		assert.Equal(t, c.n, n, "%+v", c)
		if c.atN != 0 {
			// gonum's chi-square and t against R's pchisq and qt: 1e-12.
			assert.InDelta(t, c.atN, probHalfWidthWithin(c.n, c.sd, c.margin, c.level), 1e-12, "%+v", c)
			assert.InDelta(t, c.below, probHalfWidthWithin(c.n-1, c.sd, c.margin, c.level), 1e-12, "%+v", c)
		}
	}
	// At SampleSize's n the half-width is within the margin about half the time:
	// R: b(219, 1.5, .2, .95) = 0.522223707623775.
	assert.InDelta(t, 0.522223707623775, probHalfWidthWithin(219, 1.5, 0.2, 0.95), 1e-12)
	// Large n: the chi-square distribution of gonum at 10⁸ degrees of freedom.
	n0, err := SampleSize(1.5, 0.0003, 0.95)
	require.NoError(t, err)
	n, err := SampleSizeAssured(1.5, 0.0003, 0.95, 0.8)
	require.NoError(t, err)
	assert.True(t, n > n0 && float64(n) < float64(n0)*1.001, "%d from %d", n, n0)
	assert.GreaterOrEqual(t, probHalfWidthWithin(n, 1.5, 0.0003, 0.95), 0.8)
	assert.Less(t, probHalfWidthWithin(n-1, 1.5, 0.0003, 0.95), 0.8)

	n, err = SampleSizeAssured(0, 0.2, 0.95, 0.9)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	for _, c := range []struct {
		sd, margin, level, assurance float64
		want                         error
	}{
		{1, 0.2, 0.95, 0, cxmetrics.ErrOutOfRange},
		{1, 0.2, 0.95, 1, cxmetrics.ErrOutOfRange},
		{1, 0.2, 0.95, math.NaN(), cxmetrics.ErrNotFinite},
		{math.NaN(), 0.2, 0.95, 0.8, cxmetrics.ErrNotFinite},
		{1, -0.2, 0.95, 0.8, cxmetrics.ErrOutOfRange},
		{1, 0.2, 1.5, 0.8, cxmetrics.ErrInvalidLevel},
		{1, 1e-5, 0.95, 0.8, cxmetrics.ErrTooLarge},
	} {
		_, err := SampleSizeAssured(c.sd, c.margin, c.level, c.assurance)
		assert.ErrorIs(t, err, c.want, "%+v", c)
	}
	// Just below MaxSampleSize answers SampleSize fits and the assured n does not.
	margin := normal.Quantile(0.975) / math.Sqrt(MaxSampleSize*(1-1e-6))
	_, err = SampleSize(1, margin, 0.95)
	require.NoError(t, err)
	_, err = SampleSizeAssured(1, margin, 0.95, 0.8)
	assert.ErrorIs(t, err, cxmetrics.ErrTooLarge)
}

// planDists are distributions of 1-7 ratings for the simulations: uniform, the
// maximum-entropy ("tilted") distributions with means 5.7 and 6.0 (shares proportional to
// exp(β·j), β = 0.5 and 0.65), and a top-2 heavy one.
var planDists = []struct {
	name    string
	p       []float64
	assured float64 // the share of surveys that reach the margin of an 80% plan, documented
}{
	{"uniform", []float64{1, 1, 1, 1, 1, 1, 1}, 0.92},
	{"tilted 5.7", planTilted(0.5), 0.77},
	{"tilted 6.0", planTilted(0.65), 0.73},
	{"top-2 heavy", []float64{.02, .03, .05, .10, .25, .30, .25}, 0.77},
}

func planTilted(beta float64) []float64 {
	p := make([]float64, 7)
	for j := range p {
		p[j] = math.Exp(beta * float64(j))
	}
	return p
}

// planMoments returns the mean and standard deviation of ratings 1..k with shares
// proportional to p.
func planMoments(p []float64) (mean, sd float64) {
	var s, m, m2 float64
	for j, q := range p {
		x := float64(j + 1)
		s += q
		m += q * x
		m2 += q * x * x
	}
	m /= s
	return m, math.Sqrt(m2/s - m*m)
}

// planSampler returns a function that draws the Result of n answers on Standard7 with
// shares proportional to p, built from the counts as Compute would build it from the
// answers.
func planSampler(t *testing.T, rng *rand.Rand, p []float64, n int) func() Result {
	var s float64
	for _, q := range p {
		s += q
	}
	probs := make([]float64, len(p))
	for j, q := range p {
		probs[j] = q / s
	}
	m := stats.NewMultinomial(n, probs)
	counts := make([]int, len(p))
	return func() Result {
		m.Draw(rng, counts)
		var bins [MaxScalePoints]survey.Bin
		for j, c := range counts {
			bins[j].N = uint64(c)
			bins[j].W.Add(float64(c))
			bins[j].W2.Add(float64(c))
		}
		r, err := result(Standard7, bins[:len(counts)])
		require.NoError(t, err)
		return r
	}
}

// SampleSizeAssured's n reaches the margin with the assurance in simulated surveys of
// normal ratings (within three Monte Carlo standard errors of the exact probability), and
// a quarter fewer answers fall short. On 1-7 ratings the achieved assurance differs from
// the planned one as their kurtosis makes the SD vary less or more than a normal sample's:
// the shares of the documentation, to 3 points.
func TestSampleSizeAssuredSimulated(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 3))
	reps := 10000 // Monte Carlo SE of a share near 0.8: 0.4 points
	if raceEnabled {
		reps = 2000
	}
	share := func(n int, level, margin float64, draw func() float64) float64 {
		tq := dist.TQuantile(0.5+level/2, float64(n-1))
		hits := 0
		for range reps {
			if tq*draw()/math.Sqrt(float64(n)) <= margin {
				hits++
			}
		}
		return float64(hits) / float64(reps)
	}
	for _, c := range planAssured[:2] {
		normalSD := func(n int) func() float64 {
			return func() float64 {
				var m, m2 float64
				for i := range n {
					x := c.sd * rng.NormFloat64()
					d := x - m
					m += d / float64(i+1)
					m2 += d * (x - m)
				}
				return math.Sqrt(m2 / float64(n-1))
			}
		}
		got := share(c.n, c.level, c.margin, normalSD(c.n))
		se := math.Sqrt(c.atN * (1 - c.atN) / float64(reps))
		assert.InDelta(t, c.atN, got, 3*se, "%+v", c)
		assert.Less(t, share(c.n*3/4, c.level, c.margin, normalSD(c.n*3/4)), c.assurance, "%+v", c)
		t.Logf("normal, sd %v, margin %v: n %d reaches it in %.1f%% of simulated surveys (exact %.1f%%)", c.sd, c.margin, c.n, 100*got, 100*c.atN)
	}
	for _, d := range planDists {
		_, sd := planMoments(d.p)
		n, err := SampleSizeAssured(sd, 0.2, 0.95, 0.8)
		require.NoError(t, err)
		draw := planSampler(t, rng, d.p, n)
		got := share(n, 0.95, 0.2, func() float64 { return draw().SD })
		t.Logf("%-12s sd %.3f, margin 0.2: n %d reaches it in %.1f%% of simulated surveys (planned 80%%)", d.name, sd, n, 100*got)
		assert.InDelta(t, d.assured, got, 0.03, "%s", d.name)
	}
}

// R 4.2.2, power.t.test(delta = d, sd = s, power = power, strict = TRUE, tol = 1e-10)$n
// with 10 digits, rounded up: the power of the pooled t-test, exact with equal standard
// deviations.
// For unequal ones, the power at n and n - 1 answers per group, R:
//
//	w <- function(n, sa, sb, d, a = .05) { nu <- 2*(n-1)
//	  ncp <- d/sqrt((sa^2+sb^2)/n); q <- qt(1-a/2, nu)
//	  pt(q, nu, ncp, lower = FALSE) + pt(-q, nu, ncp) }
//
// with 15 digits.
func TestSampleSizeCompareR(t *testing.T) {
	for _, c := range []struct {
		sdA, sdB, difference, power float64
		rN                          float64
	}{
		{1, 1, 0.5, 0.8, 63.76561019},
		{1.5, 1.5, 0.3, 0.8, 393.405695},
		{1, 1, 0.5, 0.9, 85.03128414},
		{1, 1, 0.05, 0.8, 6280.048916},
		{1, 1, -0.5, 0.8, 63.76561019},
		// tol = 1e-12, beyond 4·10⁵ degrees of freedom: R's pt turns to the normal
		// approximation there, as noncentralTCDF does.
		{1, 1, 0.0003, 0.8, 174419123.39},
		{1, 1, 0.0001, 0.8, 1569772102.83},
	} {
		n, err := SampleSizeCompare(c.sdA, c.sdB, c.difference, 0.05, c.power)
		require.NoError(t, err)
		assert.Equal(t, int(math.Ceil(c.rN)), n, "%+v", c)
	}
	for _, c := range []struct {
		sdA, sdB, difference float64
		n                    int
		atN, below           float64
	}{
		{1.2, 1.8, 0.4, 231, 0.800778539717852, 0.799069791720557},
		{2, 1, 0.25, 629, 0.800080774475638, 0.799455600764535},
		{1, 0, 0.5, 33, 0.807568723949598, 0.795145366324182},
	} {
		n, err := SampleSizeCompare(c.sdA, c.sdB, c.difference, 0.05, 0.8)
		require.NoError(t, err)
		assert.Equal(t, c.n, n, "%+v", c)
		m, _ := SampleSizeCompare(c.sdB, c.sdA, -c.difference, 0.05, 0.8)
		assert.Equal(t, n, m, "symmetric")
		// gonum's noncentral t (Lenth's AS 243, to 1e-12) against R's pt.
		assert.InDelta(t, c.atN, tPower(c.n, c.sdA, c.sdB, c.difference, 0.05), 1e-10, "%+v", c)
		assert.InDelta(t, c.below, tPower(c.n-1, c.sdA, c.sdB, c.difference, 0.05), 1e-10, "%+v", c)
	}
	// R: pt(1.96, nu, 2.8) with 15 digits, on either side of the switch at 4·10⁵.
	for _, c := range []struct{ nu, want float64 }{
		{1e3, 0.200542741294143},
		{1e5, 0.20045508117359},
		{1e6, 0.200454282055245},
		{1e9, 0.200454193349245},
	} {
		assert.InDelta(t, c.want, noncentralTCDF(1.96, c.nu, 2.8), 1e-10, "nu %v", c.nu)
	}
	// The documented relation to the normal approximation: never below it, and one or two
	// answers above it from 20 answers per group on.
	for _, sd := range []float64{0.5, 1, 1.5, 2} {
		for _, ratio := range []float64{0.25, 0.5, 1} {
			for _, d := range []float64{0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2} {
				for _, power := range []float64{0.8, 0.9} {
					n, err := SampleSizeCompare(sd, sd*ratio, d, 0.05, power)
					require.NoError(t, err)
					zs := normal.Quantile(0.975) + normal.Quantile(power)
					nz := int(math.Ceil(zs * zs * (sd*sd + sd*sd*ratio*ratio) / d / d))
					assert.GreaterOrEqual(t, n, nz, "sd %v, %v, d %v", sd, ratio, d)
					if nz >= 20 {
						assert.LessOrEqual(t, n-nz, 2, "sd %v, %v, d %v: %d against %d", sd, ratio, d, n, nz)
					}
				}
			}
		}
	}
	n, err := SampleSizeCompare(0, 0, 0.1, 0.05, 0.8)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	n, err = SampleSizeCompare(1, 0, 0.5, 0.05, 0.8) // one group without variance
	require.NoError(t, err)
	assert.GreaterOrEqual(t, tPower(n, 1, 0, 0.5, 0.05), 0.8)
	assert.Less(t, tPower(n-1, 1, 0, 0.5, 0.05), 0.8)
	for _, c := range []struct {
		sdA, sdB, difference, alpha, power float64
		want                               error
	}{
		{math.NaN(), 1, 0.5, 0.05, 0.8, cxmetrics.ErrNotFinite},
		{1, math.Inf(1), 0.5, 0.05, 0.8, cxmetrics.ErrNotFinite},
		{-1, 1, 0.5, 0.05, 0.8, cxmetrics.ErrOutOfRange},
		{1, -1, 0.5, 0.05, 0.8, cxmetrics.ErrOutOfRange},
		{1, 1, 0, 0.05, 0.8, cxmetrics.ErrOutOfRange},
		{1, 1, math.NaN(), 0.05, 0.8, cxmetrics.ErrNotFinite},
		{1, 1, 0.5, 0, 0.8, cxmetrics.ErrOutOfRange},
		{1, 1, 0.5, 1, 0.8, cxmetrics.ErrOutOfRange},
		{1, 1, 0.5, math.NaN(), 0.8, cxmetrics.ErrNotFinite},
		{1, 1, 0.5, 0.05, 0, cxmetrics.ErrOutOfRange},
		{1, 1, 0.5, 0.05, 1, cxmetrics.ErrOutOfRange},
		{1, 1, 1e-5, 0.05, 0.8, cxmetrics.ErrTooLarge},
	} {
		_, err := SampleSizeCompare(c.sdA, c.sdB, c.difference, c.alpha, c.power)
		assert.ErrorIs(t, err, c.want, "%+v", c)
	}
}

// SampleSizeCompare's n gives Compare's test the planned power, within 2 points, on
// simulated 1-7 ratings.
func TestSampleSizeComparePower(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 4))
	reps := 10000 // Monte Carlo SE of a share near 0.8: 0.4 points
	if raceEnabled {
		reps = 1000
	}
	cases := []struct {
		a, b         int // planDists
		alpha, power float64
	}{
		{1, 2, 0.05, 0.8},
		{3, 1, 0.05, 0.8},
		{0, 3, 0.05, 0.9},
	}
	for _, c := range cases {
		ma, sa := planMoments(planDists[c.a].p)
		mb, sb := planMoments(planDists[c.b].p)
		n, err := SampleSizeCompare(sa, sb, ma-mb, c.alpha, c.power)
		require.NoError(t, err)
		drawA, drawB := planSampler(t, rng, planDists[c.a].p, n), planSampler(t, rng, planDists[c.b].p, n)
		hits := 0
		for range reps {
			if cmp, _ := pooledTest(drawA(), drawB()); cmp.P < c.alpha { // Compare's test
				hits++
			}
		}
		power := float64(hits) / float64(reps)
		name := fmt.Sprintf("%s (mean %.2f, sd %.2f) vs %s (mean %.2f, sd %.2f)", planDists[c.a].name, ma, sa, planDists[c.b].name, mb, sb)
		t.Logf("%s: n = %d per group, simulated power %.1f%% (target %.0f%%)", name, n, 100*power, 100*c.power)
		assert.InDelta(t, c.power, power, 0.02, "%s: n %d", name, n)
	}
}

// R 4.2.2, t.test(x, mu = target, conf.level = level) with 15 digits: statistic, parameter
// (df), p.value and conf.int, whose bounds less the target are the Difference's interval.
func TestTestR(t *testing.T) {
	for _, c := range []struct {
		name          string
		scale         Scale
		counts        []int
		target, level float64
		stat, df, p   float64
		lower, upper  float64
	}{
		// x <- rep(1:7, c(2, 3, 5, 15, 40, 60, 75)); t.test(x, mu = 5.5)
		{"chat", Standard7, []int{2, 3, 5, 15, 40, 60, 75}, 5.5, 0.95,
			3.83470139636505, 199, 1.68653126563935e-04, 5.66515842676013, 6.01484157323987},
		// y <- c(7, 6, 2, 5, 6, 3, 7); t.test(y, mu = 4, conf.level = 0.9)
		{"small", Standard7, []int{0, 1, 1, 0, 1, 2, 2}, 4, 0.9,
			1.54919333848297, 6, 0.17230829673040, 3.70935145426392, 6.57636283145037},
		// z <- rep(1:5, c(30, 25, 20, 15, 10)); t.test(z, mu = 2, conf.level = 0.99)
		{"effort", Standard5, []int{30, 25, 20, 15, 10}, 2, 0.99,
			3.76069902316805, 99, 2.86943726117961e-04, 2.15080887341679, 2.84919112658321},
		// t.test(z, mu = 2.5, conf.level = 0.99): the target at the mean.
		{"at the mean", Standard5, []int{30, 25, 20, 15, 10}, 2.5, 0.99,
			0, 99, 1, 2.15080887341679, 2.84919112658321},
	} {
		var scores []int
		for j, k := range c.counts {
			for range k {
				scores = append(scores, c.scale.Min+j)
			}
		}
		r, err := ComputeScale(c.scale, scores, nil)
		require.NoError(t, err)
		cmp, err := r.Test(c.target, cxmetrics.TDist, c.level)
		require.NoError(t, err)
		assert.InDelta(t, c.stat, cmp.Statistic, 1e-12, c.name)
		assert.InDelta(t, c.df, cmp.DF, 1e-12, c.name)
		assert.InDelta(t, c.p, cmp.P, 1e-13+1e-12*c.p, c.name)
		assert.InDelta(t, c.lower-c.target, cmp.Interval.Lower, 1e-12, c.name)
		assert.InDelta(t, c.upper-c.target, cmp.Interval.Upper, 1e-12, c.name)
		assert.InDelta(t, r.Mean-c.target, cmp.Difference, 1e-15, c.name)
		assert.Equal(t, cmp.Difference, cmp.Interval.Estimate)
		assert.Equal(t, r.StdErr(), cmp.StdErr)
		assert.Equal(t, cxmetrics.TDist, cmp.Interval.Method)
		assert.Equal(t, c.level, cmp.Interval.Level)
	}
}

// The test agrees with the t interval, weighted or not: at either bound of the interval
// for the mean, P = 1 - level.
func TestTestAgreesWithInterval(t *testing.T) {
	scores := []int{7, 6, 6, 5, 7, 3, 2, 6, 5, 7, 4, 6}
	for _, weights := range [][]float64{nil, {1, 2, 1, 0.5, 3, 1, 2, 1, 1, 0.25, 2, 1}} {
		r, err := Compute(scores, weights)
		require.NoError(t, err)
		for _, level := range []float64{0.8, 0.95, 0.99} {
			iv, err := r.Interval(cxmetrics.TDist, level)
			require.NoError(t, err)
			for _, target := range []float64{iv.Lower, iv.Upper} {
				if target == 1 || target == 7 { // clipped to the scale: not the t bound
					continue
				}
				c, err := r.Test(target, cxmetrics.TDist, level)
				require.NoError(t, err)
				assert.InDelta(t, 1-level, c.P, 1e-9, "weights %v, level %v, target %v", weights != nil, level, target)
				assert.Equal(t, r.EffectiveN-1, c.DF)
			}
		}
	}
}

func TestTestEdges(t *testing.T) {
	same, err := Compute([]int{6, 6, 6, 6}, nil)
	require.NoError(t, err)
	for _, c := range []struct {
		target, p float64
	}{{6, 1}, {5, 0}} {
		cmp, err := same.Test(c.target, cxmetrics.TDist, 0.95)
		require.NoError(t, err)
		assert.Equal(t, c.p, cmp.P)
		assert.Zero(t, cmp.Statistic)
		assert.Equal(t, 3.0, cmp.DF)
	}
	one, err := Compute([]int{6}, nil)
	require.NoError(t, err)
	_, err = one.Test(5, cxmetrics.TDist, 0.95)
	assert.ErrorIs(t, err, cxmetrics.ErrTooFew)

	r, err := Compute([]int{7, 6, 2, 5, 6, 3, 7}, nil)
	require.NoError(t, err)
	for _, c := range []struct {
		target float64
		m      cxmetrics.Method
		level  float64
		want   error
	}{
		{math.NaN(), cxmetrics.TDist, 0.95, cxmetrics.ErrNotFinite},
		{math.Inf(-1), cxmetrics.TDist, 0.95, cxmetrics.ErrNotFinite},
		{0.5, cxmetrics.TDist, 0.95, cxmetrics.ErrOutOfRange},
		{7.5, cxmetrics.TDist, 0.95, cxmetrics.ErrOutOfRange},
		{4, cxmetrics.Wald, 0.95, cxmetrics.ErrUnsupportedMethod},
		{4, cxmetrics.Bootstrap, 0.95, cxmetrics.ErrUnsupportedMethod},
		{4, cxmetrics.TDist, 1, cxmetrics.ErrInvalidLevel},
	} {
		_, err := r.Test(c.target, c.m, c.level)
		assert.ErrorIs(t, err, c.want, "%+v", c)
	}
	_, err = Result{}.Test(4, cxmetrics.TDist, 0.95)
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty)
	bad := r
	bad.Mean = 1
	_, err = bad.Test(4, cxmetrics.TDist, 0.95)
	assert.ErrorIs(t, err, cxmetrics.ErrCorrupt)
}
