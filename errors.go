package cxmetrics

import (
	"errors"
	"fmt"
)

// Sentinel errors shared by every package of the module. Functions wrap them, usually in
// an [*InputError] that says which value was wrong; test for them with [errors.Is].
var (
	// ErrEmpty reports that there is no data to compute a result from.
	ErrEmpty = errors.New("no data")
	// ErrOutOfRange reports a value outside the range its scale or definition allows.
	ErrOutOfRange = errors.New("out of range")
	// ErrNotFinite reports a NaN or infinite value.
	ErrNotFinite = errors.New("not finite")
	// ErrNegativeWeight reports a weight below zero.
	ErrNegativeWeight = errors.New("negative weight")
	// ErrLengthMismatch reports two slices that must have the same length but do not.
	ErrLengthMismatch = errors.New("length mismatch")
	// ErrInvalidScale reports a scale whose bounds or thresholds are inconsistent.
	ErrInvalidScale = errors.New("invalid scale")
	// ErrInvalidLevel reports a confidence level outside the open interval (0, 1).
	ErrInvalidLevel = errors.New("confidence level must be in (0, 1)")
	// ErrUnsupportedMethod reports an interval method that does not apply to a metric.
	ErrUnsupportedMethod = errors.New("unsupported interval method")
	// ErrScaleMismatch reports an attempt to merge accumulators built on different scales.
	ErrScaleMismatch = errors.New("scale mismatch")
	// ErrUnknownLabel reports a name or label that is not one of the known values.
	ErrUnknownLabel = errors.New("unknown label")
	// ErrCorrupt reports encoded data that is truncated, of an unknown version or otherwise
	// malformed.
	ErrCorrupt = errors.New("corrupt data")
)

// InputError describes one bad input value: where it was, what it was, and which sentinel
// error it breaks. Its message names the package, the position and the value, for example
//
//	nps: score 11 at index 3: value out of range [0, 10]
//
// Errors.Is(err, ErrOutOfRange) reports true for such an error.
type InputError struct {
	Pkg    string // the package that reports the error, e.g. "nps"
	What   string // what the value is, e.g. "score" or "weight"
	Index  int    // position of the value in its input; -1 when the value has no position
	Value  any    // the offending value
	Err    error  // the sentinel error, e.g. ErrOutOfRange
	Detail string // optional: the allowed range or another short explanation
}

// Error returns "pkg: what value at index i: reason [detail]".
func (e *InputError) Error() string {
	what := e.What
	if what == "" {
		what = "value"
	}
	msg := fmt.Sprintf("%s %v", what, e.Value)
	if e.Index >= 0 {
		msg += fmt.Sprintf(" at index %d", e.Index)
	}
	if e.Pkg != "" {
		msg = e.Pkg + ": " + msg
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	if e.Detail != "" {
		msg += " " + e.Detail
	}
	return msg
}

// Unwrap returns the sentinel error, so that errors.Is works.
func (e *InputError) Unwrap() error { return e.Err }
