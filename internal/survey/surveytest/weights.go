package surveytest

import (
	"math"

	"github.com/cxmetrics/cxmetrics/internal/survey"
)

// OutOfRangeWeights are finite positive weights outside [survey.MinWeight,
// survey.MaxWeight], which every Compute and Tally refuses with ErrOutOfRange: just
// beyond either bound, beyond where a square overflows or underflows, and the extremes
// of float64.
var OutOfRangeWeights = []float64{1e151, 9e-151, 1e200, 8e-163, math.MaxFloat64, math.SmallestNonzeroFloat64}

// InvalidWeights returns OutOfRangeWeights and the weights refused for other reasons: a
// negative one, NaN and +Inf.
func InvalidWeights() []float64 {
	return append(append([]float64{}, OutOfRangeWeights...), -1, math.NaN(), math.Inf(1))
}

// BoundWeights are the largest and the smallest non-zero weight a tally accepts.
var BoundWeights = []float64{survey.MaxWeight, survey.MinWeight}
