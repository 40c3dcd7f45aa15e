package segment

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/nps"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/floats/scalar"
)

// named builds segments "s0", "s1", … with the given scores and standard errors and
// n answers each (EffectiveN = N).
func named(y, se []float64, n []int) []Segment {
	segs := make([]Segment, len(y))
	for i := range y {
		segs[i] = Segment{Name: fmt.Sprintf("s%d", i), Estimate: cxmetrics.Estimate{Score: y[i], StdErr: se[i], N: n[i], EffectiveN: float64(n[i])}}
	}
	return segs
}

// near reports whether got is within tol (absolute or relative) of want.
func near(t *testing.T, want, got, tol float64, msg string, args ...any) {
	t.Helper()
	assert.True(t, scalar.EqualWithinAbsOrRel(got, want, tol, tol), append([]any{msg + ": got %v, want %v"}, append(args, got, want)...)...)
}

// Reference values from R 4.2.2, computed by hand (pairs.R):
//
//	d <- y[a] - y[b]; s <- sqrt(se[a]^2 + se[b]^2); z <- d/s; p <- 2*pnorm(-abs(z))
//	p.adjust(p, "holm"); p.adjust(p, "BH"); d ± qnorm(0.975)*s; d ± qnorm(1 - 0.05/12)*s
//
// printed to 15 significant digits; tolerance 1e-12.
func TestAllPairsR(t *testing.T) {
	segs := named([]float64{42.0, 35.5, 28.3, 47.8}, []float64{3.1, 4.2, 5.0, 6.3}, []int{400, 210, 150, 90})
	pairs, err := AllPairs(0.95, segs)
	require.NoError(t, err)
	require.Len(t, pairs, 6)
	want := struct{ a, b, d, se, z, p, holm, bh, lo, hi, slo, shi []float64 }{
		a:    []float64{0, 0, 0, 1, 1, 2},
		b:    []float64{1, 2, 3, 2, 3, 3},
		d:    []float64{6.5, 13.7, -5.8, 7.2, -12.3, -19.5},
		se:   []float64{5.22015325445528, 5.88302643203309, 7.02139587261678, 6.5299310869258, 7.57165767847438, 8.04300938703916},
		z:    []float64{1.2451741707875, 2.32873337529192, -0.826046573249033, 1.10261500529704, -1.62447914608817, -2.42446565229964},
		p:    []float64{0.213067734809704, 0.0198731948616507, 0.408777672958514, 0.270194391125639, 0.10427358755289, 0.015330933502182},
		holm: []float64{0.639203204429111, 0.0993659743082533, 0.639203204429111, 0.639203204429111, 0.417094350211559, 0.091985601013092},
		bh:   []float64{0.319601602214556, 0.059619584584952, 0.408777672958514, 0.324233269350766, 0.20854717510578, 0.059619584584952},
		lo:   []float64{-3.73131237251189, 2.16948007311797, -19.5616830315271, -5.59842975190306, -27.1401763530759, -35.2640087259143},
		hi:   []float64{16.7313123725119, 25.230519926882, 7.96168303152708, 19.9984297519031, 2.54017635307594, -3.73599127408568},
		slo:  []float64{-7.27210729222996, -1.82093727436728, -24.3242487308909, -10.0276381853839, -32.2759809425111, -40.7195280159978},
		shi:  []float64{20.27210729223, 29.2209372743673, 12.7242487308909, 24.4276381853839, 7.67598094251112, 1.71952801599785},
	}
	for i, p := range pairs {
		assert.Equal(t, int(want.a[i]), p.A)
		assert.Equal(t, int(want.b[i]), p.B)
		near(t, want.d[i], p.Difference, 1e-12, "d[%d]", i)
		near(t, want.se[i], p.StdErr, 1e-12, "se[%d]", i)
		near(t, want.z[i], p.Z, 1e-12, "z[%d]", i)
		near(t, want.p[i], p.P, 1e-12, "p[%d]", i)
		near(t, want.holm[i], p.PHolm, 1e-12, "holm[%d]", i)
		near(t, want.bh[i], p.PBH, 1e-12, "bh[%d]", i)
		near(t, want.lo[i], p.Interval.Lower, 1e-12, "lower[%d]", i)
		near(t, want.hi[i], p.Interval.Upper, 1e-12, "upper[%d]", i)
		near(t, want.slo[i], p.Simultaneous.Lower, 1e-12, "simultaneous lower[%d]", i)
		near(t, want.shi[i], p.Simultaneous.Upper, 1e-12, "simultaneous upper[%d]", i)
		assert.Equal(t, cxmetrics.Wald, p.Interval.Method)
		assert.Equal(t, 0.95, p.Simultaneous.Level)
		assert.Equal(t, p.Difference, p.Interval.Estimate)
	}
}

