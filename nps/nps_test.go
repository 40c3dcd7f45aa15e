package nps

import (
	"errors"
	"iter"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/survey/surveytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/floats/scalar"
)

// answers expands category counts into scores on the Standard scale.
func answers(detractors, passives, promoters int) []int {
	return surveytest.Expand([]int{3, 7, 10}, detractors, passives, promoters)
}

// Values from the R package NPS (Brooks 2018), functions nps, npvar and nps.se, with
// the counts c(detractors, passives, promoters) expanded to answers.
func TestRPackageNPS(t *testing.T) {
	for _, c := range []struct {
		d, pa, p        int
		score, uvar, se float64 // NPS on -1..1, nps.var, nps.se
	}{
		{1, 2, 3, 1.0 / 3, 5.0 / 9, 0.304},
		{1, 0, 1, 0, 1, 0.7071068},
		{0, 1, 1, 0.5, 0.25, 0.3535534},
	} {
		r, err := Compute(answers(c.d, c.pa, c.p), nil)
		require.NoError(t, err)
		assert.InDelta(t, 100*c.score, r.Score, 1e-12, "score %v", c)
		assert.InDelta(t, c.uvar, r.UnitVariance(), 1e-12, "variance %v", c)
		// R prints the standard error to 3 or 7 significant digits.
		assert.InDelta(t, 100*c.se, r.StdErr(), 100*5e-4, "se %v", c)
		assert.True(t, scalar.EqualWithinAbsOrRel(r.Variance(), 1e4*c.uvar/float64(r.N), 1e-12, 1e-12))
	}
	// nps(1:15, breaks = c(0, 6, 8, 15)) = 2/30: detractors 1-6, passives 7-8,
	// promoters 9-15.
	scores := make([]int, 15)
	for i := range scores {
		scores[i] = i + 1
	}
	r, err := ComputeScale(Scale{Min: 0, Max: 15, DetractorMax: 6, PromoterMin: 9}, scores, nil)
	require.NoError(t, err)
	assert.InDelta(t, 100*2.0/30, r.Score, 1e-12)
	assert.Equal(t, 6, r.DetractorCount)
	assert.Equal(t, 2, r.PassiveCount)
	assert.Equal(t, 7, r.PromoterCount)
}

func TestComputeWeighted(t *testing.T) {
	// Derived by hand: weights 2, 1, 1, 4 on scores 10 (promoter), 7 (passive),
	// 0 (detractor), 9 (promoter). W = 8, promoters 6/8, detractors 1/8, passives 1/8,
	// NPS = 62.5. With z = +1, 0, -1, +1 and θ = 0.625 the linearization variance is
	// Σ w²(z-θ)²/W² = (4·0.375² + 0.625² + 1.625² + 16·0.375²)/64 = 5.84375/64, and
	// σ² = Σ w(z-θ)²/W = 0.484375 = p+ + p- - θ², so n_eff = σ²/Var = 31/5.84375.
	r, err := Compute([]int{10, 7, 0, 9}, []float64{2, 1, 1, 4})
	require.NoError(t, err)
	assert.Equal(t, 4, r.N)
	assert.InDelta(t, 8, r.Weight, 1e-15)
	assert.InDelta(t, 31/5.84375, r.EffectiveN, 1e-13)
	assert.InDelta(t, 0.75, r.Promoters, 1e-15)
	assert.InDelta(t, 0.125, r.Detractors, 1e-15)
	assert.InDelta(t, 0.125, r.Passives, 1e-15)
	assert.InDelta(t, 62.5, r.Score, 1e-12)
	assert.Equal(t, 2, r.PromoterCount)
	// Var = 1e4 · 5.84375/64, the linearization variance in score points.
	assert.InDelta(t, 1e4*5.84375/64, r.Variance(), 1e-9)

	// Unit weights give the unweighted result; zero weights count as answers but carry
	// no weight.
	c := surveytest.UnitWeights(t, Compute, []int{0, 1, 5, 6, 7, 8, 9, 10, 10, 3, 9}, 10, 0)
	assert.Equal(t, 2, c.N)
	assert.Equal(t, 100.0, c.Score)
	assert.Equal(t, 1.0, c.EffectiveN)
}

