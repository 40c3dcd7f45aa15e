package csat

import (
	"encoding/json"
	"errors"
	"iter"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/survey"
	"github.com/cxmetrics/cxmetrics/internal/survey/surveytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fromCounts returns the Result of counts[i] unweighted answers with score s.Min + i, as
// Compute gives it, without building the answers.
func fromCounts(t testing.TB, s Scale, counts ...int) Result {
	t.Helper()
	bins := make([]survey.Bin, len(counts))
	for j, c := range counts {
		bins[j].N = uint64(c)
		bins[j].W.Add(float64(c))
		bins[j].W2.Add(float64(c))
	}
	r, err := result(s, bins, make([]float64, len(counts)))
	require.NoError(t, err)
	return r
}

// binom returns the Result of x satisfied answers (5) and n - x others (1) on Standard.
func binom(t testing.TB, x, n int) Result {
	return fromCounts(t, Standard, n-x, 0, 0, 0, x)
}

func TestComputeUnweighted(t *testing.T) {
	// Derived by hand: answers 1, 2, 2, 3, 4, 4, 4, 5, 5, 5 on 1-5. Satisfied (4-5): 6 of 10.
	// Mean (1 + 4 + 3 + 12 + 15)/10 = 3.5.
	r, err := Compute([]int{4, 5, 1, 2, 4, 3, 5, 2, 4, 5}, nil)
	require.NoError(t, err)
	assert.Equal(t, 10, r.N)
	assert.Equal(t, 10.0, r.Weight)
	assert.Equal(t, 10.0, r.EffectiveN, "unweighted: n exactly")
	assert.Equal(t, 6, r.SatisfiedCount)
	assert.Equal(t, 0.6, r.Satisfied)
	assert.InDelta(t, 60, r.Score, 1e-12)
	assert.InDelta(t, 3.5, r.Mean, 1e-15)
	assert.Equal(t, [MaxDistributionPoints]int{1, 2, 1, 3, 3}, r.Counts)
	assert.Equal(t, []Point{{1, 1, 0.1}, {2, 2, 0.2}, {3, 1, 0.1}, {4, 3, 0.3}, {5, 3, 0.3}}, r.Distribution())
	// Var = 100² · 0.6 · 0.4 / 10 = 240.
	assert.InDelta(t, 240, r.Variance(), 1e-9)
	assert.InDelta(t, math.Sqrt(240), r.StdErr(), 1e-12)
	assert.Equal(t, cxmetrics.Estimate{Score: r.Score, StdErr: r.StdErr(), N: 10, EffectiveN: 10}, r.Estimate())

	// A 1-7 scale with 6-7 satisfied, and 0-10 with 9-10.
	r, err = ComputeScale(Scale{Min: 1, Max: 7, SatisfiedMin: 6}, []int{7, 6, 5, 1, 7}, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, r.SatisfiedCount)
	assert.InDelta(t, 60, r.Score, 1e-12)
	assert.InDelta(t, 26.0/5, r.Mean, 1e-15)
	r, err = ComputeScale(Recommend, []int{10, 9, 8, 0, 10, 6}, nil)
	require.NoError(t, err)
	assert.InDelta(t, 50, r.Score, 1e-12)
	assert.Len(t, r.Distribution(), 11)
	// Every answer satisfied when SatisfiedMin = Min.
	r, err = ComputeScale(Scale{Min: 1, Max: 5, SatisfiedMin: 1}, []int{1, 2}, nil)
	require.NoError(t, err)
	assert.Equal(t, 100.0, r.Score)
}

// TestWeightedSurveyPackage compares with R's survey package 4.1.1 (a design with weights
// only):
//
//	x <- c(1,2,2,3,4,5,5,5,1,3); w <- c(1,2,0.5,3,1,1,2,0.25,4,1.5)
//	des <- svydesign(ids=~1, weights=~w, data=data.frame(x=x, w=w, sat=as.numeric(x>=4)))
//	svymean(~sat, des) # 0.261538461538462, SE 0.152529234383561
//	svymean(~x, des)   # 2.69230769230769
//
// svymean's variance of a share carries the factor n/(n-1); the share's linearization
// variance here does not (it is the binomial p(1-p)/n for equal weights), so Variance is
// svymean's SE² · (n-1)/n, and EffectiveN = p(1-p)/Var = 9.22390359795381 (R: p*(1-p)/v).
func TestWeightedSurveyPackage(t *testing.T) {
	x := []int{1, 2, 2, 3, 4, 5, 5, 5, 1, 3}
	w := []float64{1, 2, 0.5, 3, 1, 1, 2, 0.25, 4, 1.5}
	r, err := Compute(x, w)
	require.NoError(t, err)
	assert.InDelta(t, 0.261538461538462, r.Satisfied, 1e-15)
	assert.InDelta(t, 2.69230769230769, r.Mean, 1e-14)
	assert.InDelta(t, 1e4*0.152529234383561*0.152529234383561*9/10, r.Variance(), 1e-10)
	assert.InDelta(t, 9.22390359795381, r.EffectiveN, 1e-13)
	assert.InDelta(t, 16.25, r.Weight, 1e-15)
	assert.Equal(t, 4, r.SatisfiedCount)
	// The weighted distribution: Σw per point over Σw = 16.25.
	for i, want := range []float64{5, 2.5, 4.5, 1, 3.25} {
		assert.InDelta(t, want/16.25, r.Shares[i], 1e-15, "share of %d", i+1)
	}

	// Unit weights give the unweighted result; zero weights count in N only.
	c := surveytest.UnitWeights(t, Compute, x, 5, 1)
	assert.Equal(t, 2, c.N)
	assert.Equal(t, 100.0, c.Score)
	assert.Equal(t, 5.0, c.Mean)
	assert.Equal(t, 1.0, c.EffectiveN)
	assert.Equal(t, []Point{{1, 1, 0}, {2, 0, 0}, {3, 0, 0}, {4, 0, 0}, {5, 1, 1}}, c.Distribution())
}

// plain computes a Result's counts, shares and mean the obvious way.
func plain(s Scale, scores []int, weights []float64) (counts []int, shares []float64, nSat int, pSat, mean float64) {
	k := s.Max - s.Min + 1
	counts, shares = make([]int, k), make([]float64, k)
	var total, sum float64
	for i, x := range scores {
		w := 1.0
		if weights != nil {
			w = weights[i]
		}
		counts[x-s.Min]++
		shares[x-s.Min] += w
		total += w
		sum += w * float64(x-s.Min)
		if x >= s.SatisfiedMin {
			nSat++
			pSat += w
		}
	}
	for i := range shares {
		shares[i] /= total
	}
	return counts, shares, nSat, pSat / total, float64(s.Min) + sum/total
}

// Compute, ComputeSeq and a Tally agree with a plain loop on every shape of scale,
// including scales longer than MaxDistributionPoints and scales at the ends of int, and
// report the same first bad value. (internal/survey tests each counting kernel.)
func TestPathsAgree(t *testing.T) {
	scales := []Scale{Standard, Recommend, {1, 7, 6}, {1, 10, 10}, {0, 10, 0}, {-3, 3, 0}, {0, 255, 200},
		{1, 11, 9}, {1, 12, 9}, {math.MinInt, math.MinInt + 4, math.MinInt + 3}, {math.MaxInt - 6, math.MaxInt, math.MaxInt - 1}}
	for _, s := range scales {
		k := s.Max - s.Min + 1
		for _, n := range []int{1, 3, 8, 9, 1023, 2049, 5003} {
			scores, weights := surveytest.Spaced(n, s.Min, s.Max)
			for _, w := range [][]float64{nil, weights} {
				counts, shares, nSat, pSat, mean := plain(s, scores, w)
				r, err := ComputeScale(s, scores, w)
				require.NoError(t, err, "%v", s)
				assert.Equal(t, n, r.N)
				assert.Equal(t, nSat, r.SatisfiedCount)
				assert.InDelta(t, pSat, r.Satisfied, 1e-12)
				assert.InDelta(t, mean, r.Mean, 1e-12*math.Max(1, math.Abs(mean)), "%v mean", s)
				if k <= MaxDistributionPoints {
					d := r.Distribution()
					require.Len(t, d, k)
					for i, p := range d {
						assert.Equal(t, s.Min+i, p.Score)
						assert.Equal(t, counts[i], p.Count)
						assert.InDelta(t, shares[i], p.Share, 1e-12)
					}
				} else {
					assert.Nil(t, r.Distribution())
					assert.Equal(t, [MaxDistributionPoints]int{}, r.Counts)
				}
				tl, err := NewTally(s)
				require.NoError(t, err)
				assertResultsClose(t, r, surveytest.Fill[Tally, *Tally, Result](t, tl, scores, w))
				d, err := tl.Distribution()
				require.NoError(t, err)
				require.Len(t, d, k)
				for i, p := range d {
					assert.Equal(t, counts[i], p.Count)
					assert.InDelta(t, shares[i], p.Share, 1e-12)
				}
				if w == nil {
					sq, err := ComputeSeq(s, slices.Values(scores))
					require.NoError(t, err)
					assert.Equal(t, r, sq)
				}
			}
			// A bad score, then a bad weight before it: the first is reported.
			surveytest.CheckBadValues(t, s.Min, s.Max, scores, weights,
				func(x []int, w []float64) (Result, error) { return ComputeScale(s, x, w) },
				func(x iter.Seq[int]) (Result, error) { return ComputeSeq(s, x) })
		}
	}
}

func assertResultsClose(t *testing.T, want, got Result) {
	t.Helper()
	assert.Equal(t, want.Scale, got.Scale)
	assert.Equal(t, want.N, got.N)
	assert.Equal(t, want.SatisfiedCount, got.SatisfiedCount)
	assert.Equal(t, want.Counts, got.Counts)
	assert.InEpsilon(t, want.Weight, got.Weight, 1e-13)
	assert.InEpsilon(t, want.EffectiveN, got.EffectiveN, 1e-12)
	assert.InDelta(t, want.Satisfied, got.Satisfied, 1e-13)
	assert.InDelta(t, want.Score, got.Score, 1e-11)
	assert.InDelta(t, want.Mean, got.Mean, 1e-12*math.Max(1, math.Abs(want.Mean)))
	for i := range want.Shares {
		assert.InDelta(t, want.Shares[i], got.Shares[i], 1e-13)
	}
}

// The mean is summed on offsets from Min, so scales at the ends of int keep the mean to
// the precision of float64(Min): answers Min, Min+1, Min+2 average to Min + 1, which
// rounds to float64(Min) only in the last step.
func TestMeanFarFromZero(t *testing.T) {
	s := Scale{Min: 1 << 40, Max: 1<<40 + 4, SatisfiedMin: 1<<40 + 3}
	r, err := ComputeScale(s, []int{1 << 40, 1<<40 + 1, 1<<40 + 2, 1<<40 + 4}, nil)
	require.NoError(t, err)
	assert.Equal(t, float64(1<<40)+1.75, r.Mean)
	s = Scale{Min: math.MinInt, Max: math.MinInt + 2, SatisfiedMin: math.MinInt + 2}
	r, err = ComputeScale(s, []int{math.MinInt, math.MinInt + 1, math.MinInt + 2}, nil)
	require.NoError(t, err)
	assert.Equal(t, float64(math.MinInt), r.Mean)
	assert.InDelta(t, 100.0/3, r.Score, 1e-12)
}

// Counts stay exact past 2^21 and 2^32 answers per block of any kernel.
func TestComputeLarge(t *testing.T) {
	r, n := surveytest.Large(t, Compute, 5, 1)
	assert.Equal(t, n-1, r.SatisfiedCount)
	assert.Equal(t, 1, r.Counts[0])
}

// Weighted sums are compensated across blocks: the share and the mean keep their relative
// accuracy whatever the number of answers and the spread of the weights. The reference is
// the exact sum in math/big.
func TestWeightedSumAccuracy(t *testing.T) {
	r, exact := surveytest.SpreadWeights(t, Compute, 1, 5)
	assert.InEpsilon(t, exact.Weight(), r.Weight, 1e-14)
	assert.InEpsilon(t, exact.Share(4, 5), r.Satisfied, 1e-14)
	assert.InEpsilon(t, exact.Mean(), r.Mean, 1e-14)
}

func TestErrors(t *testing.T) {
	cases := append(surveytest.InputErrorCases("csat", Standard, 1, 5),
		surveytest.Case("long scale", Scale{0, 1000, 900}, []int{0, 1001}, nil, cxmetrics.ErrOutOfRange, "score 1001 at index 1: out of range [0, 1000]"),
		surveytest.Case("scale order", Scale{5, 1, 4}, []int{1}, nil, cxmetrics.ErrInvalidScale, "min 5 above max 1"),
		surveytest.Case("satisfied below", Scale{1, 5, 0}, []int{1}, nil, cxmetrics.ErrInvalidScale, "satisfied min 0 below min 1"),
		surveytest.Case("satisfied above", Scale{1, 5, 6}, []int{1}, nil, cxmetrics.ErrInvalidScale, "satisfied min 6 above max 5"),
		surveytest.Case("scale size", Scale{0, 1 << 20, 4}, []int{1}, nil, cxmetrics.ErrInvalidScale, "more than 65536 points"),
		surveytest.Case("whole int", Scale{math.MinInt, math.MaxInt, 0}, []int{1}, nil, cxmetrics.ErrInvalidScale, "more than 65536 points"),
	)
	surveytest.CheckErrorCases(t, cases, ComputeScale, func(t *testing.T, c surveytest.ErrorCase[Scale], _ error) {
		if c.Weights == nil {
			_, err := ComputeSeq(c.Scale, slices.Values(c.Scores))
			assert.ErrorIs(t, err, c.Want, "ComputeSeq")
		}
	})
	// The first bad value is reported, also when a later block holds another.
	surveytest.CheckFirstBad(t, Compute, 3)

	// A stream that goes on after ComputeSeq stopped it changes nothing.
	surveytest.CheckStubbornSeq(t, func(seq iter.Seq[int]) (Result, error) { return ComputeSeq(Standard, seq) }, 1, 1, 9, 3, 4, 11)

	r, _ := Compute([]int{1, 5}, nil)
	for _, c := range []struct {
		m     cxmetrics.Method
		level float64
		want  error
		msg   string
	}{
		{cxmetrics.Wilson, 1, cxmetrics.ErrInvalidLevel, "csat: level 1"},
		{cxmetrics.Wilson, 0, cxmetrics.ErrInvalidLevel, "csat: level 0"},
		{cxmetrics.Wilson, math.NaN(), cxmetrics.ErrInvalidLevel, "csat: level NaN"},
		{cxmetrics.ClopperPearson, math.Nextafter(1, 0), cxmetrics.ErrInvalidLevel, "infinite"},
		{cxmetrics.Tango, 0.95, cxmetrics.ErrUnsupportedMethod, "csat: method Tango"},
		{cxmetrics.AdjustedWald, 0.95, cxmetrics.ErrUnsupportedMethod, "AdjustedWald"},
		{cxmetrics.Bootstrap, 0.95, cxmetrics.ErrUnsupportedMethod, "Bootstrap"},
		{cxmetrics.Method(99), 0.95, cxmetrics.ErrUnsupportedMethod, "Method(99)"},
	} {
		_, err := r.Interval(c.m, c.level)
		assert.ErrorIs(t, err, c.want, "%v %v", c.m, c.level)
		assert.ErrorContains(t, err, c.msg)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for _, c := range []struct {
		rng       *rand.Rand
		resamples int
		level     float64
		want      error
	}{
		{nil, 10, 0.95, cxmetrics.ErrNilRand},
		{rng, 0, 0.95, cxmetrics.ErrOutOfRange},
		{rng, -1, 0.95, cxmetrics.ErrOutOfRange},
		{rng, MaxResamples + 1, 0.95, cxmetrics.ErrTooLarge},
		{rng, 10, 1.5, cxmetrics.ErrInvalidLevel},
	} {
		_, err := r.Bootstrap(c.rng, c.resamples, c.level)
		assert.ErrorIs(t, err, c.want, "%+v", c)
	}
	_, err := Compare(r, Result{}, 0.95)
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty)
	_, err = Compare(Result{}, r, 0.95)
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty)
	_, err = Compare(r, r, -0.5)
	assert.ErrorIs(t, err, cxmetrics.ErrInvalidLevel)
	_, err = Result{}.Interval(cxmetrics.Wilson, 0.95)
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty)
	_, err = Result{}.Bootstrap(rng, 10, 0.95)
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty)
}

