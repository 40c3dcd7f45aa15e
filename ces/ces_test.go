package ces

import (
	"encoding/json"
	"errors"
	"iter"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/survey/surveytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Reference data sets, also used by interval_test.go and compare_test.go.
var (
	// x7: fifteen answers on Standard7; w7 their survey weights.
	x7 = []int{7, 6, 5, 5, 4, 7, 3, 6, 6, 2, 5, 7, 1, 6, 5}
	w7 = []float64{1, 2, 0.5, 3, 1, 1, 2, 0.25, 4, 1.5, 1, 1, 2, 3, 0.5}
	// y5: twelve answers on Standard5 (1 very low effort .. 5 very high).
	y5 = []int{1, 2, 2, 3, 1, 4, 5, 2, 1, 2, 3, 2}
)

// R 4.2.2: mean(x), sd(x) for x = x7 and y5.
func TestUnweightedR(t *testing.T) {
	r, err := Compute(x7, nil)
	require.NoError(t, err)
	assert.Equal(t, 15, r.N)
	assert.Equal(t, 15.0, r.Weight)
	assert.Equal(t, 15.0, r.EffectiveN)
	assert.Equal(t, 15.0, r.EasyEffectiveN)
	assert.InDelta(t, 5, r.Mean, 1e-15)
	assert.InDelta(t, 1.8126539343499315, r.SD, 1e-15) // sd(x)
	// Easy 5-7: 11 answers; difficult 1-3: 3.
	assert.Equal(t, 11, r.EasyCount)
	assert.Equal(t, 3, r.DifficultCount)
	assert.InDelta(t, 11.0/15, r.Easy, 1e-15)
	assert.InDelta(t, 3.0/15, r.Difficult, 1e-15)
	assert.InDelta(t, 100*8.0/15, r.NetEasy, 1e-12)
	assert.InDelta(t, 1.8126539343499315*1.8126539343499315/15, r.Variance(), 1e-15)

	r, err = ComputeScale(Standard5, y5, nil)
	require.NoError(t, err)
	assert.InDelta(t, 2.3333333333333335, r.Mean, 1e-15) // mean(y)
	assert.InDelta(t, 1.2309149097933274, r.SD, 1e-15)   // sd(y)
	// Low effort is easy: ratings 1-2 (8 answers) easy, 4-5 (2) difficult.
	assert.Equal(t, [2]int{8, 2}, [2]int{r.EasyCount, r.DifficultCount})
	assert.InDelta(t, 8.0/12, r.Easy, 1e-15)
	assert.InDelta(t, 2.0/12, r.Difficult, 1e-15)
	want := [MaxScalePoints]float64{3.0 / 12, 5.0 / 12, 2.0 / 12, 1.0 / 12, 1.0 / 12}
	for j := range want {
		assert.InDelta(t, want[j], r.Distribution[j], 1e-15, "point %d", j)
	}
}

// R 4.2.2 with survey 4.1.1, a design with weights only:
//
//	d <- svydesign(ids=~1, weights=~w, data=data.frame(x=x7, w=w7))
//	svymean(~x, d)  # 4.905263157894737, SE 0.52194838018871381
//	svyvar(~x, d)   # 3.4076770874554807, sqrt 1.8459894602774634
//	n/(n-1) * sum(w*(x-m)^2)/sum(w) / SE^2  # effective n 12.508445074855521
//	svymean(~e, d2) # e = x >= 5: 0.72631578947368425, SE 0.13163842614592303
//
// svymean's variance of a share carries n/(n-1); the Easy share's effective n leaves it
// out, p(1-p)/Var with Var = SE² (n-1)/n (see internal/survey).
func TestWeightedR(t *testing.T) {
	r, err := Compute(x7, w7)
	require.NoError(t, err)
	assert.InDelta(t, 4.905263157894737, r.Mean, 1e-14)
	assert.InDelta(t, 0.52194838018871381, r.StdErr(), 1e-14)
	assert.InDelta(t, 1.8459894602774634, r.SD, 1e-14)
	assert.InDelta(t, 12.508445074855521, r.EffectiveN, 1e-11)
	assert.InDelta(t, 23.75, r.Weight, 1e-14)
	assert.InDelta(t, 0.72631578947368425, r.Easy, 1e-15)
	p, se := 0.72631578947368425, 0.13163842614592303
	assert.InDelta(t, p*(1-p)/(se*se*14/15), r.EasyEffectiveN, 1e-11)

	// Unit weights give the unweighted result; zero weights count as answers only.
	c := surveytest.UnitWeights(t, Compute, x7, 7, 1)
	assert.Equal(t, 2, c.N)
	assert.Equal(t, 7.0, c.Mean)
	assert.Equal(t, 0.0, c.SD)
	assert.Equal(t, 1.0, c.EffectiveN)
	assert.Equal(t, 1, c.DifficultCount)
	assert.Equal(t, 0.0, c.Difficult)
}

// One answer: the mean is that rating, SD is 0, and the intervals that need a variance
// say so.
func TestOneAnswer(t *testing.T) {
	r, err := Compute([]int{6}, nil)
	require.NoError(t, err)
	assert.Equal(t, Result{Scale: Standard7, N: 1, Weight: 1, EffectiveN: 1, Mean: 6, Easy: 1, NetEasy: 100,
		EasyCount: 1, EasyEffectiveN: 1, Distribution: [MaxScalePoints]float64{5: 1}}, r)
	_, err = r.Interval(cxmetrics.TDist, 0.95)
	assert.ErrorIs(t, err, cxmetrics.ErrTooFew)
	_, err = Compare(r, r, 0.95)
	assert.ErrorIs(t, err, cxmetrics.ErrTooFew)
	iv, err := r.Bootstrap(rand.New(rand.NewPCG(1, 1)), 100, 0.95)
	require.NoError(t, err)
	assert.Equal(t, [2]float64{6, 6}, [2]float64{iv.Lower, iv.Upper})
	iv, err = r.EasyInterval(cxmetrics.Wilson, 0.95)
	require.NoError(t, err)
	assert.Equal(t, 100.0, iv.Upper)
}

// Compute, ComputeSeq and a Tally agree with a plain reference on every scale shape,
// including mirrored scales, an empty neutral band and scales near the ends of int, and
// report the same first bad value.
func TestPathsAgree(t *testing.T) {
	scales := []Scale{Standard7, Standard5, {0, 10, true, 9, 6}, {0, 10, false, 8, 5}, {1, 4, true, 3, 2},
		{1, 2, false, 2, 1}, {-3, 3, false, 1, -1}, {math.MaxInt - 6, math.MaxInt, true, math.MaxInt - 2, math.MaxInt - 4},
		{math.MinInt, math.MinInt + 4, false, math.MinInt + 3, math.MinInt + 1}}
	for _, s := range scales {
		for _, n := range []int{1, 3, 8, 9, 1023, 2048, 2049, 5003} {
			scores, weights := surveytest.Spaced(n, s.Min, s.Max)
			// The reference: means of offsets, buckets by the definitions on the ease axis.
			var w, wz, we, wd float64
			var ne, nd int
			var z float64
			for i, x := range scores {
				off := x - s.Min
				ease := s.Min + off
				if !s.HighIsEasy {
					ease = s.Max - off
				}
				switch {
				case ease >= s.EasyMin:
					ne++
					we += weights[i]
				case ease <= s.DifficultMax:
					nd++
					wd += weights[i]
				}
				z += float64(off)
				w += weights[i]
				wz += weights[i] * float64(off)
			}
			r, err := ComputeScale(s, scores, nil)
			require.NoError(t, err)
			assert.Equal(t, [2]int{ne, nd}, [2]int{r.EasyCount, r.DifficultCount}, "%v n=%d", s, n)
			assert.InDelta(t, float64(s.Min)+z/float64(n), r.Mean, 1e-12*math.Max(1, math.Abs(float64(s.Min))))
			assert.NoError(t, r.check())
			sq, err := ComputeSeq(s, slices.Values(scores))
			require.NoError(t, err)
			assert.Equal(t, r, sq)
			tl, err := NewTally(s)
			require.NoError(t, err)
			assert.Equal(t, r, surveytest.Fill[Tally, *Tally, Result](t, tl, scores, nil))

			rw, err := ComputeScale(s, scores, weights)
			require.NoError(t, err)
			assert.InDelta(t, w, rw.Weight, 1e-9)
			// Mean is float64(Min) + the offset mean: exact to an ulp of Min.
			assert.InDelta(t, wz/w, rw.Mean-float64(s.Min), 1e-9+4e-16*math.Abs(float64(s.Min)))
			assert.InDelta(t, we/w, rw.Easy, 1e-12)
			assert.InDelta(t, wd/w, rw.Difficult, 1e-12)
			assert.NoError(t, rw.check())

			// A bad score, then a bad weight before it: the first is reported.
			surveytest.CheckBadValues(t, s.Min, s.Max, scores, weights,
				func(x []int, w []float64) (Result, error) { return ComputeScale(s, x, w) },
				func(x iter.Seq[int]) (Result, error) { return ComputeSeq(s, x) })
		}
	}
}

// Weighted sums are compensated across blocks, so the mean stays accurate to about 1e-14
// however many answers and however spread their weights. The reference is exact (math/big).
func TestWeightedSumAccuracy(t *testing.T) {
	r, exact := surveytest.SpreadWeights(t, Compute, 1, 7)
	assert.InEpsilon(t, exact.Weight(), r.Weight, 1e-14)
	assert.InEpsilon(t, exact.Mean(), r.Mean, 1e-14)
}

func TestErrors(t *testing.T) {
	cases := append(surveytest.InputErrorCases("ces", Standard7, 1, 7),
		surveytest.Case("min int on Standard5", Standard5, []int{math.MinInt}, nil, cxmetrics.ErrOutOfRange, "at index 0: out of range [1, 5]"),
		surveytest.Case("buckets overlap", Scale{1, 7, true, 3, 5}, []int{1}, nil, cxmetrics.ErrInvalidScale, "difficult max 5 not below easy min 3"),
		surveytest.Case("difficult below min", Scale{1, 7, true, 5, 0}, []int{1}, nil, cxmetrics.ErrInvalidScale, "min 1 above difficult max 0"),
		surveytest.Case("easy above max", Scale{1, 7, false, 8, 3}, []int{1}, nil, cxmetrics.ErrInvalidScale, "easy min 8 above max 7"),
		surveytest.Case("one point", Scale{1, 1, true, 1, 1}, []int{1}, nil, cxmetrics.ErrInvalidScale, "not below easy min"),
		surveytest.Case("reversed", Scale{7, 1, true, 5, 3}, []int{1}, nil, cxmetrics.ErrInvalidScale, "min 7 above max 1"),
		surveytest.Case("too many points", Scale{0, 11, true, 9, 3}, []int{1}, nil, cxmetrics.ErrInvalidScale, "more than 11 points"),
		surveytest.Case("whole int range", Scale{math.MinInt, math.MaxInt, true, 0, -1}, []int{1}, nil, cxmetrics.ErrInvalidScale, "more than 65536 points"),
	)
	surveytest.CheckErrorCases(t, cases, ComputeScale, func(t *testing.T, c surveytest.ErrorCase[Scale], _ error) {
		_, errT := NewTally(c.Scale)
		if errors.Is(c.Want, cxmetrics.ErrInvalidScale) {
			assert.ErrorIs(t, errT, cxmetrics.ErrInvalidScale)
			_, err := ComputeSeq(c.Scale, slices.Values(c.Scores))
			assert.ErrorIs(t, err, cxmetrics.ErrInvalidScale)
		}
	})
	// The first bad value is reported, also when a later block holds another.
	surveytest.CheckFirstBad(t, Compute, 4)

	_, err := ComputeSeq(Standard7, slices.Values([]int{}))
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty)
	_, err = Standard7.Category(8)
	assert.ErrorIs(t, err, cxmetrics.ErrOutOfRange)
	assert.True(t, strings.HasPrefix(err.Error(), "ces: score 8"))
	_, err = Scale{}.Category(0)
	assert.ErrorIs(t, err, cxmetrics.ErrInvalidScale)
}

