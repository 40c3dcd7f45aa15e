package stats

import (
	"math"

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

// CriticalZ returns z such that P(-z <= Z <= z) = level, i.e. the (1+level)/2 quantile.
func CriticalZ(level float64) float64 {
	return NormalQuantile(0.5 + level/2)
}

// TQuantile returns the p-quantile of Student's t distribution with df degrees of freedom.
func TQuantile(p, df float64) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(p)
}

// TwoSidedTP returns the two-sided p-value 2·P(T >= |t|) for Student's t with df degrees
// of freedom.
func TwoSidedTP(t, df float64) float64 {
	return 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(math.Abs(t))
}

// BetaQuantile returns the p-quantile of the Beta(a, b) distribution.
func BetaQuantile(p, a, b float64) float64 {
	return distuv.Beta{Alpha: a, Beta: b}.Quantile(p)
}
