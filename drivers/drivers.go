package drivers

import (
	"fmt"
	"math"

	"github.com/cxmetrics/cxmetrics"
)

const pkg = "drivers"

// MaxShapleyDrivers is the most drivers that ShapleyR2, Analyze and Bootstrap accept: the
// exact decomposition visits all 2^k subsets of k drivers, about k·2^k multiply-adds and
// k·2^(k-1) divisions (20 drivers: 2·10^7 and 10^7, a tenth of a second). More drivers are
// an error wrapping cxmetrics.ErrTooLarge; RelativeWeights and Correlations have no such
// limit.
const MaxShapleyDrivers = 20

// SingularTolerance is the smallest share of a driver's variance that the other drivers
// may leave unexplained: a driver with 1 - R²_j below it (a variance inflation factor
// above 10^10) is, to working precision, a linear combination of the others, and the
// design is cxmetrics.ErrSingular. The importances come from the correlation matrix, whose
// rounding errors (about 10^-16) such a driver would amplify past the fifth digit.
const SingularTolerance = 1e-10

// maxRespondents bounds the respondents, whose positions are stored as int32.
const maxRespondents = math.MaxInt32

// data is the validated input as columns: cols[0] is the outcome and cols[1+j] driver j.
type data struct {
	cols  [][]float64
	n     int
	scale []float64 // per column, a power of two that brings its largest magnitude near 1
	nan   []int     // per column, the number of missing (NaN) values
	names []string  // optional driver names, for messages
}

// k returns the number of drivers.
func (d *data) k() int { return len(d.cols) - 1 }

// label names column c in messages: "the outcome", "driver 3" or `driver 3 ("wait time")`.
func (d *data) label(c int) string {
	if c == 0 {
		return "the outcome"
	}
	return d.driver(c - 1)
}

// driver names driver j in messages.
func (d *data) driver(j int) string {
	if j < len(d.names) && d.names[j] != "" {
		return fmt.Sprintf("driver %d (%s)", j, d.names[j])
	}
	return fmt.Sprintf("driver %d", j)
}

// prepare checks the shape and the values of the input and returns it as columns. With
// missing false a NaN is ErrNotFinite; with it true a NaN is a missing answer. A scale,
// when not nil, bounds the drivers' ratings.
func prepare(y []float64, x [][]float64, names []string, missing bool, s *Scale) (*data, error) {
	k := len(x)
	switch {
	case k == 0:
		return nil, fmt.Errorf("drivers: no drivers: %w", cxmetrics.ErrEmpty)
	case len(y) == 0:
		return nil, fmt.Errorf("drivers: no respondents: %w", cxmetrics.ErrEmpty)
	case len(y) > maxRespondents:
		return nil, fmt.Errorf("drivers: %d respondents, more than %d: %w", len(y), maxRespondents, cxmetrics.ErrTooLarge)
	case names != nil && len(names) != k:
		return nil, fmt.Errorf("drivers: %d names for %d drivers: %w", len(names), k, cxmetrics.ErrLengthMismatch)
	}
	d := &data{cols: make([][]float64, k+1), n: len(y), scale: make([]float64, k+1), nan: make([]int, k+1), names: names}
	d.cols[0] = y
	for j, col := range x {
		if len(col) != len(y) {
			return nil, fmt.Errorf("drivers: %s has %d ratings for %d outcomes: %w", d.driver(j), len(col), len(y), cxmetrics.ErrLengthMismatch)
		}
		d.cols[j+1] = col
	}
	for c, col := range d.cols {
		what := "outcome"
		if c > 0 {
			what = d.driver(c-1) + " rating"
		}
		big := 0.0
		for i, v := range col {
			switch {
			case math.IsNaN(v):
				if !missing {
					return nil, &cxmetrics.InputError{Pkg: pkg, What: what, Index: i, Value: v, Err: cxmetrics.ErrNotFinite,
						Detail: "(a missing answer: Analyze treats NaN as not answered)"}
				}
				d.nan[c]++
				continue
			case math.IsInf(v, 0):
				return nil, &cxmetrics.InputError{Pkg: pkg, What: what, Index: i, Value: v, Err: cxmetrics.ErrNotFinite}
			case c > 0 && s != nil && (v < s.Min || v > s.Max):
				return nil, &cxmetrics.InputError{Pkg: pkg, What: what, Index: i, Value: v, Err: cxmetrics.ErrOutOfRange,
					Detail: fmt.Sprintf("[%g, %g]", s.Min, s.Max)}
			}
			big = max(big, math.Abs(v))
		}
		d.scale[c] = 1
		if big > 0 {
			// 2^-e brings the largest magnitude into [1/2, 1); for subnormal values the
			// factor stops at 2^1000, which float64 holds, and leaves them above 2^-75.
			_, e := math.Frexp(big)
			d.scale[c] = math.Ldexp(1, min(-e, 1000))
		}
	}
	return d, nil
}

// complete returns the positions of the respondents who answered the outcome and every
// driver, or nil when nobody missed anything.
func (d *data) complete() []int32 {
	gaps := false
	for _, m := range d.nan {
		gaps = gaps || m > 0
	}
	if !gaps {
		return nil
	}
	rows := make([]int32, 0, d.n)
	for i := range d.n {
		ok := true
		for _, col := range d.cols {
			if math.IsNaN(col[i]) {
				ok = false
				break
			}
		}
		if ok {
			rows = append(rows, int32(i))
		}
	}
	return rows
}

