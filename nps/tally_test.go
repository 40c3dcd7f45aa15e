package nps

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
		scores[i] = rng.IntN(11)
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
}

func assertResultsClose(t *testing.T, want, got Result) {
	t.Helper()
	assert.Equal(t, want.N, got.N)
	assert.Equal(t, want.DetractorCount, got.DetractorCount)
	assert.Equal(t, want.PromoterCount, got.PromoterCount)
	assert.Equal(t, want.Scale, got.Scale)
	assert.InEpsilon(t, want.Weight, got.Weight, 1e-13)
	assert.InEpsilon(t, want.EffectiveN, got.EffectiveN, 1e-13)
	assert.InDelta(t, want.Score, got.Score, 1e-11)
	assert.InDelta(t, want.Promoters, got.Promoters, 1e-13)
	assert.InDelta(t, want.Detractors, got.Detractors, 1e-13)
}

// Merging tallies of split data equals adding all of it to one tally.
func TestTallyMerge(t *testing.T) {
	s := Scale{Min: 1, Max: 5, DetractorMax: 2, PromoterMin: 5}
	whole, err := NewTally(s)
	require.NoError(t, err)
	parts := make([]*Tally, 3)
	for i := range parts {
		parts[i], err = NewTally(s)
		require.NoError(t, err)
	}
	rng := rand.New(rand.NewPCG(2, 2))
	for i := range 3000 {
		score, w := 1+rng.IntN(5), rng.ExpFloat64()
		require.NoError(t, whole.AddWeighted(score, w))
		require.NoError(t, parts[i%3].AddWeighted(score, w))
	}
	merged, _ := NewTally(s)
	for _, p := range parts {
		require.NoError(t, merged.Merge(p))
	}
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

	var std Tally
	err = std.Merge(whole)
	assert.ErrorIs(t, err, cxmetrics.ErrScaleMismatch)
	whole.Reset()
	_, err = whole.Result()
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty)
}

func TestTallyErrors(t *testing.T) {
	var tl Tally
	assert.ErrorIs(t, tl.Add(11), cxmetrics.ErrOutOfRange)
	assert.ErrorIs(t, tl.AddWeighted(5, -1), cxmetrics.ErrNegativeWeight)
	assert.ErrorIs(t, tl.AddWeighted(5, math.NaN()), cxmetrics.ErrNotFinite)
	_, err := tl.Result()
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty, "rejected answers leave the tally unchanged")
	_, err = NewTally(Scale{Min: 3, Max: 1})
	assert.ErrorIs(t, err, cxmetrics.ErrInvalidScale)
	require.NoError(t, tl.AddWeighted(5, 0))
	_, err = tl.Result()
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty, "zero total weight")
}

func TestTallyBinaryRoundTrip(t *testing.T) {
	tl, err := NewTally(Scale{Min: 1, Max: 7, DetractorMax: 3, PromoterMin: 6})
	require.NoError(t, err)
	for i := range 100 {
		require.NoError(t, tl.AddWeighted(1+i%7, 0.5+float64(i%4)))
	}
	data, err := tl.MarshalBinary()
	require.NoError(t, err)
	var u Tally
	require.NoError(t, u.UnmarshalBinary(data))
	a, _ := tl.Result()
	b, err := u.Result()
	require.NoError(t, err)
	assert.Equal(t, a, b)
	again, err := u.MarshalBinary()
	require.NoError(t, err)
	assert.Equal(t, data, again)

	// Every truncation is rejected as corrupt, and leaves the target unchanged.
	for i := range len(data) {
		var v Tally
		require.NoError(t, v.Add(10))
		err := v.UnmarshalBinary(data[:i])
		assert.ErrorIs(t, err, cxmetrics.ErrCorrupt, "truncated to %d bytes", i)
		r, err := v.Result()
		require.NoError(t, err)
		assert.Equal(t, 1, r.N)
	}
	bad := append([]byte{}, data...)
	bad[0] = 9
	assert.ErrorIs(t, u.UnmarshalBinary(bad), cxmetrics.ErrCorrupt)
	assert.ErrorIs(t, u.UnmarshalBinary(append(data, 0)), cxmetrics.ErrCorrupt)
}
