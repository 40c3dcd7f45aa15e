package surveytest

import (
	"errors"
	"math"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/survey"
)

// fuzzWeight decodes a fuzz input's weight byte: the top six values stand for hostile
// weights (NaN, +Inf, -1, the largest float64, and the two bounds), the others for b/16.
func fuzzWeight(b byte) float64 {
	switch b {
	case 255:
		return math.NaN()
	case 254:
		return math.Inf(1)
	case 253:
		return -1
	case 252:
		return math.MaxFloat64
	case 251:
		return survey.MaxWeight
	case 250:
		return survey.MinWeight
	}
	return float64(b) / 16
}

// decodeAnswers turns fuzz bytes into scores, one signed byte each divided by div (so
// out-of-range values appear), and, when weighted, weights from every other byte (see
// fuzzWeight).
func decodeAnswers(data []byte, weighted bool, div int) ([]int, []float64) {
	var scores []int
	var weights []float64
	step := 1
	if weighted {
		step = 2
	}
	for i := 0; i+step <= len(data); i += step {
		scores = append(scores, int(int8(data[i]))/div)
		if weighted {
			weights = append(weights, fuzzWeight(data[i+1]))
		}
	}
	return scores, weights
}

// inputErrors are the sentinels that Compute may return for answers and weights
// decoded from fuzz input.
var inputErrors = []error{cxmetrics.ErrEmpty, cxmetrics.ErrOutOfRange, cxmetrics.ErrNotFinite,
	cxmetrics.ErrNegativeWeight, cxmetrics.ErrLengthMismatch}

// IsKnown reports whether err wraps one of known.
func IsKnown(err error, known []error) bool {
	for _, k := range known {
		if errors.Is(err, k) {
			return true
		}
	}
	return false
}

// FuzzCompute runs the body of FuzzCompute: compute (a package's Compute) either refuses
// the answers decoded from the fuzz bytes (a signed byte a score, divided by div; when
// weighted, a byte a weight, the top six of them hostile weights: NaN, +Inf, -1, the
// largest float64 and the two bounds) with a sentinel of bad input, or returns a result
// that passes check and then more, which compares it with the answers.
func FuzzCompute[R any](f *testing.F, div int, compute func([]int, []float64) (R, error), check func(*testing.T, R),
	more func(t *testing.T, scores []int, weights []float64, r R)) {
	f.Fuzz(func(t *testing.T, data []byte, weighted bool) {
		scores, weights := decodeAnswers(data, weighted, div)
		r, err := compute(scores, weights)
		if err != nil {
			if !IsKnown(err, inputErrors) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		check(t, r)
		more(t, scores, weights, r)
	})
}

// Valid fails t unless err, r's own validation, is nil and every value of r in vs is
// finite.
func Valid(t *testing.T, r any, err error, vs ...float64) {
	t.Helper()
	if err != nil {
		t.Fatalf("invalid result %+v: %v", r, err)
	}
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("non-finite value in %+v", r)
		}
	}
}
