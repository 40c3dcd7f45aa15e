package segment

import (
	"math"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Reference values from R 4.2.2 with metafor 3.8.1 (trend.R), t = 0, …, 7:
//
//	fit <- lm(y ~ t, weights = 1/se^2)                      # slope, intercept, sigma
//	fe  <- rma(y, sei = se, mods = ~ t, method = "FE")      # SE₀, z, p, QE, QEp, ci
//
// printed to 15 significant digits; tolerance 1e-10 (lm and metafor solve by QR). In the
// first series the months scatter less than their standard errors allow (Q/DF = 0.19):
// Trend is metafor's fixed-effect fit. In the second they scatter far more (Q/DF = 32.8):
// Trend's standard error is lm's, SE₀·sigma(fit).
func TestTrendR(t *testing.T) {
	for _, c := range []struct {
		name                     string
		y, se                    []float64
		slope, icpt, se0, sigma  float64
		q, qp                    float64
		wantSE, wantZ, wantP, lo float64
		hi                       float64
		dispersionAboveOne       bool
	}{
		{
			name: "calm", y: []float64{31.2, 33.5, 30.1, 35.8, 36.4, 38.9, 37.2, 41.0},
			se:    []float64{4.1, 3.9, 4.4, 3.7, 3.8, 3.5, 3.9, 3.6},
			slope: 1.35147726558169, icpt: 30.9352092390849, se0: 0.596444306691772, sigma: 0.440938857876614,
			q: 1.16656245831319, qp: 0.97850407377036,
			wantSE: 0.596444306691772, wantZ: 2.26589012656987, wantP: 0.0234581112891336,
			lo: 0.182467905681861, hi: 2.52048662548153,
		},
		{
			name: "seasonal", y: []float64{31.2, 45.5, 22.1, 40.8, 28.4, 48.9, 30.2, 51.0},
			se:    []float64{2.1, 1.9, 2.4, 1.7, 1.8, 1.5, 1.9, 1.6},
			slope: 1.69013617983611, icpt: 32.86951434139, se0: 0.286276905958326, sigma: 5.72708068865011,
			q: 196.796719285854, qp: 9.11817183461197e-40,
			wantSE: 1.63953093972043, wantZ: 1.0308656816957, wantP: 0.302603811927795,
			lo: -1.52328541355506, hi: 4.90355777322725, dispersionAboveOne: true,
		},
	} {
		n := make([]int, len(c.y))
		for i := range n {
			n[i] = 500
		}
		tr, err := Trend(0.95, named(c.y, c.se, n))
		require.NoError(t, err, c.name)
		l := tr.Linear
		near(t, c.slope, l.Slope, 1e-10, "%s slope", c.name)
		near(t, c.icpt, l.Intercept, 1e-10, "%s intercept", c.name)
		near(t, c.wantSE, l.StdErr, 1e-10, "%s SE", c.name)
		near(t, c.wantZ, l.Z, 1e-10, "%s z", c.name)
		near(t, c.wantP, l.P, 1e-10, "%s p", c.name)
		near(t, c.lo, l.Interval.Lower, 1e-10, "%s lower", c.name)
		near(t, c.hi, l.Interval.Upper, 1e-10, "%s upper", c.name)
		near(t, c.q, l.Q, 1e-10, "%s Q", c.name)
		near(t, c.qp, l.QP, 1e-9, "%s QP", c.name)
		assert.Equal(t, 6, l.DF)
		// lm's standard error is SE₀·sigma, and sigma² = Q/DF.
		near(t, c.sigma*c.sigma, l.Q/6, 1e-10, "%s sigma²", c.name)
		if c.dispersionAboveOne {
			near(t, c.se0*c.sigma, l.StdErr, 1e-10, "%s lm SE", c.name)
			near(t, c.sigma*c.sigma, l.Dispersion, 1e-10, "%s dispersion", c.name)
		} else {
			near(t, c.se0, l.StdErr, 1e-10, "%s metafor SE", c.name)
			assert.Equal(t, 1.0, l.Dispersion)
		}
	}
}

// The changes are the Wald contrasts with the previous and the first period.
func TestTrendChanges(t *testing.T) {
	y := []float64{30, 34, 33, 40}
	se := []float64{3, 4, 2, 5}
	tr, err := Trend(0.9, named(y, se, []int{100, 60, 200, 40}))
	require.NoError(t, err)
	require.Len(t, tr.Changes, 3)
	z := 1.6448536269514722 // qnorm(0.95)
	for i, c := range tr.Changes {
		p := i + 1
		assert.Equal(t, p, c.Period)
		for _, x := range []struct {
			got  Contrast
			from int
		}{{c.FromPrevious, p - 1}, {c.FromFirst, 0}} {
			d := y[p] - y[x.from]
			s := math.Hypot(se[p], se[x.from])
			near(t, d, x.got.Difference, 1e-15, "d")
			near(t, s, x.got.StdErr, 1e-15, "se")
			near(t, d/s, x.got.Z, 1e-15, "z")
			near(t, math.Erfc(math.Abs(d/s)/math.Sqrt2), x.got.P, 1e-15, "p")
			near(t, d-z*s, x.got.Interval.Lower, 1e-14, "lower")
			near(t, d+z*s, x.got.Interval.Upper, 1e-14, "upper")
			assert.Equal(t, 0.9, x.got.Interval.Level)
		}
	}
}

// Two periods: the line goes through both, its slope is their difference, Q is 0 and
// nothing is estimated about the scatter.
func TestTrendTwoPeriods(t *testing.T) {
	tr, err := Trend(0.95, named([]float64{20, 26}, []float64{3, 4}, []int{100, 60}))
	require.NoError(t, err)
	l := tr.Linear
	near(t, 6, l.Slope, 1e-14, "slope")
	near(t, 20, l.Intercept, 1e-14, "intercept")
	near(t, 5, l.StdErr, 1e-14, "SE")
	assert.Equal(t, 0, l.DF)
	assert.Equal(t, 1.0, l.Dispersion)
	assert.Equal(t, 1.0, l.QP)
	assert.InDelta(t, 0, l.Q, 1e-20)
	near(t, tr.Changes[0].FromFirst.Z, l.Z, 1e-14, "z")
}

// A period with a standard error 10^8 times the others' gets weight 10^-16 relative to
// them, and the line goes through the precise periods.
func TestTrendWeightRange(t *testing.T) {
	tr, err := Trend(0.95, named([]float64{10, 12, 999, 16}, []float64{0.01, 0.01, 1e6, 0.01}, []int{5, 5, 5, 5}))
	require.NoError(t, err)
	l := tr.Linear
	near(t, 2, l.Slope, 1e-9, "slope")
	near(t, 10, l.Intercept, 1e-9, "intercept")
	near(t, (999-14)*(999-14)/1e12, l.Q, 1e-6, "Q")
	assert.Equal(t, cxmetrics.Wald, l.Interval.Method)
}
