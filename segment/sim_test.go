package segment

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/nps"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// When all segments share one true score, Holm's adjusted p-values over all pairs (and over
// each-vs-rest) reject at least one true null in at most 5% of the tables at α = 5%,
// although the unadjusted ones do so in most tables. The estimates are normal with known
// standard errors, so each Wald test is exact and only the multiplicity is at stake.
// Segments of 30 to 2,000 answers, unit SD 70 NPS points; 10 segments (45 pairs).
// Monte Carlo: 4,000 tables (1,000 under the race detector); the bound allows three
// Monte Carlo standard errors (3·√(0.05·0.95/4000) = 1.0 point).
func TestFamilyWiseError(t *testing.T) {
	reps := 4000
	if raceEnabled {
		reps = 1000
	}
	rng := rand.New(rand.NewPCG(1, 2))
	ns := []int{30, 45, 60, 100, 150, 250, 400, 700, 1200, 2000}
	segs := make([]Segment, len(ns))
	var anyRaw, anyHolm, anyBH, anyRestHolm, missSim int
	for range reps {
		for i, n := range ns {
			se := 70 / math.Sqrt(float64(n))
			segs[i] = Segment{Name: fmt.Sprint(i), Estimate: cxmetrics.Estimate{Score: 40 + se*rng.NormFloat64(), StdErr: se, N: n, EffectiveN: float64(n)}}
		}
		pairs, err := AllPairs(0.95, segs)
		require.NoError(t, err)
		var raw, holm, bh, miss bool
		for _, p := range pairs {
			raw = raw || p.P < 0.05
			holm = holm || p.PHolm < 0.05
			bh = bh || p.PBH < 0.05
			miss = miss || !p.Simultaneous.Contains(0)
		}
		rest, err := EachVsRest(0.95, segs)
		require.NoError(t, err)
		restHolm := false
		for _, r := range rest {
			restHolm = restHolm || r.PHolm < 0.05
		}
		anyRaw += b2i(raw)
		anyHolm += b2i(holm)
		anyBH += b2i(bh)
		anyRestHolm += b2i(restHolm)
		missSim += b2i(miss)
	}
	rate := func(k int) float64 { return float64(k) / float64(reps) }
	bound := 0.05 + 3*math.Sqrt(0.05*0.95/float64(reps))
	t.Logf("family-wise error over %d tables of 10 equal segments: unadjusted %.3f, Holm %.3f, BH %.3f, "+
		"Bonferroni intervals missing 0 %.3f, each-vs-rest Holm %.3f",
		reps, rate(anyRaw), rate(anyHolm), rate(anyBH), rate(missSim), rate(anyRestHolm))
	assert.LessOrEqual(t, rate(anyHolm), bound, "Holm")
	assert.LessOrEqual(t, rate(anyBH), bound, "BH (FDR = FWER under the complete null)")
	assert.LessOrEqual(t, rate(missSim), bound, "simultaneous intervals")
	assert.LessOrEqual(t, rate(anyRestHolm), bound, "each vs rest, Holm")
	assert.Greater(t, rate(anyRaw), 0.3, "unadjusted")
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// drawNPS returns the estimate of n answers drawn with promoter share pro and detractor
// share det, through nps.Compute.
func drawNPS(rng *rand.Rand, n int, pro, det float64, buf []int) cxmetrics.Estimate {
	buf = buf[:0]
	for range n {
		switch u := rng.Float64(); {
		case u < pro:
			buf = append(buf, 10)
		case u < pro+det:
			buf = append(buf, 3)
		default:
			buf = append(buf, 8)
		}
	}
	r, err := nps.Compute(buf, nil)
	if err != nil {
		panic(err)
	}
	return r.Estimate()
}

// The type I error at α = 5% of the Wald contrast of a segment with one of 300 answers at
// the same true NPS, both drawn as NPS answers: near 5% from about 100 answers, too high
// below (the package documentation, "Comparing two estimates"), where the small segment's
// standard error is itself a noisy estimate, often far too small. At NPS 85, segments of
// 10 or 15 answers are mostly all alike and get the pooled standard error, which makes
// the test conservative there. Run with -v for the table; 4,000 pairs per cell (1,000 under
// the race detector). One run (seed 3, 4):
//
//	answers   NPS 20   NPS 85
//	     10    0.097    0.004
//	     15    0.086    0.009
//	     30    0.070    0.081
//	     50    0.057    0.090
//	    100    0.048    0.060
//	    300    0.054    0.053
func TestWaldSmallSegments(t *testing.T) {
	reps := 4000
	if raceEnabled {
		reps = 1000
	}
	rng := rand.New(rand.NewPCG(3, 4))
	buf := make([]int, 0, 500)
	type cell struct {
		nps, pro, det float64
		n             int
	}
	rates := map[cell]float64{}
	for _, s := range []struct{ pro, det float64 }{{0.45, 0.25}, {0.9, 0.05}} {
		for _, n := range []int{10, 15, 30, 50, 100, 300} {
			rejected := 0
			for range reps {
				segs := []Segment{{"a", drawNPS(rng, n, s.pro, s.det, buf)}, {"b", drawNPS(rng, 300, s.pro, s.det, buf)}}
				pairs, err := AllPairs(0.95, segs)
				require.NoError(t, err)
				rejected += b2i(pairs[0].P < 0.05)
			}
			c := cell{100 * (s.pro - s.det), s.pro, s.det, n}
			rates[c] = float64(rejected) / float64(reps)
			t.Logf("NPS %3.0f, %3d vs 300 answers: Wald type I error %.3f", c.nps, n, rates[c])
		}
	}
	mc := 3 * math.Sqrt(0.05*0.95/float64(reps))
	assert.InDelta(t, 0.05, rates[cell{20, 0.45, 0.25, 100}], mc+0.01)
	assert.InDelta(t, 0.05, rates[cell{20, 0.45, 0.25, 300}], mc+0.01)
	assert.InDelta(t, 0.05, rates[cell{85, 0.9, 0.05, 300}], mc+0.01)
	assert.Greater(t, rates[cell{20, 0.45, 0.25, 10}], 0.05+mc)
	assert.Greater(t, rates[cell{85, 0.9, 0.05, 30}], 0.05+mc)
}

// The type I error at α = 5% of Trend's slope test when the score does not move: with
// periods that vary only by their standard errors the floor at 1 makes the test slightly
// conservative; with extra variation between periods (SD equal to the standard error) the
// dispersion widens the interval, but the normal reference is optimistic for few periods
// (Trend's documentation); the known-variance test alone would reject about three times
// too often. 12 and 6 periods with standard error 3; 4,000 series (1,000
// under the race detector). Run with -v for the rates.
func TestTrendSize(t *testing.T) {
	reps := 4000
	if raceEnabled {
		reps = 1000
	}
	rng := rand.New(rand.NewPCG(5, 6))
	mc := 3 * math.Sqrt(0.05*0.95/float64(reps))
	for _, c := range []struct {
		k       int
		extra   float64
		lo, hi  float64 // bounds on the rejection rate
		comment string
	}{
		{12, 0, 0.02, 0.05 + mc, "standard errors only"},
		{12, 3, 0.04, 0.12, "extra SD 3"},
		{6, 0, 0.02, 0.05 + mc, "standard errors only"},
		{6, 3, 0.04, 0.2, "extra SD 3"},
	} {
		periods := make([]Segment, c.k)
		rejected, fixed := 0, 0
		for range reps {
			for i := range periods {
				periods[i] = Segment{Name: fmt.Sprint(i), Estimate: cxmetrics.Estimate{
					Score: 40 + c.extra*rng.NormFloat64() + 3*rng.NormFloat64(), StdErr: 3, N: 500, EffectiveN: 500}}
			}
			tr, err := Trend(0.95, periods)
			require.NoError(t, err)
			rejected += b2i(tr.Linear.P < 0.05)
			fixed += b2i(math.Abs(tr.Linear.Z)*math.Sqrt(tr.Linear.Dispersion) > 1.959963984540054)
		}
		rate := float64(rejected) / float64(reps)
		t.Logf("%2d periods, %s: slope test type I error %.3f (known variances alone: %.3f)",
			c.k, c.comment, rate, float64(fixed)/float64(reps))
		assert.True(t, rate >= c.lo && rate <= c.hi, "%d periods, %s: %v", c.k, c.comment, rate)
	}
}
