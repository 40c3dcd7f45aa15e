package nps

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
	"github.com/cxmetrics/cxmetrics/internal/survey/surveytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// methods are the interval methods of an NPS Result.
var methods = []cxmetrics.Method{cxmetrics.Wald, cxmetrics.AdjustedWald, cxmetrics.Tango, cxmetrics.Bayesian}

// 95% intervals in score points. Computed independently by testdata/reference.py
// (/usr/bin/python3 with Debian's python3-scipy and python3-mpmath): Wald and adjusted
// Wald from their closed forms; Tango by root-finding on the score statistic with the
// nuisance parameter maximised numerically (brentq on the score equation, not Tango's
// closed-form quadratic); Bayesian by integrating the Dirichlet posterior over the
// detractor share in 30-digit arithmetic (the Go code integrates over the promoter share
// in float64).
var intervalCases = []struct {
	counts                       [3]int // detractors, passives, promoters
	wald, adjusted, tango, bayes [2]float64
}{
	{[3]int{1, 2, 3}, [2]float64{-26.3064714572, 92.9731381239}, [2]float64{-26.7432587941, 71.1877032385}, [2]float64{-31.1073784624, 75.3956663564}, [2]float64{-29.1344956734, 67.3911275158}},
	{[3]int{0, 0, 10}, [2]float64{100.0000000000, 100.0000000000}, [2]float64{47.5035515448, 100.0000000000}, [2]float64{44.4934400274, 100.0000000000}, [2]float64{38.8213049404, 97.0368210519}},
	{[3]int{0, 0, 1}, [2]float64{100.0000000000, 100.0000000000}, [2]float64{-48.4986494203, 98.4986494203}, [2]float64{-58.6901371246, 100.0000000000}, [2]float64{-53.5841116639, 86.6358341512}},
	{[3]int{5, 0, 15}, [2]float64{12.0454606436, 87.9545393564}, [2]float64{8.1859707428, 78.7705509963}, [2]float64{6.2598244763, 77.6276597185}, [2]float64{5.4072566871, 74.6417829126}},
	{[3]int{30, 50, 20}, [2]float64{-23.7197478918, 3.7197478918}, [2]float64{-23.2351233580, 3.8176476298}, [2]float64{-23.5221814434, 3.9117807573}, [2]float64{-23.1508012794, 3.9068656685}},
	{[3]int{120, 300, 580}, [2]float64{41.6685239375, 50.3314760625}, [2]float64{41.5344727853, 50.1903527381}, [2]float64{41.5468049053, 50.2084824967}, [2]float64{41.4750200592, 50.1298577432}},
	{[3]int{7, 0, 0}, [2]float64{-100.0000000000, -100.0000000000}, [2]float64{-100.0000000000, -32.8122980617}, [2]float64{-100.0000000000, -29.1339129867}, [2]float64{-96.0033051646, -22.9076473030}},
	{[3]int{2, 1, 0}, [2]float64{-100.0000000000, -13.3232035961}, [2]float64{-88.3185165024, 21.6518498358}, [2]float64{-93.8508055280, 26.9161719592}, [2]float64{-81.4450824156, 27.5220336322}},
}

func TestIntervalReference(t *testing.T) {
	for _, c := range intervalCases {
		r, err := Compute(answers(c.counts[0], c.counts[1], c.counts[2]), nil)
		require.NoError(t, err)
		for _, m := range []struct {
			method cxmetrics.Method
			want   [2]float64
			tol    float64
		}{
			// The reference prints 10 decimals; its root-finders stop at 1e-13 (Tango) and
			// 1e-11 (Bayesian) on the proportion scale.
			{cxmetrics.Wald, c.wald, 1e-9},
			{cxmetrics.AdjustedWald, c.adjusted, 1e-9},
			{cxmetrics.Tango, c.tango, 1e-8},
			{cxmetrics.Bayesian, c.bayes, 1e-7},
		} {
			iv, err := r.Interval(m.method, 0.95)
			require.NoError(t, err)
			assert.InDelta(t, m.want[0], iv.Lower, m.tol, "%v %v lower", c.counts, m.method)
			assert.InDelta(t, m.want[1], iv.Upper, m.tol, "%v %v upper", c.counts, m.method)
			assert.Equal(t, r.Score, iv.Estimate)
			assert.Equal(t, m.method, iv.Method)
			assert.Equal(t, 0.95, iv.Level)
		}
	}
}

