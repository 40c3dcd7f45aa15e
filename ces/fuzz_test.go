package ces

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/survey/surveytest"
)

// checkResult requires a valid, finite result whose every method answers without NaN.
func checkResult(t *testing.T, r Result) {
	t.Helper()
	surveytest.Valid(t, r, r.check(), r.Weight, r.EffectiveN, r.EasyEffectiveN, r.Mean, r.SD, r.Easy, r.Difficult, r.NetEasy, r.Variance(), r.StdErr())
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

// FuzzCompute checks that Compute either returns a valid, finite result or a known error,
// that its mean and bucket counts agree with a plain loop, and that Compare of the result
// with itself finds no difference.
func FuzzCompute(f *testing.F) {
	f.Add([]byte{16, 32, 80, 96, 112, 64}, false)
	f.Add([]byte{112, 16, 16, 255, 64, 253}, true)
	f.Add([]byte{112, 1, 16, 0}, true)
	f.Add([]byte{127}, false)
	surveytest.FuzzCompute(f, 16, Compute, checkResult, func(t *testing.T, scores []int, weights []float64, r Result) {
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
	surveytest.FuzzSplit[Tally](f, 16, checkResult, func(rw, rm Result) bool {
		return rw.N != rm.N || rw.EasyCount != rm.EasyCount || math.Abs(rw.Mean-rm.Mean) > 1e-9 ||
			math.Abs(rw.EffectiveN-rm.EffectiveN) > 1e-9*rw.EffectiveN
	})
}

// FuzzUnmarshalBinary checks that every rejection is ErrCorrupt and every accepted input
// gives a usable tally that merges and survives another round trip.
func FuzzUnmarshalBinary(f *testing.F) {
	var t1 Tally
	_ = t1.Add(7)
	_ = t1.AddWeighted(2, 2.5)
	t2, _ := NewTally(Standard5)
	_ = t2.AddWeighted(1, 1e-150)
	surveytest.SeedEncodings(f, &t1, t2)
	f.Add([]byte{2})
	f.Add(binary.AppendUvarint([]byte{2, 3, 5, 2, 4, 0, 4, 2}, 1))
	surveytest.FuzzDecoded[Tally](f, checkResult, cxmetrics.ErrNotFinite)
}
