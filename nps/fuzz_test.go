package nps

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/survey/surveytest"
)

func checkResult(t *testing.T, r Result) {
	t.Helper()
	surveytest.Valid(t, r, r.check(), r.Weight, r.EffectiveN, r.Detractors, r.Passives, r.Promoters, r.Score, r.Variance(), r.StdErr())
	if r.Score < -100 || r.Score > 100 || r.EffectiveN < 1 || r.EffectiveN > MaxAnswers {
		t.Fatalf("result out of range: %+v", r)
	}
	if r.DetractorCount+r.PassiveCount+r.PromoterCount != r.N || r.PassiveCount < 0 {
		t.Fatalf("counts do not add up: %+v", r)
	}
	if s := r.Detractors + r.Passives + r.Promoters; math.Abs(s-1) > 1e-9 {
		t.Fatalf("shares sum to %v", s)
	}
	// The Bayesian interval (milliseconds of quadrature) is left to FuzzResult, so that this
	// check keeps the fuzzers fast.
	for _, m := range []cxmetrics.Method{cxmetrics.Wald, cxmetrics.AdjustedWald, cxmetrics.Tango} {
		iv, err := r.Interval(m, 0.9)
		if err != nil {
			t.Fatalf("%v: %v", m, err)
		}
		if !(iv.Lower <= iv.Upper) || iv.Lower < -100 || iv.Upper > 100 {
			t.Fatalf("%v interval %v", m, iv)
		}
	}
}

// FuzzCompute checks that Compute either returns a valid, finite result or a known error,
// and that its counts agree with a plain loop.
func FuzzCompute(f *testing.F) {
	f.Add([]byte{0, 8, 80, 72, 56}, false)
	f.Add([]byte{80, 16, 0, 255, 40, 253}, true)
	f.Add([]byte{88, 1}, false)
	surveytest.FuzzCompute(f, 8, Compute, checkResult, func(t *testing.T, scores []int, _ []float64, r Result) {
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
	surveytest.FuzzSplit[Tally](f, 8, checkResult, func(rw, rm Result) bool {
		return rw.N != rm.N || rw.PromoterCount != rm.PromoterCount || math.Abs(rw.Score-rm.Score) > 1e-9 ||
			math.Abs(rw.EffectiveN-rm.EffectiveN) > 1e-9*rw.EffectiveN
	})
}

// FuzzUnmarshalBinary checks that every rejection is ErrCorrupt and every accepted input
// gives a usable tally that merges and survives another round trip.
func FuzzUnmarshalBinary(f *testing.F) {
	var t1 Tally
	_ = t1.Add(10)
	_ = t1.AddWeighted(3, 2.5)
	t2, _ := NewTally(Scale{Min: 1, Max: 5, DetractorMax: 2, PromoterMin: 5})
	surveytest.SeedEncodings(f, &t1, t2)
	f.Add([]byte{1})
	f.Add(binary.AppendUvarint([]byte{2, 1, 4, 0, 20, 12, 18}, 1))
	// A valid tally whose sums are near the top of float64 may not double.
	surveytest.FuzzDecoded[Tally](f, checkResult, cxmetrics.ErrNotFinite, cxmetrics.ErrTooLarge)
}
