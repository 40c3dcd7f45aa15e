package peakend

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/ols"
	"github.com/cxmetrics/cxmetrics/internal/stats"
	"gonum.org/v1/gonum/mat"
)

// featureNames are the columns of Fit's design matrix, in the order of Model.StdErr.
var featureNames = [...]string{"intercept", "peak", "end", "mean", "duration"}

// coefNames name the coefficients of a Model in errors, in the order of featureNames.
var coefNames = [...]string{"intercept", "peak coefficient", "end coefficient", "mean coefficient", "duration coefficient"}

// featureHints explain the usual cause of a dependent column.
var featureHints = [...]string{
	"",
	"the peak is the same in every experience",
	"the end is equal to the peak, or the same, in every experience",
	"for example every experience has a single moment",
	"for example every experience lasts equally long",
}

// Model is a linear model of retrospective ratings,
//
//	rating ≈ Intercept + Peak·peak + End·end + Mean·mean + Duration·duration
//
// fitted by ordinary least squares on the features of each experience: its peak and end
// as Rule defines them, its duration-weighted mean (see Mean) and its total duration in
// seconds (see Summary).
type Model struct {
	Intercept float64 `json:"intercept"`
	Peak      float64 `json:"peak"`
	End       float64 `json:"end"`
	Mean      float64 `json:"mean"`
	Duration  float64 `json:"duration"` // per second
	// StdErr holds the standard errors of Intercept, Peak, End, Mean and Duration, in that
	// order: √(σ̂² [(XᵀX)⁻¹]_jj) with σ̂² = RSS / (N - 5).
	StdErr [5]float64 `json:"std_err"`
	// R2 is the coefficient of determination 1 - RSS/TSS of the model, and MeanOnlyR2 that
	// of the regression of the ratings on the mean alone (with an intercept): how much the
	// peak, the end and the duration add to the moment-based average.
	R2         float64 `json:"r2"`
	MeanOnlyR2 float64 `json:"mean_only_r2"`
	// AdjR2 and MeanOnlyAdjR2 are the adjusted R², 1 - (1 - R²)(N - 1)/(N - p) with p = 5
	// and p = 2 coefficients; compare these, since R² never falls when regressors are added.
	AdjR2         float64 `json:"adj_r2"`
	MeanOnlyAdjR2 float64 `json:"mean_only_adj_r2"`
	N             int     `json:"n"` // number of experiences; 0 means not fitted
	// Rule is how the peak and the end were measured; Predict measures them the same way.
	// Only its Peak, Neutral and EndWindow matter.
	Rule Rule `json:"rule"`
}

// Fit regresses retrospective ratings on the Summary features of each experience: the
// peak (highest value), the end (last value), the duration-weighted mean and the total
// duration in seconds, with an intercept, by ordinary least squares (QR factorisation, see
// the package documentation). It is FitRule with Rule{Peak: Highest, EndWindow: 1}, which
// suits scales where higher means more intense, such as pain or effort; on a satisfaction
// scale, where the worst moment is the lowest, use FitRule with Lowest or MostIntense.
//
// experiences[i] is rated ratings[i]. Fit returns ErrLengthMismatch when the lengths
// differ, ErrEmpty for no experiences or an experience without moments, ErrTooFew for
// fewer than 6 experiences, an *cxmetrics.InputError for a bad moment or rating (with the
// experience and the index), an error wrapping ErrNoVariation when every rating is the
// same, ErrSingular, naming the feature, when the features are linearly dependent, and
// ErrNotFinite when a coefficient is beyond float64's range. Each feature and the ratings
// are scaled by powers of two before the fit, so that values and ratings of any finite
// size give the coefficients they imply as long as those fit a float64.
func Fit(experiences [][]Moment, ratings []float64) (Model, error) {
	return FitRule(Rule{Peak: Highest, EndWindow: 1}, experiences, ratings)
}

