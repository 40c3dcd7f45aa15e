package cxbeam

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/passert"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/ces"
	"github.com/cxmetrics/cxmetrics/csat"
	"github.com/cxmetrics/cxmetrics/nps"
)

func init() {
	beam.RegisterType(reflect.TypeFor[expectFn]())
	beam.RegisterType(reflect.TypeFor[expectOneFn]())
	beam.RegisterType(reflect.TypeFor[row]())
	beam.RegisterFunction(toKV)
	beam.RegisterFunction(toKVWeighted)
}

// expectFn fails the pipeline unless the Result of each key is the JSON of Want[key]:
// with the same bits when Tol is 0, else within Tol relative to max(1, |want|).
type expectFn struct {
	Want map[string]string
	Tol  float64
}

func (f *expectFn) ProcessElement(key string, got beam.T) error {
	w, ok := f.Want[key]
	if !ok {
		return fmt.Errorf("unexpected key %q", key)
	}
	return sameResult(w, got, f.Tol)
}

// expectOneFn is expectFn for the one Result of a global combine.
type expectOneFn struct {
	Want string
	Tol  float64
}

func (f *expectOneFn) ProcessElement(got beam.T) error { return sameResult(f.Want, got, f.Tol) }

// sameResult compares got with the Result encoded in want, field by field.
func sameResult(want string, got any, tol float64) error {
	w := reflect.New(reflect.TypeOf(got))
	if err := json.Unmarshal([]byte(want), w.Interface()); err != nil {
		return err
	}
	var diff func(path string, w, g reflect.Value) error
	diff = func(path string, w, g reflect.Value) error {
		switch w.Kind() {
		case reflect.Struct:
			for i := range w.NumField() {
				if err := diff(path+"."+w.Type().Field(i).Name, w.Field(i), g.Field(i)); err != nil {
					return err
				}
			}
		case reflect.Array:
			for i := range w.Len() {
				if err := diff(path+"["+strconv.Itoa(i)+"]", w.Index(i), g.Index(i)); err != nil {
					return err
				}
			}
		case reflect.Float64:
			a, b := w.Float(), g.Float()
			if (tol == 0 && math.Float64bits(a) != math.Float64bits(b)) || math.Abs(a-b) > tol*math.Max(1, math.Abs(a)) {
				return fmt.Errorf("%s: want %v, got %v", path, a, b)
			}
		default:
			if !w.Equal(g) {
				return fmt.Errorf("%s: want %v, got %v", path, w, g)
			}
		}
		return nil
	}
	return diff(w.Elem().Type().String(), w.Elem(), reflect.ValueOf(got))
}

// keyed is a data set of answers by key and what Compute gives for each key.
type keyed struct {
	kvs  []row
	want map[string]string
	all  string // the Result over all keys
}

// answers draws n answers in [lo, hi] on keys keys (weights from spreadWeight when
// weighted) and computes the want Results with compute.
func answers[R any](t *testing.T, rng *rand.Rand, n, keys, lo, hi int, isWeighted bool,
	compute func([]int, []float64) (R, error)) keyed {
	t.Helper()
	scores := map[string][]int{}
	weights := map[string][]float64{}
	var all []int
	var allW []float64
	d := keyed{want: map[string]string{}}
	for i := range n {
		k := "k" + strconv.Itoa(rng.IntN(keys))
		if i < keys {
			k = "k" + strconv.Itoa(i) // every key, and with a positive weight
		}
		x, w := lo+rng.IntN(hi-lo+1), 1.0
		if isWeighted && i >= keys {
			w = spreadWeight(rng)
		}
		scores[k] = append(scores[k], x)
		weights[k] = append(weights[k], w)
		all, allW = append(all, x), append(allW, w)
		if isWeighted {
			d.kvs = append(d.kvs, row{k, Weighted{x, w}, true})
		} else {
			d.kvs = append(d.kvs, kvInt(k, x))
		}
	}
	enc := func(s []int, w []float64) string {
		if !isWeighted {
			w = nil
		}
		r, err := compute(s, w)
		require.NoError(t, err)
		b, err := json.Marshal(r)
		require.NoError(t, err)
		return string(b)
	}
	for k := range scores {
		d.want[k] = enc(scores[k], weights[k])
	}
	d.all = enc(all, allW)
	return d
}

// row is a keyed answer before it becomes a KV<string, Weighted> (Weighted true) or a
// KV<string, int>.
type row struct {
	Key      string
	X        Weighted
	Weighted bool
}

func kvInt(k string, x int) row { return row{Key: k, X: Weighted{x, 1}} }

func toKV(r row) (string, int)              { return r.Key, r.X.Score }
func toKVWeighted(r row) (string, Weighted) { return r.Key, r.X }

// kvs turns rows, all weighted or all not, into a PCollection of KVs.
func kvs(s beam.Scope, rows beam.PCollection, weighted bool) beam.PCollection {
	if weighted {
		return beam.ParDo(s, toKVWeighted, rows)
	}
	return beam.ParDo(s, toKV, rows)
}

