package surveytest

import (
	"encoding"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Tally is the method set that the Tally of nps, csat and ces has: PT is *T, the
// package's *Tally, and R the package's Result.
type Tally[T, R any] interface {
	*T
	Add(score int) error
	AddWeighted(score int, weight float64) error
	Merge(other *T) error
	Clone() *T
	Reset()
	Result() (R, error)
	MarshalBinary() ([]byte, error)
	UnmarshalBinary(data []byte) error
}

// Fill adds the answers to tl, with their weights unless weights is nil, and returns its
// result.
func Fill[T any, PT Tally[T, R], R any](t *testing.T, tl PT, scores []int, weights []float64) R {
	t.Helper()
	for i, s := range scores {
		if weights == nil {
			require.NoError(t, tl.Add(s))
		} else {
			require.NoError(t, tl.AddWeighted(s, weights[i]))
		}
	}
	r, err := tl.Result()
	require.NoError(t, err)
	return r
}

// CheckRefused checks that tl, which must be empty, refuses each bad score with
// ErrOutOfRange, and the valid score with a negative, a NaN and a too large weight, and
// stays empty.
func CheckRefused[T any, PT Tally[T, R], R any](t *testing.T, tl PT, valid int, bad ...int) {
	t.Helper()
	for _, x := range bad {
		assert.ErrorIs(t, tl.Add(x), cxmetrics.ErrOutOfRange, "score %d", x)
	}
	assert.ErrorIs(t, tl.AddWeighted(valid, -1), cxmetrics.ErrNegativeWeight)
	assert.ErrorIs(t, tl.AddWeighted(valid, math.NaN()), cxmetrics.ErrNotFinite)
	assert.ErrorIs(t, tl.AddWeighted(valid, 1e151), cxmetrics.ErrOutOfRange)
	_, err := tl.Result()
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty, "rejected answers leave the tally unchanged")
}

// CheckNil checks that the methods of a nil tally are errors wrapping ErrEmpty, never
// panics: Add of score, Merge of other, UnmarshalBinary of nil and of a version byte,
// Result and MarshalBinary; Clone is nil and Reset does nothing.
func CheckNil[T any, PT Tally[T, R], R any](t *testing.T, score int, other PT) {
	t.Helper()
	var nilTally PT
	assert.ErrorIs(t, nilTally.Add(score), cxmetrics.ErrEmpty, "Add")
	assert.ErrorIs(t, nilTally.Merge(other), cxmetrics.ErrEmpty, "Merge")
	assert.ErrorIs(t, nilTally.UnmarshalBinary(nil), cxmetrics.ErrEmpty, "UnmarshalBinary")
	assert.ErrorIs(t, nilTally.UnmarshalBinary([]byte{2}), cxmetrics.ErrEmpty, "UnmarshalBinary")
	_, err := nilTally.Result()
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty, "Result")
	_, err = nilTally.MarshalBinary()
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty, "MarshalBinary")
	assert.Nil(t, nilTally.Clone(), "Clone")
	nilTally.Reset()
}

// TallyAndCompute adds 1000 answers, scores uniform from lo to hi with weights uniform in
// [0, 3), to a zero tally, and returns the tally, its result and compute's result of the
// same answers.
func TallyAndCompute[T any, PT Tally[T, R], R any](t *testing.T, compute func([]int, []float64) (R, error), lo, hi int) (PT, R, R) {
	t.Helper()
	scores, weights := Answers(rand.New(rand.NewPCG(1, 1)), 1000, lo, hi, uniform(0, 3))
	tl := PT(new(T))
	got := Fill[T, PT, R](t, tl, scores, weights)
	want, err := compute(scores, weights)
	require.NoError(t, err)
	return tl, got, want
}

// Merged holds the results of a merge test: the whole data in one tally, its three parts
// merged, and the whole merged with itself; and the error of merging the whole into a
// tally on the default scale.
type Merged[R any] struct {
	Whole, Parts, Doubled R
	Mismatch              error
}

