package csat

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/survey/surveytest"
)

// checkResult fails unless r passes validation, is finite and in range, and every interval
// is ordered, within [0, 100] and contains the score (Jeffreys may miss it when the
// effective counts are below one, Wald collapses to it).
func checkResult(t *testing.T, r Result) {
	t.Helper()
	surveytest.Valid(t, r, r.check(), r.Weight, r.EffectiveN, r.Satisfied, r.Score, r.Mean, r.Variance(), r.StdErr())
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

// FuzzCompute checks that Compute either returns a valid, finite result or a known error,
// and that its counts and shares agree with a plain loop.
func FuzzCompute(f *testing.F) {
	f.Add([]byte{16, 32, 80, 64, 48}, false)
	f.Add([]byte{80, 16, 16, 255, 48, 253}, true)
	f.Add([]byte{96, 1}, false)
	f.Add([]byte{80, 250, 16, 251}, true)
	surveytest.FuzzCompute(f, 16, Compute, checkResult, func(t *testing.T, scores []int, weights []float64, r Result) {
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
		if weights == nil {
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
	surveytest.FuzzSplit[Tally](f, 16, checkResult, func(rw, rm Result) bool {
		return rw.N != rm.N || rw.Counts != rm.Counts || math.Abs(rw.Score-rm.Score) > 1e-9 ||
			math.Abs(rw.Mean-rm.Mean) > 1e-9 || math.Abs(rw.EffectiveN-rm.EffectiveN) > 1e-9*rw.EffectiveN
	})
}

// FuzzUnmarshalBinary checks that every rejection is ErrCorrupt and every accepted input
// gives a usable tally that merges and survives another round trip.
func FuzzUnmarshalBinary(f *testing.F) {
	var t1 Tally
	_ = t1.Add(5)
	_ = t1.AddWeighted(2, 2.5)
	t2, _ := NewTally(Recommend)
	_ = t2.AddWeighted(10, 1e-150)
	surveytest.SeedEncodings(f, &t1, t2)
	f.Add([]byte{2})
	f.Add(binary.AppendUvarint([]byte{2, 2, 3, 0, 0, 0}, 1))
	surveytest.FuzzDecoded[Tally](f, checkResult, cxmetrics.ErrNotFinite, cxmetrics.ErrTooLarge)
}
