package nps

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
		scores = append(scores, int(int8(data[i]))/8)
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

func checkResult(t *testing.T, r Result) {
	t.Helper()
	for _, v := range []float64{r.Weight, r.EffectiveN, r.Detractors, r.Passives, r.Promoters, r.Score, r.Variance(), r.StdErr()} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("non-finite value in %+v", r)
		}
	}
	if r.Score < -100 || r.Score > 100 || r.EffectiveN < 1 || r.EffectiveN > MaxAnswers {
		t.Fatalf("result out of range: %+v", r)
	}
	if r.DetractorCount+r.PassiveCount+r.PromoterCount != r.N || r.PassiveCount < 0 {
		t.Fatalf("counts do not add up: %+v", r)
	}
	if s := r.Detractors + r.Passives + r.Promoters; math.Abs(s-1) > 1e-9 {
		t.Fatalf("shares sum to %v", s)
	}
	for _, m := range []cxmetrics.Method{cxmetrics.Wald, cxmetrics.AdjustedWald, cxmetrics.Tango, cxmetrics.Bayesian} {
		iv, err := r.Interval(m, 0.9)
		if err != nil {
			t.Fatalf("%v: %v", m, err)
		}
		if !(iv.Lower <= iv.Upper) || iv.Lower < -100 || iv.Upper > 100 {
			t.Fatalf("%v interval %v", m, iv)
		}
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
// and that its counts agree with a plain loop.
func FuzzCompute(f *testing.F) {
	f.Add([]byte{0, 8, 80, 72, 56}, false)
	f.Add([]byte{80, 16, 0, 255, 40, 253}, true)
	f.Add([]byte{88, 1}, false)
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
		var nd, np int
		for _, s := range scores {
			if s < 0 || s > 10 {
				t.Fatalf("accepted score %d", s)
			}
			if s <= 6 {
				nd++
			} else if s >= 9 {
				np++
			}
		}
		if nd != r.DetractorCount || np != r.PromoterCount {
			t.Fatalf("counts %d/%d, want %d/%d", r.DetractorCount, r.PromoterCount, nd, np)
		}
	})
}

// FuzzTallySplit checks that tallies of any split of the data merge to the tally of all
// of it, and that their encodings round-trip.
func FuzzTallySplit(f *testing.F) {
	f.Add([]byte{0, 8, 80, 72, 56, 16, 3}, uint8(3))
	f.Add([]byte{80, 16, 0, 255, 40, 253}, uint8(1))
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
		if rw.N != rm.N || rw.PromoterCount != rm.PromoterCount || math.Abs(rw.Score-rm.Score) > 1e-9 ||
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
	_ = t1.Add(10)
	_ = t1.AddWeighted(3, 2.5)
	enc, _ := t1.MarshalBinary()
	f.Add(enc)
	t2, _ := NewTally(Scale{Min: 1, Max: 5, DetractorMax: 2, PromoterMin: 5})
	enc2, _ := t2.MarshalBinary()
	f.Add(enc2)
	f.Add([]byte{1})
	f.Add(binary.AppendUvarint([]byte{2, 1, 4, 0, 20, 12, 18}, 1))
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
		if err := w.Merge(&v); err != nil {
			// A valid tally whose sums are near the top of float64 may not double.
			if !errors.Is(err, cxmetrics.ErrNotFinite) && !errors.Is(err, cxmetrics.ErrTooLarge) {
				t.Fatalf("merge of decoded tallies: %v", err)
			}
			return
		}
		if r3, err := w.Result(); err == nil {
			checkResult(t, r3)
		}
	})
}