// MergeParts adds 3000 answers with scores from draw and exponential weights to one tally
// and, in turn, to three parts, all from newTally (which must not give the default
// scale); merges the parts and a nil tally into one, and the whole into itself. It
// checks that a zero Tally refuses the whole with ErrScaleMismatch, and that the whole,
// once Reset, is empty; it returns the whole (Reset) and the results.
func MergeParts[T any, PT Tally[T, R], R any](t *testing.T, newTally func() (*T, error), draw func(*rand.Rand) int) (PT, Merged[R]) {
	t.Helper()
	tally := func() PT {
		tl, err := newTally()
		require.NoError(t, err)
		return tl
	}
	whole := tally()
	parts := []PT{tally(), tally(), tally()}
	rng := rand.New(rand.NewPCG(2, 2))
	for i := range 3000 {
		score, w := draw(rng), rng.ExpFloat64()
		require.NoError(t, whole.AddWeighted(score, w))
		require.NoError(t, parts[i%3].AddWeighted(score, w))
	}
	merged := tally()
	for _, p := range parts {
		require.NoError(t, merged.Merge(p))
	}
	require.NoError(t, merged.Merge(nil))
	var m Merged[R]
	var err error
	m.Whole, err = whole.Result()
	require.NoError(t, err)
	m.Parts, err = merged.Result()
	require.NoError(t, err)

	c := PT(whole.Clone())
	require.NoError(t, c.Merge(c))
	m.Doubled, err = c.Result()
	require.NoError(t, err)

	m.Mismatch = PT(new(T)).Merge(whole)
	assert.ErrorIs(t, m.Mismatch, cxmetrics.ErrScaleMismatch)
	whole.Reset()
	_, err = whole.Result()
	assert.ErrorIs(t, err, cxmetrics.ErrEmpty)
	return whole, m
}

// RoundTrip encodes tl, decodes the encoding into a new tally and checks that it has the
// same result and encodes the same; that every truncation of the encoding is ErrCorrupt
// and leaves a tally holding one answer of score as it was; and that an unknown version
// and a trailing byte are ErrCorrupt. It returns the encoding and the decoded tally.
func RoundTrip[T any, PT Tally[T, R], R any](t *testing.T, tl PT, score int) ([]byte, PT) {
	t.Helper()
	data, err := tl.MarshalBinary()
	require.NoError(t, err)
	u := PT(new(T))
	require.NoError(t, u.UnmarshalBinary(data))
	a, _ := tl.Result()
	b, err := u.Result()
	require.NoError(t, err)
	assert.Equal(t, a, b)
	again, err := u.MarshalBinary()
	require.NoError(t, err)
	assert.Equal(t, data, again)

	// Every truncation is rejected as corrupt, and leaves the target unchanged.
	for i := range len(data) {
		v := PT(new(T))
		require.NoError(t, v.Add(score))
		before, err := v.Result()
		require.NoError(t, err)
		err = v.UnmarshalBinary(data[:i])
		assert.ErrorIs(t, err, cxmetrics.ErrCorrupt, "truncated to %d bytes", i)
		after, err := v.Result()
		require.NoError(t, err)
		assert.Equal(t, before, after, "truncated to %d bytes", i)
	}
	bad := append([]byte{}, data...)
	bad[0] = 9
	assert.ErrorIs(t, u.UnmarshalBinary(bad), cxmetrics.ErrCorrupt)
	assert.ErrorIs(t, u.UnmarshalBinary(append(data, 0)), cxmetrics.ErrCorrupt)
	return data, u
}

// FillUp adds scores to a zero tally and doubles it by merging it into itself until the
// merge is refused, calling each with the number of merges and the result after every
// one. It checks that the refusal is ErrTooLarge, and that the full tally has a result
// and encodes to an encoding that decodes; it returns the full tally and its result.
func FillUp[T any, PT Tally[T, R], R any](t *testing.T, scores []int, each func(merges int, r R)) (PT, R) {
	t.Helper()
	tl := PT(new(T))
	for _, x := range scores {
		if err := tl.Add(x); err != nil {
			t.Fatal(err)
		}
	}
	var err error
	for merges := 1; ; merges++ {
		if err = tl.Merge(tl); err != nil {
			break
		}
		r, err := tl.Result()
		if err != nil {
			t.Fatalf("after %d merges: %v", merges, err)
		}
		each(merges, r)
	}
	if !errors.Is(err, cxmetrics.ErrTooLarge) {
		t.Errorf("self-merge past MaxAnswers: %v", err)
	}
	r, err := tl.Result()
	if err != nil {
		t.Fatalf("full tally: %v", err)
	}
	enc, err := tl.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if err := PT(new(T)).UnmarshalBinary(enc); err != nil {
		t.Errorf("a full tally's encoding does not decode: %v", err)
	}
	return tl, r
}

