package funnel

import (
	"fmt"
	"strconv"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/enum"
	"github.com/cxmetrics/cxmetrics/internal/normal"
	"github.com/cxmetrics/cxmetrics/journey"
)

const pkg = "funnel"

// MaxSteps is the largest number of steps a [Funnel] may have.
const MaxSteps = 31

// Step is one step of a funnel: an event name and an optional filter on the event.
// An event matches the step when its Name equals Event and Where, if not nil, returns
// true for it. Name labels the step in the [Result]; when it is empty, Event is used.
type Step struct {
	Name  string
	Event string
	Where func(journey.Event) bool // may be nil; called only for events named Event
}

// Order says how the steps of a funnel must follow each other.
type Order int

const (
	// Ordered requires the steps in their order; other events may come between them.
	// It is the default.
	Ordered Order = iota
	// Strict requires the steps in their order with no other event of the user between
	// two consecutive steps.
	Strict
	// Any accepts the steps in any order, all within the window.
	Any
)

var orderNames = enum.Names[Order]{Pkg: pkg, Type: "Order", Unknown: cxmetrics.ErrUnknownLabel,
	Names: []string{Ordered: "ordered", Strict: "strict", Any: "any"}}

// String returns "ordered", "strict" or "any", or "Order(n)" for an unknown value.
func (o Order) String() string { return orderNames.String(o) }

// MarshalText encodes the order as its name, as String writes it; an unknown order is an
// error wrapping [cxmetrics.ErrUnknownLabel].
func (o Order) MarshalText() ([]byte, error) { return orderNames.Marshal(o) }

// UnmarshalText decodes an order name as String writes it, ignoring case and surrounding
// spaces; an unknown name wraps [cxmetrics.ErrUnknownLabel].
func (o *Order) UnmarshalText(b []byte) error { return orderNames.Unmarshal(b, o) }

// Anchor says which first-step events start an attempt at the funnel.
type Anchor int

const (
	// LatestStart lets every first-step event start an attempt, so a newer first-step
	// event restarts the funnel with a fresh window, as in PostHog. It is the default.
	LatestStart Anchor = iota
	// FirstStart lets the first first-step event hold until its attempt ends (its window
	// expires, or it converts; in Strict order also when it is broken), as in Mixpanel.
	FirstStart
)

var anchorNames = enum.Names[Anchor]{Pkg: pkg, Type: "Anchor", Unknown: cxmetrics.ErrUnknownLabel,
	Names: []string{LatestStart: "latest start", FirstStart: "first start"}}

// String returns "latest start" or "first start", or "Anchor(n)" for an unknown value.
func (a Anchor) String() string { return anchorNames.String(a) }

// MarshalText encodes the anchor as its name, as String writes it; an unknown anchor is
// an error wrapping [cxmetrics.ErrUnknownLabel].
func (a Anchor) MarshalText() ([]byte, error) { return anchorNames.Marshal(a) }

// UnmarshalText decodes an anchor name as String writes it, ignoring case and surrounding
// spaces; an unknown name wraps [cxmetrics.ErrUnknownLabel].
func (a *Anchor) UnmarshalText(b []byte) error { return anchorNames.Unmarshal(b, a) }

// Exclusion drops from the funnel every user whose counted attempt has an event named
// Event after reaching step From and before reaching step To. From and To are 0-based
// step indexes with 0 <= From < To < len(Steps). See the package documentation.
type Exclusion struct {
	Event    string
	From, To int
}

// Funnel describes a conversion funnel. The zero values of Window, Order and Anchor mean
// no time limit, Ordered and LatestStart.
type Funnel struct {
	Steps       []Step
	Window      time.Duration // from the anchoring event to each later step; 0: no limit
	Order       Order
	Anchor      Anchor
	Exclusions  []Exclusion
	BreakdownBy string // an Event.Props key read from the anchoring event; empty for none
	// Workers is the number of goroutines that Run uses, 0 for runtime.GOMAXPROCS(0), at
	// most MaxWorkers. The result does not depend on it.
	Workers int

	// Level is the confidence level of the intervals and the breakdown tests' family;
	// 0 means 0.95.
	Level float64
	// Bins are the increasing edges of the histograms of the times to convert, at most
	// MaxBins; none for no histograms. See StepResult.Histogram.
	Bins []time.Duration
	// Trend, when not NoTrend, asks for the conversion of the attempts that started in
	// each period, in Location (nil for UTC). See Result.Trend.
	Trend    Period
	Location *time.Location
	// ListUsers asks for the ids of the users who converted and of those who dropped
	// after each step.
	ListUsers bool
}

