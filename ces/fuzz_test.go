package ces

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"

	"github.com/cxmetrics/cxmetrics"
)

// decodeAnswers turns fuzz bytes into scores (one signed byte each, so out-of-range
// values appear) and, when weighted, weights (a byte each, with a few special values).
func decodeAnswers(data []byte, weighted bool) ([]int, []float64) {
	var scores []int
	var weights []float64
	step := 1
	if weighted {
		step = 2
	}
	for i := 0; i+step <= len(data); i += step {
		scores = append(scores, int(int8(data[i]))/16)
		if weighted {
			switch b := data[i+1]; b {
			case 255:
				weights = append(weights, math.NaN())
			case 254:
				weights = append(weights, math.Inf(1))
			case 253:
				weights = append(weights, -1)
			case 252:
				weights = append(weights, math.MaxFloat64)
			case 251:
				weights = append(weights, 1e150)
			case 250:
				weights = append(weights, 1e-150)
			default:
				weights = append(weights, float64(b)/16)
			}
		}
	}
	return scores, weights
}

// checkResult requires a valid, finite result whose every method answers without NaN.
func checkResult(t *testing.T, r Result) {
	t.Helper()
	if err := r.check(); err != nil {
		t.Fatalf("invalid result %+v: %v", r, err)
	}
	for _, v := range []float64{r.Weight, r.EffectiveN, r.EasyEffectiveN, r.Mean, r.SD, r.Easy, r.Difficult, r.NetEasy, r.Variance(), r.StdErr()} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("non-finite value in %+v", r)
		}
	}
	lo, hi := float64(r.Scale.Min), float64(r.Scale.Max)
	if r.Mean < lo || r.Mean > hi || r.EffectiveN < 1 || r.EffectiveN > MaxAnswers || r.NetEasy < -100 || r.NetEasy > 100 {
		t.Fatalf("result out of range: %+v", r)
	}
	iv, err := r.Interval(cxmetrics.TDist, 0.9)
	switch {
	case errors.Is(err, cxmetrics.ErrTooFew):
		if r.EffectiveN > 1.01 {
			t.Fatalf("t interval refused at effective n %v: %v", r.EffectiveN, err)
		}
	case err != nil:
		t.Fatalf("t interval: %v", err)
	case !(iv.Lower <= r.Mean && r.Mean <= iv.Upper) || iv.Lower < lo || iv.Upper > hi:
		t.Fatalf("t interval %v of %+v", iv, r)
	}
	for _, m := range []cxmetrics.Method{cxmetrics.Wald, cxmetrics.Wilson, cxmetrics.AgrestiCoull, cxmetrics.ClopperPearson, cxmetrics.Jeffreys} {
		iv, err := r.EasyInterval(m, 0.9)
		if err != nil {
			t.Fatalf("%v: %v", m, err)
		}
		if !(iv.Lower <= iv.Upper) || iv.Lower < 0 || iv.Upper > 100 {
			t.Fatalf("%v interval %v", m, iv)
		}
	}
	if e, err := r.Normalize(); err != nil || e < 0 || e > 100 {
		t.Fatalf("normalize: %v, %v", e, err)
	}
}

var knownErrors = []error{cxmetrics.ErrEmpty, cxmetrics.ErrOutOfRange, cxmetrics.ErrNotFinite,
	cxmetrics.ErrNegativeWeight, cxmetrics.ErrLengthMismatch}

func isKnown(err error, known []error) bool {
	for _, k := range known {
		if errors.Is(err, k) {
			return true
		}
	}
	return false
}

