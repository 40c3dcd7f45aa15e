package cxbeam

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/util/reflectx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/ces"
	"github.com/cxmetrics/cxmetrics/csat"
	"github.com/cxmetrics/cxmetrics/internal/survey/surveytest"
	"github.com/cxmetrics/cxmetrics/nps"
)

// combiner is the shape of the six combine functions.
type combiner[A, I, R any] interface {
	CreateAccumulator() (A, error)
	AddInput(A, I) (A, error)
	MergeAccumulators(A, A) (A, error)
	ExtractOutput(A) (R, error)
}

// combineSplit runs fn as a runner that lifts the combine would: the inputs in random
// bundles, each bundle's accumulator encoded and decoded by the coder Beam infers for the
// accumulator type (as beam.Combine does for the runner), the accumulators merged in
// random order.
func combineSplit[A, I, R any](t *testing.T, rng *rand.Rand, fn combiner[A, I, R], in []I) (R, error) {
	t.Helper()
	enc := beam.NewElementEncoder(reflect.TypeFor[A]())
	dec := beam.NewElementDecoder(reflect.TypeFor[A]())
	var accs []A
	for len(in) > 0 {
		k := 1 + rng.IntN(len(in))
		acc, err := fn.CreateAccumulator()
		require.NoError(t, err)
		for _, x := range in[:k] {
			if acc, err = fn.AddInput(acc, x); err != nil {
				var zero R
				return zero, err
			}
		}
		var b bytes.Buffer
		require.NoError(t, enc.Encode(acc, &b))
		got, err := dec.Decode(&b)
		require.NoError(t, err)
		require.Zero(t, b.Len(), "bytes left after decoding")
		accs = append(accs, got.(A))
		in = in[k:]
	}
	if len(accs) == 0 {
		acc, err := fn.CreateAccumulator()
		require.NoError(t, err)
		accs = append(accs, acc)
	}
	rng.Shuffle(len(accs), func(i, j int) { accs[i], accs[j] = accs[j], accs[i] })
	for len(accs) > 1 {
		i := rng.IntN(len(accs) - 1)
		m, err := fn.MergeAccumulators(accs[i], accs[i+1])
		require.NoError(t, err)
		accs = append(accs[:i], append([]A{m}, accs[i+2:]...)...)
	}
	return fn.ExtractOutput(accs[0])
}

// assertClose checks that two Results have equal integer fields and float fields equal
// within tol relative to max(1, |want|); tol 0 asks for the same bits.
func assertClose(t *testing.T, want, got any, tol float64) {
	t.Helper()
	var walk func(path string, w, g reflect.Value)
	walk = func(path string, w, g reflect.Value) {
		switch w.Kind() {
		case reflect.Struct:
			for i := range w.NumField() {
				walk(path+"."+w.Type().Field(i).Name, w.Field(i), g.Field(i))
			}
		case reflect.Array:
			for i := range w.Len() {
				walk(path, w.Index(i), g.Index(i))
			}
		case reflect.Float64:
			a, b := w.Float(), g.Float()
			if tol == 0 {
				assert.Equal(t, math.Float64bits(a), math.Float64bits(b), "%s: want %v, got %v", path, a, b)
			} else {
				assert.LessOrEqual(t, math.Abs(a-b), tol*math.Max(1, math.Abs(a)), "%s: want %v, got %v", path, a, b)
			}
		default:
			assert.Equal(t, w.Interface(), g.Interface(), path)
		}
	}
	walk(reflect.TypeOf(want).Name(), reflect.ValueOf(want), reflect.ValueOf(got))
}

func zipWeights(scores []int, weights []float64) []Weighted {
	out := make([]Weighted, len(scores))
	for i := range scores {
		out[i] = Weighted{scores[i], weights[i]}
	}
	return out
}

// spreadWeight draws weights over six orders of magnitude, a fifth of them zero.
func spreadWeight(rng *rand.Rand) float64 {
	if rng.IntN(5) == 0 {
		return 0
	}
	return math.Exp(rng.NormFloat64() * 3)
}

