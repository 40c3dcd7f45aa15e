package csat

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/survey/surveytest"
)

// Each test below covers one class of hostile input: it fails if any input of the class
// panics, returns NaN or Inf, or is accepted silently.

// Levels a hair below 1 have an infinite critical value: they are ErrInvalidLevel
// everywhere, and the largest usable level gives finite bounds.
func TestHostileLevels(t *testing.T) {
	r, _ := Compute([]int{1, 4, 5, 5, 2}, nil)
	all, _ := Compute([]int{5, 5}, nil)
	rng := rand.New(rand.NewPCG(1, 1))
	top := surveytest.TopLevel
	for _, res := range []Result{r, all} {
		surveytest.CheckLevels(t, res.Interval, methods, 0, 100, map[string]func(float64) error{
			"Bootstrap": func(level float64) error { _, err := res.Bootstrap(rng, 10, level); return err },
			"Compare":   func(level float64) error { _, err := Compare(res, res, level); return err },
		})
		c, err := Compare(res, r, top)
		if err != nil || !surveytest.FiniteInterval(c.Interval) || math.IsNaN(c.P) {
			t.Errorf("Compare at level %v: %+v, %v", top, c, err)
		}
	}
}

// Counts that would overflow: a tally doubled by self-merges keeps exact counts, intervals
// and a working bootstrap up to MaxAnswers, refuses to go beyond, and still encodes and
// decodes.
func TestHostileCounts(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	_, r := surveytest.FillUp[Tally](t, []int{1, 4, 5}, func(merges int, r Result) {
		if r.N != 3<<merges || r.Counts[0] != 1<<merges {
			t.Fatalf("after %d merges: %+v", merges, r)
		}
		for _, m := range methods {
			iv, err := r.Interval(m, 0.95)
			if err != nil || !surveytest.FiniteInterval(iv) || !iv.Contains(r.Score) {
				t.Fatalf("%v after %d merges: %v, %v", m, merges, iv, err)
			}
		}
		iv, berr := r.Bootstrap(rng, 200, 0.95)
		if berr != nil || !surveytest.FiniteInterval(iv) || iv.Lower > r.Score || iv.Upper < r.Score {
			t.Fatalf("bootstrap after %d merges: %v, %v", merges, iv, berr)
		}
	})
	if r.N <= 0 || r.N > MaxAnswers {
		t.Fatalf("full tally: %+v", r)
	}
}

// Every parameter that sets how much work is done has a bound.
func TestHostileWork(t *testing.T) {
	r, _ := Compute([]int{1, 5}, nil)
	surveytest.CheckResamples(t, r.Bootstrap, MaxResamples)
	if _, err := NewTally(Scale{Min: 0, Max: MaxScalePoints, SatisfiedMin: 1}); !errors.Is(err, cxmetrics.ErrInvalidScale) {
		t.Errorf("a scale of %d points: %v", MaxScalePoints+1, err)
	}
	if _, err := NewTally(Scale{Min: 0, Max: MaxScalePoints - 1, SatisfiedMin: 1}); err != nil {
		t.Errorf("a scale of %d points: %v", MaxScalePoints, err)
	}
}

// Weights at the ends of their range keep every sum finite, and ones beyond it are
// refused with their index.
func TestHostileWeights(t *testing.T) {
	r, err := Compute([]int{5, 1, 3}, []float64{1e150, 1e-150, 1e150})
	if err != nil || r.Satisfied != 0.5 || !(r.EffectiveN >= 1) || math.IsNaN(r.Mean) {
		t.Errorf("weights at the bounds: %+v, %v", r, err)
	}
	for _, w := range surveytest.OutOfRangeWeights {
		_, err := Compute([]int{5, 1}, []float64{1, w})
		var ie *cxmetrics.InputError
		if !errors.As(err, &ie) || ie.Index != 1 || !errors.Is(err, cxmetrics.ErrOutOfRange) {
			t.Errorf("weight %v: %v", w, err)
		}
	}
}

// FuzzResult hands every method a Result with arbitrary fields: each either errors with
// a root sentinel or returns finite, ordered bounds in range.
func FuzzResult(f *testing.F) {
	f.Add(4, 3, 1, 3, 0.75, 75.0, 4.0, 4.0, 4.0, 0.25, 0.75, 0.95)
	f.Add(2, 0, 2, 0, 0.0, 0.0, 1.0, 2.0, 1.0, 1.0, 0.0, 0.5)
	f.Add(3, 3, 0, 3, 1.0, 100.0, 5.0, 1e300, 1e-300, 0.0, 1.0, 0.9999999999999999)
	f.Add(9, 2, 7, 2, 0.2, 20.0, 1.8, 9.0, 9e15, 0.8, 0.2, 0.9)
	f.Fuzz(func(t *testing.T, n, nSat, c0, c4 int, sat, score, mean, weight, neff, s0, s4, level float64) {
		r := Result{Scale: Standard, N: n, SatisfiedCount: nSat, Satisfied: sat, Score: score, Mean: mean,
			Weight: weight, EffectiveN: neff}
		r.Counts[0], r.Counts[4], r.Shares[0], r.Shares[4] = c0, c4, s0, s4
		known := []error{cxmetrics.ErrEmpty, cxmetrics.ErrCorrupt, cxmetrics.ErrInvalidLevel}
		for _, m := range methods {
			iv, err := r.Interval(m, level)
			if err != nil {
				if !surveytest.IsKnown(err, known) {
					t.Fatalf("%v: %v", m, err)
				}
				continue
			}
			if !surveytest.FiniteInterval(iv) || iv.Lower > iv.Upper || iv.Lower < 0 || iv.Upper > 100 {
				t.Fatalf("%v: %+v gives %v", m, r, iv)
			}
		}
		c, err := Compare(r, r, level)
		if err == nil && (!surveytest.FiniteInterval(c.Interval) || math.IsNaN(c.P) || math.IsNaN(c.Statistic) || math.IsNaN(c.StdErr)) {
			t.Fatalf("Compare: %+v", c)
		} else if err != nil && !surveytest.IsKnown(err, known) {
			t.Fatalf("Compare: %v", err)
		}
		if v := r.Variance(); math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			t.Fatalf("Variance %v", v)
		}
		if e := r.Estimate(); math.IsNaN(e.StdErr) || math.IsNaN(e.Score) {
			t.Fatalf("Estimate %+v", e)
		}
	})
}