// bundles creates the rows as many separate inputs flattened and reshuffled, so that
// the runner combines them in several bundles and merges the partial tallies.
func bundles(s beam.Scope, elems []row) beam.PCollection {
	const parts = 8
	var cols []beam.PCollection
	for i := range parts {
		lo, hi := i*len(elems)/parts, (i+1)*len(elems)/parts
		if lo < hi {
			cols = append(cols, beam.CreateList(s, elems[lo:hi]))
		}
	}
	return kvs(s, beam.Reshuffle(s, beam.Flatten(s, cols...)), elems[0].Weighted)
}

// TestPerKeyMatchesCompute runs every per-key and global transform on data split into
// many bundles and compares each key's Result with Compute on that key's answers: the
// same bits unweighted, within 1e-12 weighted.
func TestPerKeyMatchesCompute(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	npsScale := nps.Scale{Min: 1, Max: 5, DetractorMax: 3, PromoterMin: 5}
	type run struct {
		name           string
		lo, hi         int
		perKey, global func(beam.Scope, beam.PCollection) (beam.PCollection, error)
		compute        func([]int, []float64) (any, error)
	}
	anyOf := func(f func([]int, []float64) (any, error)) func([]int, []float64) (any, error) { return f }
	runs := []run{
		{"nps", 0, 10,
			func(s beam.Scope, c beam.PCollection) (beam.PCollection, error) { return NPSPerKey(s, nps.Scale{}, c) },
			func(s beam.Scope, c beam.PCollection) (beam.PCollection, error) { return NPS(s, nps.Standard, c) },
			anyOf(func(s []int, w []float64) (any, error) { return nps.Compute(s, w) })},
		{"nps 1-5", 1, 5,
			func(s beam.Scope, c beam.PCollection) (beam.PCollection, error) { return NPSPerKey(s, npsScale, c) },
			func(s beam.Scope, c beam.PCollection) (beam.PCollection, error) { return NPS(s, npsScale, c) },
			anyOf(func(s []int, w []float64) (any, error) { return nps.ComputeScale(npsScale, s, w) })},
		{"csat", 1, 5,
			func(s beam.Scope, c beam.PCollection) (beam.PCollection, error) {
				return CSATPerKey(s, csat.Standard, c)
			},
			func(s beam.Scope, c beam.PCollection) (beam.PCollection, error) { return CSAT(s, csat.Scale{}, c) },
			anyOf(func(s []int, w []float64) (any, error) { return csat.Compute(s, w) })},
		{"ces", 1, 5,
			func(s beam.Scope, c beam.PCollection) (beam.PCollection, error) {
				return CESPerKey(s, ces.Standard5, c)
			},
			func(s beam.Scope, c beam.PCollection) (beam.PCollection, error) { return CES(s, ces.Standard5, c) },
			anyOf(func(s []int, w []float64) (any, error) { return ces.ComputeScale(ces.Standard5, s, w) })},
	}
	for _, r := range runs {
		for _, isWeighted := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s weighted=%v", r.name, isWeighted), func(t *testing.T) {
				const keys = 30
				d := answers(t, rng, 3000, keys, r.lo, r.hi, isWeighted, r.compute)
				tol := 0.0
				if isWeighted {
					tol = 1e-12
				}
				p, s := beam.NewPipelineWithRoot()
				col := bundles(s, d.kvs)
				out, err := r.perKey(s, col)
				require.NoError(t, err)
				beam.ParDo0(s, &expectFn{Want: d.want, Tol: tol}, out)
				passert.Count(s, out, "keys", keys)
				one, err := r.global(s, beam.DropKey(s, col))
				require.NoError(t, err)
				beam.ParDo0(s, &expectOneFn{Want: d.all, Tol: tol}, one)
				passert.Count(s, one, "results", 1)
				require.NoError(t, runPipeline(p))
			})
		}
	}
}

// TestBadRowFails checks that an invalid score or weight fails the pipeline with an
// error that names the value.
func TestBadRowFails(t *testing.T) {
	tests := []struct {
		name  string
		build func(s beam.Scope) error
		text  string
	}{
		{"nps score", func(s beam.Scope) error {
			_, err := NPSPerKey(s, nps.Standard, bundles(s, []row{kvInt("a", 9), kvInt("b", 11), kvInt("a", 3)}))
			return err
		}, "nps: score 11: out of range [0, 10]"},
		{"csat weight", func(s beam.Scope) error {
			_, err := CSAT(s, csat.Standard, beam.Create(s, Weighted{5, 1}, Weighted{4, -0.5}))
			return err
		}, "csat: weight -0.5: negative weight"},
		{"ces rating", func(s beam.Scope) error {
			_, err := CESPerKey(s, ces.Standard7, kvs(s, beam.Create(s, kvInt("x", 0)), false))
			return err
		}, "ces: score 0: out of range [1, 7]"},
		{"zero weights", func(s beam.Scope) error {
			_, err := NPSPerKey(s, nps.Standard, kvs(s, beam.Create(s, row{"z", Weighted{9, 0}, true}), true))
			return err
		}, "nps"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, s := beam.NewPipelineWithRoot()
			require.NoError(t, tc.build(s))
			err := runPipeline(p)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.text)
		})
	}
}

