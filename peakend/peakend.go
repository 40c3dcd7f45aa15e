package peakend

import (
	"fmt"
	"math"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/enum"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// Moment is one rated moment of an experience: how it felt and for how long.
//
// Value is on the caller's scale (pain 0–10, satisfaction 1–5, valence -5..+5); it must be
// finite and may be negative. Duration is how long the moment lasted; it must not be
// negative, and a zero Duration counts as one second (see the package documentation,
// "Durations").
type Moment struct {
	Value    float64       `json:"value"`
	Duration time.Duration `json:"duration"`
}

// PeakKind says which moment is the peak.
type PeakKind int

// The kinds of peak.
const (
	// MostIntense is the value farthest from the rule's Neutral, |Value - Neutral| largest,
	// with its sign kept (it returns the Value itself). Ties go to the earliest moment.
	MostIntense PeakKind = iota
	// Highest is the largest value: the peak on a scale where higher means more intense
	// (pain, effort), or the best moment on a satisfaction scale.
	Highest
	// Lowest is the smallest value: the worst moment on a satisfaction scale.
	Lowest
	// HighestAndLowest is the mean of the highest and the lowest value, for experiences
	// with both a positive and a negative peak.
	HighestAndLowest
)

var peakNames = enum.Names[PeakKind]{Pkg: "peakend", Type: "PeakKind", Unknown: cxmetrics.ErrUnknownLabel, Names: []string{
	MostIntense:      "MostIntense",
	Highest:          "Highest",
	Lowest:           "Lowest",
	HighestAndLowest: "HighestAndLowest",
}}

// String returns the kind's name, e.g. "MostIntense", or "PeakKind(n)" for an unknown value.
func (k PeakKind) String() string { return peakNames.String(k) }

// MarshalText encodes the kind as its name, so that JSON shows "Highest" and not 1; an
// unknown kind is an error wrapping cxmetrics.ErrUnknownLabel.
func (k PeakKind) MarshalText() ([]byte, error) { return peakNames.Marshal(k) }

// UnmarshalText decodes a kind's name as String writes it, ignoring case and surrounding
// spaces; an unknown name is an error wrapping cxmetrics.ErrUnknownLabel.
func (k *PeakKind) UnmarshalText(b []byte) error { return peakNames.Unmarshal(b, k) }

// Rule is a peak-end rule: which moment is the peak, how much of the end counts, and how
// the two are weighted. The remembered score is the weighted mean
//
//	remembered = (PeakWeight·peak + EndWeight·end) / (PeakWeight + EndWeight)
//
// so the weights are relative: {1, 1} and {0.5, 0.5} are the same rule, and the result
// stays on the scale of the values. Both weights zero means equal weights, so the zero
// Rule is Classic.
type Rule struct {
	Peak PeakKind `json:"peak"`
	// Neutral is the zero of the valence scale, from which MostIntense measures intensity:
	// 0 for pain ratings or a -5..+5 scale, 3 for a 1–5 satisfaction scale.
	Neutral float64 `json:"neutral"`
	// EndWindow k makes the end the duration-weighted mean of the last k moments
	// (Redelmeier & Kahneman 1996 used the last three one-minute ratings). 0 means 1; a
	// window longer than the experience covers all of it. It must not be negative and has
	// no upper bound: whatever the window, the end costs at most one pass over the moments.
	EndWindow int `json:"end_window"`
	// PeakWeight and EndWeight must be finite and not negative.
	PeakWeight float64 `json:"peak_weight"`
	EndWeight  float64 `json:"end_weight"`
}

// Classic is the peak-end rule of Kahneman et al. (1993): the mean of the most intense
// moment and the last moment, (peak + end) / 2, with intensity measured from 0.
var Classic = Rule{Peak: MostIntense, EndWindow: 1, PeakWeight: 0.5, EndWeight: 0.5}

// Validate reports whether the rule can be used: a known Peak, a finite Neutral, EndWindow
// >= 0, and finite, non-negative weights.
func (r Rule) Validate() error {
	switch {
	case r.Peak < 0 || int(r.Peak) >= len(peakNames.Names):
		return &cxmetrics.InputError{Pkg: "peakend", What: "peak kind", Index: -1, Value: int(r.Peak), Err: cxmetrics.ErrUnknownLabel}
	case !stats.Finite(r.Neutral):
		return &cxmetrics.InputError{Pkg: "peakend", What: "neutral", Index: -1, Value: r.Neutral, Err: cxmetrics.ErrNotFinite}
	case r.EndWindow < 0:
		return &cxmetrics.InputError{Pkg: "peakend", What: "end window", Index: -1, Value: r.EndWindow, Err: cxmetrics.ErrOutOfRange, Detail: "[0, ∞); 0 means 1"}
	}
	for _, w := range [...]struct {
		what string
		v    float64
	}{{"peak weight", r.PeakWeight}, {"end weight", r.EndWeight}} {
		if !stats.Finite(w.v) {
			return &cxmetrics.InputError{Pkg: "peakend", What: w.what, Index: -1, Value: w.v, Err: cxmetrics.ErrNotFinite}
		}
		if w.v < 0 {
			return &cxmetrics.InputError{Pkg: "peakend", What: w.what, Index: -1, Value: w.v, Err: cxmetrics.ErrNegativeWeight}
		}
	}
	return nil
}

// Remembered returns the score the rule predicts a person will remember for the
// experience:
//
//	(PeakWeight·peak + EndWeight·end) / (PeakWeight + EndWeight)
//
// where peak is chosen by r.Peak among all moments and end is the duration-weighted mean
// of the last r.EndWindow moments. Under Classic it is (peak + end) / 2 (Kahneman,
// Fredrickson, Schreiber & Redelmeier 1993). Remembered does not depend on how long the
// experience lasted beyond the end window ("duration neglect").
//
// It returns ErrEmpty for no moments, an *cxmetrics.InputError for a non-finite value
// (ErrNotFinite) or a negative duration (ErrNegativeWeight), with its index, and the error
// of r.Validate for a bad rule. It does not allocate.
func Remembered(r Rule, moments []Moment) (float64, error) {
	if err := r.Validate(); err != nil {
		return 0, err
	}
	ex, err := scan(moments, -1)
	if err != nil {
		return 0, err
	}
	return combine(peakOf(r, ex), r.PeakWeight, endOf(r.EndWindow, moments), r.EndWeight), nil
}

// peakOf returns the peak that r.Peak chooses among moments with extremes ex.
func peakOf(r Rule, ex extremes) float64 {
	switch r.Peak {
	case Highest:
		return ex.hi
	case Lowest:
		return ex.lo
	case HighestAndLowest:
		// (hi+lo)/2 is correctly rounded unless the sum overflows; halving first is exact
		// for such large values but not for subnormal ones.
		if math.Abs(ex.hi) < 0x1p1022 && math.Abs(ex.lo) < 0x1p1022 {
			return (ex.hi + ex.lo) / 2
		}
		return ex.hi/2 + ex.lo/2
	default:
		return mostIntense(ex, r.Neutral)
	}
}

// mostIntense returns the value farthest from neutral, the earlier of the two on a tie.
// That value is the highest or the lowest, and comparing their signed distances
// hi - neutral and neutral - lo orders them as |v - neutral| does, since the two sum to
// hi - lo >= 0. The distances are compared exactly: each is carried as its rounded value
// and its rounding error, so that values whose distances round alike (1e25 and -1e25 seen
// from -13) are still told apart. At most one distance overflows (that would need neutral
// both below and above 0), and then +Inf is correctly the larger.
func mostIntense(ex extremes, neutral float64) float64 {
	up, upErr := twoSum(ex.hi, -neutral)
	down, downErr := twoSum(neutral, -ex.lo)
	switch {
	case up > down || up == down && upErr > downErr:
		return ex.hi
	case down > up || up == down && downErr > upErr:
		return ex.lo
	case ex.loAt < ex.hiAt:
		return ex.lo
	default:
		return ex.hi
	}
}

// twoSum returns s = a + b rounded and its rounding error e, so that a + b = s + e exactly
// when s is finite (Knuth, The Art of Computer Programming, vol. 2, §4.2.2).
func twoSum(a, b float64) (s, e float64) {
	s = a + b
	bb := s - a
	return s, (a - (s - bb)) + (b - bb)
}

func endOf(window int, moments []Moment) float64 {
	k := min(max(window, 1), len(moments))
	return weightedMean(moments[len(moments)-k:])
}

// combine returns (wa·a + wb·b) / (wa + wb) without overflow, within [min(a,b), max(a,b)].
// Both weights zero count as equal weights.
func combine(a, wa, b, wb float64) float64 {
	if wa == 0 && wb == 0 {
		wa, wb = 1, 1
	}
	w := max(wa, wb)
	wa, wb = wa/w, wb/w
	lo, hi := min(a, b), max(a, b)
	big := max(math.Abs(lo), math.Abs(hi))
	if big == 0 {
		return 0
	}
	inv, e := scaling(big)
	v := math.Ldexp((wa*(a*inv)+wb*(b*inv))/(wa+wb), e)
	return min(max(v, lo), hi)
}

// Mean returns the duration-weighted mean of the values, the "moment-based" average
// against which the peak-end rule is usually compared:
//
//	Σ d_i·v_i / Σ d_i
//
// with d_i the duration of moment i in seconds, a zero duration counting as one second.
// With all durations zero it is the plain mean of the values.
//
// It returns ErrEmpty for no moments and an *cxmetrics.InputError for a non-finite value
// or a negative duration, with its index. It does not allocate.
func Mean(moments []Moment) (float64, error) {
	ex, err := scan(moments, -1)
	if err != nil {
		return 0, err
	}
	return meanWithin(moments, ex.lo, ex.hi), nil
}

// weightedMean returns Σ d_i·v_i / Σ d_i for validated, non-empty moments. The values are
// scaled by a power of two (exactly) so that no product overflows or underflows, the sums
// are compensated, and the result is clamped to [min v, max v], where the exact mean lies.
func weightedMean(moments []Moment) float64 {
	lo, hi := moments[0].Value, moments[0].Value
	for _, m := range moments[1:] {
		lo = min(lo, m.Value)
		hi = max(hi, m.Value)
	}
	return meanWithin(moments, lo, hi)
}

// meanWithin is weightedMean for moments whose values lie in [lo, hi].
func meanWithin(moments []Moment, lo, hi float64) float64 {
	if lo == hi {
		return lo
	}
	inv, e := scaling(max(math.Abs(lo), math.Abs(hi)))
	var num, den stats.Sum
	for _, m := range moments {
		w := weight(m.Duration)
		num.Add(w * (m.Value * inv))
		den.Add(w)
	}
	return min(max(math.Ldexp(num.Value()/den.Value(), e), lo), hi)
}

// scaling returns 2^-e and e such that big·2^-e lies in [1/2, 1), so that every |v| <= big
// scaled by 2^-e is at most 1: products with durations (at most 2^63 ns) and their sums
// cannot overflow, and tiny values are scaled up, away from the subnormal range. For a
// subnormal big, e stops at -1022 so that 2^-e stays finite. Multiplying by a power of two
// is exact unless the product is subnormal, which only happens to values 2^-1022 times
// smaller than big, below the precision of any sum that includes big.
func scaling(big float64) (inv float64, e int) {
	_, e = math.Frexp(big)
	e = max(e, -1022)
	return math.Ldexp(1, -e), e
}

// weight returns the weight of a duration: its length in nanoseconds, one second for zero.
// Only ratios of weights matter, so the unit is free; nanoseconds avoid a division.
func weight(d time.Duration) float64 {
	if d == 0 {
		return float64(time.Second)
	}
	return float64(d)
}

// extremes holds what one pass over the moments finds.
type extremes struct {
	lo, hi     float64       // lowest and highest value
	loAt, hiAt int           // their first indexes
	total      time.Duration // total duration, zero durations counting one second
	overflow   bool          // the total exceeds time.Duration's range
}

// scan validates the moments and finds their extremes. exp is the index of the experience
// for error messages, or -1.
func scan(moments []Moment, exp int) (extremes, error) {
	if len(moments) == 0 {
		if exp >= 0 {
			return extremes{}, fmt.Errorf("peakend: experience %d has no moments: %w", exp, cxmetrics.ErrEmpty)
		}
		return extremes{}, fmt.Errorf("peakend: no moments: %w", cxmetrics.ErrEmpty)
	}
	var ex extremes
	for i, m := range moments {
		if !stats.Finite(m.Value) {
			return extremes{}, &cxmetrics.InputError{Pkg: "peakend", What: prefix(exp) + "value", Index: i, Value: m.Value, Err: cxmetrics.ErrNotFinite}
		}
		if m.Duration < 0 {
			return extremes{}, &cxmetrics.InputError{Pkg: "peakend", What: prefix(exp) + "duration", Index: i, Value: m.Duration, Err: cxmetrics.ErrNegativeWeight}
		}
		if i == 0 || m.Value < ex.lo {
			ex.lo, ex.loAt = m.Value, i
		}
		if i == 0 || m.Value > ex.hi {
			ex.hi, ex.hiAt = m.Value, i
		}
		d := m.Duration
		if d == 0 {
			d = time.Second
		}
		if ex.total > math.MaxInt64-d {
			ex.overflow = true
		} else {
			ex.total += d
		}
	}
	return ex, nil
}

// Summary describes one experience by the features the peak-end literature compares.
type Summary struct {
	Peak        float64 `json:"peak"`         // the highest value
	PeakIndex   int     `json:"peak_index"`   // index of the first moment with the highest value
	Trough      float64 `json:"trough"`       // the lowest value
	TroughIndex int     `json:"trough_index"` // index of the first moment with the lowest value
	End         float64 `json:"end"`          // the value of the last moment
	Mean        float64 `json:"mean"`         // the duration-weighted mean, as Mean
	// Duration is the total duration, zero durations counting one second each.
	Duration time.Duration `json:"duration"`
	// Slope is the trend of the values in value units per second of elapsed time: the
	// duration-weighted least-squares line through (t_i, v_i), t_i the midpoint of moment i.
	// Positive means the values rise towards the end. It is 0 for a single moment.
	Slope float64 `json:"slope"`
}

// Summarize describes an experience by its peak (highest value) and trough (lowest value)
// with their indexes, its end (last value), its duration-weighted mean, its total duration
// and its trend. The trend is the weighted least-squares slope
//
//	Slope = Σ d_i (t_i - t̄)(v_i - v̄) / Σ d_i (t_i - t̄)²
//
// with d_i the duration of moment i in seconds (one for zero), t_i = d_1 + … + d_{i-1} +
// d_i/2 the midpoint of moment i, and t̄, v̄ the d-weighted means. With all durations
// zero it is the ordinary regression slope of the values on their index.
//
// It returns the errors of Mean, an error wrapping ErrTooLarge when the total duration
// exceeds time.Duration's range (about 292 years), and one wrapping ErrNotFinite when the
// slope is beyond float64's range. Values and durations are scaled so that every slope
// float64 can hold comes out, however large or small the values.
func Summarize(moments []Moment) (Summary, error) {
	ex, err := scan(moments, -1)
	if err != nil {
		return Summary{}, err
	}
	return summarize(moments, ex)
}

func summarize(moments []Moment, ex extremes) (Summary, error) {
	if ex.overflow {
		return Summary{}, fmt.Errorf("peakend: total duration exceeds %v: %w", time.Duration(math.MaxInt64), cxmetrics.ErrTooLarge)
	}
	s := Summary{
		Peak:        ex.hi,
		PeakIndex:   ex.hiAt,
		Trough:      ex.lo,
		TroughIndex: ex.loAt,
		End:         moments[len(moments)-1].Value,
		Mean:        meanWithin(moments, ex.lo, ex.hi),
		Duration:    ex.total,
	}
	if len(moments) > 1 && ex.lo != ex.hi {
		s.Slope = slope(moments, s.Mean, ex)
		if !stats.Finite(s.Slope) {
			return Summary{}, fmt.Errorf("peakend: trend slope overflows float64: %w", cxmetrics.ErrNotFinite)
		}
	}
	return s, nil
}

// slope is the duration-weighted least-squares slope of the values on the midpoints of the
// moments, for validated moments of which at least two differ. The values are scaled by a
// power of two so that no product overflows or underflows; the result is scaled back last,
// so that it overflows only when the slope itself is beyond float64's range.
func slope(moments []Moment, mean float64, ex extremes) float64 {
	inv, e := scaling(max(math.Abs(ex.lo), math.Abs(ex.hi)))
	var w, wt stats.Sum
	elapsed := 0.0
	for _, m := range moments {
		d := weight(m.Duration)
		w.Add(d)
		wt.Add(d * (elapsed + d/2))
		elapsed += d
	}
	tbar := wt.Value() / w.Value()
	mbar := mean * inv
	var sxx, sxy stats.Sum
	elapsed = 0
	for _, m := range moments {
		d := weight(m.Duration)
		dt := elapsed + d/2 - tbar
		sxx.Add(d * dt * dt)
		sxy.Add(d * dt * (m.Value*inv - mbar))
		elapsed += d
	}
	// The times are in nanoseconds: the slope per second is 1e9 times larger. The scaled
	// values are at most 1 in magnitude, so sxy·1e9 cannot overflow.
	return math.Ldexp(sxy.Value()*float64(time.Second)/sxx.Value(), e)
}

// prefix names experience exp in an error about one of its moments.
func prefix(exp int) string {
	if exp < 0 {
		return ""
	}
	return fmt.Sprintf("experience %d ", exp)
}
