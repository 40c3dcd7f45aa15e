package segment

import (
	"fmt"
	"math"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/normal"
	"github.com/cxmetrics/cxmetrics/internal/stats"
	"gonum.org/v1/gonum/stat/distuv"
)

// TrendResult is a score over ordered periods: how each period moved, and the linear trend.
type TrendResult struct {
	// Changes[t-1] compares period t with the one before it and with the first, for
	// t = 1, …, k-1.
	Changes []Change `json:"changes"`
	Linear  Linear   `json:"linear"`
}

// Change compares one period with earlier ones. Neither contrast is adjusted for the
// other periods: each answers the question about its own period.
type Change struct {
	Period       int      `json:"period"`        // index t of the period, from 1
	FromPrevious Contrast `json:"from_previous"` // period t - period t-1
	FromFirst    Contrast `json:"from_first"`    // period t - period 0
}

// Linear is the weighted least-squares line through the periods' scores, score = Intercept
// + Slope·t on the period index t = 0, 1, …, k-1, with weights 1/SE_t² (see Trend).
type Linear struct {
	Slope     float64 `json:"slope"`     // change of the score per period
	Intercept float64 `json:"intercept"` // the line's score at the first period
	// StdErr is the slope's standard error: the known-variance one times √Dispersion.
	StdErr   float64            `json:"std_err"`
	Z        float64            `json:"z"`        // Slope / StdErr
	P        float64            `json:"p"`        // two-sided normal p-value of Z
	Interval cxmetrics.Interval `json:"interval"` // Slope ± z_{(1+level)/2}·StdErr, Method Wald
	// Q is the weighted residual sum of squares Σ w_t (y_t - ŷ_t)², Cochran's test of
	// the periods' departure from a line; under a line it is χ² on DF = k - 2 degrees of
	// freedom, and QP is its upper tail probability (1 when DF is 0).
	Q  float64 `json:"q"`
	DF int     `json:"df"`
	QP float64 `json:"q_p"`
	// Dispersion is max(1, Q/DF) (1 when DF is 0): the factor by which the variance of
	// the periods about the line exceeds what their standard errors allow, if it does.
	Dispersion float64 `json:"dispersion"`
}

// Trend analyses a score over ordered periods (months, quarters), given in time order:
// each period against the previous one and against the first (Wald contrasts as in
// AllPairs, unadjusted), and the linear trend.
//
// The trend is the weighted least-squares fit of the scores y_t on the period index
// t = 0, …, k-1 with weights w_t = 1/SE_t², the fixed-effect meta-regression of the
// estimates on time:
//
//	t̄ = Σ w t / Σ w,   ȳ = Σ w y / Σ w,   Sₜₜ = Σ w (t - t̄)²
//	slope = Σ w (t - t̄)(y - ȳ) / Sₜₜ,   intercept = ȳ - slope·t̄
//	SE₀ = 1/√Sₜₜ,   Q = Σ w (y - intercept - slope·t)²,   Dispersion = max(1, Q/(k-2))
//	SE = SE₀·√Dispersion,   z = slope/SE,   p = 2·P(Z ≥ |z|)
//
// SE₀ is the slope's standard error when the standard errors are the only source of
// variation about the line (metafor's rma(y, sei = se, mods = ~ t, method = "FE")). R's
// lm(y ~ t, weights = 1/se^2) gives the same slope with the standard error SE₀·√(Q/(k-2)),
// which trusts the scatter about the line instead and can fall below SE₀ when the periods
// happen to lie close to it. The floor at 1 keeps what the standard errors say and widens
// the interval only when the periods scatter more than they allow (seasons, campaigns):
// the multiplicative random-effects model of Thompson & Sharp (1999, "Explaining
// heterogeneity in meta-analysis: a comparison of methods", Statistics in Medicine 18,
// 2693-2708), with under-dispersion not permitted, as in the inverse-variance weighted
// estimator of R's MendelianRandomization (mr_ivw, model = "random") and TwoSampleMR
// (mr_ivw). The test is against the normal distribution: with few periods and Dispersion
// above 1 it is optimistic, and Q, DF and QP show the scatter. With no trend, at α = 5%,
// it rejects in 4% of series of 6 or 12 periods that vary by their standard errors alone,
// and in 7-8% when the periods also vary between them by as much again, where SE₀ alone
// would reject in 16% (TestTrendSize in sim_test.go).
//
// It needs between 2 and MaxSegments periods. A period whose standard error is 0 gets the
// pooled one described in the package documentation ("Answers all alike").
func Trend(level float64, periods []Segment) (TrendResult, error) {
	z, err := normal.Critical(pkg, level)
	if err != nil {
		return TrendResult{}, err
	}
	sc, err := scale(periods, 2, MaxSegments)
	if err != nil {
		return TrendResult{}, err
	}
	k := len(periods)
	res := TrendResult{Changes: make([]Change, k-1)}
	for t := 1; t < k; t++ {
		c := Change{Period: t,
			FromPrevious: contrast(sc.y[t], sc.se[t], sc.y[t-1], sc.se[t-1], sc.unit, z, level),
			FromFirst:    contrast(sc.y[t], sc.se[t], sc.y[0], sc.se[0], sc.unit, z, level)}
		if !c.FromPrevious.finite() || !c.FromFirst.finite() {
			return TrendResult{}, overflow(fmt.Sprintf("change of period %d", t))
		}
		res.Changes[t-1] = c
	}
	lin, ok := linear(sc, z, level)
	if !ok {
		return TrendResult{}, overflow("linear trend")
	}
	res.Linear = lin
	return res, nil
}

