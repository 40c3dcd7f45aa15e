package dist

import (
	"errors"
	"math"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/stretchr/testify/assert"
)

func mustZ(t *testing.T, level float64) float64 {
	t.Helper()
	z, err := CriticalZ("test", level)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func TestQuantiles(t *testing.T) {
	// R: qnorm(0.975) = 1.959963984540054; qt(0.975, 10) = 2.228138851986274.
	assert.InDelta(t, 1.959963984540054, mustZ(t, 0.95), 1e-12)
	assert.InDelta(t, 2.228138851986274, TQuantile(0.975, 10), 1e-10)
	// R 4.2: 2*pnorm(-3) = 0.002699796063260189; 2*pt(-2, 5) = 0.1019394788298583.
	assert.InDelta(t, 0.002699796063260189, TwoSidedNormalP(3), 1e-15)
	assert.InDelta(t, 0.1019394788298583, TwoSidedTP(-2, 5), 1e-12)
	// R 4.2: qbeta(0.025, 3, 8) = 0.06673951117773447.
	assert.InDelta(t, 0.06673951117773447, BetaQuantile(0.025, 3, 8), 1e-12)
}

// TestLevels checks that every level is either rejected with ErrInvalidLevel or gives a
// finite critical value, at least 0: the hostile levels are those at and next to 0 and 1.
func TestLevels(t *testing.T) {
	below1 := math.Nextafter(1, 0)
	for _, level := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), -1, 0, 1, 2, below1,
		math.Nextafter(below1, 0), 1e-300, math.SmallestNonzeroFloat64, 0.5, 0.95, 0.9999999999999998} {
		z, zerr := CriticalZ("test", level)
		tq, terr := CriticalT("test", level, 3)
		for _, c := range []struct {
			v   float64
			err error
		}{{z, zerr}, {tq, terr}} {
			switch {
			case c.err != nil && !errors.Is(c.err, cxmetrics.ErrInvalidLevel):
				t.Errorf("level %v: error %v does not wrap ErrInvalidLevel", level, c.err)
			case c.err == nil && !(c.v >= 0 && !math.IsInf(c.v, 0)):
				t.Errorf("level %v: critical value %v", level, c.v)
			}
		}
		if valid := level > 0 && level < below1; valid != (zerr == nil) {
			t.Errorf("level %v: valid %v but error %v", level, valid, zerr)
		}
	}
}
