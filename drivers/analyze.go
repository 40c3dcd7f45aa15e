package drivers

import (
	"math"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// Driver is what Analyze finds about one driver.
type Driver struct {
	Name string `json:"name,omitempty"` // from Options.Names

	// Importance: the correlation with the outcome, Johnson's relative weight and the LMG
	// (Shapley) share of R². The last two are at least 0 and each sums to Analysis.R2
	// over the drivers.
	Correlation    float64 `json:"correlation"`
	RelativeWeight float64 `json:"relative_weight"`
	Shapley        float64 `json:"shapley"`
	// VIF is the variance inflation factor 1/(1 - R²_j), R²_j that of the regression of
	// the driver on the other drivers: 1 for a driver uncorrelated with the others; above
	// 5 or 10 its regression coefficient is unstable (the importances above stay stable).
	VIF float64 `json:"vif"`

	// Performance, from every answer the driver got (also those of respondents that
	// listwise deletion leaves out of the importances): their number, the mean rating,
	// the mean on a 0-100 scale, 100·(Mean - Min)/(Max - Min), and the percentage of
	// ratings in the top box (at least Scale.TopBoxMin).
	Answers        int     `json:"answers"`
	Mean           float64 `json:"mean"`
	NormalizedMean float64 `json:"normalized_mean"`
	TopBox         float64 `json:"top_box"`

	// Quadrant places the driver on the importance × performance map (see Analysis).
	Quadrant Quadrant `json:"quadrant"`
}

// Importance returns the driver's importance by measure m: Shapley, RelativeWeight or the
// absolute value of Correlation. An unknown measure returns 0.
func (d Driver) Importance(m Measure) float64 {
	switch m {
	case Shapley:
		return d.Shapley
	case RelativeWeight:
		return d.RelativeWeight
	case Correlation:
		return math.Abs(d.Correlation)
	}
	return 0
}

// Performance returns the driver's performance by p: NormalizedMean or TopBox, both 0-100.
// An unknown value returns 0.
func (d Driver) Performance(p Performance) float64 {
	switch p {
	case NormalizedMean:
		return d.NormalizedMean
	case TopBox:
		return d.TopBox
	}
	return 0
}

// Analysis is a key driver analysis: the importance of each driver for the outcome, its
// performance, and the quadrant they place it in.
type Analysis struct {
	Respondents int `json:"respondents"` // len(y)
	Complete    int `json:"complete"`    // respondents who answered the outcome and every driver
	// N is the number of respondents behind the importances: Complete under listwise
	// deletion, the fewest behind any one correlation under pairwise deletion.
	N       int     `json:"n"`
	Missing Missing `json:"missing"`

	// R2 is the R² of the least-squares regression of the outcome on every driver, with
	// an intercept.
	R2 float64 `json:"r2"`
	// ConditionNumber is √(λ_max/λ_min) of the drivers' correlation matrix, the condition
	// number of the standardized drivers: 1 for uncorrelated drivers; above 30 the
	// drivers are strongly collinear (Belsley, Kuh & Welsch 1980) and the regression
	// coefficients unreliable, though the importances stay defined.
	ConditionNumber float64 `json:"condition_number"`

	// The quadrants: a driver whose importance (by Importance) is at least ImportanceCut
	// is important, one whose performance (by Performance) is at least PerformanceCut
	// performs well. Analyze sets the cuts to the medians over the drivers; WithCuts sets
	// others.
	Importance     Measure     `json:"importance"`
	Performance    Performance `json:"performance"`
	ImportanceCut  float64     `json:"importance_cut"`
	PerformanceCut float64     `json:"performance_cut"`

	Drivers []Driver `json:"drivers"` // in the order of x
}

// Analyze runs a key driver analysis of the outcome y on the drivers x (x[j][i] is driver
// j's rating by respondent i; NaN marks a question the respondent did not answer). It
// computes, from one correlation matrix (see the package documentation):
//
//   - each driver's correlation with the outcome, Johnson's relative weight and its LMG
//     (Shapley) share of R², and the model's R²;
//   - the collinearity of the drivers: their variance inflation factors and the condition
//     number of their correlation matrix;
//   - each driver's performance on opt.Scale (mean, normalized mean, top-box share);
//   - its quadrant, with the medians over the drivers as cuts.
//
// Missing answers are treated as opt.Missing says: listwise or pairwise deletion.
//
// Errors: opt.Scale must be valid (cxmetrics.ErrInvalidScale) and the enumerations of
// opt known (cxmetrics.ErrUnknownLabel); there must be drivers and respondents
// (cxmetrics.ErrEmpty), each driver with len(y) values and Names, if given, with one name
// per driver (cxmetrics.ErrLengthMismatch), at most MaxShapleyDrivers drivers
// (cxmetrics.ErrTooLarge). An infinite value is an *cxmetrics.InputError wrapping
// cxmetrics.ErrNotFinite and a rating outside opt.Scale one wrapping
// cxmetrics.ErrOutOfRange, each naming the driver (or the outcome) and the respondent's
// index. Fewer than k + 2 respondents (complete ones under listwise deletion; for every
// pair of questions under pairwise deletion) are cxmetrics.ErrTooFew; an outcome or driver
// that does not vary, cxmetrics.ErrNoVariation; drivers that are linearly dependent to
// within SingularTolerance, or pairwise correlations that no data could have,
// cxmetrics.ErrSingular. Every error names the driver concerned.
func Analyze(y []float64, x [][]float64, opt Options) (Analysis, error) {
	d, err := prepareOptions(y, x, opt)
	if err != nil {
		return Analysis{}, err
	}
	a, _, err := analyze(d, opt)
	return a, err
}

// prepareOptions validates the options and the data of Analyze and Bootstrap.
func prepareOptions(y []float64, x [][]float64, opt Options) (*data, error) {
	if err := opt.validate(); err != nil {
		return nil, err
	}
	if err := checkShapley(len(x)); err != nil {
		return nil, err
	}
	return prepare(y, x, opt.Names, true, &opt.Scale)
}

// analyze computes the analysis of prepared data, and returns the sample the importances
// were computed from (for the bootstrap).
func analyze(d *data, opt Options) (Analysis, sample, error) {
	rows := d.complete()
	complete := d.n
	if rows != nil {
		complete = len(rows)
	}
	var s sample
	if opt.Missing == Listwise {
		s.rows = rows
	}
	var w workspace
	c, err := d.correlations(s, opt.Missing, d.k()+2, &w)
	if err != nil {
		return Analysis{}, sample{}, err
	}
	m, err := newModel(d, c)
	if err != nil {
		return Analysis{}, sample{}, err
	}
	a := Analysis{
		Respondents: d.n, Complete: complete, N: c.n, Missing: opt.Missing,
		R2: m.r2, ConditionNumber: m.conditionNumber(),
		Importance: opt.Importance, Performance: opt.Performance,
		Drivers: make([]Driver, d.k()),
	}
	rw, sh := m.relativeWeights(), m.shapley()
	for j := range a.Drivers {
		dr := &a.Drivers[j]
		if j < len(opt.Names) {
			dr.Name = opt.Names[j]
		}
		dr.Correlation, dr.RelativeWeight, dr.Shapley, dr.VIF = m.rxy[j], rw[j], sh[j], m.vif[j]
		dr.performance(d.cols[j+1], opt.Scale)
	}
	imp := make([]float64, len(a.Drivers))
	perf := make([]float64, len(a.Drivers))
	for j, dr := range a.Drivers {
		imp[j], perf[j] = dr.Importance(opt.Importance), dr.Performance(opt.Performance)
	}
	a.ImportanceCut = stats.Quantile(imp, 0.5)
	a.PerformanceCut = stats.Quantile(perf, 0.5)
	a.classify()
	return a, s, nil
}

// performance sets the driver's performance from its answers on scale s: the mean of
// (v - Min)/(Max - Min), which cannot overflow, and the share in the top box.
func (dr *Driver) performance(col []float64, s Scale) {
	var norm stats.Sum
	top := 0
	span := s.Max - s.Min
	for _, v := range col {
		if v != v {
			continue
		}
		dr.Answers++
		norm.Add((v - s.Min) / span)
		if v >= s.TopBoxMin {
			top++
		}
	}
	if dr.Answers == 0 {
		return
	}
	u := min(1, max(0, norm.Value()/float64(dr.Answers)))
	dr.Mean = min(s.Max, max(s.Min, s.Min+span*u))
	dr.NormalizedMean = 100 * u
	dr.TopBox = 100 * float64(top) / float64(dr.Answers)
}

// classify sets every driver's quadrant from the cuts.
func (a *Analysis) classify() {
	for j := range a.Drivers {
		dr := &a.Drivers[j]
		important := dr.Importance(a.Importance) >= a.ImportanceCut
		good := dr.Performance(a.Performance) >= a.PerformanceCut
		switch {
		case important && good:
			dr.Quadrant = KeyStrength
		case important:
			dr.Quadrant = KeyWeakness
		case good:
			dr.Quadrant = SecondaryStrength
		default:
			dr.Quadrant = SecondaryWeakness
		}
	}
}

// WithCuts returns a copy of the analysis whose quadrants use the given cuts instead of
// the medians: a driver is important when its importance is at least importance, and
// performs well when its performance (0-100) is at least performance. A NaN or infinite
// cut is an *cxmetrics.InputError wrapping cxmetrics.ErrNotFinite.
func (a Analysis) WithCuts(importance, performance float64) (Analysis, error) {
	for _, c := range [...]struct {
		what string
		v    float64
	}{{"importance cut", importance}, {"performance cut", performance}} {
		if !finite(c.v) {
			return Analysis{}, &cxmetrics.InputError{Pkg: pkg, What: c.what, Index: -1, Value: c.v, Err: cxmetrics.ErrNotFinite}
		}
	}
	a.Drivers = append([]Driver(nil), a.Drivers...)
	a.ImportanceCut, a.PerformanceCut = importance, performance
	a.classify()
	return a, nil
}