// linear fits the weighted line of Trend to the scaled periods. The weights are taken
// relative to the largest, r_t = (SE_min/SE_t)² = SE_min²·w_t, so that no weight
// overflows; Sₜₜ and Q are divided by SE_min² at the end.
func linear(sc scaled, z, level float64) (Linear, bool) {
	k := len(sc.y)
	seMin := math.Inf(1)
	for _, s := range sc.se {
		seMin = min(seMin, s)
	}
	r := make([]float64, k)
	var sr, srt, sry stats.Sum
	for t := range k {
		q := seMin / sc.se[t]
		r[t] = q * q
		sr.Add(r[t])
		srt.Add(r[t] * float64(t))
		sry.Add(r[t] * sc.y[t])
	}
	tbar, ybar := srt.Value()/sr.Value(), sry.Value()/sr.Value()
	var stt, sty stats.Sum
	for t := range k {
		dt := float64(t) - tbar
		stt.Add(r[t] * dt * dt)
		sty.Add(r[t] * dt * (sc.y[t] - ybar))
	}
	slope := sty.Value() / stt.Value()
	icpt := ybar - slope*tbar
	var q stats.Sum
	for t := range k {
		e := sc.y[t] - icpt - slope*float64(t)
		q.Add(r[t] * e * e)
	}
	l := Linear{DF: k - 2, Dispersion: 1, QP: 1}
	// Q = Σ r e² / SE_min², in two divisions so that a tiny SE_min overflows to +Inf, not NaN.
	l.Q = q.Value() / seMin / seMin
	if l.DF > 0 {
		l.Dispersion = max(1, l.Q/float64(l.DF))
		l.QP = distuv.ChiSquared{K: float64(l.DF)}.Survival(l.Q)
	}
	se := seMin / math.Sqrt(stt.Value()) * math.Sqrt(l.Dispersion)
	l.Z = slope / se
	l.P = normal.TwoSidedP(l.Z)
	l.Slope, l.Intercept, l.StdErr = slope*sc.unit, icpt*sc.unit, se*sc.unit
	l.Interval = cxmetrics.Interval{Estimate: l.Slope, Lower: (slope - z*se) * sc.unit, Upper: (slope + z*se) * sc.unit,
		Level: level, Method: cxmetrics.Wald}
	return l, finite(l.Slope, l.Intercept, l.StdErr, l.Z, l.Q, l.QP, l.Dispersion, l.Interval.Lower, l.Interval.Upper)
}
