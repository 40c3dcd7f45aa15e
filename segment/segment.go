package segment

import (
	"fmt"
	"math"
	"strconv"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/normal"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

const pkg = "segment"

// maxCount bounds N and EffectiveN of an estimate, as nps, csat and ces bound their numbers
// of answers (MaxAnswers): counts up to 2^53 are exact in a float64.
const maxCount = 1 << 53

// Segment is one named group's score: a region, a channel, a month. Estimate comes from
// the Result.Estimate method of nps, csat or ces, or from any estimate with a standard
// error in the same units.
type Segment struct {
	Name     string             `json:"name"`
	Estimate cxmetrics.Estimate `json:"estimate"`
}

// MaxSegments is the largest number of segments or periods that EachVsRest, Trend, Shrink
// and Small take; more is an error wrapping cxmetrics.ErrTooLarge. Their work is linear in
// the number of segments (AdjustHolm and AdjustBH, which they call, n log n).
const MaxSegments = 1 << 20

// MaxPairSegments is the largest number of segments AllPairs takes: its work and its result
// grow with the k(k-1)/2 pairs, 499,500 for 1,000 segments. More is an error wrapping
// cxmetrics.ErrTooLarge.
const MaxPairSegments = 1000

// DefaultMinN is the effective number of answers below which Small flags a segment by
// default. Below 30 answers a segment's standard error is too noisy for the normal tests of
// this package: against a segment of 300 answers at the same true score, the Wald test
// rejects a true null in up to 10% of pairs at α = 5%, and a share's standard error can
// reach 9 points, an NPS's 18. At extreme scores the test stays somewhat liberal up to
// about 100 answers (see the package documentation, "Comparing two estimates").
const DefaultMinN = 30

// Contrast is the difference between two scores with independent errors, its normal-theory
// (Wald) test of no difference, and its interval.
type Contrast struct {
	Difference float64            `json:"difference"` // first score - second score
	StdErr     float64            `json:"std_err"`    // √(SE₁² + SE₂²)
	Z          float64            `json:"z"`          // Difference / StdErr
	P          float64            `json:"p"`          // two-sided p-value 2·P(Z ≥ |z|)
	Interval   cxmetrics.Interval `json:"interval"`   // Difference ± z_{(1+level)/2}·StdErr, Method Wald
}

// Small reports, for each segment, whether its effective number of answers
// (Estimate.EffectiveN, which is N for unweighted answers) is below minN, so that a report
// can mark the segments whose tests and intervals rest on too few answers. DefaultMinN is
// the usual minN; 0 flags nothing.
//
// The segments are validated as by every function of the package (see the package
// documentation, "Errors"). A minN that is NaN, infinite or negative is an
// *cxmetrics.InputError wrapping cxmetrics.ErrNotFinite or cxmetrics.ErrOutOfRange.
func Small(minN float64, segs []Segment) ([]bool, error) {
	switch {
	case !stats.Finite(minN):
		return nil, &cxmetrics.InputError{Pkg: pkg, What: "minimum n", Index: -1, Value: minN, Err: cxmetrics.ErrNotFinite}
	case minN < 0:
		return nil, &cxmetrics.InputError{Pkg: pkg, What: "minimum n", Index: -1, Value: minN, Err: cxmetrics.ErrOutOfRange, Detail: "[0, +Inf)"}
	}
	if err := validate(segs, 1, MaxSegments); err != nil {
		return nil, err
	}
	small := make([]bool, len(segs))
	for i, s := range segs {
		small[i] = s.Estimate.EffectiveN < minN
	}
	return small, nil
}

// validate checks the names and estimates of segs, and that there are at least least and
// at most most of them.
func validate(segs []Segment, least, most int) error {
	switch {
	case len(segs) == 0:
		return fmt.Errorf("%s: no segments: %w", pkg, cxmetrics.ErrEmpty)
	case len(segs) < least:
		return &cxmetrics.InputError{Pkg: pkg, What: "segment count", Index: -1, Value: len(segs),
			Err: cxmetrics.ErrTooFew, Detail: fmt.Sprintf("(need at least %d)", least)}
	case len(segs) > most:
		return &cxmetrics.InputError{Pkg: pkg, What: "segment count", Index: -1, Value: len(segs),
			Err: cxmetrics.ErrTooLarge, Detail: fmt.Sprintf("(at most %d)", most)}
	}
	seen := make(map[string]int, len(segs))
	for i, s := range segs {
		if s.Name == "" {
			return &cxmetrics.InputError{Pkg: pkg, What: "segment name", Index: i, Value: `""`, Err: cxmetrics.ErrEmpty}
		}
		if j, ok := seen[s.Name]; ok {
			return &cxmetrics.InputError{Pkg: pkg, What: "segment name", Index: i, Value: strconv.Quote(s.Name),
				Err: cxmetrics.ErrUnknownLabel, Detail: fmt.Sprintf("(repeats index %d)", j)}
		}
		seen[s.Name] = i
		if err := checkEstimate(i, s); err != nil {
			return err
		}
	}
	return nil
}

// checkEstimate checks one segment's estimate.
func checkEstimate(i int, s Segment) error {
	e := s.Estimate
	bad := func(what string, v any, err error, detail string) error {
		if detail != "" {
			detail += " "
		}
		return &cxmetrics.InputError{Pkg: pkg, What: what, Index: i, Value: v, Err: err,
			Detail: detail + "in segment " + strconv.Quote(s.Name)}
	}
	switch {
	case e.N < 1:
		return bad("answers", e.N, cxmetrics.ErrEmpty, "")
	case uint64(e.N) > maxCount: // uint64: an int may be 32 bits
		return bad("answers", e.N, cxmetrics.ErrOutOfRange, "[1, 2^53]")
	case !stats.Finite(e.Score):
		return bad("score", e.Score, cxmetrics.ErrNotFinite, "")
	case !stats.Finite(e.StdErr):
		return bad("standard error", e.StdErr, cxmetrics.ErrNotFinite, "")
	case e.StdErr < 0:
		return bad("standard error", e.StdErr, cxmetrics.ErrOutOfRange, "[0, +Inf)")
	case !stats.Finite(e.EffectiveN):
		return bad("effective n", e.EffectiveN, cxmetrics.ErrNotFinite, "")
	case !(e.EffectiveN > 0 && e.EffectiveN <= maxCount):
		return bad("effective n", e.EffectiveN, cxmetrics.ErrOutOfRange, "(0, 2^53]")
	}
	return nil
}

// scaled holds the segments' scores and standard errors divided by one power of two, so
// that squares and sums of them neither overflow nor lose precision to underflow; results
// are multiplied back by the same power, exactly.
type scaled struct {
	unit float64   // the power of two: a value v is v/unit below
	y    []float64 // scores / unit
	se   []float64 // standard errors / unit, with a standard error of 0 replaced (see imputeStdErr)
}

// scale validates segs (between least and most of them) and returns their scaled scores and
// standard errors.
func scale(segs []Segment, least, most int) (scaled, error) {
	if err := validate(segs, least, most); err != nil {
		return scaled{}, err
	}
	m := 0.0
	for _, s := range segs {
		m = max(m, math.Abs(s.Estimate.Score), s.Estimate.StdErr)
	}
	sc := scaled{unit: 1, y: make([]float64, len(segs)), se: make([]float64, len(segs))}
	if m > 0 {
		_, e := math.Frexp(m) // m in [2^(e-1), 2^e): the scaled values are below 2
		sc.unit = math.Ldexp(1, e-1)
	}
	for i, s := range segs {
		sc.y[i] = s.Estimate.Score / sc.unit
		sc.se[i] = s.Estimate.StdErr / sc.unit
	}
	if err := imputeStdErr(sc.se, segs); err != nil {
		return scaled{}, err
	}
	return sc, nil
}

// imputeStdErr replaces the scaled standard error se[i] of a segment whose standard error
// is 0 (a segment whose answers are all alike) by √(ū/n_eff): ū is the pooled unit
// variance Σ n_j u_j / Σ n_j over the segments j with a positive standard error,
// u_j = n_j·SE_j² each one's variance per answer, n_j its effective n. When every standard
// error is 0 there is no variance to pool, and the result is an error wrapping
// cxmetrics.ErrNoVariation.
func imputeStdErr(se []float64, segs []Segment) error {
	var num, den stats.Sum
	zero := false
	for i, s := range se {
		if segs[i].Estimate.StdErr == 0 {
			zero = true
			continue
		}
		n := segs[i].Estimate.EffectiveN
		num.Add(n * n * s * s)
		den.Add(n)
	}
	if !zero {
		return nil
	}
	if den.Value() == 0 {
		return fmt.Errorf("%s: every standard error is 0, so no sampling variance can be pooled: %w",
			pkg, cxmetrics.ErrNoVariation)
	}
	u := num.Value() / den.Value()
	if !(u > 0) {
		// The positive standard errors are so much smaller than the largest score or
		// standard error (by a factor of about 10^150 or more) that their squares underflow.
		return overflow("the ratio of the scores to the standard errors")
	}
	for i := range se {
		if segs[i].Estimate.StdErr == 0 {
			se[i] = math.Sqrt(u / segs[i].Estimate.EffectiveN)
		}
	}
	return nil
}

// contrast returns the Wald contrast of a - b (scaled values, unscaled by unit) with the
// critical value z.
func contrast(a, seA, b, seB, unit, z, level float64) Contrast {
	d, se := a-b, math.Hypot(seA, seB)
	stat := d / se
	return Contrast{Difference: d * unit, StdErr: se * unit, Z: stat, P: normal.TwoSidedP(stat),
		Interval: wald(d, se, unit, z, level)}
}

// finite reports whether every number of c is finite (P is then in [0, 1]).
func (c Contrast) finite() bool {
	return finite(c.Difference, c.StdErr, c.Z, c.P, c.Interval.Lower, c.Interval.Upper)
}

// wald returns the interval d ± z·se of scaled values, unscaled by unit.
func wald(d, se, unit, z, level float64) cxmetrics.Interval {
	return cxmetrics.Interval{Estimate: d * unit, Lower: (d - z*se) * unit, Upper: (d + z*se) * unit,
		Level: level, Method: cxmetrics.Wald}
}

// finite reports whether every value is finite.
func finite(v ...float64) bool {
	for _, x := range v {
		if !stats.Finite(x) {
			return false
		}
	}
	return true
}

// overflow is the error of a result that does not fit in a float64 although its inputs do.
func overflow(what string) error {
	return fmt.Errorf("%s: %s overflows: %w", pkg, what, cxmetrics.ErrNotFinite)
}

// bonferroni returns the critical value z_{1 - (1-level)/(2m)} of m simultaneous
// two-sided intervals at family level level, computed from the lower tail so that it
// stays finite and accurate for large m.
func bonferroni(level float64, m int) float64 {
	return -normal.Quantile((1 - level) / 2 / float64(m))
}