// corrupt returns results that no Compute can return, each with the field it breaks.
func corrupt(t *testing.T) map[string]Result {
	r, err := Compute([]int{1, 2, 4, 5, 5}, []float64{1, 2, 1, 1, 0.5})
	require.NoError(t, err)
	long, err := ComputeScale(Scale{0, 20, 15}, []int{0, 16, 20}, nil)
	require.NoError(t, err)
	m := map[string]Result{}
	edit := func(name string, base Result, f func(*Result)) {
		c := base
		f(&c)
		m[name] = c
	}
	edit("scale", r, func(r *Result) { r.Scale.SatisfiedMin = 9 })
	edit("answers", r, func(r *Result) { r.N = MaxAnswers + 1 })
	edit("satisfied count", r, func(r *Result) { r.SatisfiedCount = 6 })
	edit("negative satisfied count", r, func(r *Result) { r.SatisfiedCount = -1 })
	edit("weight", r, func(r *Result) { r.Weight = 0 })
	edit("infinite weight", r, func(r *Result) { r.Weight = math.Inf(1) })
	edit("NaN effective n", r, func(r *Result) { r.EffectiveN = math.NaN() })
	edit("effective n", r, func(r *Result) { r.EffectiveN = -3 })
	edit("effective n below 1", r, func(r *Result) { r.EffectiveN = 0.5 })
	edit("effective n beyond MaxAnswers", r, func(r *Result) { r.EffectiveN = 2 * MaxAnswers })
	edit("share", r, func(r *Result) { r.Satisfied, r.Score = 1.5, 150 })
	edit("NaN share", r, func(r *Result) { r.Satisfied, r.Score = math.NaN(), math.NaN() })
	edit("score", r, func(r *Result) { r.Score = 12 })
	edit("mean", r, func(r *Result) { r.Mean = 0 })
	edit("NaN mean", r, func(r *Result) { r.Mean = math.NaN() })
	edit("mean of the shares", r, func(r *Result) { r.Mean += 0.5 })
	edit("counts", r, func(r *Result) { r.Counts[2]++ })
	edit("negative count", r, func(r *Result) { r.Counts[2] = -1; r.Counts[1] += 1 })
	edit("count beyond the scale", r, func(r *Result) { r.Counts[7] = 1; r.N++ })
	edit("satisfied counts", r, func(r *Result) { r.Counts[4]--; r.Counts[0]++ })
	edit("shares", r, func(r *Result) { r.Shares[0] += 0.01 })
	edit("share of no answer", r, func(r *Result) { r.Shares[2] = 0.01; r.Shares[1] -= 0.01 })
	edit("satisfied shares", r, func(r *Result) { r.Shares[3] += 0.1; r.Shares[0] -= 0.1 })
	edit("NaN in shares", r, func(r *Result) { r.Shares[0] = math.NaN() })
	edit("satisfied share without satisfied answers", binom(t, 0, 3), func(r *Result) { r.Satisfied, r.Score = 0.1, 10 })
	edit("distribution on a long scale", long, func(r *Result) { r.Counts[0] = 1 })
	return m
}

