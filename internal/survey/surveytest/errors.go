package surveytest

import (
	"fmt"
	"iter"
	"math"
	"slices"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ErrorCase is answers that ComputeScale must refuse on scale S: the error wraps Want and
// its message contains Msg.
type ErrorCase[S any] struct {
	Name    string
	Scale   S
	Scores  []int
	Weights []float64
	Want    error
	Msg     string
}

// Case returns an ErrorCase with these fields.
func Case[S any](name string, s S, scores []int, weights []float64, want error, msg string) ErrorCase[S] {
	return ErrorCase[S]{name, s, scores, weights, want, msg}
}

// InputErrorCases returns the answers and weights that every package refuses, on its
// scale s of points lo to hi (lo ≤ 1 and hi ≥ 5, so that 1, 2, 3 and 5 are scores on
// it): no answers, scores beyond either end or wrapping around a byte, and every class
// of bad weight.
func InputErrorCases[S any](pkg string, s S, lo, hi int) []ErrorCase[S] {
	outside := fmt.Sprintf("out of range [%d, %d]", lo, hi)
	return []ErrorCase[S]{
		{"empty", s, nil, nil, cxmetrics.ErrEmpty, pkg + ": no answers"},
		{"empty weighted", s, []int{}, []float64{}, cxmetrics.ErrEmpty, pkg + ": no answers"},
		{"score above", s, []int{1, 2, 3, hi + 1}, nil, cxmetrics.ErrOutOfRange, fmt.Sprintf("%s: score %d at index 3: %s", pkg, hi+1, outside)},
		{"score below", s, []int{lo - 1}, nil, cxmetrics.ErrOutOfRange, fmt.Sprintf("%s: score %d at index 0: %s", pkg, lo-1, outside)},
		{"huge score", s, []int{5, math.MaxInt}, nil, cxmetrics.ErrOutOfRange, "at index 1"},
		{"wrapping byte", s, []int{5, 256 + 5}, nil, cxmetrics.ErrOutOfRange, "score 261 at index 1"},
		{"min int", s, []int{math.MinInt}, nil, cxmetrics.ErrOutOfRange, "at index 0: " + outside},
		{"weighted score", s, []int{1, 12}, []float64{1, 1}, cxmetrics.ErrOutOfRange, "score 12 at index 1"},
		{"negative weight", s, []int{1, 2}, []float64{1, -0.5}, cxmetrics.ErrNegativeWeight, pkg + ": weight -0.5 at index 1: negative weight"},
		{"NaN weight", s, []int{1, 2, 3}, []float64{1, 1, math.NaN()}, cxmetrics.ErrNotFinite, "weight NaN at index 2: not finite"},
		{"Inf weight", s, []int{1}, []float64{math.Inf(1)}, cxmetrics.ErrNotFinite, "weight +Inf at index 0"},
		{"zero weights", s, []int{1, 2}, []float64{0, 0}, cxmetrics.ErrEmpty, "weights sum to zero"},
		{"huge weight", s, []int{1, 2}, []float64{1, math.MaxFloat64}, cxmetrics.ErrOutOfRange, "weight 1.7976931348623157e+308 at index 1"},
		{"weight whose square overflows", s, []int{hi}, []float64{1e200}, cxmetrics.ErrOutOfRange, "weight 1e+200 at index 0"},
		{"weight whose square underflows", s, []int{hi, lo}, []float64{8e-163, 8e-163}, cxmetrics.ErrOutOfRange, "weight 8e-163 at index 0"},
		{"length", s, []int{1, 2}, []float64{1}, cxmetrics.ErrLengthMismatch, pkg + ": 1 weights for 2 scores"},
	}
}

// CheckErrorCases runs each case as a subtest: compute (a package's ComputeScale) must
// fail with an error that wraps c.Want and says c.Msg; then more, if not nil, checks
// what else the package promises of the case and its error.
func CheckErrorCases[S, R any](t *testing.T, cases []ErrorCase[S], compute func(S, []int, []float64) (R, error),
	more func(*testing.T, ErrorCase[S], error)) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			_, err := compute(c.Scale, c.Scores, c.Weights)
			require.Error(t, err)
			assert.ErrorIs(t, err, c.Want)
			assert.Contains(t, err.Error(), c.Msg)
			if more != nil {
				more(t, c, err)
			}
		})
	}
}