// checkShapley refuses more drivers than the exact decomposition enumerates.
func checkShapley(k int) error {
	if k > MaxShapleyDrivers {
		return fmt.Errorf("drivers: %d drivers, more than the %d whose 2^k subsets the exact Shapley decomposition visits: %w",
			k, MaxShapleyDrivers, cxmetrics.ErrTooLarge)
	}
	return nil
}

// fitComplete prepares complete data (no missing answers) and returns its model, for the
// functions that take no options.
func fitComplete(y []float64, x [][]float64) (*model, error) {
	d, err := prepare(y, x, nil, false, nil)
	if err != nil {
		return nil, err
	}
	var w workspace
	c, err := d.correlations(sample{}, Listwise, d.k()+2, &w)
	if err != nil {
		return nil, err
	}
	return newModel(d, c)
}

// Correlations returns each driver's Pearson correlation with the outcome,
//
//	r_j = Σ_i (x_ji - x̄_j)(y_i - ȳ) / √(Σ_i (x_ji - x̄_j)² · Σ_i (y_i - ȳ)²)
//
// the simplest importance: it ignores the other drivers, so two drivers that measure the
// same thing both look important. x[j][i] is driver j's rating by respondent i, and every
// x[j] has len(y) values.
//
// Correlations needs complete, finite data: a NaN or an infinite value is an
// *cxmetrics.InputError wrapping cxmetrics.ErrNotFinite that names the driver and the
// respondent (Analyze treats NaN as a missing answer). It returns cxmetrics.ErrEmpty for no
// drivers or no respondents, cxmetrics.ErrLengthMismatch when a driver's length differs
// from len(y), cxmetrics.ErrTooFew for fewer than 3 respondents and
// cxmetrics.ErrNoVariation, naming it, for a driver or an outcome whose values are all the
// same. Drivers may be collinear.
func Correlations(y []float64, x [][]float64) ([]float64, error) {
	d, err := prepare(y, x, nil, false, nil)
	if err != nil {
		return nil, err
	}
	var w workspace
	c, err := d.correlations(sample{}, Listwise, 3, &w)
	if err != nil {
		return nil, err
	}
	return append([]float64(nil), c.r[1:c.p]...), nil
}

// RelativeWeights returns Johnson's (2000) relative weights of the drivers: the share of
// the model R² that each driver accounts for, found by regressing the outcome on the
// orthogonal variables closest to the drivers. With R_xx = VΛVᵀ the drivers' correlation
// matrix and r the vector of their correlations with the outcome,
//
//	Λ* = R_xx^{1/2} = V Λ^{1/2} Vᵀ,   β* = R_xx^{-1/2} r,   ε_j = Σ_k (Λ*_jk)² (β*_k)²
//
// and Σ_j ε_j = rᵀ R_xx⁻¹ r = R², the R² of the least-squares regression of y on all
// drivers with an intercept. Each ε_j is at least 0.
//
// The data must be complete and finite, with errors as for Correlations; in addition
// RelativeWeights needs at least k + 2 respondents for k drivers (cxmetrics.ErrTooFew) and
// returns cxmetrics.ErrSingular, naming a driver, when the drivers are linearly dependent
// to within SingularTolerance.
//
// Reference: Johnson, J. W. (2000). A heuristic method for estimating the relative weight
// of predictor variables in multiple regression. Multivariate Behavioral Research 35(1),
// 1–19.
func RelativeWeights(y []float64, x [][]float64) ([]float64, error) {
	m, err := fitComplete(y, x)
	if err != nil {
		return nil, err
	}
	return m.relativeWeights(), nil
}

// ShapleyR2 returns the LMG decomposition of R² (Lindeman, Merenda & Gold 1980), which is
// the Shapley value of the cooperative game whose worth of a set S of drivers is the R² of
// the regression of y on S: driver j's share is its increase of R² averaged over every
// order in which the drivers can enter the model,
//
//	φ_j = Σ_{S ⊆ N∖{j}} |S|! (k - |S| - 1)! / k! · (R²(S ∪ {j}) - R²(S))
//
// with R²(∅) = 0, so Σ_j φ_j = R² of the model with all k drivers, and φ_j ≥ 0. Each
// R²(S) = r_Sᵀ R_SS⁻¹ r_S comes from the correlation matrix, so the data are read once and
// the 2^k subsets cost about k·2^k operations whatever the number of respondents; at most
// MaxShapleyDrivers drivers are accepted (cxmetrics.ErrTooLarge beyond).
//
// The data must be complete and finite, with errors as for RelativeWeights.
//
// References: Lindeman, R. H., Merenda, P. F., & Gold, R. Z. (1980). Introduction to
// Bivariate and Multivariate Analysis. Scott, Foresman, p. 119ff. Lipovetsky, S., &
// Conklin, M. (2001). Analysis of regression in game theory approach. Applied Stochastic
// Models in Business and Industry 17(4), 319–330. Grömping, U. (2006). Relative importance
// for linear regression in R: the package relaimpo. Journal of Statistical Software 17(1).
func ShapleyR2(y []float64, x [][]float64) ([]float64, error) {
	if err := checkShapley(len(x)); err != nil {
		return nil, err
	}
	m, err := fitComplete(y, x)
	if err != nil {
		return nil, err
	}
	return m.shapley(), nil
}