// MaxBins is the largest number of histogram edges.
const MaxBins = 10_000

// MaxPeriods is the largest number of periods a trend may span, from the period of the
// first counted attempt to that of the last.
const MaxPeriods = 100_000

// MaxWorkers is the largest value of Funnel.Workers.
const MaxWorkers = 1024

// Result is the outcome of [Funnel.Run]: the users who entered the funnel and, per step,
// how many of them got that far.
type Result struct {
	Users int          `json:"users"` // users who reached the first step
	Steps []StepResult `json:"steps"`
	// TimeToConvert is the distribution of the time from the first step to the last over
	// the users who converted (reached the last step).
	TimeToConvert Percentiles `json:"time_to_convert"`
	// Converted lists the users who converted, in increasing byte order, with ListUsers.
	Converted []string          `json:"converted,omitempty"`
	Breakdown map[string]Result `json:"breakdown,omitempty"` // per value of BreakdownBy
	// BreakdownTests compares the conversion of each breakdown value with that of the
	// other users, in increasing order of the value; see [BreakdownTest].
	BreakdownTests []BreakdownTest `json:"breakdown_tests,omitempty"`
	// Trend holds one point per period with Funnel.Trend; see [TrendPoint]. The
	// Results of a breakdown have neither tests nor a trend of their own.
	Trend []TrendPoint `json:"trend,omitempty"`
}

// Percentiles are the 10th, 25th, 50th, 75th and 90th percentiles of a set of durations,
// R's type 7 (linear interpolation between order statistics, Hyndman & Fan 1996), rounded
// down to the nanosecond: with the values sorted, x₀ ≤ … ≤ xₙ₋₁, and h = (n-1)·p,
//
//	P(p) = x₍⌊h⌋₎ + (h - ⌊h⌋)·(x₍⌊h⌋+1₎ - x₍⌊h⌋₎)
//
// so P50 equals the median. All are 0 for an empty set.
type Percentiles struct {
	P10 time.Duration `json:"p10"`
	P25 time.Duration `json:"p25"`
	P50 time.Duration `json:"p50"`
	P75 time.Duration `json:"p75"`
	P90 time.Duration `json:"p90"`
}

// StepResult is one step of a [Result]. With R(i) the number of users whose counted
// attempt reached step i or a later one:
//
//	Reached      = R(i)
//	FromStart    = R(i) / R(0)
//	FromPrevious = R(i) / R(i-1)   (1 for the first step)
//	DroppedAfter = R(i) - R(i+1)   (0 for the last step)
//
// Shares are 0 when their denominator is 0. The times to convert are the median and the
// mean, over the users who reached step i, of the time from the previous step to this
// one in the counted attempt; they are 0 for the first step.
type StepResult struct {
	Name                string        `json:"name"`
	Reached             int           `json:"reached"`
	FromStart           float64       `json:"from_start"`
	FromPrevious        float64       `json:"from_previous"`
	DroppedAfter        int           `json:"dropped_after"`
	MedianTimeToConvert time.Duration `json:"median_time_to_convert"`
	MeanTimeToConvert   time.Duration `json:"mean_time_to_convert"`
	// FromStartInterval and FromPreviousInterval are Wilson score intervals (Wilson
	// 1927) at Funnel.Level for FromStart (R(i) of R(0)) and FromPrevious (R(i) of
	// R(i-1)), in percent (0 to 100) as every cxmetrics.Interval of a share, while
	// FromStart and FromPrevious are in [0, 1]: with p̂ the share of n users and z the
	// (1+level)/2 normal quantile, 100 times
	//
	//	(p̂ + z²/2n ± z √(p̂(1-p̂)/n + z²/4n²)) / (1 + z²/n)
	//
	// With no users to share (n = 0) the interval is [0, 0].
	FromStartInterval    cxmetrics.Interval `json:"from_start_interval"`
	FromPreviousInterval cxmetrics.Interval `json:"from_previous_interval"`
	// TimeToConvert is the distribution of the times from the previous step, over the
	// users who reached this step (zero for the first step).
	TimeToConvert Percentiles `json:"time_to_convert"`
	// Histogram counts those times by Funnel.Bins, when given: Histogram[0] counts the
	// times below Bins[0], Histogram[k] those in [Bins[k-1], Bins[k]), and
	// Histogram[len(Bins)] those of Bins[len(Bins)-1] or more. The first step has none.
	Histogram []int `json:"histogram,omitempty"`
	// DroppedUsers lists, with ListUsers, the users whose counted attempt reached this
	// step and not the next, in increasing byte order (none for the last step).
	DroppedUsers []string `json:"dropped_users,omitempty"`
}