// Under a flat Dirichlet(1, 1, 1), D = X - Y has the triangular density 1 - |d| on
// [-1, 1] (the uniform density 2 on the simplex, integrated along x - y = d over a segment
// of length (1 - |d|)/2), so P(D <= d) = (1 + d)²/2 for d <= 0 and q-quantiles
// √(2q) - 1 below the median.
func TestDirichletDiffClosedForm(t *testing.T) {
	p := dirichletDiff{1, 1, 1}
	for _, d := range []float64{-0.9, -0.5, -0.1, 0, 0.3, 0.8} {
		want := (1 + d) * (1 + d) / 2
		if d > 0 {
			want = 1 - (1-d)*(1-d)/2
		}
		assert.InDelta(t, want, p.cdf(d), 1e-12, "cdf(%v)", d)
	}
	assert.InDelta(t, math.Sqrt(0.05)-1, p.quantile(0.025), 1e-10)
	assert.InDelta(t, 1-math.Sqrt(0.05), p.quantile(0.975), 1e-10)
}

// For a large sample the posterior is close to normal: the Bayesian interval must then
// agree with a Monte Carlo estimate from 400,000 Dirichlet draws within the Monte Carlo
// error (the quantile's standard error is about 0.01 score points here).
func TestBayesianMonteCarlo(t *testing.T) {
	r, err := Compute(answers(300, 250, 450), nil)
	require.NoError(t, err)
	iv, err := r.Interval(cxmetrics.Bayesian, 0.9)
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(1, 1))
	alpha := []float64{451, 301, 251}
	draws := make([]float64, 400_000)
	var p [3]float64
	for i := range draws {
		stats.Dirichlet(rng, alpha, p[:])
		draws[i] = 100 * (p[0] - p[1])
	}
	assert.InDelta(t, stats.Quantile(draws, 0.05), iv.Lower, 0.08)
	assert.InDelta(t, stats.Quantile(draws, 0.95), iv.Upper, 0.08)
}

// A weighted interval uses the linearization variance Σ w²(z - θ)²/(Σ w)², computed here
// answer by answer, and the effective n σ²/Var with σ² = Σ w(z - θ)²/Σ w.
func TestWeightedIntervalUsesEffectiveN(t *testing.T) {
	scores := []int{10, 0, 10, 7, 9, 3, 10, 8}
	weights := []float64{1, 3, 1, 3, 1, 3, 1, 3}
	z := []float64{1, -1, 1, 0, 1, -1, 1, 0}
	var W, wz float64
	for i, w := range weights {
		W += w
		wz += w * z[i]
	}
	theta := wz / W
	var s2, q float64
	for i, w := range weights {
		d := z[i] - theta
		s2 += w * d * d
		q += w * w * d * d
	}
	v := q / (W * W)
	r, err := Compute(scores, weights)
	require.NoError(t, err)
	assert.InDelta(t, (s2/W)/v, r.EffectiveN, 1e-12)
	assert.InDelta(t, 1e4*v, r.Variance(), 1e-9)
	iv, err := r.Interval(cxmetrics.Wald, 0.95)
	require.NoError(t, err)
	assert.InDelta(t, 100*(theta-1.959963984540054*math.Sqrt(v)), iv.Lower, 1e-9)
}