func TestCategory(t *testing.T) {
	for _, c := range []struct {
		s    Scale
		want []Category // from Min up
	}{
		{Standard7, []Category{Difficult, Difficult, Difficult, Neutral, Easy, Easy, Easy}},
		{Standard5, []Category{Easy, Easy, Neutral, Difficult, Difficult}},
		{Scale{1, 4, false, 3, 2}, []Category{Easy, Easy, Difficult, Difficult}},
		{Scale{0, 10, true, 9, 6}, []Category{0, 0, 0, 0, 0, 0, 0, Neutral, Neutral, Easy, Easy}},
	} {
		for j, want := range c.want {
			got, err := c.s.Category(c.s.Min + j)
			require.NoError(t, err)
			assert.Equal(t, want, got, "%v rating %d", c.s, c.s.Min+j)
		}
	}
	assert.Equal(t, "easy", Easy.String())
	assert.Equal(t, "Category(5)", Category(5).String())
	var c Category
	require.NoError(t, c.UnmarshalText([]byte(" Neutral ")))
	assert.Equal(t, Neutral, c)
	assert.ErrorIs(t, c.UnmarshalText([]byte("hard")), cxmetrics.ErrUnknownLabel)
	_, err := Category(-1).MarshalText()
	assert.ErrorIs(t, err, cxmetrics.ErrUnknownLabel)
	b, err := json.Marshal(map[string]Category{"c": Difficult})
	require.NoError(t, err)
	assert.JSONEq(t, `{"c":"difficult"}`, string(b))
}

