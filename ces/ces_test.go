package ces

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/cxmetrics/cxmetrics"
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
	ones := make([]float64, len(x7))
	for i := range ones {
		ones[i] = 1
	}
	a, err := Compute(x7, ones)
	require.NoError(t, err)
	b, err := Compute(x7, nil)
	require.NoError(t, err)
	assert.Equal(t, b, a)
	c, err := Compute([]int{7, 1}, []float64{1, 0})
	require.NoError(t, err)
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
		k := s.Max - s.Min + 1
		for _, n := range []int{1, 3, 8, 9, 1023, 2048, 2049, 5003} {
			scores := make([]int, n)
			weights := make([]float64, n)
			for i := range n {
				scores[i] = s.Min + (i*7919)%k
				weights[i] = float64(i%13) / 4
			}
			weights[0] = 1
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
			for _, x := range scores {
				require.NoError(t, tl.Add(x))
			}
			rt, err := tl.Result()
			require.NoError(t, err)
			assert.Equal(t, r, rt)

			rw, err := ComputeScale(s, scores, weights)
			require.NoError(t, err)
			assert.InDelta(t, w, rw.Weight, 1e-9)
			// Mean is float64(Min) + the offset mean: exact to an ulp of Min.
			assert.InDelta(t, wz/w, rw.Mean-float64(s.Min), 1e-9+4e-16*math.Abs(float64(s.Min)))
			assert.InDelta(t, we/w, rw.Easy, 1e-12)
			assert.InDelta(t, wd/w, rw.Difficult, 1e-12)
			assert.NoError(t, rw.check())

			// A bad score, then a bad weight before it: the first is reported.
			for _, bad := range []int{s.Min - 1, s.Max + 1, s.Max + 256, math.MinInt, math.MaxInt} {
				if bad >= s.Min && bad <= s.Max {
					continue // wrapped around the ends of int into the scale
				}
				at := (n * 2) / 3
				sc := slices.Clone(scores)
				sc[at] = bad
				_, err := ComputeScale(s, sc, nil)
				var ie *cxmetrics.InputError
				require.ErrorAs(t, err, &ie, "%v bad %d", s, bad)
				assert.Equal(t, at, ie.Index)
				assert.ErrorIs(t, err, cxmetrics.ErrOutOfRange)
				_, err = ComputeSeq(s, slices.Values(sc))
				require.ErrorAs(t, err, &ie)
				assert.Equal(t, at, ie.Index)
				ws := slices.Clone(weights)
				ws[at/2] = -1
				_, err = ComputeScale(s, sc, ws)
				require.ErrorAs(t, err, &ie)
				if at/2 < at {
					assert.Equal(t, at/2, ie.Index)
					assert.ErrorIs(t, err, cxmetrics.ErrNegativeWeight)
				}
			}
		}
	}
}

// Weighted sums are compensated across blocks, so the mean stays accurate to about 1e-14
// however many answers and however spread their weights. The reference is exact (math/big).
func TestWeightedSumAccuracy(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	n := 300_000
	scores := make([]int, n)
	weights := make([]float64, n)
	sw := new(big.Float).SetPrec(2000)
	swr := new(big.Float).SetPrec(2000)
	for i := range scores {
		scores[i] = 1 + rng.IntN(7)
		weights[i] = math.Exp(rng.NormFloat64() * 3)
		sw.Add(sw, big.NewFloat(weights[i]))
		swr.Add(swr, new(big.Float).Mul(big.NewFloat(weights[i]), big.NewFloat(float64(scores[i]))))
	}
	r, err := Compute(scores, weights)
	require.NoError(t, err)
	w, _ := sw.Float64()
	m, _ := new(big.Float).Quo(swr, sw).Float64()
	assert.InEpsilon(t, w, r.Weight, 1e-14)
	assert.InEpsilon(t, m, r.Mean, 1e-14)
}