// BreakdownTest compares the overall conversion (users who reached the last step of
// those who reached the first) of the users with one breakdown value, p₁ = x₁/n₁, with
// that of all other users, p₂ = x₂/n₂, by the two-proportion z-test with the pooled
// proportion p = (x₁+x₂)/(n₁+n₂) (Agresti 2013, Categorical Data Analysis, 3rd ed.,
// section 3.1.3; R's prop.test(correct = FALSE), whose X² is Z²):
//
//	Z = (p₁ - p₂) / √(p(1-p)(1/n₁ + 1/n₂)),   P = 2(1 - Φ(|Z|))
//
// P is 1 when both groups are alike with p = 0 or 1, and PHolm is P adjusted by Holm's
// (1979) step-down procedure over all breakdown values (R's p.adjust(method = "holm")).
// There are no tests with fewer than two breakdown values.
type BreakdownTest struct {
	Value     string  `json:"value"`
	Users     int     `json:"users"`     // n₁
	Converted int     `json:"converted"` // x₁
	Rate      float64 `json:"rate"`      // p₁
	RestRate  float64 `json:"rest_rate"` // p₂
	Z         float64 `json:"z"`
	P         float64 `json:"p"`
	PHolm     float64 `json:"p_holm"`
}

// TrendPoint is the conversion of the attempts that started in one period: of the users
// whose counted attempt's anchoring event lies in the period, Users reached the first
// step (all of them) and Converted the last. Rate is Converted / Users (0 for no users)
// and Interval its Wilson interval at Funnel.Level, in percent. Start is the start of the period in
// Funnel.Location: midnight of the day, of the Monday of the week (ISO 8601), or of the
// first day of the month. The points cover every period from the first to the last
// with an attempt, empty ones included.
type TrendPoint struct {
	Start     time.Time          `json:"start"`
	Users     int                `json:"users"`
	Converted int                `json:"converted"`
	Rate      float64            `json:"rate"`
	Interval  cxmetrics.Interval `json:"interval"`
}

// Period is the length of the periods of a conversion trend.
type Period int

const (
	// NoTrend asks for no trend. It is the default.
	NoTrend Period = iota
	// Day is a calendar day.
	Day
	// Week is a week from Monday to Sunday.
	Week
	// Month is a calendar month.
	Month
)

var periodNames = enum.Names[Period]{Pkg: pkg, Type: "Period", Unknown: cxmetrics.ErrUnknownLabel,
	Names: []string{NoTrend: "none", Day: "day", Week: "week", Month: "month"}}

// String returns "none", "day", "week" or "month", or "Period(n)" for an unknown value.
func (p Period) String() string { return periodNames.String(p) }

// MarshalText encodes the period as its name, as String writes it; an unknown period is
// an error wrapping [cxmetrics.ErrUnknownLabel].
func (p Period) MarshalText() ([]byte, error) { return periodNames.Marshal(p) }

// UnmarshalText decodes a period name as String writes it, ignoring case and surrounding
// spaces; an unknown name wraps [cxmetrics.ErrUnknownLabel].
func (p *Period) UnmarshalText(b []byte) error { return periodNames.Unmarshal(b, p) }