// FitRule is Fit with the peak and the end measured by r: r.Peak picks the peak (relative
// to r.Neutral for MostIntense) and the end is the duration-weighted mean of the last
// r.EndWindow moments. The weights of r are not used: the fit estimates them.
func FitRule(r Rule, experiences [][]Moment, ratings []float64) (Model, error) {
	if err := r.Validate(); err != nil {
		return Model{}, err
	}
	n := len(experiences)
	if len(ratings) != n {
		return Model{}, fmt.Errorf("peakend: fit: %d experiences but %d ratings: %w", n, len(ratings), cxmetrics.ErrLengthMismatch)
	}
	if n == 0 {
		return Model{}, fmt.Errorf("peakend: fit: no experiences: %w", cxmetrics.ErrEmpty)
	}
	const p = len(featureNames)
	if n <= p {
		return Model{}, fmt.Errorf("peakend: fit: %d experiences for %d coefficients, need at least %d: %w", n, p, p+1, cxmetrics.ErrTooFew)
	}
	varies := false
	for i, y := range ratings {
		if !stats.Finite(y) {
			return Model{}, &cxmetrics.InputError{Pkg: "peakend", What: "rating", Index: i, Value: y, Err: cxmetrics.ErrNotFinite}
		}
		varies = varies || y != ratings[0]
	}
	if !varies {
		return Model{}, fmt.Errorf("peakend: fit: every rating is %g, so there is no variation to explain: %w", ratings[0], cxmetrics.ErrNoVariation)
	}

	full := mat.NewDense(n, p, nil)
	for i, moments := range experiences {
		f, err := features(r, moments, i)
		if err != nil {
			return Model{}, err
		}
		full.SetRow(i, f[:])
	}
	// Values and ratings may be so large that their squares overflow, or so small that they
	// underflow. Scaling each column and the ratings by a power of two, so that the largest
	// magnitude of each lies in [1/2, 1), changes only their units, exactly: the scaled fit
	// gives coefficient j times 2^(shift[j] - yShift).
	var shift [p]int
	for j := 1; j < p; j++ {
		shift[j] = exponent(mat.Col(nil, j, full))
		for i := range n {
			full.Set(i, j, math.Ldexp(full.At(i, j), -shift[j]))
		}
	}
	yShift := exponent(ratings)
	ys := make([]float64, n)
	for i, y := range ratings {
		ys[i] = math.Ldexp(y, -yShift)
	}
	meanOnly := mat.NewDense(n, 2, nil)
	for i := range n {
		meanOnly.Set(i, 0, 1)
		meanOnly.Set(i, 1, full.At(i, 3))
	}

	fit, err := ols.Fit(full, ys)
	if err != nil {
		return Model{}, fitError(err)
	}
	base, err := ols.Fit(meanOnly, ys)
	if err != nil {
		return Model{}, fitError(err)
	}
	var coef [p]float64
	for j := range p {
		coef[j] = math.Ldexp(fit.Coef[j], yShift-shift[j])
		se := math.Ldexp(fit.StdErr[j], yShift-shift[j])
		if !stats.Finite(coef[j]) || !stats.Finite(se) {
			return Model{}, fmt.Errorf("peakend: fit: the %s is beyond float64's range: %w", coefNames[j], cxmetrics.ErrNotFinite)
		}
		fit.StdErr[j] = se
	}
	m := Model{
		Intercept:     coef[0],
		Peak:          coef[1],
		End:           coef[2],
		Mean:          coef[3],
		Duration:      coef[4],
		R2:            fit.R2,
		MeanOnlyR2:    base.R2,
		AdjR2:         adjusted(fit.R2, n, p),
		MeanOnlyAdjR2: adjusted(base.R2, n, 2),
		N:             n,
		Rule:          Rule{Peak: r.Peak, Neutral: r.Neutral, EndWindow: max(r.EndWindow, 1)},
	}
	copy(m.StdErr[:], fit.StdErr)
	return m, nil
}

// exponent returns e such that the largest |x_i| lies in [2^(e-1), 2^e), or 0 when every
// x_i is zero.
func exponent(x []float64) int {
	big := 0.0
	for _, v := range x {
		big = max(big, math.Abs(v))
	}
	_, e := math.Frexp(big)
	return e
}

// adjusted returns the adjusted R², 1 - (1 - R²)(n - 1)/(n - p).
func adjusted(r2 float64, n, p int) float64 {
	return 1 - (1-r2)*float64(n-1)/float64(n-p)
}

// fitError turns an error of the least-squares routine into one that names the feature.
func fitError(err error) error {
	var se *ols.SingularError
	if errors.As(err, &se) && se.Column > 0 && se.Column < len(featureNames) {
		name := featureNames[se.Column]
		msg := fmt.Sprintf("peakend: fit: the %s feature is a linear combination of the %s", name, featureNames[0])
		for _, other := range featureNames[1:se.Column] {
			msg += ", " + other
		}
		if hint := featureHints[se.Column]; hint != "" {
			msg += " (" + hint + ")"
		}
		return fmt.Errorf("%s: %w", msg, cxmetrics.ErrSingular)
	}
	return fmt.Errorf("peakend: fit: %w", err)
}

// features returns the regressors of one experience: 1, peak, end, mean, duration (s).
// exp is the index of the experience for error messages, or -1.
func features(r Rule, moments []Moment, exp int) ([5]float64, error) {
	ex, err := scan(moments, exp)
	if err != nil {
		return [5]float64{}, err
	}
	return [5]float64{1, peakOf(r, ex), endOf(r.EndWindow, moments), meanWithin(moments, ex.lo, ex.hi), seconds(moments, ex)}, nil
}

