package nps

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
	tl, got, want := surveytest.TallyAndCompute[Tally, *Tally](t, Compute, 0, 10)
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
	_, m := surveytest.MergeParts[Tally, *Tally, Result](t, func() (*Tally, error) { return NewTally(s) },
		func(rng *rand.Rand) int { return 1 + rng.IntN(5) })
	assertResultsClose(t, m.Whole, m.Parts)
	// Self-merge doubles.
	assert.Equal(t, 2*m.Whole.N, m.Doubled.N)
	assert.InDelta(t, m.Whole.Score, m.Doubled.Score, 1e-11)
}

func TestTallyErrors(t *testing.T) {
	var tl Tally
	surveytest.CheckRefused[Tally, *Tally, Result](t, &tl, 5, 11)
	_, err := NewTally(Scale{Min: 3, Max: 1})
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
	surveytest.RoundTrip[Tally, *Tally, Result](t, tl, 10)
}
