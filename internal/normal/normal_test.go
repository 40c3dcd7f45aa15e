package normal

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/cxmetrics/cxmetrics"
)

func TestQuantile(t *testing.T) {
	// scipy.stats.norm.ppf(p), SciPy 1.10.
	for _, c := range []struct{ p, want float64 }{
		{0.975, 1.959963984540054},
		{0.3, -0.5244005127080409},
		{1e-10, -6.361340902404056},
		{1e-300, -37.0470962993612},
		{0.999999, 4.753424308817087},
		{0.5, 0},
	} {
		if got := Quantile(c.p); math.Abs(got-c.want) > 1e-15*math.Max(1, math.Abs(c.want)) {
			t.Errorf("Quantile(%v) = %v, want %v", c.p, got, c.want)
		}
	}
	// The same algorithm as gonum's distuv.UnitNormal.Quantile, which internal/dist used
	// before: equal to the last bit over the whole range, so no result moves.
	for i := 1; i < 100000; i++ {
		p := float64(i) / 100000
		for _, q := range []float64{p, p * 1e-12, 1 - p*1e-9} {
			if got, want := Quantile(q), distuv.UnitNormal.Quantile(q); got != want {
				t.Fatalf("Quantile(%v) = %v, gonum %v", q, got, want)
			}
		}
	}
	if !math.IsInf(Quantile(0), -1) || !math.IsInf(Quantile(1), 1) || !math.IsNaN(Quantile(-0.1)) || !math.IsNaN(Quantile(math.NaN())) {
		t.Error("Quantile at 0, 1, -0.1 and NaN: want -Inf, +Inf, NaN, NaN")
	}
	for _, z := range []float64{-40, -3, -0.5, 0, 1.96, 8} {
		if got, want := CDF(z), distuv.UnitNormal.CDF(z); got != want {
			t.Errorf("CDF(%v) = %v, gonum %v", z, got, want)
		}
	}
}

func TestWilson(t *testing.T) {
	// statsmodels.stats.proportion.proportion_confint(x, n, alpha, method="wilson").
	for _, c := range []struct{ x, n, level, lo, hi float64 }{
		{100, 200, 0.95, 0.43136085960389187, 0.5686391403961082},
		{0, 20, 0.95, 0, 0.1611251580528194},
		{20, 20, 0.95, 0.8388748419471804, 1},
		{3, 7, 0.8, 0.22598811161452578, 0.6583029463790934},
	} {
		z, err := Critical("x", c.level)
		if err != nil {
			t.Fatal(err)
		}
		lo, hi, err := Wilson("x", c.x/c.n, c.n, z)
		if err != nil || math.Abs(lo-c.lo) > 1e-12 || math.Abs(hi-c.hi) > 1e-12 {
			t.Errorf("Wilson(%v/%v) = [%v, %v], %v; want [%v, %v]", c.x, c.n, lo, hi, err, c.lo, c.hi)
		}
	}
	for _, c := range []struct{ p, n float64 }{{0.5, 0}, {0.5, -1}, {-0.1, 10}, {1.1, 10}, {math.NaN(), 10}, {0.5, math.Inf(1)}} {
		if _, _, err := Wilson("x", c.p, c.n, 1.96); !errors.Is(err, cxmetrics.ErrOutOfRange) {
			t.Errorf("Wilson(%v, %v): %v, want ErrOutOfRange", c.p, c.n, err)
		}
	}
}

func TestLevelAndZTest(t *testing.T) {
	for _, level := range []float64{0, 1, -0.5, math.NaN(), 1 - 1e-17, math.Nextafter(1, 0)} {
		if _, err := Critical("x", level); !errors.Is(err, cxmetrics.ErrInvalidLevel) {
			t.Errorf("Critical(%v): %v, want ErrInvalidLevel", level, err)
		}
	}
	// 2·(1 - Φ(1.959963984540054)) = 0.05.
	if z, p := ZTest(1.959963984540054*2, 4); math.Abs(z-1.959963984540054) > 1e-15 || math.Abs(p-0.05) > 1e-15 {
		t.Errorf("ZTest = %v, %v; want 1.96, 0.05", z, p)
	}
	if z, p := ZTest(0, 0); z != 0 || p != 1 {
		t.Errorf("ZTest(0, 0) = %v, %v; want 0, 1", z, p)
	}
	if z, p := ZTest(1, 0); z != 0 || p != 0 {
		t.Errorf("ZTest(1, 0) = %v, %v; want 0, 0", z, p)
	}
}
