package segment

import (
	"errors"
	"math"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// entryPoints runs each function of the package that takes segments, with level 0.95 and
// DefaultMinN.
var entryPoints = map[string]func([]Segment) error{
	"AllPairs":   func(s []Segment) error { _, err := AllPairs(0.95, s); return err },
	"EachVsRest": func(s []Segment) error { _, err := EachVsRest(0.95, s); return err },
	"Trend":      func(s []Segment) error { _, err := Trend(0.95, s); return err },
	"Shrink":     func(s []Segment) error { _, err := Shrink(0.95, s); return err },
	"Small":      func(s []Segment) error { _, err := Small(DefaultMinN, s); return err },
}

func est(score, se float64, n int, eff float64) cxmetrics.Estimate {
	return cxmetrics.Estimate{Score: score, StdErr: se, N: n, EffectiveN: eff}
}

// Every sentinel that a bad segment can cause, from every entry point, with the index of
// the bad segment (-1 for none) and the message.
func TestSegmentErrors(t *testing.T) {
	ok := est(40, 3, 100, 100)
	inf, nan := math.Inf(1), math.NaN()
	for _, c := range []struct {
		name  string
		segs  []Segment
		err   error
		index int
		msg   string
	}{
		{"nil", nil, cxmetrics.ErrEmpty, -1, "segment: no segments: no data"},
		{"empty name", []Segment{{"a", ok}, {"", ok}}, cxmetrics.ErrEmpty, 1, `segment: segment name "" at index 1: no data`},
		{"repeated name", []Segment{{"a", ok}, {"b", ok}, {"a", ok}}, cxmetrics.ErrUnknownLabel, 2,
			`segment: segment name "a" at index 2: unknown label (repeats index 0)`},
		{"zero estimate", []Segment{{"a", ok}, {"b", cxmetrics.Estimate{}}}, cxmetrics.ErrEmpty, 1,
			`segment: answers 0 at index 1: no data in segment "b"`},
		{"N beyond 2^53", []Segment{{"a", ok}, {"b", est(1, 1, 1<<53+1, 10)}}, cxmetrics.ErrOutOfRange, 1,
			`segment: answers 9007199254740993 at index 1: out of range [1, 2^53] in segment "b"`},
		{"NaN score", []Segment{{"a", est(nan, 1, 5, 5)}, {"b", ok}}, cxmetrics.ErrNotFinite, 0,
			`segment: score NaN at index 0: not finite in segment "a"`},
		{"Inf score", []Segment{{"a", ok}, {"b", est(-inf, 1, 5, 5)}}, cxmetrics.ErrNotFinite, 1, ""},
		{"NaN SE", []Segment{{"a", ok}, {"b", est(1, nan, 5, 5)}}, cxmetrics.ErrNotFinite, 1, ""},
		{"Inf SE", []Segment{{"a", ok}, {"b", est(1, inf, 5, 5)}}, cxmetrics.ErrNotFinite, 1, ""},
		{"negative SE", []Segment{{"a", ok}, {"b", ok}, {"North", est(1, -1, 5, 5)}}, cxmetrics.ErrOutOfRange, 2,
			`segment: standard error -1 at index 2: out of range [0, +Inf) in segment "North"`},
		{"NaN effective n", []Segment{{"a", ok}, {"b", est(1, 1, 5, nan)}}, cxmetrics.ErrNotFinite, 1, ""},
		{"zero effective n", []Segment{{"a", ok}, {"b", est(1, 1, 5, 0)}}, cxmetrics.ErrOutOfRange, 1,
			`segment: effective n 0 at index 1: out of range (0, 2^53] in segment "b"`},
		{"effective n beyond 2^53", []Segment{{"a", ok}, {"b", est(1, 1, 5, 1e16)}}, cxmetrics.ErrOutOfRange, 1, ""},
	} {
		for name, f := range entryPoints {
			err := f(c.segs)
			require.ErrorIs(t, err, c.err, "%s: %s", c.name, name)
			var ie *cxmetrics.InputError
			if c.index >= 0 {
				require.True(t, errors.As(err, &ie), "%s: %s: %v", c.name, name, err)
				assert.Equal(t, c.index, ie.Index, "%s: %s", c.name, name)
			}
			if c.msg != "" {
				assert.EqualError(t, err, c.msg, "%s: %s", c.name, name)
			}
		}
	}
}

// Sentinels that depend on the function: how many segments it takes, its level, its
// minimum n, and results it cannot represent.
func TestFunctionErrors(t *testing.T) {
	one := []Segment{{"a", est(40, 3, 100, 100)}}
	for name, f := range entryPoints {
		err := f(one)
		if name == "Small" {
			assert.NoError(t, err)
			continue
		}
		assert.ErrorIs(t, err, cxmetrics.ErrTooFew, name)
		assert.EqualError(t, err, "segment: segment count 1: too few observations (need at least 2)", name)
	}
	many := make([]Segment, MaxPairSegments+1)
	for i := range many {
		many[i] = Segment{Name: string(rune(0x4e00 + i)), Estimate: est(float64(i%7), 1, 10, 10)}
	}
	_, err := AllPairs(0.95, many)
	assert.ErrorIs(t, err, cxmetrics.ErrTooLarge)
	assert.EqualError(t, err, "segment: segment count 1001: too large (at most 1000)")
	_, err = AllPairs(0.95, many[:MaxPairSegments])
	assert.NoError(t, err)
	_, err = EachVsRest(0.95, many)
	assert.NoError(t, err)

	two := []Segment{{"a", est(40, 3, 100, 100)}, {"b", est(30, 4, 80, 80)}}
	for _, level := range []float64{0, 1, -0.5, 1.5, math.NaN(), 1 - 1e-17} {
		for name, f := range map[string]func() error{
			"AllPairs":   func() error { _, err := AllPairs(level, two); return err },
			"EachVsRest": func() error { _, err := EachVsRest(level, two); return err },
			"Trend":      func() error { _, err := Trend(level, two); return err },
			"Shrink":     func() error { _, err := Shrink(level, two); return err },
		} {
			assert.ErrorIs(t, f(), cxmetrics.ErrInvalidLevel, "%s level %v", name, level)
		}
	}
	for _, c := range []struct {
		minN float64
		err  error
	}{{math.NaN(), cxmetrics.ErrNotFinite}, {math.Inf(1), cxmetrics.ErrNotFinite}, {-1, cxmetrics.ErrOutOfRange}} {
		_, err := Small(c.minN, two)
		assert.ErrorIs(t, err, c.err, "minN %v", c.minN)
	}

	huge := []Segment{{"a", est(math.MaxFloat64, 1, 10, 10)}, {"b", est(-math.MaxFloat64, 1, 10, 10)}}
	for name, f := range entryPoints {
		err := f(huge)
		if name == "Small" || name == "Shrink" {
			continue
		}
		assert.ErrorIs(t, err, cxmetrics.ErrNotFinite, name)
	}

	// 1023 segments of 2^53 answers fit in an int; the 1024th makes 2^63.
	big := make([]Segment, 1025)
	for i := range big {
		big[i] = Segment{Name: string(rune(0x4e00 + i)), Estimate: est(1, 1, 1<<53, 10)}
	}
	_, err = EachVsRest(0.95, big[:1023])
	assert.NoError(t, err)
	_, err = EachVsRest(0.95, big)
	assert.ErrorIs(t, err, cxmetrics.ErrTooLarge)
	var ie *cxmetrics.InputError
	require.True(t, errors.As(err, &ie))
	assert.Equal(t, 1023, ie.Index)
}

func TestSmall(t *testing.T) {
	segs := []Segment{
		{"a", est(40, 3, 100, 100)},
		{"b", est(40, 3, 29, 29)},
		{"c", est(40, 3, 30, 30)},
		{"weighted", est(40, 3, 100, 22.5)},
	}
	small, err := Small(DefaultMinN, segs)
	require.NoError(t, err)
	assert.Equal(t, []bool{false, true, false, true}, small)
	small, err = Small(0, segs)
	require.NoError(t, err)
	assert.Equal(t, []bool{false, false, false, false}, small)
}