// seconds returns the total duration of the moments in seconds, zero durations counting
// one second; as a float64 it exists even when the total exceeds time.Duration's range.
func seconds(moments []Moment, ex extremes) float64 {
	if !ex.overflow {
		return ex.total.Seconds()
	}
	var s stats.Sum
	for _, m := range moments {
		s.Add(weight(m.Duration))
	}
	return s.Value() / float64(time.Second)
}

// Validate reports whether the model can be used, as a model built by hand or decoded
// from JSON may not: it must be fitted (N > 0; N = 0 is ErrEmpty), its coefficients finite,
// its standard errors finite and not negative, its R² values finite and at most 1, and its
// Rule valid (see Rule.Validate).
func (m Model) Validate() error {
	if m.N == 0 {
		return fmt.Errorf("peakend: the model is not fitted: %w", cxmetrics.ErrEmpty)
	}
	if m.N < 0 {
		return &cxmetrics.InputError{Pkg: "peakend", What: "model n", Index: -1, Value: m.N, Err: cxmetrics.ErrOutOfRange, Detail: "[1, ∞)"}
	}
	for j, c := range m.coefficients() {
		if !stats.Finite(c) {
			return &cxmetrics.InputError{Pkg: "peakend", What: "model " + coefNames[j], Index: -1, Value: c, Err: cxmetrics.ErrNotFinite}
		}
	}
	for j, se := range m.StdErr {
		if !stats.Finite(se) {
			return &cxmetrics.InputError{Pkg: "peakend", What: "model standard error", Index: j, Value: se, Err: cxmetrics.ErrNotFinite}
		}
		if se < 0 {
			return &cxmetrics.InputError{Pkg: "peakend", What: "model standard error", Index: j, Value: se, Err: cxmetrics.ErrOutOfRange, Detail: "[0, ∞)"}
		}
	}
	for _, f := range [...]struct {
		what string
		v    float64
	}{{"r2", m.R2}, {"mean-only r2", m.MeanOnlyR2}, {"adjusted r2", m.AdjR2}, {"mean-only adjusted r2", m.MeanOnlyAdjR2}} {
		if !stats.Finite(f.v) {
			return &cxmetrics.InputError{Pkg: "peakend", What: "model " + f.what, Index: -1, Value: f.v, Err: cxmetrics.ErrNotFinite}
		}
		if f.v > 1 {
			return &cxmetrics.InputError{Pkg: "peakend", What: "model " + f.what, Index: -1, Value: f.v, Err: cxmetrics.ErrOutOfRange, Detail: "(-∞, 1]"}
		}
	}
	return m.Rule.Validate()
}

func (m Model) coefficients() [5]float64 {
	return [5]float64{m.Intercept, m.Peak, m.End, m.Mean, m.Duration}
}

// Predict returns the rating the model predicts for an experience,
//
//	Intercept + Peak·peak + End·end + Mean·mean + Duration·duration
//
// with the features measured as in the fit. It returns the error of m.Validate for a model
// that is not fitted or holds an impossible value, the errors of Mean for bad moments, and
// an error wrapping ErrNotFinite when the prediction is beyond float64's range. Products
// that overflow one by one but cancel are computed in scaled form.
func (m Model) Predict(moments []Moment) (float64, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	f, err := features(m.Rule, moments, -1)
	if err != nil {
		return 0, err
	}
	y := dot(m.coefficients(), f)
	if !stats.Finite(y) {
		return 0, fmt.Errorf("peakend: predict: the prediction overflows float64: %w", cxmetrics.ErrNotFinite)
	}
	return y, nil
}

// dot returns Σ c_j·f_j for finite c and f. Each product is formed from the mantissas of its
// factors, m_c·m_f·2^(e_c+e_f) with m in [1/4, 1), and scaled by 2^(headroom-E), E the
// largest of the exponents, so that the largest product is below 2^headroom: no product or
// partial sum of the five overflows, and the sum is scaled back once, so the result is
// ±Inf only when the sum itself is beyond float64's range. Only products more than 2^2000
// times smaller than the largest lose digits.
func dot(c, f [5]float64) float64 {
	const headroom = 1000
	var mant [5]float64
	var exp [5]int
	top := math.MinInt
	for j := range c {
		if c[j] == 0 || f[j] == 0 {
			continue
		}
		mc, ec := math.Frexp(c[j])
		mf, ef := math.Frexp(f[j])
		mant[j], exp[j] = mc*mf, ec+ef
		top = max(top, exp[j])
	}
	if top == math.MinInt {
		return 0
	}
	var s stats.Sum
	for j, v := range mant {
		if v != 0 {
			s.Add(math.Ldexp(v, exp[j]-top+headroom))
		}
	}
	return math.Ldexp(s.Value(), top-headroom)
}
