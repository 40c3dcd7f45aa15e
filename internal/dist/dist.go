// Package dist holds the quantiles and tail probabilities of the normal and Student's t
// distributions (gonum's distuv) that interval methods need, and the validation of a
// confidence level that every interval shares.
package dist

import (
	"math"

	"github.com/cxmetrics/cxmetrics"
	"gonum.org/v1/gonum/stat/distuv"
)

// NormalQuantile returns the p-quantile of the standard normal distribution.
func NormalQuantile(p float64) float64 {
	return distuv.UnitNormal.Quantile(p)
}

// NormalCDF returns P(Z <= z) for a standard normal Z.
func NormalCDF(z float64) float64 {
	return distuv.UnitNormal.CDF(z)
}

// TwoSidedNormalP returns the two-sided p-value 2·P(Z >= |z|), computed with erfc so that
// it keeps its relative precision far in the tail.
func TwoSidedNormalP(z float64) float64 {
	return math.Erfc(math.Abs(z) / math.Sqrt2)
}

// TQuantile returns the p-quantile of Student's t distribution with df degrees of freedom.
func TQuantile(p, df float64) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(p)
}

// TwoSidedTP returns the two-sided p-value 2·P(T >= |t|) of Student's t with df degrees
// of freedom.
func TwoSidedTP(t, df float64) float64 {
	return 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(math.Abs(t))
}

// CriticalZ returns z such that P(-z <= Z <= z) = level, the (1+level)/2 quantile of the
// standard normal. A level outside (0, 1), or so close to 1 that z is not finite (1 - 1e-16
// rounds (1+level)/2 to 1), is an *cxmetrics.InputError wrapping cxmetrics.ErrInvalidLevel
// with pkg in its message.
func CriticalZ(pkg string, level float64) (float64, error) {
	if err := CheckLevel(pkg, level); err != nil {
		return 0, err
	}
	return NormalQuantile(0.5 + level/2), nil
}

// CriticalT is CriticalZ for Student's t with df > 0 degrees of freedom.
func CriticalT(pkg string, level, df float64) (float64, error) {
	if err := CheckLevel(pkg, level); err != nil {
		return 0, err
	}
	t := TQuantile(0.5+level/2, df)
	if math.IsNaN(t) || math.IsInf(t, 0) {
		return 0, levelError(pkg, level)
	}
	return t, nil
}

// CheckLevel returns nil for a usable confidence level: in (0, 1) with a finite normal
// critical value, that is with 0.5 + level/2 < 1 in floating point. Any other level is an
// *cxmetrics.InputError wrapping cxmetrics.ErrInvalidLevel.
func CheckLevel(pkg string, level float64) error {
	if !(level > 0 && 0.5+level/2 < 1) {
		return levelError(pkg, level)
	}
	return nil
}

func levelError(pkg string, level float64) error {
	e := &cxmetrics.InputError{Pkg: pkg, What: "level", Index: -1, Value: level, Err: cxmetrics.ErrInvalidLevel}
	if level > 0 && level < 1 {
		e.Detail = "(so close to 1 that the critical value is infinite)"
	}
	return e
}

// BetaQuantile returns the p-quantile of the Beta(a, b) distribution.
func BetaQuantile(p, a, b float64) float64 {
	return distuv.Beta{Alpha: a, Beta: b}.Quantile(p)
}
