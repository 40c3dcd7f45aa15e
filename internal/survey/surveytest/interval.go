package surveytest

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// BootstrapFunc is a Result's Bootstrap method.
type BootstrapFunc func(rng *rand.Rand, resamples int, level float64) (cxmetrics.Interval, error)

// invalidLevels are confidence levels every method refuses with ErrInvalidLevel: a hair
// below 1 (its critical value is infinite), 1, 0, negative, NaN and infinite.
var invalidLevels = []float64{math.Nextafter(1, 0), 1, 0, -0.5, math.NaN(), math.Inf(1), math.Inf(-1)}

// TopLevel is the largest level below 1 whose critical value is finite.
var TopLevel = math.Nextafter(math.Nextafter(1, 0), 0)

// FiniteInterval reports whether the estimate and both bounds of iv are finite.
func FiniteInterval(iv cxmetrics.Interval) bool {
	for _, v := range []float64{iv.Estimate, iv.Lower, iv.Upper} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// CheckLevels checks a Result's confidence levels: at every invalid level (a hair below
// 1, whose critical value is infinite, 1, 0, negative, NaN and infinite), interval with
// each method and each of refuse (named by its key) fail with ErrInvalidLevel; at
// TopLevel and at 1e-300, interval with each method gives a finite, ordered interval
// within [lo, hi].
func CheckLevels(t *testing.T, interval func(cxmetrics.Method, float64) (cxmetrics.Interval, error), methods []cxmetrics.Method,
	lo, hi float64, refuse map[string]func(level float64) error) {
	t.Helper()
	for _, level := range invalidLevels {
		for _, m := range methods {
			if _, err := interval(m, level); !errors.Is(err, cxmetrics.ErrInvalidLevel) {
				t.Errorf("%v at level %v: %v", m, level, err)
			}
		}
		for name, f := range refuse {
			if err := f(level); !errors.Is(err, cxmetrics.ErrInvalidLevel) {
				t.Errorf("%s at level %v: %v", name, level, err)
			}
		}
	}
	for _, m := range methods {
		for _, level := range []float64{TopLevel, 1e-300} {
			iv, err := interval(m, level)
			if err != nil || !FiniteInterval(iv) || iv.Lower > iv.Upper || iv.Lower < lo || iv.Upper > hi {
				t.Errorf("%v at level %v: %v, %v", m, level, iv, err)
			}
		}
	}
}

// CheckBootstrap runs boot twice with 20000 resamples at 95% from the same seed and
// checks that it gives the same Bootstrap interval around estimate, with bounds within
// tol of want's (an interval the bootstrap approximates at this sample size).
func CheckBootstrap(t *testing.T, boot BootstrapFunc, estimate float64, want cxmetrics.Interval, tol float64) {
	t.Helper()
	a, err := boot(rand.New(rand.NewPCG(1, 1)), 20000, 0.95)
	require.NoError(t, err)
	b, err := boot(rand.New(rand.NewPCG(1, 1)), 20000, 0.95)
	require.NoError(t, err)
	assert.Equal(t, a, b, "same seed, same interval")
	assert.Equal(t, cxmetrics.Bootstrap, a.Method)
	assert.Equal(t, estimate, a.Estimate)
	assert.InDelta(t, want.Lower, a.Lower, tol)
	assert.InDelta(t, want.Upper, a.Upper, tol)
}

// CheckResamples checks that boot bounds its work: more than maxResamples resamples is
// ErrTooLarge, fewer than one ErrOutOfRange.
func CheckResamples(t *testing.T, boot BootstrapFunc, maxResamples int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 1))
	for _, c := range []struct {
		resamples int
		want      error
	}{{math.MaxInt, cxmetrics.ErrTooLarge}, {maxResamples + 1, cxmetrics.ErrTooLarge}, {0, cxmetrics.ErrOutOfRange}, {math.MinInt, cxmetrics.ErrOutOfRange}} {
		if _, err := boot(rng, c.resamples, 0.95); !errors.Is(err, c.want) {
			t.Errorf("%d resamples: %v", c.resamples, err)
		}
	}
}
