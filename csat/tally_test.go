package csat

import (
	"math/rand/v2"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/survey/surveytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTallyMatchesCompute(t *testing.T) {
	// The zero value works, on the Standard scale.
	tl, got, want := surveytest.TallyAndCompute[Tally, *Tally](t, Compute, 1, 5)
	assertResultsClose(t, want, got)
	assert.Equal(t, Standard, tl.Scale())
	d, err := tl.Distribution()
	require.NoError(t, err)
	require.Len(t, d, 5)
	for i, p := range want.Distribution() {
		assert.Equal(t, p.Count, d[i].Count)
		assert.InDelta(t, p.Share, d[i].Share, 1e-14)
	}
}

// Merging tallies of split data equals adding all of it to one tally.
func TestTallyMerge(t *testing.T) {
	s := Scale{Min: 1, Max: 7, SatisfiedMin: 6}
	whole, m := surveytest.MergeParts[Tally, *Tally, Result](t, func() (*Tally, error) { return NewTally(s) },
		func(rng *rand.Rand) int { return 1 + rng.IntN(7) })
	assertResultsClose(t, m.Whole, m.Parts)
	// Self-merge doubles.
	assert.Equal(t, 2*m.Whole.N, m.Doubled.N)
	assert.InDelta(t, m.Whole.Score, m.Doubled.Score, 1e-11)
	assert.InDelta(t, 2*m.Whole.EffectiveN, m.Doubled.EffectiveN, 1e-9)
	assert.ErrorContains(t, m.Mismatch, "csat: merge [1, 7] satisfied >= 6 into [1, 5] satisfied >= 4")
	assert.Equal(t, s, whole.Scale(), "Reset keeps the scale")
}

func TestTallyErrors(t *testing.T) {
	var tl Tally
	surveytest.CheckRefused[Tally, *Tally, Result](t, &tl, 5, 6, 0)
	_, err := tl.Distribution()
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty)
	_, err = NewTally(Scale{Min: 3, Max: 1, SatisfiedMin: 2})
	assert.ErrorIs(t, err, cxmetrics.ErrInvalidScale)
	require.NoError(t, tl.AddWeighted(5, 0))
	_, err = tl.Result()
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty, "zero total weight")

	// Sums that would overflow are refused, and leave the tally as it was.
	big, _ := NewTally(Standard)
	for range 4 {
		require.NoError(t, big.AddWeighted(5, 1e150))
	}
	var twice *Tally
	for range 1100 {
		twice = big.Clone()
		if err := big.Merge(twice); err != nil {
			assert.ErrorIs(t, err, cxmetrics.ErrNotFinite)
			break
		}
	}
	r, err := big.Result()
	require.NoError(t, err)
	assert.Equal(t, 100.0, r.Score)

	// A nil tally is an error, never a panic.
	surveytest.CheckNil[Tally, *Tally, Result](t, 3, &tl)
	var nilTally *Tally
	_, err = nilTally.Distribution()
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty)
	assert.Equal(t, Standard, nilTally.Scale())
}

func TestTallyBinaryRoundTrip(t *testing.T) {
	tl, err := NewTally(Scale{Min: 0, Max: 10, SatisfiedMin: 9})
	require.NoError(t, err)
	for i := range 100 {
		require.NoError(t, tl.AddWeighted(i%11, 0.5+float64(i%4)))
	}
	data, u := surveytest.RoundTrip[Tally, *Tally, Result](t, tl, 5)
	assert.Equal(t, []byte{2, 2, 3, 0, 20, 18}, data[:6], "version, kind, 3 parameters, zig-zag 0, 10, 9")
	prefixed, err := u.AppendBinary([]byte("x"))
	require.NoError(t, err)
	assert.Equal(t, append([]byte("x"), data...), prefixed)
	for _, edit := range []func([]byte){
		func(b []byte) { b[1] = 1 },  // an nps tally
		func(b []byte) { b[2] = 4 },  // parameters
		func(b []byte) { b[5] = 22 }, // satisfied min 11 > max 10
	} {
		bad := append([]byte{}, data...)
		edit(bad)
		assert.ErrorIs(t, u.UnmarshalBinary(bad), cxmetrics.ErrCorrupt)
	}
	a, _ := tl.Result()
	got, err := u.Result()
	require.NoError(t, err)
	assert.Equal(t, a, got, "rejected encodings leave the tally unchanged")
}
