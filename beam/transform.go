package cxbeam

import (
	"fmt"
	"reflect"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/typex"

	"github.com/cxmetrics/cxmetrics/ces"
	"github.com/cxmetrics/cxmetrics/csat"
	"github.com/cxmetrics/cxmetrics/nps"
)

// NPS returns the Net Promoter Score of col on scale (the zero Scale means nps.Standard):
// col is a PCollection<int> of scores or a PCollection<Weighted>, and the output a
// PCollection<nps.Result> with one element, equal to nps.ComputeScale's on the same
// answers (none for an empty col). A score or weight that the tally refuses fails the
// pipeline with its *cxmetrics.InputError; run SplitNPS first to send such rows to a
// dead-letter output instead. An invalid scale is ErrInvalidScale; a col of another
// element type is an error that names its type.
func NPS(s beam.Scope, scale nps.Scale, col beam.PCollection) (beam.PCollection, error) {
	_, err := newNPSTally(scale)
	return combine(s, "cxbeam.NPS", err, false, &NPSFn{Scale: scale}, &WeightedNPSFn{Scale: scale}, col)
}

// NPSPerKey is NPS per key: col is a PCollection<KV<string, int>> or
// PCollection<KV<string, Weighted>>, and the output a PCollection<KV<string, nps.Result>>
// with one element per key. A refused row fails the pipeline with the tally's
// *cxmetrics.InputError, which names the value (nps: score 11: out of range [0, 10]);
// SplitNPS keeps the key of each refused row. A key whose answers all weigh zero has no
// score: the pipeline fails with ErrEmpty.
func NPSPerKey(s beam.Scope, scale nps.Scale, col beam.PCollection) (beam.PCollection, error) {
	_, err := newNPSTally(scale)
	return combine(s, "cxbeam.NPSPerKey", err, true, &NPSFn{Scale: scale}, &WeightedNPSFn{Scale: scale}, col)
}

// SplitNPS separates the rows of col that an nps.Tally on scale accepts (valid, of col's
// type) from those it refuses (rejected, a PCollection<Rejected> whose Reason is the
// tally's error). col has any of the element types that NPS and NPSPerKey take. Feeding
// valid to NPS or NPSPerKey computes the score of the good rows while the bad ones go to
// a dead-letter output.
func SplitNPS(s beam.Scope, scale nps.Scale, col beam.PCollection) (valid, rejected beam.PCollection, err error) {
	if _, err := newNPSTally(scale); err != nil {
		return beam.PCollection{}, beam.PCollection{}, err
	}
	return split(s.Scope("cxbeam.SplitNPS"), check{NPS: &scale}, col)
}

// CSAT returns the Customer Satisfaction result of col on scale (the zero Scale means
// csat.Standard), as NPS does for the Net Promoter Score: PCollection<int> or
// PCollection<Weighted> in, PCollection<csat.Result> with one element out.
func CSAT(s beam.Scope, scale csat.Scale, col beam.PCollection) (beam.PCollection, error) {
	_, err := newCSATTally(scale)
	return combine(s, "cxbeam.CSAT", err, false, &CSATFn{Scale: scale}, &WeightedCSATFn{Scale: scale}, col)
}

// CSATPerKey is CSAT per key, as NPSPerKey is NPS per key: KV<string, int> or
// KV<string, Weighted> in, KV<string, csat.Result> out.
func CSATPerKey(s beam.Scope, scale csat.Scale, col beam.PCollection) (beam.PCollection, error) {
	_, err := newCSATTally(scale)
	return combine(s, "cxbeam.CSATPerKey", err, true, &CSATFn{Scale: scale}, &WeightedCSATFn{Scale: scale}, col)
}

// SplitCSAT is SplitNPS for a csat.Tally on scale.
func SplitCSAT(s beam.Scope, scale csat.Scale, col beam.PCollection) (valid, rejected beam.PCollection, err error) {
	if _, err := newCSATTally(scale); err != nil {
		return beam.PCollection{}, beam.PCollection{}, err
	}
	return split(s.Scope("cxbeam.SplitCSAT"), check{CSAT: &scale}, col)
}

