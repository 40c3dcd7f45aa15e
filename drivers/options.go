package drivers

import (
	"fmt"
	"math"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/enum"
)

// Scale is the rating scale of the drivers: ratings lie in [Min, Max], and a rating of at
// least TopBoxMin is in the top box. Performance is measured on it.
type Scale struct {
	Min       float64 `json:"min"`
	Max       float64 `json:"max"`
	TopBoxMin float64 `json:"top_box_min"`
}

// The usual driver scales, each with its top-2 box.
var (
	FivePoint  = Scale{Min: 1, Max: 5, TopBoxMin: 4}  // 1-5, top box 4-5
	SevenPoint = Scale{Min: 1, Max: 7, TopBoxMin: 6}  // 1-7, top box 6-7
	ZeroToTen  = Scale{Min: 0, Max: 10, TopBoxMin: 9} // 0-10, top box 9-10
)

// Validate reports whether the scale is usable: finite, with Min < TopBoxMin ≤ Max and a
// finite Max - Min; otherwise it returns an error wrapping cxmetrics.ErrInvalidScale.
func (s Scale) Validate() error {
	if !finite(s.Min) || !finite(s.Max) || !finite(s.TopBoxMin) || !(s.Min < s.Max) ||
		!(s.Min < s.TopBoxMin && s.TopBoxMin <= s.Max) || !finite(s.Max-s.Min) {
		return fmt.Errorf("drivers: scale %+v: want finite Min < TopBoxMin <= Max (set Options.Scale to the drivers' rating scale, e.g. FivePoint): %w",
			s, cxmetrics.ErrInvalidScale)
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Missing says how Analyze and Bootstrap treat missing answers (NaN).
type Missing int

const (
	// Listwise uses only the respondents who answered the outcome and every driver, so
	// every correlation comes from the same people and the correlation matrix is that of
	// real data. It wastes answers when many respondents skip a question.
	Listwise Missing = iota
	// Pairwise computes each correlation from the respondents who answered both of its
	// questions, as R's cor(use = "pairwise.complete.obs"). It keeps more answers, but the
	// correlations then describe different people, and the matrix can be one that no data
	// have (not positive definite, or an R² above 1); Analyze then returns an error
	// wrapping cxmetrics.ErrSingular rather than repairing the matrix.
	Pairwise
)

var missingNames = enum.Names[Missing]{Pkg: pkg, Type: "Missing", Unknown: cxmetrics.ErrUnknownLabel,
	Names: []string{Listwise: "Listwise", Pairwise: "Pairwise"}}

// String returns "Listwise" or "Pairwise", or "Missing(n)" for an unknown value.
func (m Missing) String() string { return missingNames.String(m) }

// MarshalText encodes the value as its name.
func (m Missing) MarshalText() ([]byte, error) { return missingNames.Marshal(m) }

// UnmarshalText decodes a name as String writes it, ignoring case and surrounding spaces;
// an unknown name wraps cxmetrics.ErrUnknownLabel.
func (m *Missing) UnmarshalText(b []byte) error { return missingNames.Unmarshal(b, m) }

// Measure names the importance that places a driver in its quadrant.
type Measure int

const (
	// Shapley is the LMG share of R² (ShapleyR2).
	Shapley Measure = iota
	// RelativeWeight is Johnson's relative weight (RelativeWeights).
	RelativeWeight
	// Correlation is the absolute value of the correlation with the outcome.
	Correlation
)

var measureNames = enum.Names[Measure]{Pkg: pkg, Type: "Measure", Unknown: cxmetrics.ErrUnknownLabel,
	Names: []string{Shapley: "Shapley", RelativeWeight: "RelativeWeight", Correlation: "Correlation"}}

// String returns the measure's name, e.g. "Shapley", or "Measure(n)" for an unknown value.
func (m Measure) String() string { return measureNames.String(m) }

// MarshalText encodes the measure as its name.
func (m Measure) MarshalText() ([]byte, error) { return measureNames.Marshal(m) }

// UnmarshalText decodes a name as String writes it, ignoring case and surrounding spaces;
// an unknown name wraps cxmetrics.ErrUnknownLabel.
func (m *Measure) UnmarshalText(b []byte) error { return measureNames.Unmarshal(b, m) }

// Performance names the performance that places a driver in its quadrant.
type Performance int

const (
	// NormalizedMean is the mean rating on a 0-100 scale: 100·(mean - Min)/(Max - Min).
	NormalizedMean Performance = iota
	// TopBox is the percentage of ratings of at least Scale.TopBoxMin.
	TopBox
)

var performanceNames = enum.Names[Performance]{Pkg: pkg, Type: "Performance", Unknown: cxmetrics.ErrUnknownLabel,
	Names: []string{NormalizedMean: "NormalizedMean", TopBox: "TopBox"}}

// String returns "NormalizedMean" or "TopBox", or "Performance(n)" for an unknown value.
func (p Performance) String() string { return performanceNames.String(p) }

// MarshalText encodes the value as its name.
func (p Performance) MarshalText() ([]byte, error) { return performanceNames.Marshal(p) }

// UnmarshalText decodes a name as String writes it, ignoring case and surrounding spaces;
// an unknown name wraps cxmetrics.ErrUnknownLabel.
func (p *Performance) UnmarshalText(b []byte) error { return performanceNames.Unmarshal(b, p) }

// Quadrant places a driver on the importance × performance map.
type Quadrant int

const (
	// KeyStrength: important and well rated; keep it up.
	KeyStrength Quadrant = iota
	// KeyWeakness: important and poorly rated; improve it first.
	KeyWeakness
	// SecondaryStrength: less important and well rated; perhaps over-invested.
	SecondaryStrength
	// SecondaryWeakness: less important and poorly rated; a lower priority.
	SecondaryWeakness
)

var quadrantNames = enum.Names[Quadrant]{Pkg: pkg, Type: "Quadrant", Unknown: cxmetrics.ErrUnknownLabel,
	Names: []string{KeyStrength: "KeyStrength", KeyWeakness: "KeyWeakness", SecondaryStrength: "SecondaryStrength",
		SecondaryWeakness: "SecondaryWeakness"}}

// String returns the quadrant's name, e.g. "KeyWeakness", or "Quadrant(n)" for an unknown
// value.
func (q Quadrant) String() string { return quadrantNames.String(q) }

// MarshalText encodes the quadrant as its name.
func (q Quadrant) MarshalText() ([]byte, error) { return quadrantNames.Marshal(q) }

// UnmarshalText decodes a name as String writes it, ignoring case and surrounding spaces;
// an unknown name wraps cxmetrics.ErrUnknownLabel.
func (q *Quadrant) UnmarshalText(b []byte) error { return quadrantNames.Unmarshal(b, q) }

// Options configure Analyze and Bootstrap. Only Scale must be set; the zero values of the
// other fields are listwise deletion, Shapley importance and normalized-mean performance.
type Options struct {
	// Scale is the drivers' rating scale (for example FivePoint); a rating outside it is
	// an error. The outcome may be on any scale.
	Scale Scale
	// Missing is how NaN answers are treated: Listwise (the default) or Pairwise.
	Missing Missing
	// Importance is the measure on the quadrants' importance axis (default Shapley).
	Importance Measure
	// Performance is the measure on the quadrants' performance axis (default
	// NormalizedMean).
	Performance Performance
	// Names optionally names the drivers, in the order of x, for messages and results.
	Names []string
}

// validate checks the options.
func (o Options) validate() error {
	if err := o.Scale.Validate(); err != nil {
		return err
	}
	bad := func(what string, v int) error {
		return &cxmetrics.InputError{Pkg: pkg, What: what, Index: -1, Value: v, Err: cxmetrics.ErrUnknownLabel}
	}
	switch {
	case o.Missing != Listwise && o.Missing != Pairwise:
		return bad("Missing", int(o.Missing))
	case o.Importance < Shapley || o.Importance > Correlation:
		return bad("Importance", int(o.Importance))
	case o.Performance != NormalizedMean && o.Performance != TopBox:
		return bad("Performance", int(o.Performance))
	}
	return nil
}