func TestErrors(t *testing.T) {
	for _, c := range []struct {
		name    string
		s       Scale
		scores  []int
		weights []float64
		want    error
		msg     string
	}{
		{"empty", Standard7, nil, nil, cxmetrics.ErrEmpty, "ces: no answers"},
		{"score above", Standard7, []int{1, 2, 3, 8}, nil, cxmetrics.ErrOutOfRange, "ces: score 8 at index 3: out of range [1, 7]"},
		{"score below", Standard7, []int{0}, nil, cxmetrics.ErrOutOfRange, "ces: score 0 at index 0: out of range [1, 7]"},
		{"huge score", Standard7, []int{5, math.MaxInt}, nil, cxmetrics.ErrOutOfRange, "at index 1"},
		{"wrapping byte", Standard7, []int{5, 256 + 5}, nil, cxmetrics.ErrOutOfRange, "score 261 at index 1"},
		{"min int", Standard5, []int{math.MinInt}, nil, cxmetrics.ErrOutOfRange, "at index 0: out of range [1, 5]"},
		{"weighted score", Standard7, []int{1, 12}, []float64{1, 1}, cxmetrics.ErrOutOfRange, "score 12 at index 1"},
		{"negative weight", Standard7, []int{1, 2}, []float64{1, -0.5}, cxmetrics.ErrNegativeWeight, "ces: weight -0.5 at index 1: negative weight"},
		{"NaN weight", Standard7, []int{1, 2, 3}, []float64{1, 1, math.NaN()}, cxmetrics.ErrNotFinite, "weight NaN at index 2: not finite"},
		{"Inf weight", Standard7, []int{1}, []float64{math.Inf(1)}, cxmetrics.ErrNotFinite, "weight +Inf at index 0"},
		{"zero weights", Standard7, []int{1, 2}, []float64{0, 0}, cxmetrics.ErrEmpty, "weights sum to zero"},
		{"huge weight", Standard7, []int{1, 2}, []float64{1, math.MaxFloat64}, cxmetrics.ErrOutOfRange, "weight 1.7976931348623157e+308 at index 1"},
		{"weight whose square underflows", Standard7, []int{7, 1}, []float64{8e-163, 8e-163}, cxmetrics.ErrOutOfRange, "weight 8e-163 at index 0"},
		{"length", Standard7, []int{1, 2}, []float64{1}, cxmetrics.ErrLengthMismatch, "ces: 1 weights for 2 scores"},
		{"buckets overlap", Scale{1, 7, true, 3, 5}, []int{1}, nil, cxmetrics.ErrInvalidScale, "difficult max 5 not below easy min 3"},
		{"difficult below min", Scale{1, 7, true, 5, 0}, []int{1}, nil, cxmetrics.ErrInvalidScale, "min 1 above difficult max 0"},
		{"easy above max", Scale{1, 7, false, 8, 3}, []int{1}, nil, cxmetrics.ErrInvalidScale, "easy min 8 above max 7"},
		{"one point", Scale{1, 1, true, 1, 1}, []int{1}, nil, cxmetrics.ErrInvalidScale, "not below easy min"},
		{"reversed", Scale{7, 1, true, 5, 3}, []int{1}, nil, cxmetrics.ErrInvalidScale, "min 7 above max 1"},
		{"too many points", Scale{0, 11, true, 9, 3}, []int{1}, nil, cxmetrics.ErrInvalidScale, "more than 11 points"},
		{"whole int range", Scale{math.MinInt, math.MaxInt, true, 0, -1}, []int{1}, nil, cxmetrics.ErrInvalidScale, "more than 65536 points"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ComputeScale(c.s, c.scores, c.weights)
			require.Error(t, err)
			assert.ErrorIs(t, err, c.want)
			assert.Contains(t, err.Error(), c.msg)
			_, errT := NewTally(c.s)
			if errors.Is(c.want, cxmetrics.ErrInvalidScale) {
				assert.ErrorIs(t, errT, cxmetrics.ErrInvalidScale)
				_, err := ComputeSeq(c.s, slices.Values(c.scores))
				assert.ErrorIs(t, err, cxmetrics.ErrInvalidScale)
			}
		})
	}
	// The first bad value is reported, also when a later block holds another.
	scores := make([]int, 5000)
	for i := range scores {
		scores[i] = 4
	}
	scores[2100], scores[4000] = 42, -7
	_, err := Compute(scores, nil)
	var ie *cxmetrics.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, 2100, ie.Index)
	assert.Equal(t, 42, ie.Value)

	_, err = ComputeSeq(Standard7, slices.Values([]int{}))
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
	seq := func(yield func(int) bool) {
		for _, v := range []int{5, 9, 3, 0, 6} {
			yield(v)
		}
	}
	_, err := ComputeSeq(Standard7, seq)
	var ie *cxmetrics.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, 1, ie.Index)
	assert.Equal(t, 9, ie.Value)
}