// CheckFirstBad checks that compute (a package's Compute) reports the first bad value
// also when a later block holds another: 5000 answers of the valid score with 42 at 2100
// and -7 at 4000 fail at 2100 with value 42, and all valid scores with a negative weight
// at 3000 fail at 3000.
func CheckFirstBad[R any](t *testing.T, compute func([]int, []float64) (R, error), valid int) {
	t.Helper()
	scores := make([]int, 5000)
	for i := range scores {
		scores[i] = valid
	}
	scores[2100], scores[4000] = 42, -7
	_, err := compute(scores, nil)
	var ie *cxmetrics.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, 2100, ie.Index)
	assert.Equal(t, 42, ie.Value)
	weights := make([]float64, 5000)
	weights[3000] = -1
	scores[2100], scores[4000] = valid, valid
	_, err = compute(scores, weights)
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, 3000, ie.Index)
}

// CheckStubbornSeq checks that computeSeq (a package's ComputeSeq on one scale), given an
// iterator of values that goes on after it was asked to stop, reports the first bad
// value, at index bad, and counts nothing after it.
func CheckStubbornSeq[R any](t *testing.T, computeSeq func(iter.Seq[int]) (R, error), bad int, values ...int) {
	t.Helper()
	seq := func(yield func(int) bool) {
		for _, v := range values {
			yield(v)
		}
	}
	_, err := computeSeq(seq)
	var ie *cxmetrics.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, bad, ie.Index)
	assert.Equal(t, values[bad], ie.Value)
}

// CheckBadValues checks that compute (a package's ComputeScale on the scale [lo, hi]) and
// computeSeq (its ComputeSeq on that scale) report a bad score at two thirds of the
// answers, whatever its value beyond the scale, and that compute reports a bad weight
// before it instead (but for -0, a valid weight): an InputError with the index of the
// first bad value.
func CheckBadValues[R any](t *testing.T, lo, hi int, scores []int, weights []float64,
	compute func([]int, []float64) (R, error), computeSeq func(iter.Seq[int]) (R, error)) {
	t.Helper()
	at := (len(scores) * 2) / 3
	for _, bad := range []int{lo - 1, hi + 1, hi + 256, math.MinInt, math.MaxInt} {
		if bad >= lo && bad <= hi {
			continue // wrapped around the ends of int into the scale
		}
		sc := slices.Clone(scores)
		sc[at] = bad
		var ie *cxmetrics.InputError
		_, err := compute(sc, nil)
		require.ErrorAs(t, err, &ie, "[%d, %d] bad %d", lo, hi, bad)
		assert.Equal(t, at, ie.Index)
		assert.ErrorIs(t, err, cxmetrics.ErrOutOfRange)
		_, err = computeSeq(slices.Values(sc))
		require.ErrorAs(t, err, &ie, "[%d, %d] bad %d", lo, hi, bad)
		assert.Equal(t, at, ie.Index)
		for _, badW := range []float64{-1, math.NaN(), math.Inf(1), math.Copysign(0, -1), 1e200} {
			ws := slices.Clone(weights)
			ws[at/2] = badW
			_, err := compute(sc, ws)
			require.ErrorAs(t, err, &ie, "[%d, %d] bad %d/%v", lo, hi, bad, badW)
			want := at / 2
			if badW == 0 { // -0 is a valid weight: the score is the first bad value
				want = at
			}
			assert.Equal(t, want, ie.Index, "weight %v", badW)
			if badW < 0 && at/2 < at {
				assert.ErrorIs(t, err, cxmetrics.ErrNegativeWeight)
			}
		}
	}
}
