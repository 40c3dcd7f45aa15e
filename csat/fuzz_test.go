package csat

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

// checkResult fails unless r passes validation, is finite and in range, and every interval
// is ordered, within [0, 100] and contains the score (Jeffreys may miss it when the
// effective counts are below one, Wald collapses to it).
func checkResult(t *testing.T, r Result) {
	t.Helper()
	if err := r.check(); err != nil {
		t.Fatalf("invalid result %+v: %v", r, err)
	}
	for _, v := range []float64{r.Weight, r.EffectiveN, r.Satisfied, r.Score, r.Mean, r.Variance(), r.StdErr()} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("non-finite value in %+v", r)
		}
	}
	if r.Score < 0 || r.Score > 100 || r.EffectiveN < 1 || r.EffectiveN > MaxAnswers {
		t.Fatalf("result out of range: %+v", r)
	}
	x := r.EffectiveN * r.Satisfied
	for _, m := range []cxmetrics.Method{cxmetrics.Wald, cxmetrics.Wilson, cxmetrics.AgrestiCoull, cxmetrics.ClopperPearson, cxmetrics.Jeffreys} {
		iv, err := r.Interval(m, 0.9)
		if err != nil {
			t.Fatalf("%v: %v", m, err)
		}
		jeffreysMiss := m == cxmetrics.Jeffreys && (x < 1 || x > r.EffectiveN-1)
		if !(iv.Lower <= iv.Upper) || iv.Lower < 0 || iv.Upper > 100 || !jeffreysMiss && !iv.Contains(r.Score) && math.Abs(iv.Lower-r.Score) > 1e-9 && math.Abs(iv.Upper-r.Score) > 1e-9 {
			t.Fatalf("%v interval %v of %+v", m, iv, r)
		}
	}
	c, err := Compare(r, r, 0.95)
	if err != nil || c.Difference != 0 || !(c.P > 0.99) || !(c.Interval.Lower <= 0 && c.Interval.Upper >= 0) {
		t.Fatalf("Compare with itself: %+v, %v", c, err)
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
// and that its counts and shares agree with a plain loop.
func FuzzCompute(f *testing.F) {
	f.Add([]byte{16, 32, 80, 64, 48}, false)
	f.Add([]byte{80, 16, 16, 255, 48, 253}, true)
	f.Add([]byte{96, 1}, false)
	f.Add([]byte{80, 250, 16, 251}, true)
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
		var counts [5]int
		for _, s := range scores {
			if s < 1 || s > 5 {
				t.Fatalf("accepted score %d", s)
			}
			counts[s-1]++
		}
		if [5]int(r.Counts[:5]) != counts || r.SatisfiedCount != counts[3]+counts[4] {
			t.Fatalf("counts %v, want %v", r.Counts, counts)
		}
		if !weighted {
			if want := float64(counts[3]+counts[4]) / float64(len(scores)); math.Abs(r.Satisfied-want) > 1e-15 || r.EffectiveN != float64(len(scores)) {
				t.Fatalf("share %v (want %v), n_eff %v", r.Satisfied, want, r.EffectiveN)
			}
		}
	})
}

// FuzzTallySplit checks that tallies of any split of the data merge to the tally of all
// of it, and that their encodings round-trip.
func FuzzTallySplit(f *testing.F) {
	f.Add([]byte{16, 32, 80, 72, 56, 16, 3}, uint8(3))
	f.Add([]byte{80, 16, 16, 255, 48, 253}, uint8(1))
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
		checkResult(t, rm)
		if rw.N != rm.N || rw.Counts != rm.Counts || math.Abs(rw.Score-rm.Score) > 1e-9 ||
			math.Abs(rw.Mean-rm.Mean) > 1e-9 || math.Abs(rw.EffectiveN-rm.EffectiveN) > 1e-9*rw.EffectiveN {
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
	_ = t1.Add(5)
	_ = t1.AddWeighted(2, 2.5)
	enc, _ := t1.MarshalBinary()
	f.Add(enc)
	t2, _ := NewTally(Recommend)
	_ = t2.AddWeighted(10, 1e-150)
	enc2, _ := t2.MarshalBinary()
	f.Add(enc2)
	f.Add([]byte{2})
	f.Add(binary.AppendUvarint([]byte{2, 2, 3, 0, 0, 0}, 1))
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
		if err := w.Merge(&v); err != nil && !errors.Is(err, cxmetrics.ErrNotFinite) && !errors.Is(err, cxmetrics.ErrTooLarge) {
			t.Fatalf("merge of decoded tallies: %v", err)
		}
		if r3, err := w.Result(); err == nil {
			checkResult(t, r3)
		}
	})
}