// TestSplitDeadLetter checks that the split functions send every refused row, with its
// key and reason, to the rejected output, and that the valid rows give Compute's Result
// of the good answers.
func TestSplitDeadLetter(t *testing.T) {
	p, s := beam.NewPipelineWithRoot()
	rows := []row{kvInt("a", 9), kvInt("a", 11), kvInt("b", 0), kvInt("b", -1), kvInt("a", 10), kvInt("b", 7)}
	valid, rejected, err := SplitNPS(s, nps.Standard, bundles(s, rows))
	require.NoError(t, err)
	passert.Equals(s, rejected,
		Rejected{"a", 11, 1, "nps: score 11: out of range [0, 10]"},
		Rejected{"b", -1, 1, "nps: score -1: out of range [0, 10]"})
	out, err := NPSPerKey(s, nps.Standard, valid)
	require.NoError(t, err)
	want := map[string]string{}
	for k, scores := range map[string][]int{"a": {9, 10}, "b": {0, 7}} {
		r, err := nps.Compute(scores, nil)
		require.NoError(t, err)
		b, _ := json.Marshal(r)
		want[k] = string(b)
	}
	beam.ParDo0(s, &expectFn{Want: want}, out)

	wvalid, wrejected, err := SplitCES(s, ces.Standard7, beam.Create(s, Weighted{7, 2}, Weighted{4, math.Inf(1)}, Weighted{1, 0.5}))
	require.NoError(t, err)
	passert.Equals(s, wrejected, Rejected{"", 4, math.Inf(1), "ces: weight +Inf: not finite"})
	passert.Count(s, wvalid, "valid", 2)
	cvalid, crejected, err := SplitCSAT(s, csat.Scale{}, beam.Create(s, 5, 6))
	require.NoError(t, err)
	passert.Equals(s, cvalid, 5)
	passert.Equals(s, crejected, Rejected{"", 6, 1, "csat: score 6: out of range [1, 5]"})
	kvalid, krejected, err := SplitCSAT(s, csat.Standard, kvs(s, beam.Create(s, row{"k", Weighted{2, -1}, true}), true))
	require.NoError(t, err)
	passert.Empty(s, kvalid)
	passert.Equals(s, krejected, Rejected{"k", 2, -1, "csat: weight -1: negative weight"})
	require.NoError(t, runPipeline(p))
}

// TestEmptyInput checks that an empty PCollection gives no Result, as beam.Combine does.
func TestEmptyInput(t *testing.T) {
	p, s := beam.NewPipelineWithRoot()
	out, err := NPS(s, nps.Standard, beam.CreateList(s, []int{}))
	require.NoError(t, err)
	passert.Empty(s, out)
	require.NoError(t, runPipeline(p))
}

// TestTransformErrors checks the errors of pipeline construction: an invalid scale and
// a PCollection of another element type.
func TestTransformErrors(t *testing.T) {
	_, s := beam.NewPipelineWithRoot()
	ints := beam.Create(s, 1, 2)
	strs := beam.Create(s, "a")
	bad := nps.Scale{Min: 0, Max: 10, DetractorMax: 9, PromoterMin: 9}
	checks := []func() error{
		func() error { _, err := NPS(s, bad, ints); return err },
		func() error { _, err := NPSPerKey(s, bad, ints); return err },
		func() error { _, _, err := SplitNPS(s, bad, ints); return err },
		func() error { _, err := CSAT(s, csat.Scale{Min: 1, Max: 5, SatisfiedMin: 6}, ints); return err },
		func() error { _, err := CSATPerKey(s, csat.Scale{Min: 2}, ints); return err },
		func() error { _, _, err := SplitCSAT(s, csat.Scale{Min: 2}, ints); return err },
		func() error { _, err := CES(s, ces.Scale{Min: 2}, ints); return err },
		func() error { _, err := CESPerKey(s, ces.Scale{Min: 2}, ints); return err },
		func() error { _, _, err := SplitCES(s, ces.Scale{Min: 2}, ints); return err },
	}
	for i, f := range checks {
		assert.ErrorIs(t, f(), cxmetrics.ErrInvalidScale, "check %d", i)
	}
	_, err := NPS(s, nps.Standard, strs)
	assert.Error(t, err)
	_, err = CESPerKey(s, ces.Standard7, ints)
	assert.Error(t, err)
	_, _, err = SplitCSAT(s, csat.Standard, strs)
	assert.Error(t, err)
}
