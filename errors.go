package cxmetrics

import (
	"errors"
	"fmt"
)

// Sentinel errors shared by every package of the module, and the only ones: packages wrap
// them, usually in an [*InputError] that says which value was wrong or a [*ParseError]
// that says where in a file, and never define their own. Test for them with [errors.Is].
var (
	// ErrEmpty reports that there is no data to compute a result from.
	ErrEmpty = errors.New("no data")
	// ErrOutOfRange reports a value outside the range its scale or definition allows.
	ErrOutOfRange = errors.New("out of range")
	// ErrNotFinite reports a NaN or infinite value, or a computation whose result would
	// overflow to one although its inputs are finite.
	ErrNotFinite = errors.New("not finite")
	// ErrNegativeWeight reports a weight below zero.
	ErrNegativeWeight = errors.New("negative weight")
	// ErrLengthMismatch reports two slices that must have the same length but do not.
	ErrLengthMismatch = errors.New("length mismatch")
	// ErrInvalidScale reports a scale whose bounds or thresholds are inconsistent.
	ErrInvalidScale = errors.New("invalid scale")
	// ErrInvalidLevel reports a confidence level outside the open interval (0, 1), or so
	// close to 1 that its critical value is not finite.
	ErrInvalidLevel = errors.New("confidence level must be in (0, 1)")
	// ErrUnsupportedMethod reports an interval method that does not apply to a metric.
	ErrUnsupportedMethod = errors.New("unsupported interval method")
	// ErrScaleMismatch reports an attempt to merge accumulators built on different scales.
	ErrScaleMismatch = errors.New("scale mismatch")
	// ErrUnknownLabel reports a name or label that is not one of the known values: an
	// enum name, a file's column header, a category.
	ErrUnknownLabel = errors.New("unknown label")
	// ErrCorrupt reports encoded data that is truncated, of an unknown version or otherwise
	// malformed, including a field of a file that does not parse.
	ErrCorrupt = errors.New("corrupt data")
	// ErrTooLarge reports a parameter that sets how much work a call does (resamples,
	// periods, a horizon, steps) beyond its documented bound, or a count that would
	// overflow.
	ErrTooLarge = errors.New("too large")
	// ErrNilRand reports a nil *rand.Rand where a caller's random source is required.
	ErrNilRand = errors.New("nil random source")
	// ErrNoVariation reports data without the spread a method needs: identical ratings to
	// fit, a driver that never varies.
	ErrNoVariation = errors.New("no variation")
	// ErrSingular reports linearly dependent columns of a design, to working precision,
	// so that least squares has no unique solution.
	ErrSingular = errors.New("singular design: columns are linearly dependent")
	// ErrTooFew reports fewer observations than a method needs, for example fewer than
	// the coefficients plus one in a regression.
	ErrTooFew = errors.New("too few observations")
	// ErrNotConverged reports an iterative fit that stopped before it converged.
	ErrNotConverged = errors.New("fit did not converge")
)

// InputError describes one bad input value: where it was, what it was, and which sentinel
// error it breaks. Its message names the package, the position and the value, for example
//
//	nps: score 11 at index 3: out of range [0, 10]
//
// and errors.Is(err, ErrOutOfRange) reports true for it. A value that has no position (a
// parameter such as a confidence level) has Index -1, and the message omits the index:
//
//	nps: level 1.5: confidence level must be in (0, 1)
type InputError struct {
	Pkg    string // the package that reports the error, e.g. "nps"
	What   string // what the value is, e.g. "score" or "weight"
	Index  int    // position of the value in its input; -1 when the value has no position
	Value  any    // the offending value
	Err    error  // the sentinel error, e.g. ErrOutOfRange
	Detail string // optional: the allowed range or another short explanation
}

// Error returns "pkg: what value at index i: reason detail".
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

// ParseError reports a bad field of a file (events, paths, survey responses, moments):
// where it is and why it was rejected. Every reader of the module reports bad fields and
// bad header names with this one type, so that a program handles all files alike. Err
// wraps a sentinel, for example ErrCorrupt for a field that does not parse, ErrOutOfRange,
// ErrNotFinite, ErrEmpty for a required field left empty, ErrUnknownLabel for an unknown,
// repeated or missing column of the header.
type ParseError struct {
	Line   int    // line of the field in the file, counting from 1
	Column int    // position of the field in its record, counting from 1; 0 for the whole line
	Name   string // the column's name in the header; "" when unknown
	Err    error  // what is wrong; wraps a sentinel
}

// Error returns "line L, column C (name): reason".
func (e *ParseError) Error() string {
	msg := fmt.Sprintf("line %d", e.Line)
	if e.Column > 0 {
		msg += fmt.Sprintf(", column %d", e.Column)
	}
	if e.Name != "" {
		msg += fmt.Sprintf(" (%s)", e.Name)
	}
	return msg + ": " + fmt.Sprint(e.Err)
}

// Unwrap returns Err.
func (e *ParseError) Unwrap() error { return e.Err }
