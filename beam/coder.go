package cxbeam

import (
	"encoding/json"
	"reflect"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/cxmetrics/cxmetrics/ces"
	"github.com/cxmetrics/cxmetrics/csat"
	"github.com/cxmetrics/cxmetrics/nps"
)

// init registers the combine and split functions with typed callers (so that no runner
// calls them through reflection), and the coders: a tally travels as its
// MarshalBinary encoding, a Result as its JSON (exact: encoding/json writes the shortest
// decimal that reads back to the same float64), Weighted and Rejected as schema rows.
func init() {
	register.Combiner3[*nps.Tally, int, nps.Result](&NPSFn{})
	register.Combiner3[*nps.Tally, Weighted, nps.Result](&WeightedNPSFn{})
	register.Combiner3[*csat.Tally, int, csat.Result](&CSATFn{})
	register.Combiner3[*csat.Tally, Weighted, csat.Result](&WeightedCSATFn{})
	register.Combiner3[*ces.Tally, int, ces.Result](&CESFn{})
	register.Combiner3[*ces.Tally, Weighted, ces.Result](&WeightedCESFn{})

	registerDoFn3[int, func(int), func(Rejected)](&splitFn{})
	registerDoFn3[Weighted, func(Weighted), func(Rejected)](&splitWeightedFn{})
	registerDoFn4[string, int, func(string, int), func(Rejected)](&splitKVFn{})
	registerDoFn4[string, Weighted, func(string, Weighted), func(Rejected)](&splitKVWeightedFn{})
	register.Emitter1[int]()
	register.Emitter1[Weighted]()
	register.Emitter2[string, int]()
	register.Emitter2[string, Weighted]()
	register.Emitter1[Rejected]()

	beam.RegisterType(reflect.TypeFor[Weighted]())
	beam.RegisterType(reflect.TypeFor[Rejected]())

	beam.RegisterCoder(reflect.TypeFor[*nps.Tally](), encodeNPSTally, decodeNPSTally)
	beam.RegisterCoder(reflect.TypeFor[*csat.Tally](), encodeCSATTally, decodeCSATTally)
	beam.RegisterCoder(reflect.TypeFor[*ces.Tally](), encodeCESTally, decodeCESTally)
	beam.RegisterCoder(reflect.TypeFor[nps.Result](), encodeNPSResult, decodeNPSResult)
	beam.RegisterCoder(reflect.TypeFor[csat.Result](), encodeCSATResult, decodeCSATResult)
	beam.RegisterCoder(reflect.TypeFor[ces.Result](), encodeCESResult, decodeCESResult)
}

func encodeNPSTally(t *nps.Tally) ([]byte, error) { return t.MarshalBinary() }

func decodeNPSTally(b []byte) (*nps.Tally, error) {
	t := new(nps.Tally)
	if err := t.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return t, nil
}

func encodeCSATTally(t *csat.Tally) ([]byte, error) { return t.MarshalBinary() }

func decodeCSATTally(b []byte) (*csat.Tally, error) {
	t := new(csat.Tally)
	if err := t.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return t, nil
}

func encodeCESTally(t *ces.Tally) ([]byte, error) { return t.MarshalBinary() }

func decodeCESTally(b []byte) (*ces.Tally, error) {
	t := new(ces.Tally)
	if err := t.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return t, nil
}

func encodeNPSResult(r nps.Result) ([]byte, error) { return json.Marshal(r) }

func decodeNPSResult(b []byte) (nps.Result, error) {
	var r nps.Result
	err := json.Unmarshal(b, &r)
	return r, err
}

func encodeCSATResult(r csat.Result) ([]byte, error) { return json.Marshal(r) }

func decodeCSATResult(b []byte) (csat.Result, error) {
	var r csat.Result
	err := json.Unmarshal(b, &r)
	return r, err
}

func encodeCESResult(r ces.Result) ([]byte, error) { return json.Marshal(r) }

func decodeCESResult(b []byte) (ces.Result, error) {
	var r ces.Result
	err := json.Unmarshal(b, &r)
	return r, err
}
