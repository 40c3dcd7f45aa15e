package dist

import (
	"errors"
	"math"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/normal"
	"github.com/stretchr/testify/assert"
)

func mustZ(t *testing.T, level float64) float64 {
	t.Helper()
	z, err := normal.Critical("test", level)
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
	assert.InDelta(t, 0.002699796063260189, normal.TwoSidedP(3), 1e-15)
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
		z, zerr := normal.Critical("test", level)
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

// TestLargeDF compares the expansions with R 4.2.2 at large degrees of freedom
// (qt(0.975, df), 2*pt(-2.5, df)), and checks continuity at the switches.
func TestLargeDF(t *testing.T) {
	for _, c := range []struct {
		df, q975, p25 float64
	}{
		{1e3, 1.9623390808264076, 0.012578567801090797},
		{1e4, 1.9602012398906257, 0.012435219550583694},
		{1e5, 1.9599877075346088, 0.012420919192559039},
		{1e6, 1.9599663568141066, 0.012419489502163233},
		{1e7, 1.9599642217672049, 0.012419346536578455},
		{1e8, 1.9599640082627663, 0.012419332240054535},
		{1e9, 1.9599639869123249, 0.012419330810402517},
		{1e12, 1.9599639845424257, 0.012419330651711118},
	} {
		if got := TQuantile(0.975, c.df); math.Abs(got-c.q975) > 2e-13 {
			t.Errorf("qt(0.975, %g) = %.17g, want %.17g", c.df, got, c.q975)
		}
		if got := TwoSidedTP(-2.5, c.df); math.Abs(got-c.p25) > 3e-10*c.p25 {
			t.Errorf("2 pt(-2.5, %g) = %.17g, want %.17g", c.df, got, c.p25)
		}
	}
	for _, sw := range []struct {
		at float64
		f  func(float64) float64
	}{{largeDFQuantile, func(df float64) float64 { return TQuantile(0.975, df) }},
		{largeDFTail, func(df float64) float64 { return TwoSidedTP(2.5, df) }}} {
		below, above := sw.f(sw.at), sw.f(math.Nextafter(sw.at, 1e300))
		if math.Abs(below-above) > 3e-10*below {
			t.Errorf("jump at %g degrees of freedom: %.17g, %.17g", sw.at, below, above)
		}
	}
}