// FuzzSplit runs the body of FuzzTallySplit: tallies of a split of the weighted answers
// decoded from the fuzz bytes as FuzzCompute decodes them (every (split%4+1)-th answer to
// one part, the others to another) merge to the tally of all of them, which accepts
// exactly the answers the parts accept. Whole and merged results must pass check, differ
// must find no difference between them, and the merged tally must round-trip its
// encoding to an equal result.
func FuzzSplit[T any, PT Tally[T, R], R comparable](f *testing.F, div int, check func(*testing.T, R),
	differ func(whole, merged R) bool) {
	f.Fuzz(func(t *testing.T, data []byte, split uint8) {
		scores, weights := decodeAnswers(data, true, div)
		whole := PT(new(T))
		a, b := PT(new(T)), PT(new(T))
		for i, s := range scores {
			errW := whole.AddWeighted(s, weights[i])
			part := a
			if i%int(split%4+1) == 0 {
				part = b
			}
			errP := part.AddWeighted(s, weights[i])
			if (errW == nil) != (errP == nil) {
				t.Fatalf("whole %v, part %v", errW, errP)
			}
		}
		if err := a.Merge(b); err != nil {
			t.Fatal(err)
		}
		rw, errW := whole.Result()
		rm, errM := a.Result()
		if (errW == nil) != (errM == nil) {
			t.Fatalf("whole %v, merged %v", errW, errM)
		}
		if errW != nil {
			return
		}
		check(t, rw)
		check(t, rm)
		if differ(rw, rm) {
			t.Fatalf("whole %+v, merged %+v", rw, rm)
		}
		enc, err := a.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		c := PT(new(T))
		if err := c.UnmarshalBinary(enc); err != nil {
			t.Fatal(err)
		}
		rc, err := c.Result()
		if err != nil || rc != rm {
			t.Fatalf("round trip: %+v, %v; want %+v", rc, err, rm)
		}
	})
}

// SeedEncodings adds the encoding of each tally to f's seed corpus.
func SeedEncodings(f *testing.F, tallies ...encoding.BinaryMarshaler) {
	for _, tl := range tallies {
		enc, err := tl.MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(enc)
	}
}

// FuzzDecoded runs the body of FuzzUnmarshalBinary: every rejection of the fuzz bytes is
// ErrCorrupt, and an accepted tally has a result that passes check (or is ErrEmpty),
// re-encodes to a tally with the same result, and merges with that copy, or refuses to
// with one of mergeErrs (sums near the top of float64 may not double), the result passing
// check.
func FuzzDecoded[T any, PT Tally[T, R], R comparable](f *testing.F, check func(*testing.T, R), mergeErrs ...error) {
	f.Fuzz(func(t *testing.T, data []byte) {
		u := PT(new(T))
		if err := u.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, cxmetrics.ErrCorrupt) {
				t.Fatalf("rejection is not ErrCorrupt: %v", err)
			}
			return
		}
		r, errR := u.Result()
		if errR == nil {
			check(t, r)
		} else if !errors.Is(errR, cxmetrics.ErrEmpty) {
			t.Fatalf("result of decoded tally: %v", errR)
		}
		again, err := u.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		v := PT(new(T))
		if err := v.UnmarshalBinary(again); err != nil {
			t.Fatalf("re-encoding rejected: %v", err)
		}
		r2, err2 := v.Result()
		if (errR == nil) != (err2 == nil) || r != r2 {
			t.Fatalf("round trip changed the result: %+v %v, %+v %v", r, errR, r2, err2)
		}
		w := PT(u.Clone())
		if err := w.Merge(v); err != nil && !IsKnown(err, mergeErrs) {
			t.Fatalf("merge of decoded tallies: %v", err)
		}
		if r3, err := w.Result(); err == nil {
			check(t, r3)
		}
	})
}