// Compute and ComputeSeq agree with a plain reference on every scale shape, including the
// 1-5 scale and one with an empty passive band, and report the same first bad value.
// (internal/survey tests each counting kernel against its own reference.)
func TestPathsAgree(t *testing.T) {
	scales := []Scale{Standard, {1, 5, 2, 5}, {1, 7, 4, 5}, {0, 255, 100, 200}, {-3, 3, -1, 1}, {0, 1000, 500, 900}, {1, 10, 5, 6}}
	for _, s := range scales {
		for _, n := range []int{1, 3, 4, 5, 1023, 1024, 1025, 5003} {
			scores, weights := surveytest.Spaced(n, s.Min, s.Max)
			var nd, np int
			var w, wd, wp float64
			for i, x := range scores {
				w += weights[i]
				switch {
				case x <= s.DetractorMax:
					nd++
					wd += weights[i]
				case x >= s.PromoterMin:
					np++
					wp += weights[i]
				}
			}
			r, err := ComputeScale(s, scores, nil)
			require.NoError(t, err)
			assert.Equal(t, [3]int{nd, n - nd - np, np}, [3]int{r.DetractorCount, r.PassiveCount, r.PromoterCount})
			assert.InDelta(t, 100*float64(np-nd)/float64(n), r.Score, 1e-12)
			sq, err := ComputeSeq(s, slices.Values(scores))
			require.NoError(t, err)
			assert.Equal(t, r, sq)
			rw, err := ComputeScale(s, scores, weights)
			require.NoError(t, err)
			assert.InDelta(t, w, rw.Weight, 1e-9)
			assert.InDelta(t, 100*(wp-wd)/w, rw.Score, 1e-9)

			// A bad score, then a bad weight before it: the first is reported.
			surveytest.CheckBadValues(t, s.Min, s.Max, scores, weights,
				func(x []int, w []float64) (Result, error) { return ComputeScale(s, x, w) },
				func(x iter.Seq[int]) (Result, error) { return ComputeSeq(s, x) })
		}
	}
}

// Counts stay exact past 2^21 and 2^32 answers per block of any kernel.
func TestComputeLarge(t *testing.T) {
	r, n := surveytest.Large(t, Compute, 10, 0)
	assert.Equal(t, n-1, r.PromoterCount)
	assert.Equal(t, 1, r.DetractorCount)
}

// Weighted sums are plain within blocks of blockSize answers and compensated across
// blocks, so the relative error stays near blockSize·ε whatever the number of answers.
// The reference is the exact sum in math/big.
func TestWeightedSumAccuracy(t *testing.T) {
	r, exact := surveytest.SpreadWeights(t, Compute, 0, 10)
	assert.InEpsilon(t, exact.Weight(), r.Weight, 1e-14)
	assert.InEpsilon(t, exact.Share(9, 10), r.Promoters, 1e-14)
}

