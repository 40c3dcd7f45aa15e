package nps

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// SampleSizeAssured's n reaches the margin with the assurance, checked by simulating
// surveys of that size: the share of them whose Wald half-width is within the margin is at
// least the assurance (less Monte Carlo error), and a quarter fewer answers fall short.
func TestSampleSizeAssured(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	reps := 20000 // Monte Carlo SE of a share near 0.8: 0.28 points
	if raceEnabled {
		reps = 4000
	}
	for _, c := range []struct {
		mix                      Mix
		margin, level, assurance float64
	}{
		{Mix{0.5, 0.2}, 10, 0.95, 0.8},
		{Mix{0.5, 0.2}, 5, 0.95, 0.9},
		{Mix{0.88, 0.03}, 5, 0.95, 0.8},
		{Mix{0.3, 0.4}, 3, 0.9, 0.8}, // above the exact bound: the normal approximation
	} {
		n, err := SampleSizeAssured(c.mix, c.margin, c.level, c.assurance)
		if err != nil {
			t.Fatal(err)
		}
		n0, _ := SampleSize(c.mix.Promoters, c.mix.Detractors, c.margin, c.level)
		if n < n0 {
			t.Errorf("%+v: assured n %d below the mean-based %d", c, n, n0)
		}
		share := func(n int) float64 {
			zc := map[float64]float64{0.95: 1.959963984540054, 0.9: 1.6448536269514722}[c.level]
			hits := 0
			counts := make([]int, 3)
			for range reps {
				stats.Multinomial(rng, n, []float64{c.mix.Promoters, c.mix.Detractors, 1 - c.mix.Promoters - c.mix.Detractors}, counts)
				p, d := float64(counts[0])/float64(n), float64(counts[1])/float64(n)
				if zc*100*math.Sqrt((p+d-(p-d)*(p-d))/float64(n)) <= c.margin {
					hits++
				}
			}
			return float64(hits) / float64(reps)
		}
		got := share(n)
		if got < c.assurance-3*math.Sqrt(c.assurance*(1-c.assurance)/float64(reps)) {
			t.Errorf("%+v: n = %d reaches the margin in %.3f of surveys", c, n, got)
		}
		if fewer := share(n * 3 / 4); fewer >= c.assurance {
			t.Errorf("%+v: n = %d is not needed: %d already reach it in %.3f", c, n, n*3/4, fewer)
		}
		t.Logf("%+v: n %d (mean-based %d) reaches the margin in %.1f%% of simulated surveys", c, n, n0, 100*got)
	}
	// The exact sum and the normal approximation agree near the switch.
	for _, mix := range []Mix{{0.5, 0.2}, {0.88, 0.03}, {0.05, 0.05}} {
		v := mix.unitVariance()
		for _, c := range []float64{v * 0.97, v, v * 1.03} {
			exact := probVarianceAtMost(mix, maxExactAssurance, c)
			approx := probVarianceAtMost(mix, maxExactAssurance+1, c)
			if math.Abs(exact-approx) > 0.02 {
				t.Errorf("%+v at %v: exact %v, normal %v", mix, c, exact, approx)
			}
		}
	}
	for _, c := range []struct {
		mix       Mix
		assurance float64
		want      error
	}{
		{Mix{0.5, 0.2}, 1, cxmetrics.ErrOutOfRange},
		{Mix{0.5, 0.2}, math.NaN(), cxmetrics.ErrNotFinite},
		{Mix{0.7, 0.4}, 0.8, cxmetrics.ErrOutOfRange},
		{Mix{math.NaN(), 0.4}, 0.8, cxmetrics.ErrNotFinite},
	} {
		if _, err := SampleSizeAssured(c.mix, 5, 0.95, c.assurance); !errors.Is(err, c.want) {
			t.Errorf("%+v: %v", c, err)
		}
	}
	if n, err := SampleSizeAssured(Mix{1, 0}, 5, 0.95, 0.9); n != 1 || err != nil {
		t.Errorf("no variance: %d, %v", n, err)
	}
	if _, err := SampleSizeAssured(Mix{0.5, 0.5}, 1e-6, 0.95, 0.9); !errors.Is(err, cxmetrics.ErrTooLarge) {
		t.Errorf("tiny margin: %v", err)
	}
	// An answer between half of MaxSampleSize and MaxSampleSize is found, not refused
	// because a doubling overshoots.
	n0, _ := SampleSize(0.5, 0.5, 0.00566, 0.95)
	if n, err := SampleSizeAssured(Mix{0.5, 0.5}, 0.00566, 0.95, 0.8); err != nil || n < n0 || n > MaxSampleSize || n0 <= MaxSampleSize/2 {
		t.Errorf("n between half the maximum and the maximum: %d (mean-based %d), %v", n, n0, err)
	}
}