// Reference values from R 4.2.2 by hand (pairs.R), the rest of segment i being
//
//	yr <- sum(N[-i]*y[-i])/sum(N[-i]); sr <- sqrt(sum(N[-i]^2*se[-i]^2))/sum(N[-i])
//
// and the contrast as in TestAllPairsR; tolerance 1e-12.
func TestEachVsRestR(t *testing.T) {
	segs := named([]float64{42.0, 35.5, 28.3, 47.8}, []float64{3.1, 4.2, 5.0, 6.3}, []int{400, 210, 150, 90})
	rows, err := EachVsRest(0.95, segs)
	require.NoError(t, err)
	require.Len(t, rows, 4)
	yr := []float64{35.56, 39.6046875, 40.7957142857143, 37.5}
	sr := []float64{2.86478232642164, 2.43147743553816, 2.31984033581483, 2.23220261890715}
	d := []float64{6.44, -4.1046875, -12.4957142857143, 10.3}
	se := []float64{4.2210162020274, 4.85304878602423, 5.51195602156562, 6.68376604406946}
	z := []float64{1.52569895299307, -0.845795639190903, -2.26701995386476, 1.54104735744592}
	p := []float64{0.127084855394045, 0.397666758607162, 0.0233890067991741, 0.123305260557309}
	holm := []float64{0.369915781671928, 0.397666758607162, 0.0935560271966964, 0.369915781671928}
	bh := []float64{0.169446473858727, 0.397666758607162, 0.0935560271966964, 0.169446473858727}
	lo := []float64{-1.83303973413374, -13.6164883358233, -23.2989495723516, -2.7999407274679}
	shi := []float64{16.9828552753871, 8.01679902044305, 1.27152844407041, 26.9940790379638}
	for i, r := range rows {
		assert.Equal(t, i, r.Segment)
		near(t, yr[i], r.Rest.Score, 1e-12, "rest score[%d]", i)
		near(t, sr[i], r.Rest.StdErr, 1e-12, "rest se[%d]", i)
		assert.Equal(t, 850-segs[i].Estimate.N, r.Rest.N)
		assert.Equal(t, float64(850-segs[i].Estimate.N), r.Rest.EffectiveN)
		near(t, d[i], r.Difference, 1e-12, "d[%d]", i)
		near(t, se[i], r.StdErr, 1e-12, "se[%d]", i)
		near(t, z[i], r.Z, 1e-12, "z[%d]", i)
		near(t, p[i], r.P, 1e-12, "p[%d]", i)
		near(t, holm[i], r.PHolm, 1e-12, "holm[%d]", i)
		near(t, bh[i], r.PBH, 1e-12, "bh[%d]", i)
		near(t, lo[i], r.Interval.Lower, 1e-12, "lower[%d]", i)
		near(t, shi[i], r.Simultaneous.Upper, 1e-12, "simultaneous upper[%d]", i)
	}
}

// npsAnswers expands category counts into 0-10 answers.
func npsAnswers(detractors, passives, promoters int) []int {
	var s []int
	for range detractors {
		s = append(s, 4)
	}
	for range passives {
		s = append(s, 8)
	}
	for range promoters {
		s = append(s, 9)
	}
	return s
}