func TestErrors(t *testing.T) {
	cases := append(surveytest.InputErrorCases("nps", Standard, 0, 10),
		surveytest.Case("wide scale", Scale{0, 1000, 500, 900}, []int{0, 1001}, nil, cxmetrics.ErrOutOfRange, "score 1001 at index 1: out of range [0, 1000]"),
		surveytest.Case("wide negative weight", Scale{0, 1000, 500, 900}, []int{1, 2}, []float64{1, -1}, cxmetrics.ErrNegativeWeight, "weight -1 at index 1"),
		surveytest.Case("scale", Scale{0, 10, 9, 6}, []int{1}, nil, cxmetrics.ErrInvalidScale, "detractor max 9 not below promoter min 6"),
		surveytest.Case("scale min", Scale{5, 10, 4, 6}, []int{1}, nil, cxmetrics.ErrInvalidScale, "min 5 above detractor max 4"),
		surveytest.Case("scale max", Scale{0, 10, 4, 11}, []int{1}, nil, cxmetrics.ErrInvalidScale, "promoter min 11 above max 10"),
		surveytest.Case("scale size", Scale{0, 1 << 20, 4, 11}, []int{1}, nil, cxmetrics.ErrInvalidScale, "more than 65536 points"),
	)
	surveytest.CheckErrorCases(t, cases, ComputeScale, func(t *testing.T, _ surveytest.ErrorCase[Scale], err error) {
		var ie *cxmetrics.InputError
		if errors.As(err, &ie) && ie.Index >= 0 {
			assert.Contains(t, err.Error(), "index")
		}
	})
	// The first bad value is reported, also when a later block holds another.
	surveytest.CheckFirstBad(t, Compute, 0)

	var ie *cxmetrics.InputError
	_, err := ComputeSeq(Standard, slices.Values([]int{1, 2, 99}))
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, 2, ie.Index)
	_, err = ComputeSeq(Standard, slices.Values([]int{}))
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty)
	_, err = ComputeSeq(Scale{}, slices.Values([]int{1}))
	assert.ErrorIs(t, err, cxmetrics.ErrInvalidScale)

	r, _ := Compute([]int{1, 9}, nil)
	_, err = r.Interval(cxmetrics.Wald, 1)
	assert.ErrorIs(t, err, cxmetrics.ErrInvalidLevel)
	assert.Contains(t, err.Error(), "nps: level 1")
	_, err = r.Interval(cxmetrics.Wald, math.NaN())
	assert.ErrorIs(t, err, cxmetrics.ErrInvalidLevel)
	_, err = r.Interval(cxmetrics.Wilson, 0.95)
	assert.ErrorIs(t, err, cxmetrics.ErrUnsupportedMethod)
	_, err = Result{}.Interval(cxmetrics.Wald, 0.95)
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty)
	_, err = r.Bootstrap(nil, 10, 0.95)
	assert.ErrorIs(t, err, cxmetrics.ErrNilRand)
	_, err = Compare(r, Result{}, 0.95)
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty)
	_, err = Compare(r, r, 0)
	assert.ErrorIs(t, err, cxmetrics.ErrInvalidLevel)

	_, err = Standard.Category(11)
	assert.ErrorIs(t, err, cxmetrics.ErrOutOfRange)
	assert.True(t, strings.HasPrefix(err.Error(), "nps: score 11"))
}

func TestCategory(t *testing.T) {
	want := []Category{0, 0, 0, 0, 0, 0, 0, Passive, Passive, Promoter, Promoter}
	for score, c := range want {
		got, err := Standard.Category(score)
		require.NoError(t, err)
		assert.Equal(t, c, got, "score %d", score)
	}
	assert.Equal(t, "promoter", Promoter.String())
	assert.Equal(t, "Category(7)", Category(7).String())
	c, err := Scale{1, 5, 2, 5}.Category(4)
	require.NoError(t, err)
	assert.Equal(t, Passive, c)
}