// FuzzCompute checks that Compute either returns a valid, finite result or a known error,
// that its mean and bucket counts agree with a plain loop, and that Compare of the result
// with itself finds no difference.
func FuzzCompute(f *testing.F) {
	f.Add([]byte{16, 32, 80, 96, 112, 64}, false)
	f.Add([]byte{112, 16, 16, 255, 64, 253}, true)
	f.Add([]byte{112, 1, 16, 0}, true)
	f.Add([]byte{127}, false)
	f.Fuzz(func(t *testing.T, data []byte, weighted bool) {
		scores, weights := decodeAnswers(data, weighted)
		r, err := Compute(scores, weights)
		if err != nil {
			if !isKnown(err, knownErrors) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		checkResult(t, r)
		var ne, nd int
		var sw, swr float64
		for i, s := range scores {
			if s < 1 || s > 7 {
				t.Fatalf("accepted score %d", s)
			}
			switch {
			case s >= 5:
				ne++
			case s <= 3:
				nd++
			}
			w := 1.0
			if weights != nil {
				w = weights[i]
			}
			sw += w
			swr += w * float64(s)
		}
		if ne != r.EasyCount || nd != r.DifficultCount {
			t.Fatalf("counts %d/%d, want %d/%d", r.EasyCount, r.DifficultCount, ne, nd)
		}
		if m := swr / sw; !math.IsInf(sw, 0) && math.Abs(m-r.Mean) > 1e-9 {
			t.Fatalf("mean %v, want %v", r.Mean, m)
		}
		c, err := Compare(r, r, 0.95)
		if err != nil {
			if !errors.Is(err, cxmetrics.ErrTooFew) {
				t.Fatalf("compare: %v", err)
			}
			return
		}
		if c.Difference != 0 || c.P != 1 || c.Statistic != 0 || !(c.DF > 0) || !c.Interval.Contains(0) {
			t.Fatalf("compare with itself: %+v", c)
		}
	})
}

// FuzzTallySplit checks that tallies of any split of the data merge to the tally of all
// of it, and that their encodings round-trip.
func FuzzTallySplit(f *testing.F) {
	f.Add([]byte{16, 32, 80, 96, 112, 64, 16, 3}, uint8(3))
	f.Add([]byte{112, 16, 16, 255, 64, 253}, uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, split uint8) {
		scores, weights := decodeAnswers(data, true)
		whole := new(Tally)
		a, b := new(Tally), new(Tally)
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
		checkResult(t, rw)
		if rw.N != rm.N || rw.EasyCount != rm.EasyCount || math.Abs(rw.Mean-rm.Mean) > 1e-9 ||
			math.Abs(rw.EffectiveN-rm.EffectiveN) > 1e-9*rw.EffectiveN {
			t.Fatalf("whole %+v, merged %+v", rw, rm)
		}
		enc, err := a.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var c Tally
		if err := c.UnmarshalBinary(enc); err != nil {
			t.Fatal(err)
		}
		rc, err := c.Result()
		if err != nil || rc != rm {
			t.Fatalf("round trip: %+v, %v; want %+v", rc, err, rm)
		}
	})
}

// FuzzUnmarshalBinary checks that every rejection is ErrCorrupt and every accepted input
// gives a usable tally that merges and survives another round trip.
func FuzzUnmarshalBinary(f *testing.F) {
	var t1 Tally
	_ = t1.Add(7)
	_ = t1.AddWeighted(2, 2.5)
	enc, _ := t1.MarshalBinary()
	f.Add(enc)
	t2, _ := NewTally(Standard5)
	_ = t2.AddWeighted(1, 1e-150)
	enc2, _ := t2.MarshalBinary()
	f.Add(enc2)
	f.Add([]byte{2})
	f.Add(binary.AppendUvarint([]byte{2, 3, 5, 2, 4, 0, 4, 2}, 1))
	f.Fuzz(func(t *testing.T, data []byte) {
		var u Tally
		if err := u.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, cxmetrics.ErrCorrupt) {
				t.Fatalf("rejection is not ErrCorrupt: %v", err)
			}
			return
		}
		r, errR := u.Result()
		if errR == nil {
			checkResult(t, r)
		} else if !errors.Is(errR, cxmetrics.ErrEmpty) {
			t.Fatalf("result of decoded tally: %v", errR)
		}
		again, err := u.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var v Tally
		if err := v.UnmarshalBinary(again); err != nil {
			t.Fatalf("re-encoding rejected: %v", err)
		}
		r2, err2 := v.Result()
		if (errR == nil) != (err2 == nil) || r != r2 {
			t.Fatalf("round trip changed the result: %+v %v, %+v %v", r, errR, r2, err2)
		}
		w := u.Clone()
		if err := w.Merge(&v); err != nil && !errors.Is(err, cxmetrics.ErrNotFinite) {
			t.Fatalf("merge of decoded tallies: %v", err)
		}
		if r3, err := w.Result(); err == nil {
			checkResult(t, r3)
		}
	})
}