func TestBootstrap(t *testing.T) {
	r, err := Compute(answers(250, 300, 450), nil)
	require.NoError(t, err)
	// With n = 1000 the bootstrap distribution of the NPS is close to normal with the
	// plug-in standard error, so the percentile interval matches Wald within Monte Carlo
	// error (quantile SE ≈ 0.04 points here) plus the lattice step of 0.1 points.
	w, err := r.Interval(cxmetrics.Wald, 0.95)
	require.NoError(t, err)
	surveytest.CheckBootstrap(t, r.Bootstrap, r.Score, w, 0.25)
	// Degenerate sample: every resample has the same score.
	p, _ := Compute([]int{10, 10, 10}, nil)
	iv, err := p.Bootstrap(rand.New(rand.NewPCG(1, 1)), 100, 0.95)
	require.NoError(t, err)
	assert.Equal(t, 100.0, iv.Lower)
	assert.Equal(t, 100.0, iv.Upper)
	_, err = r.Bootstrap(rand.New(rand.NewPCG(1, 1)), 0, 0.95)
	assert.ErrorIs(t, err, cxmetrics.ErrOutOfRange)
}

// TestCoverage simulates each method's coverage of the true NPS for trinomial samples.
// Adjusted Wald and Tango are required to be within 1.5 percentage points of the nominal
// 95% at n >= 100; every figure is logged (go test -v -run Coverage). Intervals are
// memoised per count vector, and each cell draws 5,000 samples (Monte Carlo SE of a
// coverage ≈ 0.31 points); the slower Bayesian and bootstrap intervals are estimated
// from the first 200 samples of each cell (SE ≈ 1.5 points), for information only.
func TestCoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("coverage simulation skipped in -short mode")
	}
	truths := [][3]float64{ // detractors, passives, promoters
		{0.2, 0.3, 0.5},
		{0.1, 0.2, 0.7},
		{0.35, 0.3, 0.35},
		{0.5, 0.3, 0.2},
	}
	methods := []cxmetrics.Method{cxmetrics.Wald, cxmetrics.AdjustedWald, cxmetrics.Tango, cxmetrics.Bayesian, cxmetrics.Bootstrap}
	reps, slowReps := 5000, 200
	if raceEnabled {
		reps, slowReps = 2000, 40
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{30, 100, 500} {
		for _, truth := range truths {
			probs := []float64{truth[0], truth[1], truth[2]}
			trueNPS := 100 * (truth[2] - truth[0])
			hits := make(map[cxmetrics.Method]int)
			memo := make(map[[3]int]map[cxmetrics.Method]cxmetrics.Interval)
			var counts [3]int
			for rep := range reps {
				stats.Multinomial(rng, n, probs, counts[:])
				ivs, ok := memo[counts]
				if !ok {
					ivs = make(map[cxmetrics.Method]cxmetrics.Interval)
					memo[counts] = ivs
				}
				r, err := Compute(answers(counts[0], counts[1], counts[2]), nil)
				require.NoError(t, err)
				for _, m := range methods {
					slow := m == cxmetrics.Bayesian || m == cxmetrics.Bootstrap
					if slow && rep >= slowReps {
						continue
					}
					iv, ok := ivs[m]
					if !ok {
						if m == cxmetrics.Bootstrap {
							iv, err = r.Bootstrap(rng, 2000, 0.95)
						} else {
							iv, err = r.Interval(m, 0.95)
						}
						require.NoError(t, err)
						ivs[m] = iv
					}
					if iv.Contains(trueNPS) {
						hits[m]++
					}
				}
			}
			line := fmt.Sprintf("n=%3d truth(d,pa,p)=%v:", n, truth)
			for _, m := range methods {
				k := reps
				if m == cxmetrics.Bayesian || m == cxmetrics.Bootstrap {
					k = slowReps
				}
				cov := 100 * float64(hits[m]) / float64(k)
				line += fmt.Sprintf(" %s %.1f%%", m, cov)
				if n >= 100 && (m == cxmetrics.AdjustedWald || m == cxmetrics.Tango) {
					tol := 1.5
					if raceEnabled {
						tol = 2.5 // fewer samples: Monte Carlo SE ≈ 0.5 points
					}
					assert.InDelta(t, 95, cov, tol, "%s at n=%d, truth %v", m, n, truth)
				}
			}
			t.Log(line)
		}
	}
}
