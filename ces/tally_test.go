package ces

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/survey/surveytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTallyMatchesCompute(t *testing.T) {
	// The zero value works, on the Standard7 scale.
	tl, got, want := surveytest.TallyAndCompute[Tally, *Tally](t, Compute, 1, 7)
	assertResultsClose(t, want, got)
	assert.Equal(t, Standard7, tl.Scale())
	assert.Equal(t, Standard7, (*Tally)(nil).Scale())
}

func assertResultsClose(t *testing.T, want, got Result) {
	t.Helper()
	assert.Equal(t, want.N, got.N)
	assert.Equal(t, want.EasyCount, got.EasyCount)
	assert.Equal(t, want.DifficultCount, got.DifficultCount)
	assert.Equal(t, want.Scale, got.Scale)
	assert.InEpsilon(t, want.Weight, got.Weight, 1e-13)
	assert.InEpsilon(t, want.EffectiveN, got.EffectiveN, 1e-12)
	assert.InEpsilon(t, want.EasyEffectiveN, got.EasyEffectiveN, 1e-12)
	assert.InDelta(t, want.Mean, got.Mean, 1e-12)
	assert.InDelta(t, want.SD, got.SD, 1e-12)
	assert.InDelta(t, want.Easy, got.Easy, 1e-13)
	assert.InDelta(t, want.Difficult, got.Difficult, 1e-13)
	for j := range want.Distribution {
		assert.InDelta(t, want.Distribution[j], got.Distribution[j], 1e-13)
	}
}

// Merging tallies of split data equals adding all of it to one tally.
func TestTallyMerge(t *testing.T) {
	whole, m := surveytest.MergeParts[Tally, *Tally, Result](t, func() (*Tally, error) { return NewTally(Standard5) },
		func(rng *rand.Rand) int { return 1 + rng.IntN(5) })
	assertResultsClose(t, m.Whole, m.Parts)
	// Self-merge doubles.
	assert.Equal(t, 2*m.Whole.N, m.Doubled.N)
	assert.InDelta(t, m.Whole.Mean, m.Doubled.Mean, 1e-12)
	// The same range with other buckets is another scale.
	other, _ := NewTally(Scale{1, 5, false, 5, 2})
	assert.ErrorIs(t, whole.Merge(other), cxmetrics.ErrScaleMismatch)
	assert.Equal(t, Standard5, whole.Scale())
}

func TestTallyErrors(t *testing.T) {
	var tl Tally
	surveytest.CheckRefused[Tally, *Tally, Result](t, &tl, 5, 8, 0)
	_, err := NewTally(Scale{Min: 3, Max: 1})
	assert.ErrorIs(t, err, cxmetrics.ErrInvalidScale)
	require.NoError(t, tl.AddWeighted(5, 0))
	_, err = tl.Result()
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty, "zero total weight")

	surveytest.CheckNil[Tally, *Tally, Result](t, 1, &tl)
}

func TestTallyBinaryRoundTrip(t *testing.T) {
	for _, s := range []Scale{Standard7, Standard5, {-5, 5, false, 3, -2}} {
		tl, err := NewTally(s)
		require.NoError(t, err)
		for i := range 100 {
			require.NoError(t, tl.AddWeighted(s.Min+i%(s.Max-s.Min+1), 0.5+float64(i%4)))
		}
		data, u := surveytest.RoundTrip[Tally, *Tally, Result](t, tl, 7)
		assert.Equal(t, s, u.Scale())
		again, err := u.AppendBinary([]byte("prefix"))
		require.NoError(t, err)
		assert.Equal(t, data, again[len("prefix"):])
		bad := append([]byte{}, data...)
		bad[1] = 1 // an nps tally's kind
		assert.ErrorIs(t, u.UnmarshalBinary(bad), cxmetrics.ErrCorrupt)
	}
	// The direction is 0 or 1 and the buckets must make a valid scale: an encoding of
	// Standard7 with its parameters changed (bytes 3 to 7: Min, Max, direction, EasyMin,
	// DifficultMax as zig-zag varints) is rejected for its scale.
	var tl Tally
	require.NoError(t, tl.Add(4))
	data, err := tl.MarshalBinary()
	require.NoError(t, err)
	require.Equal(t, []byte{2, 3, 5, 2, 14, 2, 10, 6}, data[:8])
	for _, c := range []struct {
		at   int
		b    byte
		want string
	}{
		{5, 4, "direction 2, want 0 or 1"},
		{5, 1, "direction -1, want 0 or 1"},
		{6, 4, "difficult max 3 not below easy min 2"},
		{7, 0, "min 1 above difficult max 0"},
		{7, 12, "difficult max 6 not below easy min 5"},
	} {
		bad := append([]byte{}, data...)
		bad[c.at] = c.b
		err := new(Tally).UnmarshalBinary(bad)
		assert.ErrorIs(t, err, cxmetrics.ErrCorrupt)
		assert.ErrorContains(t, err, c.want)
	}
}

// A tally holds at most MaxAnswers answers: a merge or an add beyond is ErrTooLarge and
// leaves it unchanged.
func TestTallyTooLarge(t *testing.T) {
	// An encoding of Standard7 with c answers of weight 1 at rating 4.
	encode := func(c uint64) []byte {
		b := []byte{2, 3, 5, 2, 14, 2, 10, 6}
		for j := range 7 {
			n := uint64(0)
			if j == 3 {
				n = c
			}
			b = binary.AppendUvarint(b, n)
			for _, f := range []float64{float64(n), 0, float64(n), 0} {
				b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
			}
		}
		return b
	}
	var half Tally
	require.NoError(t, half.UnmarshalBinary(encode(1<<52+1)))
	assert.ErrorIs(t, half.Merge(&half), cxmetrics.ErrTooLarge)
	r, err := half.Result()
	require.NoError(t, err)
	assert.Equal(t, 1<<52+1, r.N)

	var full Tally
	require.NoError(t, full.UnmarshalBinary(encode(MaxAnswers)))
	assert.ErrorIs(t, full.Add(4), cxmetrics.ErrTooLarge)
	r, err = full.Result()
	require.NoError(t, err)
	assert.Equal(t, MaxAnswers, r.N)
	assert.Equal(t, float64(MaxAnswers), r.EffectiveN)
	iv, err := r.Interval(cxmetrics.TDist, 0.95)
	require.NoError(t, err)
	assert.Equal(t, [2]float64{4, 4}, [2]float64{iv.Lower, iv.Upper})
	var bad Tally
	assert.ErrorIs(t, bad.UnmarshalBinary(encode(MaxAnswers+1)), cxmetrics.ErrCorrupt)
}
