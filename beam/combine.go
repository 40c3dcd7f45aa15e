package cxbeam

import (
	"github.com/cxmetrics/cxmetrics/ces"
	"github.com/cxmetrics/cxmetrics/csat"
	"github.com/cxmetrics/cxmetrics/nps"
)

// Weighted is one answer with its survey weight: the element of the weighted combine
// functions, alone or as the value of a KV.
type Weighted struct {
	Score  int     `json:"score"`
	Weight float64 `json:"weight"`
}

// NPSFn is the combine function of the Net Promoter Score over unweighted answers: scores
// (int) in, an nps.Result out, with an *nps.Tally as its accumulator. Use it with
// beam.Combine or beam.CombinePerKey (any key type). The zero Scale means nps.Standard,
// as for a zero nps.Tally.
//
// A score outside the scale fails the bundle with the tally's *cxmetrics.InputError
// (wrapping ErrOutOfRange), which names the score. ExtractOutput returns ErrEmpty when
// every weight was zero; an empty PCollection has no output at all, as beam.Combine does.
type NPSFn struct {
	Scale nps.Scale `json:"scale"`
}

// CreateAccumulator returns an empty tally on the function's scale, or ErrInvalidScale.
func (f *NPSFn) CreateAccumulator() (*nps.Tally, error) { return newNPSTally(f.Scale) }

// AddInput adds one answer of weight 1 to t.
func (f *NPSFn) AddInput(t *nps.Tally, score int) (*nps.Tally, error) { return t, t.Add(score) }

// MergeAccumulators adds every answer of b to a, as nps.Tally.Merge does.
func (f *NPSFn) MergeAccumulators(a, b *nps.Tally) (*nps.Tally, error) { return a, a.Merge(b) }

// ExtractOutput returns the Result of t, as nps.Tally.Result does.
func (f *NPSFn) ExtractOutput(t *nps.Tally) (nps.Result, error) { return t.Result() }

// WeightedNPSFn is NPSFn over weighted answers: the Result is nps.Compute's with
// weights. A negative weight is ErrNegativeWeight, a NaN or infinite one ErrNotFinite,
// a non-zero weight outside [1e-150, 1e150] ErrOutOfRange (see nps.Tally.AddWeighted).
type WeightedNPSFn struct {
	Scale nps.Scale `json:"scale"`
}

// CreateAccumulator returns an empty tally on the function's scale, or ErrInvalidScale.
func (f *WeightedNPSFn) CreateAccumulator() (*nps.Tally, error) { return newNPSTally(f.Scale) }

// AddInput adds one weighted answer to t.
func (f *WeightedNPSFn) AddInput(t *nps.Tally, x Weighted) (*nps.Tally, error) {
	return t, t.AddWeighted(x.Score, x.Weight)
}

// MergeAccumulators adds every answer of b to a, as nps.Tally.Merge does.
func (f *WeightedNPSFn) MergeAccumulators(a, b *nps.Tally) (*nps.Tally, error) {
	return a, a.Merge(b)
}

// ExtractOutput returns the Result of t, as nps.Tally.Result does.
func (f *WeightedNPSFn) ExtractOutput(t *nps.Tally) (nps.Result, error) { return t.Result() }

// CSATFn is the combine function of Customer Satisfaction over unweighted answers: scores
// (int) in, a csat.Result out, with a *csat.Tally as its accumulator. The zero Scale means
// csat.Standard, as for a zero csat.Tally. Errors are those of NPSFn.
type CSATFn struct {
	Scale csat.Scale `json:"scale"`
}

// CreateAccumulator returns an empty tally on the function's scale, or ErrInvalidScale.
func (f *CSATFn) CreateAccumulator() (*csat.Tally, error) { return newCSATTally(f.Scale) }

// AddInput adds one answer of weight 1 to t.
func (f *CSATFn) AddInput(t *csat.Tally, score int) (*csat.Tally, error) { return t, t.Add(score) }

// MergeAccumulators adds every answer of b to a, as csat.Tally.Merge does.
func (f *CSATFn) MergeAccumulators(a, b *csat.Tally) (*csat.Tally, error) { return a, a.Merge(b) }