// validate checks the funnel definition.
func (f *Funnel) validate() error {
	if len(f.Steps) == 0 {
		return fmt.Errorf("funnel: no steps: %w", cxmetrics.ErrEmpty)
	}
	if len(f.Steps) > MaxSteps {
		return &cxmetrics.InputError{Pkg: pkg, What: "step count", Index: -1, Value: len(f.Steps),
			Err: cxmetrics.ErrOutOfRange, Detail: "[1, " + strconv.Itoa(MaxSteps) + "]"}
	}
	for i, s := range f.Steps {
		if s.Event == "" {
			return &cxmetrics.InputError{Pkg: pkg, What: "step event", Index: i, Value: `""`,
				Err: cxmetrics.ErrEmpty}
		}
	}
	if f.Window < 0 {
		return &cxmetrics.InputError{Pkg: pkg, What: "window", Index: -1, Value: f.Window,
			Err: cxmetrics.ErrOutOfRange, Detail: "[0, inf)"}
	}
	if f.Order < Ordered || f.Order > Any {
		return &cxmetrics.InputError{Pkg: pkg, What: "order", Index: -1, Value: int(f.Order),
			Err: cxmetrics.ErrUnknownLabel}
	}
	if f.Anchor < LatestStart || f.Anchor > FirstStart {
		return &cxmetrics.InputError{Pkg: pkg, What: "anchor", Index: -1, Value: int(f.Anchor),
			Err: cxmetrics.ErrUnknownLabel}
	}
	if f.Workers < 0 || f.Workers > MaxWorkers {
		err := cxmetrics.ErrOutOfRange
		if f.Workers > MaxWorkers {
			err = cxmetrics.ErrTooLarge
		}
		return &cxmetrics.InputError{Pkg: pkg, What: "workers", Index: -1, Value: f.Workers,
			Err: err, Detail: "[0, " + strconv.Itoa(MaxWorkers) + "]"}
	}
	if f.Level != 0 {
		if err := normal.CheckLevel(pkg, f.Level); err != nil {
			return err
		}
	}
	if len(f.Bins) > MaxBins {
		return &cxmetrics.InputError{Pkg: pkg, What: "bin count", Index: -1, Value: len(f.Bins),
			Err: cxmetrics.ErrTooLarge, Detail: "[0, " + strconv.Itoa(MaxBins) + "]"}
	}
	for i := 1; i < len(f.Bins); i++ {
		if f.Bins[i] <= f.Bins[i-1] {
			return &cxmetrics.InputError{Pkg: pkg, What: "bin edge", Index: i, Value: f.Bins[i],
				Err: cxmetrics.ErrOutOfRange, Detail: "(edges must increase)"}
		}
	}
	if f.Trend < NoTrend || f.Trend > Month {
		return &cxmetrics.InputError{Pkg: pkg, What: "trend period", Index: -1, Value: int(f.Trend),
			Err: cxmetrics.ErrUnknownLabel}
	}
	for i, x := range f.Exclusions {
		if x.Event == "" {
			return &cxmetrics.InputError{Pkg: pkg, What: "exclusion event", Index: i, Value: `""`,
				Err: cxmetrics.ErrEmpty}
		}
		if x.From < 0 || x.To <= x.From || x.To >= len(f.Steps) {
			return &cxmetrics.InputError{Pkg: pkg, What: "exclusion steps", Index: i,
				Value: strconv.Itoa(x.From) + ".." + strconv.Itoa(x.To), Err: cxmetrics.ErrOutOfRange,
				Detail: "(need 0 <= From < To < " + strconv.Itoa(len(f.Steps)) + ")"}
		}
		for _, s := range f.Steps {
			if s.Event == x.Event {
				return &cxmetrics.InputError{Pkg: pkg, What: "exclusion event", Index: i,
					Value: strconv.Quote(x.Event), Err: cxmetrics.ErrOutOfRange,
					Detail: "(it is also a step event)"}
			}
		}
	}
	return nil
}
