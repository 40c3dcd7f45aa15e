package nps

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/survey/surveytest"
)

// Each test below covers one class of hostile input: it fails if any input of the class
// panics, returns NaN or Inf, or is accepted silently.

// Scales whose point count overflows int are rejected; scales at the ends of int work.
func TestHostileScaleOverflow(t *testing.T) {
	for _, s := range []Scale{
		{math.MinInt, math.MaxInt, 0, 1},
		{math.MinInt, math.MaxInt, math.MinInt, math.MaxInt},
		{-1, math.MaxInt, 0, 1},
		{math.MinInt, 1, 0, 1},
		{0, MaxScalePoints, 1, 2},
	} {
		if err := s.Validate(); !errors.Is(err, cxmetrics.ErrInvalidScale) {
			t.Errorf("%v: Validate %v", s, err)
		}
		if _, err := NewTally(s); !errors.Is(err, cxmetrics.ErrInvalidScale) {
			t.Errorf("%v: NewTally %v", s, err)
		}
		if _, err := ComputeScale(s, []int{0}, nil); !errors.Is(err, cxmetrics.ErrInvalidScale) {
			t.Errorf("%v: ComputeScale %v", s, err)
		}
	}
	for _, s := range []Scale{
		{math.MinInt, math.MinInt + 10, math.MinInt + 5, math.MinInt + 9},
		{math.MaxInt - 10, math.MaxInt, math.MaxInt - 5, math.MaxInt - 1},
		{math.MaxInt - MaxScalePoints + 1, math.MaxInt, math.MaxInt - 5, math.MaxInt - 1},
	} {
		scores := []int{s.Min, s.DetractorMax, s.PromoterMin, s.Max, s.DetractorMax + 1}
		r, err := ComputeScale(s, scores, nil)
		if err != nil || r.DetractorCount != 2 || r.PromoterCount != 2 {
			t.Errorf("%v: %+v, %v", s, r, err)
		}
		tl, err := NewTally(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range scores {
			if err := tl.Add(x); err != nil {
				t.Errorf("%v: Add(%d): %v", s, x, err)
			}
		}
		for _, x := range []int{s.Min - 1, s.Max + 1, math.MinInt, math.MaxInt} {
			if x >= s.Min && x <= s.Max {
				continue
			}
			if err := tl.Add(x); !errors.Is(err, cxmetrics.ErrOutOfRange) {
				t.Errorf("%v: Add(%d): %v", s, x, err)
			}
		}
	}
}

// Levels a hair below 1 have an infinite critical value: they are ErrInvalidLevel
// everywhere, and the largest usable level gives finite bounds.
func TestHostileLevels(t *testing.T) {
	r, _ := Compute([]int{0, 7, 9, 10, 10, 3}, nil)
	rng := rand.New(rand.NewPCG(1, 1))
	surveytest.CheckLevels(t, r.Interval, methods, -100, 100, map[string]func(float64) error{
		"Bootstrap":  func(level float64) error { _, err := r.Bootstrap(rng, 10, level); return err },
		"Compare":    func(level float64) error { _, err := Compare(r, r, level); return err },
		"SampleSize": func(level float64) error { _, err := SampleSize(0.5, 0.2, 5, level); return err },
	})
	top := surveytest.TopLevel
	c, err := Compare(r, r, top)
	if err != nil || !surveytest.FiniteInterval(c.Interval) || math.IsNaN(c.P) {
		t.Errorf("Compare at level %v: %+v, %v", top, c, err)
	}
}

// Counts that would overflow: a tally doubled by self-merges keeps exact counts and a
// working bootstrap up to MaxAnswers, refuses to go beyond, and still encodes and decodes.
func TestHostileCounts(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	tl, r := surveytest.FillUp[Tally](t, []int{0, 7, 10}, func(merges int, r Result) {
		if r.N != 3<<merges {
			t.Fatalf("after %d merges: %+v", merges, r)
		}
		iv, berr := r.Bootstrap(rng, 200, 0.95)
		if berr != nil || !surveytest.FiniteInterval(iv) || iv.Lower > 0 || iv.Upper < 0 || iv.Lower == iv.Upper && merges <= 20 {
			t.Fatalf("bootstrap after %d merges: %v, %v", merges, iv, berr)
		}
	})
	if r.N <= 0 || r.N > MaxAnswers {
		t.Fatalf("full tally: %+v", r)
	}
	if err := tl.Add(5); !errors.Is(err, cxmetrics.ErrTooLarge) && r.N == MaxAnswers {
		t.Errorf("add to a full tally: %v", err)
	}
}

// Every parameter that sets how much work is done has a bound.
func TestHostileWork(t *testing.T) {
	r, _ := Compute([]int{0, 10}, nil)
	surveytest.CheckResamples(t, r.Bootstrap, MaxResamples)
	if _, err := r.Bootstrap(nil, 10, 0.95); !errors.Is(err, cxmetrics.ErrNilRand) {
		t.Errorf("nil rng: %v", err)
	}
	if _, err := SampleSize(0.5, 0.5, 1e-300, 0.95); !errors.Is(err, cxmetrics.ErrTooLarge) {
		t.Errorf("a margin of 1e-300: %v", err)
	}
}

// Nil tallies and hand-built results: methods validate their receiver.
func TestHostileNilAndHandBuilt(t *testing.T) {
	var zero Tally
	if err := zero.Merge(nil); err != nil {
		t.Errorf("Merge(nil): %v", err)
	}
	surveytest.CheckNil[Tally, *Tally, Result](t, 5, &zero)
	if (*Tally)(nil).Scale() != Standard {
		t.Error("nil tally Scale")
	}

	good, _ := Compute([]int{0, 7, 9, 10}, nil)
	for _, c := range []struct {
		name string
		edit func(r *Result)
		want error
	}{
		{"zero value", func(r *Result) { *r = Result{} }, cxmetrics.ErrEmpty},
		{"negative N", func(r *Result) { r.N = -4 }, cxmetrics.ErrEmpty},
		{"NaN share", func(r *Result) { r.Promoters = math.NaN() }, cxmetrics.ErrCorrupt},
		{"share above 1", func(r *Result) { r.Promoters, r.Detractors = 1.5, -0.5 }, cxmetrics.ErrCorrupt},
		{"shares not summing to 1", func(r *Result) { r.Passives = 0.9 }, cxmetrics.ErrCorrupt},
		{"score inconsistent", func(r *Result) { r.Score = 99 }, cxmetrics.ErrCorrupt},
		{"NaN score", func(r *Result) { r.Score = math.NaN() }, cxmetrics.ErrCorrupt},
		{"counts not adding up", func(r *Result) { r.PassiveCount = 7 }, cxmetrics.ErrCorrupt},
		{"negative count", func(r *Result) { r.DetractorCount, r.PassiveCount = -1, r.PassiveCount+2 }, cxmetrics.ErrCorrupt},
		{"zero effective n", func(r *Result) { r.EffectiveN = 0 }, cxmetrics.ErrCorrupt},
		{"infinite effective n", func(r *Result) { r.EffectiveN = math.Inf(1) }, cxmetrics.ErrCorrupt},
		{"NaN weight", func(r *Result) { r.Weight = math.NaN() }, cxmetrics.ErrCorrupt},
		{"invalid scale", func(r *Result) { r.Scale = Scale{math.MinInt, math.MaxInt, 0, 1} }, cxmetrics.ErrCorrupt},
		{"N beyond MaxAnswers", func(r *Result) { r.N, r.PassiveCount = MaxAnswers+2, MaxAnswers-2 }, cxmetrics.ErrCorrupt},
	} {
		r := good
		c.edit(&r)
		// Through JSON too, as a result stored and read back would arrive (NaN and Inf
		// cannot be written as JSON, so those cases only go in directly).
		results := []Result{r}
		if b, err := json.Marshal(r); err == nil {
			var back Result
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			results = append(results, back)
		}
		for _, r := range results {
			for _, m := range methods {
				if _, err := r.Interval(m, 0.95); !errors.Is(err, c.want) {
					t.Errorf("%s: %v: %v", c.name, m, err)
				}
			}
			if _, err := r.Bootstrap(rand.New(rand.NewPCG(1, 1)), 10, 0.95); !errors.Is(err, c.want) {
				t.Errorf("%s: Bootstrap: %v", c.name, err)
			}
			for _, pair := range [][2]Result{{r, good}, {good, r}} {
				if _, err := Compare(pair[0], pair[1], 0.95); !errors.Is(err, c.want) {
					t.Errorf("%s: Compare: %v", c.name, err)
				}
			}
			if r.Variance() != 0 || r.StdErr() != 0 || r.Estimate() != (cxmetrics.Estimate{}) {
				t.Errorf("%s: Variance %v, StdErr %v, Estimate %+v", c.name, r.Variance(), r.StdErr(), r.Estimate())
			}
		}
	}
	// A valid result survives JSON.
	b, _ := json.Marshal(good)
	var back Result
	if err := json.Unmarshal(b, &back); err != nil || back != good {
		t.Errorf("JSON round trip: %+v, %v", back, err)
	}
	if _, err := back.Interval(cxmetrics.Tango, 0.95); err != nil {
		t.Error(err)
	}
}

// Weights whose squares overflow or underflow are refused, and the tally stays usable.
func TestHostileWeights(t *testing.T) {
	var tl Tally
	for _, w := range surveytest.InvalidWeights() {
		if err := tl.AddWeighted(10, w); err == nil {
			t.Errorf("weight %v accepted", w)
		}
	}
	if err := tl.AddWeighted(10, 2); err != nil {
		t.Fatal(err)
	}
	r, err := tl.Result()
	if err != nil || r.N != 1 || r.Score != 100 {
		t.Errorf("tally after refused weights: %+v, %v", r, err)
	}
	if _, err := Compute([]int{10, 0}, []float64{8e-163, 8e-163}); !errors.Is(err, cxmetrics.ErrOutOfRange) {
		t.Errorf("two weights of 8e-163: %v", err)
	}
	// The largest and smallest weights allowed encode, decode and give finite results.
	for _, w := range surveytest.BoundWeights {
		var u Tally
		u.AddWeighted(10, w)
		u.AddWeighted(0, w)
		enc, _ := u.MarshalBinary()
		var v Tally
		if err := v.UnmarshalBinary(enc); err != nil {
			t.Errorf("weight %v: %v", w, err)
		}
		if r, err := v.Result(); err != nil || r.Score != 0 || !(r.EffectiveN > 0) {
			t.Errorf("weight %v: %+v, %v", w, r, err)
		}
	}
}

func TestCategoryText(t *testing.T) {
	for c := Detractor; c <= Promoter; c++ {
		b, err := c.MarshalText()
		var back Category
		if err != nil || string(b) != c.String() || back.UnmarshalText(b) != nil || back != c {
			t.Errorf("%v: %q, %v, %v", c, b, err, back)
		}
	}
	if _, err := Category(3).MarshalText(); !errors.Is(err, cxmetrics.ErrUnknownLabel) {
		t.Errorf("marshal Category(3): %v", err)
	}
	var c Category
	if err := c.UnmarshalText([]byte("fan")); !errors.Is(err, cxmetrics.ErrUnknownLabel) {
		t.Errorf("unmarshal fan: %v", err)
	}
	b, _ := json.Marshal(map[string]Category{"c": Promoter})
	if string(b) != `{"c":"promoter"}` {
		t.Errorf("JSON %s", b)
	}
}

// FuzzResult hands every method a Result with arbitrary fields: each either errors with
// a root sentinel or returns finite, ordered bounds.
func FuzzResult(f *testing.F) {
	f.Add(4, 1, 2, 1, 0.25, 0.5, 0.25, 0.0, 4.0, 4.0, 0.95)
	f.Add(2, 2, 0, 0, 1.0, 0.0, 0.0, -100.0, 2.0, 2.0, 0.5)
	f.Add(3, 1, 1, 1, 0.3, 0.3, 0.4, 10.0, 1e300, 1e-300, 0.9999999999999999)
	f.Fuzz(func(t *testing.T, n, d, pa, p int, pd, ppa, pp, score, weight, neff, level float64) {
		r := Result{Scale: Standard, N: n, DetractorCount: d, PassiveCount: pa, PromoterCount: p,
			Detractors: pd, Passives: ppa, Promoters: pp, Score: score, Weight: weight, EffectiveN: neff}
		for _, m := range methods {
			iv, err := r.Interval(m, level)
			if err != nil {
				if !surveytest.IsKnown(err, []error{cxmetrics.ErrEmpty, cxmetrics.ErrCorrupt, cxmetrics.ErrInvalidLevel}) {
					t.Fatalf("%v: %v", m, err)
				}
				continue
			}
			if !surveytest.FiniteInterval(iv) || iv.Lower > iv.Upper || iv.Lower < -100 || iv.Upper > 100 {
				t.Fatalf("%v: %+v gives %v", m, r, iv)
			}
		}
		c, err := Compare(r, r, level)
		if err == nil && (!surveytest.FiniteInterval(c.Interval) || math.IsNaN(c.P) || math.IsNaN(c.Statistic) || math.IsNaN(c.StdErr)) {
			t.Fatalf("Compare: %+v", c)
		}
		if v := r.Variance(); math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			t.Fatalf("Variance %v", v)
		}
	})
}