// For unweighted answers the rest's score is exactly the NPS of the other segments'
// answers pooled (the package documentation, "Each against the rest").
func TestEachVsRestPooledAnswers(t *testing.T) {
	counts := [][3]int{{30, 50, 120}, {12, 9, 14}, {80, 130, 90}, {1, 2, 9}}
	var segs []Segment
	for i, c := range counts {
		r, err := nps.Compute(npsAnswers(c[0], c[1], c[2]), nil)
		require.NoError(t, err)
		segs = append(segs, Segment{Name: string(rune('A' + i)), Estimate: r.Estimate()})
	}
	rows, err := EachVsRest(0.9, segs)
	require.NoError(t, err)
	for i, row := range rows {
		var pooled []int
		for j, c := range counts {
			if j != i {
				pooled = append(pooled, npsAnswers(c[0], c[1], c[2])...)
			}
		}
		r, err := nps.Compute(pooled, nil)
		require.NoError(t, err)
		near(t, r.Score, row.Rest.Score, 1e-12, "rest of %d", i)
		assert.Equal(t, r.N, row.Rest.N)
	}
}

// One segment holding nearly all the answers: the rest of it is computed from the few
// others, without cancellation against the total.
func TestEachVsRestDominantSegment(t *testing.T) {
	segs := named([]float64{50, 10, 20}, []float64{0.001, 5, 4}, []int{1 << 50, 3, 7})
	rows, err := EachVsRest(0.95, segs)
	require.NoError(t, err)
	near(t, (3*10+7*20)/10.0, rows[0].Rest.Score, 1e-15, "rest of the large segment")
	near(t, math.Sqrt(9*25+49*16)/10, rows[0].Rest.StdErr, 1e-15, "rest SE of the large segment")
}

// A standard error of 0 is replaced by √(ū/n) with ū the pooled variance per answer of
// the others (package documentation, "Answers all alike"):
// ū = (50·50·4² + 200·200·2²) / 250 = 800, so SE₀ = √(800/10).
func TestZeroStdErr(t *testing.T) {
	segs := named([]float64{100, 40, 30}, []float64{0, 4, 2}, []int{10, 50, 200})
	pairs, err := AllPairs(0.95, segs)
	require.NoError(t, err)
	near(t, math.Sqrt(80+16), pairs[0].StdErr, 1e-14, "SE of (0, 1)")
	near(t, math.Sqrt(80+4), pairs[1].StdErr, 1e-14, "SE of (0, 2)")
	sh, err := Shrink(0.95, segs)
	require.NoError(t, err)
	near(t, math.Sqrt(80), sh.Segments[0].SamplingStdErr, 1e-14, "sampling SE")
	assert.Equal(t, 4.0, sh.Segments[1].SamplingStdErr)
	tr, err := Trend(0.95, segs)
	require.NoError(t, err)
	near(t, math.Sqrt(80+16), tr.Changes[0].FromPrevious.StdErr, 1e-14, "SE of the first change")
	// Two segments all alike and equal: no difference, p = 1.
	segs = named([]float64{100, 100, 30}, []float64{0, 0, 2}, []int{10, 40, 200})
	pairs, err = AllPairs(0.95, segs)
	require.NoError(t, err)
	assert.Equal(t, 0.0, pairs[0].Z)
	assert.Equal(t, 1.0, pairs[0].P)
	near(t, math.Sqrt(800.0/10+800.0/40), pairs[0].StdErr, 1e-14, "SE of two imputed")
}

func TestAllZeroStdErr(t *testing.T) {
	segs := named([]float64{100, -100}, []float64{0, 0}, []int{10, 3})
	_, err := AllPairs(0.95, segs)
	assert.ErrorIs(t, err, cxmetrics.ErrNoVariation)
	_, err = EachVsRest(0.95, segs)
	assert.ErrorIs(t, err, cxmetrics.ErrNoVariation)
	_, err = Trend(0.95, segs)
	assert.ErrorIs(t, err, cxmetrics.ErrNoVariation)
	_, err = Shrink(0.95, segs)
	assert.ErrorIs(t, err, cxmetrics.ErrNoVariation)
	small, err := Small(DefaultMinN, segs)
	require.NoError(t, err)
	assert.Equal(t, []bool{true, true}, small)
}