// SampleSizeCompare's n gives Compare's test the planned power, computed exactly by summing
// the joint probabilities of the pairs of samples that it rejects.
func TestSampleSizeComparePower(t *testing.T) {
	cases := []struct {
		a, b         Mix
		alpha, power float64
	}{
		{Mix{0.7, 0.1}, Mix{0.5, 0.15}, 0.05, 0.9},
		{Mix{0.5, 0.2}, Mix{0.4, 0.3}, 0.05, 0.8},
		{Mix{0.3, 0.4}, Mix{0.2, 0.5}, 0.05, 0.8},
	}
	if raceEnabled || testing.Short() {
		cases = cases[:1]
	}
	for _, c := range cases {
		n, err := SampleSizeCompare(c.a, c.b, c.alpha, c.power)
		if err != nil {
			t.Fatal(err)
		}
		ta := truth{d: c.a.Detractors, pa: 1 - c.a.Promoters - c.a.Detractors, p: c.a.Promoters}
		tb := truth{d: c.b.Detractors, pa: 1 - c.b.Promoters - c.b.Detractors, p: c.b.Promoters}
		sa, _ := samples(ta, n)
		sb, _ := samples(tb, n)
		var power float64
		for _, x := range sa {
			for _, y := range sb {
				if _, p := pooledTest(x.r, y.r); p < c.alpha {
					power += x.prob * y.prob
				}
			}
		}
		t.Logf("%+v vs %+v: n = %d per group, power %.2f%%", c.a, c.b, n, 100*power)
		if math.Abs(power-c.power) > 0.02 {
			t.Errorf("%+v vs %+v: n %d gives power %.3f, want %.2f ± 0.02", c.a, c.b, n, power, c.power)
		}
	}
	if _, err := SampleSizeCompare(Mix{0.5, 0.2}, Mix{0.6, 0.3}, 0.05, 0.8); !errors.Is(err, cxmetrics.ErrOutOfRange) {
		t.Errorf("equal NPS: %v", err)
	}
	for _, c := range []struct {
		v    float64
		want error
	}{{0, cxmetrics.ErrOutOfRange}, {1, cxmetrics.ErrOutOfRange}, {math.NaN(), cxmetrics.ErrNotFinite}, {math.Inf(1), cxmetrics.ErrNotFinite}} {
		if _, err := SampleSizeCompare(Mix{0.5, 0.2}, Mix{0.4, 0.3}, c.v, 0.8); !errors.Is(err, c.want) {
			t.Errorf("alpha %v: %v", c.v, err)
		}
		if _, err := SampleSizeCompare(Mix{0.5, 0.2}, Mix{0.4, 0.3}, 0.05, c.v); !errors.Is(err, c.want) {
			t.Errorf("power %v: %v", c.v, err)
		}
	}
	// A power below α/2 is reached by one answer per group (the root of the formula is then
	// negative, and squaring it would overstate n).
	if n, err := SampleSizeCompare(Mix{0.5, 0.2}, Mix{0.4, 0.3}, 0.05, 0.001); n != 1 || err != nil {
		t.Errorf("power 0.001: %d, %v", n, err)
	}
}

// Test against a target: the Wald statistic by hand, and the score test agreeing with the
// Tango interval at its bounds.
func TestTestTarget(t *testing.T) {
	// 50 promoters, 30 passives, 20 detractors: NPS 30, SE 100 √(0.61/100) = 7.8102497.
	// Against 20: z = 10/7.8102497 = 1.2803688, p = 2Φ(-1.2803688) = 0.200415461692855
	// (R: 2*pnorm(-10/sqrt(61))).
	r, _ := Compute(answers(20, 30, 50), nil)
	c, err := r.Test(20, cxmetrics.Wald, 0.95)
	if err != nil || math.Abs(c.Statistic-10/math.Sqrt(61)) > 1e-12 || math.Abs(c.P-0.200415461692855) > 1e-13 || c.Difference != 10 {
		t.Errorf("Wald: %+v, %v", c, err)
	}
	iv, _ := r.Interval(cxmetrics.Tango, 0.95)
	for _, target := range []float64{iv.Lower, iv.Upper} {
		c, err := r.Test(target, cxmetrics.Tango, 0.95)
		if err != nil || math.Abs(c.P-0.05) > 1e-9 {
			t.Errorf("Tango at the interval bound %v: p %v, %v", target, c.P, err)
		}
	}
	if c, _ := r.Test(30, cxmetrics.Tango, 0.95); c.P != 1 || c.Statistic != 0 {
		t.Errorf("target at the estimate: %+v", c)
	}
	all, _ := Compute([]int{10, 10, 10}, nil)
	if c, err := all.Test(100, cxmetrics.Tango, 0.95); err != nil || c.P != 1 {
		t.Errorf("all promoters against 100: %+v, %v", c, err)
	}
	if c, err := r.Test(100, cxmetrics.Tango, 0.95); err != nil || c.P != 0 || c.Statistic != 0 {
		t.Errorf("a target of 100 that the data contradict: %+v, %v", c, err)
	}
	for _, c := range []struct {
		target float64
		want   error
	}{{101, cxmetrics.ErrOutOfRange}, {math.NaN(), cxmetrics.ErrNotFinite}, {math.Inf(-1), cxmetrics.ErrNotFinite}} {
		if _, err := r.Test(c.target, cxmetrics.Wald, 0.95); !errors.Is(err, c.want) {
			t.Errorf("target %v: %v", c.target, err)
		}
	}
	if _, err := r.Test(0, cxmetrics.Bayesian, 0.95); !errors.Is(err, cxmetrics.ErrUnsupportedMethod) {
		t.Errorf("Bayesian test: %v", err)
	}
}