func TestSampleSize(t *testing.T) {
	// Worst case p+ = p- = 0.5: unit variance 1, n = (1.959964 · 100 / 5)² = 1536.58.
	n, err := SampleSize(0.5, 0.5, 5, 0.95)
	require.NoError(t, err)
	assert.Equal(t, 1537, n)
	// p+ = 0.4, p- = 0.2: variance 0.6 - 0.04 = 0.56; (1.959964 · 100 / 3)² · 0.56 = 239.03.
	n, err = SampleSize(0.4, 0.2, 3, 0.90)
	require.NoError(t, err)
	// z_0.95 = 1.644854: 1.644854² · 1e4 · 0.56 / 9 = 1683.45.
	assert.Equal(t, 1684, n)
	n, err = SampleSize(1, 0, 5, 0.95)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	// No variance: one answer whatever the margin (this once converted NaN to an int).
	n, err = SampleSize(1, 0, 1e-300, 0.95)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	for _, c := range []struct {
		p, d, m, l float64
		want       error
	}{
		{-0.1, 0, 5, 0.95, cxmetrics.ErrOutOfRange},
		{0.6, 0.5, 5, 0.95, cxmetrics.ErrOutOfRange},
		{0.5, 0.5, 0, 0.95, cxmetrics.ErrOutOfRange},
		{0.5, 0.5, math.NaN(), 0.95, cxmetrics.ErrNotFinite},
		{0.5, 0.5, 5, 1.5, cxmetrics.ErrInvalidLevel},
		{0.5, 0.5, 1e-9, 0.95, cxmetrics.ErrTooLarge},
		{0.5, 0.5, 1e-300, 0.95, cxmetrics.ErrTooLarge},
		{0.5, 0.5, 5, 0.9999999999999999, cxmetrics.ErrInvalidLevel},
	} {
		_, err := SampleSize(c.p, c.d, c.m, c.l)
		assert.ErrorIs(t, err, c.want, "%v", c)
	}
}

func TestCompare(t *testing.T) {
	// a: 50 promoters, 30 passives, 20 detractors (NPS 30, unit var 0.7 - 0.09 = 0.61).
	// b: 40, 30, 30 of 100 (NPS 10, unit var 0.7 - 0.01 = 0.69).
	// SE = 100 √((0.61 + 0.69)/100) = √130. Pooled under the null: p+ = 0.45, p- = 0.25,
	// unit variance 0.7 - 0.2² = 0.66, so z = 20 / (100 √(0.66 · 2/100)) = 20/√132 and
	// p = 2Φ(-20/√132) = 0.08172275 (R: 2*pnorm(-20/sqrt(132)) = 0.08172275).
	a, err := Compute(answers(20, 30, 50), nil)
	require.NoError(t, err)
	b, err := Compute(answers(30, 30, 40), nil)
	require.NoError(t, err)
	c, err := Compare(a, b, 0.95)
	require.NoError(t, err)
	assert.InDelta(t, 20, c.Difference, 1e-12)
	assert.InDelta(t, math.Sqrt(130), c.StdErr, 1e-12)
	assert.InDelta(t, 20/math.Sqrt(132), c.Statistic, 1e-12)
	assert.InDelta(t, 0.08172275, c.P, 1e-8)
	assert.Equal(t, 0.0, c.DF)
	// The interval is the MOVER combination of the two Tango intervals (which
	// TestIntervalReference checks against SciPy).
	ta, _ := a.Interval(cxmetrics.Tango, 0.95)
	tb, _ := b.Interval(cxmetrics.Tango, 0.95)
	assert.InDelta(t, 20-math.Sqrt((30-ta.Lower)*(30-ta.Lower)+(tb.Upper-10)*(tb.Upper-10)), c.Interval.Lower, 1e-9)
	assert.InDelta(t, 20+math.Sqrt((ta.Upper-30)*(ta.Upper-30)+(10-tb.Lower)*(10-tb.Lower)), c.Interval.Upper, 1e-9)
	assert.Equal(t, cxmetrics.Tango, c.Interval.Method)
	// Degenerate: every answer a promoter in both samples.
	p, _ := Compute([]int{10, 10}, nil)
	c, err = Compare(p, p, 0.95)
	require.NoError(t, err)
	assert.Equal(t, 1.0, c.P)
	assert.Equal(t, 0.0, c.Statistic)
	assert.Greater(t, c.Interval.Width(), 0.0, "the MOVER interval keeps a width")
	// All promoters against all detractors, two answers each: pooled p+ = p- = 0.5, unit
	// variance 1, z = 200 / (100 √(1/2 + 1/2)) = 2, p = 2Φ(-2) = 0.04550026.
	q, _ := Compute([]int{0, 0}, nil)
	c, err = Compare(p, q, 0.95)
	require.NoError(t, err)
	assert.InDelta(t, 0.04550026389635842, c.P, 1e-12)
	assert.Equal(t, 200.0, c.Difference)
}
