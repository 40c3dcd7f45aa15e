package csat_test

import (
	"math/rand/v2"
	"testing"

	"github.com/cxmetrics/cxmetrics/csat"
	"github.com/cxmetrics/cxmetrics/internal/survey/surveytest"
	"github.com/cxmetrics/cxmetrics/nps"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The WRS of the Recommend scale is the promoter share of the NPS on the same answers,
// weighted or not.
func TestWRSIsThePromoterShare(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for _, n := range []int{1, 7, 100, 5000} {
		scores, weights := surveytest.Answers(rng, n, 0, 10, func(rng *rand.Rand) float64 { return 0.1 + rng.ExpFloat64() })
		for _, w := range [][]float64{nil, weights} {
			wrs, err := csat.ComputeScale(csat.Recommend, scores, w)
			require.NoError(t, err)
			p, err := nps.Compute(scores, w)
			require.NoError(t, err)
			assert.InDelta(t, 100*p.Promoters, wrs.Score, 1e-12, "n %d", n)
			assert.Equal(t, p.PromoterCount, wrs.SatisfiedCount)
		}
	}
}
