package cxmetrics

import (
	"fmt"

	"github.com/cxmetrics/cxmetrics/internal/enum"
)

// Method names a way of computing a confidence interval. Each package documents which
// methods apply to its metric and returns ErrUnsupportedMethod for the others.
type Method int

// The interval methods. Their formulas are documented by the packages that use them.
const (
	// Wald is the normal approximation estimate ± z·SE.
	Wald Method = iota
	// AdjustedWald is the Wald interval after adding pseudo-observations (for NPS: 3/4
	// promoter, 3/2 passive, 3/4 detractor; for a proportion see AgrestiCoull).
	AdjustedWald
	// Tango is the score interval for a difference of paired proportions (Tango 1998).
	Tango
	// Wilson is the score interval for a binomial proportion (Wilson 1927).
	Wilson
	// AgrestiCoull adds z²/2 successes and z²/2 failures before a Wald interval
	// (Agresti & Coull 1998).
	AgrestiCoull
	// ClopperPearson is the exact binomial interval from Beta quantiles (Clopper & Pearson 1934).
	ClopperPearson
	// Jeffreys is the equal-tailed Bayesian interval under a Beta(1/2, 1/2) prior.
	Jeffreys
	// TDist is mean ± t(n-1)·SD/√n, for means of ratings.
	TDist
	// Bootstrap is a percentile bootstrap interval from a caller-seeded source.
	Bootstrap
	// Bayesian is an equal-tailed posterior interval under a uniform (Dirichlet or Beta)
	// prior.
	Bayesian
)

var methodNames = enum.Names[Method]{Pkg: "cxmetrics", Type: "Method", Unknown: ErrUnknownLabel, Names: []string{
	Wald:           "Wald",
	AdjustedWald:   "AdjustedWald",
	Tango:          "Tango",
	Wilson:         "Wilson",
	AgrestiCoull:   "AgrestiCoull",
	ClopperPearson: "ClopperPearson",
	Jeffreys:       "Jeffreys",
	TDist:          "TDist",
	Bootstrap:      "Bootstrap",
	Bayesian:       "Bayesian",
}}

// String returns the method's name, e.g. "AdjustedWald", or "Method(n)" for an unknown value.
func (m Method) String() string { return methodNames.String(m) }

// MarshalText encodes the method as its name, so that JSON shows "Wilson" and not 3.
func (m Method) MarshalText() ([]byte, error) { return methodNames.Marshal(m) }

// UnmarshalText decodes a method name as String writes it, ignoring case and surrounding
// spaces; an unknown name wraps ErrUnknownLabel.
func (m *Method) UnmarshalText(b []byte) error { return methodNames.Unmarshal(b, m) }

// Interval is a confidence (or credible) interval for one metric, in the metric's own
// units: NPS in -100..100, shares x 100 in 0..100, a CES in rating points. Bounds are
// clipped to the metric's range.
type Interval struct {
	Estimate float64 `json:"estimate"`
	Lower    float64 `json:"lower"`
	Upper    float64 `json:"upper"`
	Level    float64 `json:"level"` // e.g. 0.95
	Method   Method  `json:"method"`
}

// Contains reports whether x lies in [Lower, Upper].
func (iv Interval) Contains(x float64) bool { return iv.Lower <= x && x <= iv.Upper }

// Width returns Upper - Lower.
func (iv Interval) Width() float64 { return iv.Upper - iv.Lower }

// String formats the interval as "12.3 [4.5, 20.1] (95% Wilson)".
func (iv Interval) String() string {
	return fmt.Sprintf("%.4g [%.4g, %.4g] (%g%% %v)", iv.Estimate, iv.Lower, iv.Upper, iv.Level*100, iv.Method)
}