// Every method validates a Result decoded from JSON or built by hand.
func TestCorruptResults(t *testing.T) {
	good := binom(t, 3, 10)
	rng := rand.New(rand.NewPCG(1, 1))
	for name, r := range corrupt(t) {
		data, err := json.Marshal(r)
		if err == nil { // NaN does not encode
			var back Result
			require.NoError(t, json.Unmarshal(data, &back))
			assert.Equal(t, r, back, name)
		}
		require.ErrorIs(t, r.check(), cxmetrics.ErrCorrupt, name)
		_, err = r.Interval(cxmetrics.Wilson, 0.95)
		assert.ErrorIs(t, err, cxmetrics.ErrCorrupt, name)
		_, err = r.Bootstrap(rng, 10, 0.95)
		assert.ErrorIs(t, err, cxmetrics.ErrCorrupt, name)
		_, err = Compare(r, good, 0.95)
		assert.ErrorIs(t, err, cxmetrics.ErrCorrupt, name)
		_, err = Compare(good, r, 0.95)
		assert.ErrorIs(t, err, cxmetrics.ErrCorrupt, name)
		assert.Equal(t, 0.0, r.Variance(), name)
		assert.Equal(t, cxmetrics.Estimate{}, r.Estimate(), name)
		assert.Nil(t, r.Distribution(), name)
	}
	// Every Result of Compute passes, and survives JSON.
	for _, r := range []Result{good, binom(t, 0, 1), binom(t, 7, 7)} {
		data, err := json.Marshal(r)
		require.NoError(t, err)
		var back Result
		require.NoError(t, json.Unmarshal(data, &back))
		assert.Equal(t, r, back)
		assert.NoError(t, back.check())
	}
}

