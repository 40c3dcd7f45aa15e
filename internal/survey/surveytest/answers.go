package surveytest

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Answers draws n scores uniformly from lo to hi and, unless weight is nil, a weight for
// each from weight, drawing a score and then its weight answer by answer.
func Answers(rng *rand.Rand, n, lo, hi int, weight func(*rand.Rand) float64) ([]int, []float64) {
	scores := make([]int, n)
	var weights []float64
	if weight != nil {
		weights = make([]float64, n)
	}
	for i := range scores {
		scores[i] = lo + rng.IntN(hi-lo+1)
		if weight != nil {
			weights[i] = weight(rng)
		}
	}
	return scores, weights
}

// uniform returns a draw of weights uniform in [lo, hi).
func uniform(lo, hi float64) func(*rand.Rand) float64 {
	return func(rng *rand.Rand) float64 { return lo + (hi-lo)*rng.Float64() }
}

// spread draws weights that span many orders of magnitude: exp(3·Z) for a standard
// normal Z.
func spread(rng *rand.Rand) float64 { return math.Exp(rng.NormFloat64() * 3) }

// ones returns n weights of 1.
func ones(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 1
	}
	return w
}

// Spaced returns n answers that step through the points of [lo, hi] by 7919 (a prime, so
// every point of a short scale comes up) and weights i%13/4, the first 1 (so that some
// later weights are 0).
func Spaced(n, lo, hi int) ([]int, []float64) {
	k := hi - lo + 1
	scores := make([]int, n)
	weights := make([]float64, n)
	for i := range scores {
		scores[i] = lo + (i*7919)%k
		weights[i] = float64(i%13) / 4
	}
	weights[0] = 1
	return scores, weights
}

// Exact holds answers whose weighted sums it computes exactly in math/big, rounding once.
type Exact struct {
	Scores  []int
	Weights []float64
}

// Weight returns the sum of the weights.
func (e Exact) Weight() float64 {
	f, _ := e.sum(func(int) bool { return true }, false).Float64()
	return f
}

// Share returns the weighted share of the answers with scores from lo to hi.
func (e Exact) Share(lo, hi int) float64 {
	in := e.sum(func(x int) bool { return x >= lo && x <= hi }, false)
	f, _ := in.Quo(in, e.sum(func(int) bool { return true }, false)).Float64()
	return f
}

// Mean returns the weighted mean score.
func (e Exact) Mean() float64 {
	sum := e.sum(func(int) bool { return true }, true)
	f, _ := sum.Quo(sum, e.sum(func(int) bool { return true }, false)).Float64()
	return f
}

// sum returns Σ w (or Σ w·score when byScore) over the answers whose score is in.
func (e Exact) sum(in func(int) bool, byScore bool) *big.Float {
	s := new(big.Float).SetPrec(2000)
	for i, x := range e.Scores {
		if !in(x) {
			continue
		}
		w := big.NewFloat(e.Weights[i])
		if byScore {
			w.Mul(w, big.NewFloat(float64(x)))
		}
		s.Add(s, w)
	}
	return s
}

// SpreadWeights returns compute's result of 300000 scores uniform from lo to hi with
// weights exp(3·Z) for a standard normal Z, spanning many orders of magnitude, and the
// answers for exact sums.
func SpreadWeights[R any](t *testing.T, compute func([]int, []float64) (R, error), lo, hi int) (R, Exact) {
	t.Helper()
	scores, weights := Answers(rand.New(rand.NewPCG(1, 1)), 300_000, lo, hi, spread)
	r, err := compute(scores, weights)
	require.NoError(t, err)
	return r, Exact{scores, weights}
}

// UnitWeights checks that compute gives scores with weights of 1 the same result as
// without weights, and returns the result of the answers top and bottom with weights 1
// and 0 (a zero weight counts as an answer only).
func UnitWeights[R any](t *testing.T, compute func([]int, []float64) (R, error), scores []int, top, bottom int) R {
	t.Helper()
	weighted, err := compute(scores, ones(len(scores)))
	require.NoError(t, err)
	unweighted, err := compute(scores, nil)
	require.NoError(t, err)
	assert.Equal(t, unweighted, weighted)
	zero, err := compute([]int{top, bottom}, []float64{1, 0})
	require.NoError(t, err)
	return zero
}

// Expand returns counts[j] answers of scores[j] for each j in turn.
func Expand(scores []int, counts ...int) []int {
	var s []int
	for j, c := range counts {
		for range c {
			s = append(s, scores[j])
		}
	}
	return s
}

// Large returns compute's result of 3·2^20 + 17 answers, all of score hi but the last,
// lo (enough for the counts of every kernel to pass 2^21 answers per block), and their
// number.
func Large[R any](t *testing.T, compute func([]int, []float64) (R, error), hi, lo int) (R, int) {
	t.Helper()
	scores := make([]int, 3<<20+17)
	for i := range scores {
		scores[i] = hi
	}
	scores[len(scores)-1] = lo
	r, err := compute(scores, nil)
	require.NoError(t, err)
	return r, len(scores)
}