// Normalize maps both standard scales onto 0-100 with 100 the easiest end.
func TestNormalize(t *testing.T) {
	for _, c := range []struct {
		s      Scale
		scores []int
		want   float64
	}{
		{Standard7, []int{7, 7}, 100},
		{Standard7, []int{1, 1}, 0},
		{Standard7, []int{5, 6}, 75},   // 100 · (5.5 - 1)/6
		{Standard5, []int{2, 2}, 75},   // 100 · (5 - 2)/4
		{Standard5, []int{1, 1}, 100},  // very low effort
		{Standard5, []int{5, 4}, 12.5}, // 100 · (5 - 4.5)/4
		{Scale{0, 10, true, 9, 6}, []int{3, 4}, 35},
	} {
		r, err := ComputeScale(c.s, c.scores, nil)
		require.NoError(t, err)
		got, err := r.Normalize()
		require.NoError(t, err)
		assert.InDelta(t, c.want, got, 1e-12, "%v %v", c.s, c.scores)
	}
	_, err := Result{}.Normalize()
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty)
}

// A Result survives JSON, lists only its scale's points, and every method rejects a
// result whose fields do not fit together.
func TestResultJSONAndCheck(t *testing.T) {
	r, err := Compute(x7, w7)
	require.NoError(t, err)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	var raw map[string]any
	require.NoError(t, json.Unmarshal(b, &raw))
	assert.Len(t, raw["distribution"], 7)
	for _, key := range []string{"scale", "n", "weight", "effective_n", "mean", "sd", "easy", "difficult", "net_easy",
		"easy_count", "difficult_count", "easy_effective_n"} {
		assert.Contains(t, raw, key)
	}
	var back Result
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, r, back)
	require.NoError(t, back.check())

	for _, c := range []struct {
		name  string
		edit  func(*Result)
		wants error
	}{
		{"no answers", func(r *Result) { r.N = 0 }, cxmetrics.ErrEmpty},
		{"scale", func(r *Result) { r.Scale.EasyMin = 2 }, cxmetrics.ErrCorrupt},
		{"too many answers", func(r *Result) { r.N = MaxAnswers + 1 }, cxmetrics.ErrCorrupt},
		{"counts", func(r *Result) { r.EasyCount = r.N }, cxmetrics.ErrCorrupt},
		{"negative count", func(r *Result) { r.DifficultCount = -1 }, cxmetrics.ErrCorrupt},
		{"weight", func(r *Result) { r.Weight = math.Inf(1) }, cxmetrics.ErrCorrupt},
		{"effective n", func(r *Result) { r.EffectiveN = 0.5 }, cxmetrics.ErrCorrupt},
		{"NaN effective n", func(r *Result) { r.EffectiveN = math.NaN() }, cxmetrics.ErrCorrupt},
		{"easy effective n", func(r *Result) { r.EasyEffectiveN = 0 }, cxmetrics.ErrCorrupt},
		{"mean", func(r *Result) { r.Mean += 0.1 }, cxmetrics.ErrCorrupt},
		{"NaN mean", func(r *Result) { r.Mean = math.NaN() }, cxmetrics.ErrCorrupt},
		{"sd", func(r *Result) { r.SD *= 2 }, cxmetrics.ErrCorrupt},
		{"easy", func(r *Result) { r.Easy -= 0.01 }, cxmetrics.ErrCorrupt},
		{"difficult", func(r *Result) { r.Difficult = 0.5 }, cxmetrics.ErrCorrupt},
		{"net easy", func(r *Result) { r.NetEasy = 0 }, cxmetrics.ErrCorrupt},
		{"share", func(r *Result) { r.Distribution[0] = -0.1 }, cxmetrics.ErrCorrupt},
		{"mass beyond the scale", func(r *Result) { r.Distribution[6], r.Distribution[9] = 0, r.Distribution[6] }, cxmetrics.ErrCorrupt},
		{"sum", func(r *Result) { r.Distribution[3] += 0.01 }, cxmetrics.ErrCorrupt},
	} {
		bad := r
		c.edit(&bad)
		for _, err := range []error{
			bad.check(),
			func() error { _, err := bad.Interval(cxmetrics.TDist, 0.95); return err }(),
			func() error { _, err := bad.EasyInterval(cxmetrics.Wilson, 0.95); return err }(),
			func() error { _, err := bad.Bootstrap(rand.New(rand.NewPCG(1, 1)), 10, 0.95); return err }(),
			func() error { _, err := Compare(r, bad, 0.95); return err }(),
			func() error { _, err := Compare(bad, r, 0.95); return err }(),
			func() error { _, err := bad.Normalize(); return err }(),
		} {
			assert.ErrorIs(t, err, c.wants, c.name)
		}
		assert.Equal(t, cxmetrics.Estimate{}, bad.Estimate(), c.name)
		assert.Equal(t, 0.0, bad.Variance(), c.name)
	}
	e := r.Estimate()
	assert.Equal(t, cxmetrics.Estimate{Score: r.Mean, StdErr: r.StdErr(), N: 15, EffectiveN: r.EffectiveN}, e)
}

// An iterator that goes on after ComputeSeq asked it to stop changes nothing: the first
// bad score is reported, and nothing after it is counted.
func TestComputeSeqStubbornIterator(t *testing.T) {
	surveytest.CheckStubbornSeq(t, func(seq iter.Seq[int]) (Result, error) { return ComputeSeq(Standard7, seq) }, 1, 5, 9, 3, 0, 6)
}