// CES returns the Customer Effort Score of col on scale (the zero Scale means
// ces.Standard7), as NPS does for the Net Promoter Score: PCollection<int> of ratings or
// PCollection<Weighted> in, PCollection<ces.Result> with one element out.
func CES(s beam.Scope, scale ces.Scale, col beam.PCollection) (beam.PCollection, error) {
	_, err := newCESTally(scale)
	return combine(s, "cxbeam.CES", err, false, &CESFn{Scale: scale}, &WeightedCESFn{Scale: scale}, col)
}

// CESPerKey is CES per key, as NPSPerKey is NPS per key: KV<string, int> or
// KV<string, Weighted> in, KV<string, ces.Result> out.
func CESPerKey(s beam.Scope, scale ces.Scale, col beam.PCollection) (beam.PCollection, error) {
	_, err := newCESTally(scale)
	return combine(s, "cxbeam.CESPerKey", err, true, &CESFn{Scale: scale}, &WeightedCESFn{Scale: scale}, col)
}

// SplitCES is SplitNPS for a ces.Tally on scale.
func SplitCES(s beam.Scope, scale ces.Scale, col beam.PCollection) (valid, rejected beam.PCollection, err error) {
	if _, err := newCESTally(scale); err != nil {
		return beam.PCollection{}, beam.PCollection{}, err
	}
	return split(s.Scope("cxbeam.SplitCES"), check{CES: &scale}, col)
}

// combine checks the scale (scaleErr) and col's element type, and applies fn, or
// weightedFn to Weighted answers, to all of col or per key.
func combine(s beam.Scope, name string, scaleErr error, keyed bool, fn, weightedFn any, col beam.PCollection) (beam.PCollection, error) {
	if scaleErr != nil {
		return beam.PCollection{}, scaleErr
	}
	w, err := elements(col, keyed)
	if err != nil {
		return beam.PCollection{}, err
	}
	if w {
		fn = weightedFn
	}
	s = s.Scope(name)
	if keyed {
		return beam.TryCombinePerKey(s, fn, col)
	}
	return beam.TryCombine(s, fn, col)
}

var (
	intType      = reflect.TypeFor[int]()
	weightedType = reflect.TypeFor[Weighted]()
)

// elements checks that col holds int or Weighted elements, or KVs of a string and either
// when keyed, and reports whether they are Weighted.
func elements(col beam.PCollection, keyed bool) (weighted bool, err error) {
	t := col.Type()
	if keyed {
		if !typex.IsKV(t) || t.Components()[0].Type().Kind() != reflect.String {
			return false, fmt.Errorf("cxbeam: PCollection<%v>: want KV<string, int> or KV<string, cxbeam.Weighted>", t)
		}
		t = t.Components()[1]
	}
	switch t.Type() {
	case intType:
		return false, nil
	case weightedType:
		return true, nil
	}
	if keyed {
		return false, fmt.Errorf("cxbeam: PCollection<%v>: want KV<string, int> or KV<string, cxbeam.Weighted>", col.Type())
	}
	return false, fmt.Errorf("cxbeam: PCollection<%v>: want int or cxbeam.Weighted", t)
}

// split applies the split function for col's element type.
func split(s beam.Scope, c check, col beam.PCollection) (valid, rejected beam.PCollection, err error) {
	keyed := typex.IsKV(col.Type())
	w, err := elements(col, keyed)
	if err != nil {
		return beam.PCollection{}, beam.PCollection{}, err
	}
	var fn any
	switch {
	case keyed && w:
		fn = &splitKVWeightedFn{c}
	case keyed:
		fn = &splitKVFn{c}
	case w:
		fn = &splitWeightedFn{c}
	default:
		fn = &splitFn{c}
	}
	out, err := beam.TryParDo(s, fn, col)
	if err != nil {
		return beam.PCollection{}, beam.PCollection{}, err
	}
	return out[0], out[1], nil
}