// TestCombineMatchesCompute checks that every combine function, with its inputs split
// into bundles, encoded and merged in any order, gives the Result of Compute on the same
// answers: to the last bit unweighted (the sums are integers), within 1e-12 weighted
// (compensated sums merged in another order).
func TestCombineMatchesCompute(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	npsScale := nps.Scale{Min: 1, Max: 7, DetractorMax: 4, PromoterMin: 7}
	for _, n := range []int{1, 2, 17, 1000, 20000} {
		for rep := range 3 {
			s, w := surveytest.Answers(rng, n, 0, 10, spreadWeight)
			w[0] = 1 // so that the weights never all vanish
			want, err := nps.Compute(s, nil)
			require.NoError(t, err)
			got, err := combineSplit(t, rng, &NPSFn{}, s)
			require.NoError(t, err)
			assertClose(t, want, got, 0)
			want, err = nps.Compute(s, w)
			require.NoError(t, err)
			got, err = combineSplit(t, rng, &WeightedNPSFn{Scale: nps.Standard}, zipWeights(s, w))
			require.NoError(t, err)
			assertClose(t, want, got, 1e-12)

			s, w = surveytest.Answers(rng, n, 1, 7, spreadWeight)
			w[0] = 1
			want, err = nps.ComputeScale(npsScale, s, w)
			require.NoError(t, err)
			got, err = combineSplit(t, rng, &WeightedNPSFn{Scale: npsScale}, zipWeights(s, w))
			require.NoError(t, err)
			assertClose(t, want, got, 1e-12)

			s, w = surveytest.Answers(rng, n, 1, 5, spreadWeight)
			w[0] = 1
			wantC, err := csat.Compute(s, nil)
			require.NoError(t, err)
			gotC, err := combineSplit(t, rng, &CSATFn{}, s)
			require.NoError(t, err)
			assertClose(t, wantC, gotC, 0)
			wantC, err = csat.Compute(s, w)
			require.NoError(t, err)
			gotC, err = combineSplit(t, rng, &WeightedCSATFn{}, zipWeights(s, w))
			require.NoError(t, err)
			assertClose(t, wantC, gotC, 1e-12)

			scale := []ces.Scale{ces.Standard7, ces.Standard5}[rep%2]
			s, w = surveytest.Answers(rng, n, scale.Min, scale.Max, spreadWeight)
			w[0] = 1
			wantE, err := ces.ComputeScale(scale, s, nil)
			if n == 1 {
				require.NoError(t, err)
			}
			gotE, err := combineSplit(t, rng, &CESFn{Scale: scale}, s)
			require.NoError(t, err)
			assertClose(t, wantE, gotE, 0)
			wantE, err = ces.ComputeScale(scale, s, w)
			require.NoError(t, err)
			gotE, err = combineSplit(t, rng, &WeightedCESFn{Scale: scale}, zipWeights(s, w))
			require.NoError(t, err)
			assertClose(t, wantE, gotE, 1e-12)
		}
	}
}

// TestCombineErrors checks that a refused answer fails AddInput with the tally's
// InputError, whose message names the value, and that the other failures keep their
// sentinels.
func TestCombineErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	tests := []struct {
		name string
		run  func() error
		want error
		text string
	}{
		{"nps score", func() error {
			_, err := combineSplit(t, rng, &NPSFn{}, []int{10, 11})
			return err
		}, cxmetrics.ErrOutOfRange, "nps: score 11: out of range [0, 10]"},
		{"nps weight", func() error {
			_, err := combineSplit(t, rng, &WeightedNPSFn{}, []Weighted{{9, 1}, {9, -2}})
			return err
		}, cxmetrics.ErrNegativeWeight, "weight -2"},
		{"csat score", func() error {
			_, err := combineSplit(t, rng, &CSATFn{}, []int{0})
			return err
		}, cxmetrics.ErrOutOfRange, "csat: score 0"},
		{"csat weight", func() error {
			_, err := combineSplit(t, rng, &WeightedCSATFn{}, []Weighted{{4, math.NaN()}})
			return err
		}, cxmetrics.ErrNotFinite, "weight NaN"},
		{"ces rating", func() error {
			_, err := combineSplit(t, rng, &CESFn{}, []int{8})
			return err
		}, cxmetrics.ErrOutOfRange, "8"},
		{"ces weight", func() error {
			_, err := combineSplit(t, rng, &WeightedCESFn{}, []Weighted{{4, 1e200}})
			return err
		}, cxmetrics.ErrOutOfRange, "1e+200"},
		{"nps zero weights", func() error {
			_, err := combineSplit(t, rng, &WeightedNPSFn{}, []Weighted{{9, 0}, {3, 0}})
			return err
		}, cxmetrics.ErrEmpty, "nps"},
		{"nps scale", func() error {
			_, err := (&NPSFn{Scale: nps.Scale{Min: 0, Max: 10, DetractorMax: 9, PromoterMin: 9}}).CreateAccumulator()
			return err
		}, cxmetrics.ErrInvalidScale, "nps"},
		{"csat scale", func() error {
			_, err := (&WeightedCSATFn{Scale: csat.Scale{Min: 5, Max: 1}}).CreateAccumulator()
			return err
		}, cxmetrics.ErrInvalidScale, "csat"},
		{"ces scale", func() error {
			_, err := (&CESFn{Scale: ces.Scale{Min: 1, Max: 7, EasyMin: 3, DifficultMax: 5}}).CreateAccumulator()
			return err
		}, cxmetrics.ErrInvalidScale, "ces"},
		{"merge scales", func() error {
			a, _ := (&NPSFn{}).CreateAccumulator()
			b, _ := (&NPSFn{Scale: nps.Scale{Min: 1, Max: 5, DetractorMax: 2, PromoterMin: 5}}).CreateAccumulator()
			_, err := (&NPSFn{}).MergeAccumulators(a, b)
			return err
		}, cxmetrics.ErrScaleMismatch, "nps"},
		{"decode nps", func() error { _, err := decodeNPSTally([]byte{2, 1}); return err }, cxmetrics.ErrCorrupt, "nps"},
		{"decode csat as ces", func() error {
			b, _ := encodeCSATTally(new(csat.Tally))
			_, err := decodeCESTally(b)
			return err
		}, cxmetrics.ErrCorrupt, "ces"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			require.ErrorIs(t, err, tc.want)
			assert.Contains(t, err.Error(), tc.text)
			if tc.want == cxmetrics.ErrOutOfRange || tc.want == cxmetrics.ErrNegativeWeight || tc.want == cxmetrics.ErrNotFinite {
				var ie *cxmetrics.InputError
				assert.True(t, errors.As(err, &ie), "%v is not an *InputError", err)
			}
		})
	}
}