// Scores and standard errors scaled by any power of two give results scaled by it, down
// to the bit, from 2^-1000 to 2^1000: nothing overflows or underflows in between.
func TestScaleEquivariance(t *testing.T) {
	segs := named([]float64{42.0, 35.5, 28.3, 47.8}, []float64{3.1, 4.2, 0, 6.3}, []int{400, 210, 150, 90})
	base, err := AllPairs(0.95, segs)
	require.NoError(t, err)
	baseRest, err := EachVsRest(0.95, segs)
	require.NoError(t, err)
	baseTrend, err := Trend(0.95, segs)
	require.NoError(t, err)
	baseShrink, err := Shrink(0.95, segs)
	require.NoError(t, err)
	for _, e := range []int{-1000, -300, 300, 1000} {
		c := math.Ldexp(1, e)
		s := make([]Segment, len(segs))
		copy(s, segs)
		for i := range s {
			s[i].Estimate.Score *= c
			s[i].Estimate.StdErr *= c
		}
		pairs, err := AllPairs(0.95, s)
		require.NoError(t, err, e)
		for i := range pairs {
			assert.Equal(t, base[i].Difference*c, pairs[i].Difference, e)
			assert.Equal(t, base[i].StdErr*c, pairs[i].StdErr, e)
			assert.Equal(t, base[i].P, pairs[i].P, e)
			assert.Equal(t, base[i].Simultaneous.Upper*c, pairs[i].Simultaneous.Upper, e)
		}
		rest, err := EachVsRest(0.95, s)
		require.NoError(t, err, e)
		for i := range rest {
			assert.Equal(t, baseRest[i].Rest.Score*c, rest[i].Rest.Score, e)
			assert.Equal(t, baseRest[i].PHolm, rest[i].PHolm, e)
		}
		tr, err := Trend(0.95, s)
		require.NoError(t, err, e)
		assert.Equal(t, baseTrend.Linear.Slope*c, tr.Linear.Slope, e)
		assert.Equal(t, baseTrend.Linear.StdErr*c, tr.Linear.StdErr, e)
		assert.Equal(t, baseTrend.Linear.Q, tr.Linear.Q, e)
		sh, err := Shrink(0.95, s)
		require.NoError(t, err, e)
		assert.Equal(t, baseShrink.Mean*c, sh.Mean, e)
		assert.Equal(t, baseShrink.BetweenSD*c, sh.BetweenSD, e)
		for i := range sh.Segments {
			assert.Equal(t, baseShrink.Segments[i].Score*c, sh.Segments[i].Score, e)
			assert.Equal(t, baseShrink.Segments[i].Shrinkage, sh.Segments[i].Shrinkage, e)
		}
	}
}

// The JSON of a pair and of a row against the rest has the contrast's fields inline.
func TestJSON(t *testing.T) {
	segs := named([]float64{42.0, 35.5}, []float64{3.1, 4.2}, []int{400, 210})
	pairs, err := AllPairs(0.95, segs)
	require.NoError(t, err)
	b, err := json.Marshal(pairs[0])
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	for _, k := range []string{"a", "b", "difference", "std_err", "z", "p", "interval", "p_holm", "p_bh", "simultaneous"} {
		assert.Contains(t, m, k)
	}
	assert.Equal(t, "Wald", m["interval"].(map[string]any)["method"])
	var back Pair
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, pairs[0], back)
	rows, err := EachVsRest(0.95, segs)
	require.NoError(t, err)
	b, err = json.Marshal(rows[1])
	require.NoError(t, err)
	m = nil
	require.NoError(t, json.Unmarshal(b, &m))
	for _, k := range []string{"segment", "rest", "difference", "p_holm", "simultaneous"} {
		assert.Contains(t, m, k)
	}
}