func TestJSON(t *testing.T) {
	r, err := Compute([]int{5, 4, 2}, nil)
	require.NoError(t, err)
	data, err := json.Marshal(r)
	require.NoError(t, err)
	assert.JSONEq(t, `{"scale":{"min":1,"max":5,"satisfied_min":4},"n":3,"weight":3,"effective_n":3,
		"satisfied_count":2,"satisfied":0.6666666666666666,"score":66.66666666666666,"mean":3.6666666666666665,
		"counts":[0,1,0,1,1,0,0,0,0,0,0],"shares":[0,0.3333333333333333,0,0.3333333333333333,0.3333333333333333,0,0,0,0,0,0]}`, string(data))
	c, err := Compare(r, r, 0.95)
	require.NoError(t, err)
	data, err = json.Marshal(c)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"method":"Wilson"`)
}

func TestScale(t *testing.T) {
	assert.Equal(t, "[1, 5] satisfied >= 4", Standard.String())
	assert.NoError(t, Recommend.Validate())
	assert.NoError(t, Scale{Min: 3, Max: 3, SatisfiedMin: 3}.Validate())
	var ie error = Scale{Min: 2, Max: 1, SatisfiedMin: 1}.Validate()
	assert.True(t, errors.Is(ie, cxmetrics.ErrInvalidScale))
}
