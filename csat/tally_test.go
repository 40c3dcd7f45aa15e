package csat

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTallyMatchesCompute(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	scores := make([]int, 1000)
	weights := make([]float64, 1000)
	for i := range scores {
		scores[i] = 1 + rng.IntN(5)
		weights[i] = rng.Float64() * 3
	}
	var tl Tally // the zero value works, on the Standard scale
	for i, s := range scores {
		require.NoError(t, tl.AddWeighted(s, weights[i]))
	}
	got, err := tl.Result()
	require.NoError(t, err)
	want, err := Compute(scores, weights)
	require.NoError(t, err)
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
	whole, err := NewTally(s)
	require.NoError(t, err)
	parts := make([]*Tally, 3)
	for i := range parts {
		parts[i], err = NewTally(s)
		require.NoError(t, err)
	}
	rng := rand.New(rand.NewPCG(2, 2))
	for i := range 3000 {
		score, w := 1+rng.IntN(7), rng.ExpFloat64()
		require.NoError(t, whole.AddWeighted(score, w))
		require.NoError(t, parts[i%3].AddWeighted(score, w))
	}
	merged, _ := NewTally(s)
	for _, p := range parts {
		require.NoError(t, merged.Merge(p))
	}
	require.NoError(t, merged.Merge(nil))
	a, err := whole.Result()
	require.NoError(t, err)
	b, err := merged.Result()
	require.NoError(t, err)
	assertResultsClose(t, a, b)

	// Self-merge doubles.
	c := whole.Clone()
	require.NoError(t, c.Merge(c))
	d, err := c.Result()
	require.NoError(t, err)
	assert.Equal(t, 2*a.N, d.N)
	assert.InDelta(t, a.Score, d.Score, 1e-11)
	assert.InDelta(t, 2*a.EffectiveN, d.EffectiveN, 1e-9)

	var std Tally
	err = std.Merge(whole)
	assert.ErrorIs(t, err, cxmetrics.ErrScaleMismatch)
	assert.ErrorContains(t, err, "csat: merge [1, 7] satisfied >= 6 into [1, 5] satisfied >= 4")
	whole.Reset()
	_, err = whole.Result()
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty)
	assert.Equal(t, s, whole.Scale(), "Reset keeps the scale")
}

func TestTallyErrors(t *testing.T) {
	var tl Tally
	assert.ErrorIs(t, tl.Add(6), cxmetrics.ErrOutOfRange)
	assert.ErrorIs(t, tl.Add(0), cxmetrics.ErrOutOfRange)
	assert.ErrorIs(t, tl.AddWeighted(5, -1), cxmetrics.ErrNegativeWeight)
	assert.ErrorIs(t, tl.AddWeighted(5, math.NaN()), cxmetrics.ErrNotFinite)
	assert.ErrorIs(t, tl.AddWeighted(5, 1e151), cxmetrics.ErrOutOfRange)
	_, err := tl.Result()
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty, "rejected answers leave the tally unchanged")
	_, err = tl.Distribution()
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
	var nilTally *Tally
	assert.ErrorIs(t, nilTally.Add(3), cxmetrics.ErrEmpty)
	assert.ErrorIs(t, nilTally.Merge(&tl), cxmetrics.ErrEmpty)
	assert.ErrorIs(t, nilTally.UnmarshalBinary(nil), cxmetrics.ErrEmpty)
	_, err = nilTally.Result()
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty)
	_, err = nilTally.MarshalBinary()
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty)
	_, err = nilTally.Distribution()
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty)
	assert.Nil(t, nilTally.Clone())
	assert.Equal(t, Standard, nilTally.Scale())
	nilTally.Reset()
}

func TestTallyBinaryRoundTrip(t *testing.T) {
	tl, err := NewTally(Scale{Min: 0, Max: 10, SatisfiedMin: 9})
	require.NoError(t, err)
	for i := range 100 {
		require.NoError(t, tl.AddWeighted(i%11, 0.5+float64(i%4)))
	}
	data, err := tl.MarshalBinary()
	require.NoError(t, err)
	assert.Equal(t, []byte{2, 2, 3, 0, 20, 18}, data[:6], "version, kind, 3 parameters, zig-zag 0, 10, 9")
	var u Tally
	require.NoError(t, u.UnmarshalBinary(data))
	a, _ := tl.Result()
	b, err := u.Result()
	require.NoError(t, err)
	assert.Equal(t, a, b)
	again, err := u.MarshalBinary()
	require.NoError(t, err)
	assert.Equal(t, data, again)
	prefixed, err := u.AppendBinary([]byte("x"))
	require.NoError(t, err)
	assert.Equal(t, append([]byte("x"), data...), prefixed)

	// Every truncation is rejected as corrupt, and leaves the target unchanged.
	for i := range len(data) {
		var v Tally
		require.NoError(t, v.Add(5))
		err := v.UnmarshalBinary(data[:i])
		assert.ErrorIs(t, err, cxmetrics.ErrCorrupt, "truncated to %d bytes", i)
		r, err := v.Result()
		require.NoError(t, err)
		assert.Equal(t, 1, r.N)
	}
	for _, edit := range []func([]byte){
		func(b []byte) { b[0] = 9 },  // version
		func(b []byte) { b[1] = 1 },  // an nps tally
		func(b []byte) { b[2] = 4 },  // parameters
		func(b []byte) { b[5] = 22 }, // satisfied min 11 > max 10
	} {
		bad := append([]byte{}, data...)
		edit(bad)
		assert.ErrorIs(t, u.UnmarshalBinary(bad), cxmetrics.ErrCorrupt)
	}
	assert.ErrorIs(t, u.UnmarshalBinary(append(data, 0)), cxmetrics.ErrCorrupt)
	got, err := u.Result()
	require.NoError(t, err)
	assert.Equal(t, a, got, "rejected encodings leave the tally unchanged")
}
