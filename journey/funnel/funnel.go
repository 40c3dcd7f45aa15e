package funnel

import (
	"fmt"
	"strconv"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/enum"
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
}

// MaxWorkers is the largest value of Funnel.Workers.
const MaxWorkers = 1024

// Result is the outcome of [Funnel.Run]: the users who entered the funnel and, per step,
// how many of them got that far.
type Result struct {
	Users     int               `json:"users"` // users who reached the first step
	Steps     []StepResult      `json:"steps"`
	Breakdown map[string]Result `json:"breakdown,omitempty"` // per value of BreakdownBy
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
}

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