// ExtractOutput returns the Result of t, as csat.Tally.Result does.
func (f *CSATFn) ExtractOutput(t *csat.Tally) (csat.Result, error) { return t.Result() }

// WeightedCSATFn is CSATFn over weighted answers; weights are checked as WeightedNPSFn
// checks them.
type WeightedCSATFn struct {
	Scale csat.Scale `json:"scale"`
}

// CreateAccumulator returns an empty tally on the function's scale, or ErrInvalidScale.
func (f *WeightedCSATFn) CreateAccumulator() (*csat.Tally, error) { return newCSATTally(f.Scale) }

// AddInput adds one weighted answer to t.
func (f *WeightedCSATFn) AddInput(t *csat.Tally, x Weighted) (*csat.Tally, error) {
	return t, t.AddWeighted(x.Score, x.Weight)
}

// MergeAccumulators adds every answer of b to a, as csat.Tally.Merge does.
func (f *WeightedCSATFn) MergeAccumulators(a, b *csat.Tally) (*csat.Tally, error) {
	return a, a.Merge(b)
}

// ExtractOutput returns the Result of t, as csat.Tally.Result does.
func (f *WeightedCSATFn) ExtractOutput(t *csat.Tally) (csat.Result, error) { return t.Result() }

// CESFn is the combine function of the Customer Effort Score over unweighted ratings:
// ratings (int) in, a ces.Result out, with a *ces.Tally as its accumulator. The zero
// Scale means ces.Standard7, as for a zero ces.Tally. Errors are those of NPSFn.
type CESFn struct {
	Scale ces.Scale `json:"scale"`
}

// CreateAccumulator returns an empty tally on the function's scale, or ErrInvalidScale.
func (f *CESFn) CreateAccumulator() (*ces.Tally, error) { return newCESTally(f.Scale) }

// AddInput adds one rating of weight 1 to t.
func (f *CESFn) AddInput(t *ces.Tally, rating int) (*ces.Tally, error) { return t, t.Add(rating) }

// MergeAccumulators adds every rating of b to a, as ces.Tally.Merge does.
func (f *CESFn) MergeAccumulators(a, b *ces.Tally) (*ces.Tally, error) { return a, a.Merge(b) }

// ExtractOutput returns the Result of t, as ces.Tally.Result does.
func (f *CESFn) ExtractOutput(t *ces.Tally) (ces.Result, error) { return t.Result() }

// WeightedCESFn is CESFn over weighted ratings; weights are checked as WeightedNPSFn
// checks them.
type WeightedCESFn struct {
	Scale ces.Scale `json:"scale"`
}

// CreateAccumulator returns an empty tally on the function's scale, or ErrInvalidScale.
func (f *WeightedCESFn) CreateAccumulator() (*ces.Tally, error) { return newCESTally(f.Scale) }

// AddInput adds one weighted rating to t.
func (f *WeightedCESFn) AddInput(t *ces.Tally, x Weighted) (*ces.Tally, error) {
	return t, t.AddWeighted(x.Score, x.Weight)
}

// MergeAccumulators adds every rating of b to a, as ces.Tally.Merge does.
func (f *WeightedCESFn) MergeAccumulators(a, b *ces.Tally) (*ces.Tally, error) {
	return a, a.Merge(b)
}

// ExtractOutput returns the Result of t, as ces.Tally.Result does.
func (f *WeightedCESFn) ExtractOutput(t *ces.Tally) (ces.Result, error) { return t.Result() }

// newNPSTally returns an empty tally on s, the zero Scale meaning the zero Tally's.
func newNPSTally(s nps.Scale) (*nps.Tally, error) {
	if s == (nps.Scale{}) {
		return new(nps.Tally), nil
	}
	return nps.NewTally(s)
}

// newCSATTally returns an empty tally on s, the zero Scale meaning the zero Tally's.
func newCSATTally(s csat.Scale) (*csat.Tally, error) {
	if s == (csat.Scale{}) {
		return new(csat.Tally), nil
	}
	return csat.NewTally(s)
}

// newCESTally returns an empty tally on s, the zero Scale meaning the zero Tally's.
func newCESTally(s ces.Scale) (*ces.Tally, error) {
	if s == (ces.Scale{}) {
		return new(ces.Tally), nil
	}
	return ces.NewTally(s)
}
