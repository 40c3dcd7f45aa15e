package survey

import (
	"fmt"
	"math"

	"github.com/cxmetrics/cxmetrics"
)

// SmallestN returns the smallest n in (floor, max] for which reaches is true, for a reaches
// that is false up to some n and true from it on: it doubles from start (at least floor+1)
// until reaches holds, then bisects. ok is false when reaches(max) is false. For a reaches
// that is only nearly monotone (the probabilities of a discrete distribution), the n found
// reaches, and a slightly smaller one may reach too.
func SmallestN(floor, start, max int, reaches func(n int) bool) (n int, ok bool) {
	lo, hi := floor, min(max, start)
	if hi <= lo {
		hi = min(max, lo+1)
	}
	for !reaches(hi) {
		if hi == max {
			return 0, false
		}
		lo, hi = hi, min(2*hi, max)
	}
	for hi-lo > 1 { // reaches(hi), and not reaches(lo) or lo is the floor
		mid := lo + (hi-lo)/2
		if reaches(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi, true
}

// MaxSampleSize is the largest sample size the planning functions of nps, csat and ces
// return, 2^31 - 1 (an int on every architecture); a plan that needs more is an error
// wrapping cxmetrics.ErrTooLarge.
const MaxSampleSize = math.MaxInt32

// CheckArg returns nil for a parameter what of value v that is finite and for which ok
// holds; otherwise an *cxmetrics.InputError (Index -1) wrapping ErrNotFinite, or
// ErrOutOfRange with the allowed range in detail.
func CheckArg(pkg, what string, v float64, ok bool, detail string) error {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return &cxmetrics.InputError{Pkg: pkg, What: what, Index: -1, Value: v, Err: cxmetrics.ErrNotFinite}
	case !ok:
		return &cxmetrics.InputError{Pkg: pkg, What: what, Index: -1, Value: v, Err: cxmetrics.ErrOutOfRange, Detail: detail}
	}
	return nil
}

// TooLarge is the error for a plan whose parameter what, of value v, needs more than
// MaxSampleSize of unit ("answers", "answers per group").
func TooLarge(pkg, what string, v float64, unit string) error {
	return &cxmetrics.InputError{Pkg: pkg, What: what, Index: -1, Value: v, Err: cxmetrics.ErrTooLarge,
		Detail: fmt.Sprintf("(needs more than %d %s)", MaxSampleSize, unit)}
}