// TestResultCoders checks that the Result coders give back the same Result, bit for bit.
func TestResultCoders(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	s, w := surveytest.Answers(rng, 500, 0, 10, spreadWeight)
	r, err := nps.Compute(s, w)
	require.NoError(t, err)
	b, err := encodeNPSResult(r)
	require.NoError(t, err)
	got, err := decodeNPSResult(b)
	require.NoError(t, err)
	assertClose(t, r, got, 0)

	s, w = surveytest.Answers(rng, 500, 1, 5, spreadWeight)
	rc, err := csat.Compute(s, w)
	require.NoError(t, err)
	b, err = encodeCSATResult(rc)
	require.NoError(t, err)
	gotC, err := decodeCSATResult(b)
	require.NoError(t, err)
	assertClose(t, rc, gotC, 0)

	s, w = surveytest.Answers(rng, 500, 1, 5, spreadWeight)
	re, err := ces.ComputeScale(ces.Standard5, s, w)
	require.NoError(t, err)
	b, err = encodeCESResult(re)
	require.NoError(t, err)
	gotE, err := decodeCESResult(b)
	require.NoError(t, err)
	assertClose(t, re, gotE, 0)

	for _, dec := range []func([]byte) error{
		func(b []byte) error { _, err := decodeNPSResult(b); return err },
		func(b []byte) error { _, err := decodeCSATResult(b); return err },
		func(b []byte) error { _, err := decodeCESResult(b); return err },
	} {
		assert.Error(t, dec([]byte("{")))
	}
}

// TestSplitCheck checks the validation of the split functions against the tallies: the
// reasons are the tallies' messages, and a valid row leaves no trace in the scratch tally.
func TestSplitCheck(t *testing.T) {
	var rejected []Rejected
	reject := func(r Rejected) { rejected = append(rejected, r) }
	c := check{NPS: &nps.Standard}
	require.NoError(t, c.setup())
	for range 3 {
		assert.True(t, c.judge("a", 10, 1e150, reject)) // would overflow the sums if kept
	}
	assert.False(t, c.judge("a", 11, 1, reject))
	assert.False(t, c.judge("b", 3, -1, reject))
	c = check{CES: &ces.Standard5}
	require.NoError(t, c.setup())
	assert.False(t, c.judge("", 6, 1, reject))
	c = check{CSAT: &csat.Scale{}}
	require.NoError(t, c.setup())
	assert.True(t, c.judge("", 5, 0, reject))
	assert.False(t, c.judge("", 6, 1, reject))
	assert.Equal(t, []Rejected{
		{"a", 11, 1, "nps: score 11: out of range [0, 10]"},
		{"b", 3, -1, "nps: weight -1: negative weight"},
		{"", 6, 1, "ces: score 6: out of range [1, 5]"},
		{"", 6, 1, "csat: score 6: out of range [1, 5]"},
	}, rejected)
	for _, c := range []check{{}, {NPS: &nps.Scale{Min: 3}}, {CSAT: &csat.Scale{Min: 3}}, {CES: &ces.Scale{Min: 3}}} {
		err := c.setup()
		assert.ErrorIs(t, err, cxmetrics.ErrInvalidScale)
		assert.True(t, strings.HasPrefix(err.Error(), "cxbeam: ") || strings.Contains(err.Error(), "scale"), err.Error())
	}
}

// TestSplitCallers checks that a runner calls the split functions' ProcessElement through
// the typed callers, not through reflection.
func TestSplitCallers(t *testing.T) {
	for _, fn := range []any{&splitFn{}, &splitWeightedFn{}, &splitKVFn{}, &splitKVWeightedFn{}} {
		m := reflect.ValueOf(fn).MethodByName("ProcessElement").Interface()
		switch c := reflectx.MakeFunc(m).(type) {
		case *caller3[int, func(int), func(Rejected)], *caller3[Weighted, func(Weighted), func(Rejected)],
			*caller4[string, int, func(string, int), func(Rejected)],
			*caller4[string, Weighted, func(string, Weighted), func(Rejected)]:
		default:
			t.Errorf("%T: ProcessElement is called by %T", fn, c)
		}
	}
}
