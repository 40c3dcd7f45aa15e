package peakend_test

import (
	"encoding/binary"
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/peakend"
)

// known reports whether err wraps one of the errors the package documents.
func known(err error) bool {
	for _, s := range []error{
		cxmetrics.ErrEmpty, cxmetrics.ErrNotFinite, cxmetrics.ErrNegativeWeight, cxmetrics.ErrOutOfRange,
		cxmetrics.ErrUnknownLabel, cxmetrics.ErrLengthMismatch, cxmetrics.ErrSingular, cxmetrics.ErrTooFew,
		cxmetrics.ErrNoVariation, cxmetrics.ErrTooLarge,
	} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// decodeMoments reads 10 bytes per moment: a float64 value (little-endian bits) and an
// int16 duration in seconds.
func decodeMoments(data []byte) []peakend.Moment {
	var m []peakend.Moment
	for len(data) >= 10 {
		v := math.Float64frombits(binary.LittleEndian.Uint64(data))
		d := time.Duration(int16(binary.LittleEndian.Uint16(data[8:]))) * time.Second
		m = append(m, peakend.Moment{Value: v, Duration: d})
		data = data[10:]
	}
	return m
}

func encodeMoments(m []peakend.Moment) []byte {
	var b []byte
	for _, x := range m {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x.Value))
		b = binary.LittleEndian.AppendUint16(b, uint16(int16(x.Duration/time.Second)))
	}
	return b
}

// distance returns |v - neutral| exactly.
func distance(v, neutral float64) *big.Rat {
	d := new(big.Rat).Sub(new(big.Rat).SetFloat64(v), new(big.Rat).SetFloat64(neutral))
	return d.Abs(d)
}

// rememberedSlow is the rule written out directly, for moderate values; the most intense
// moment is found with exact distances.
func rememberedSlow(r peakend.Rule, m []peakend.Moment) float64 {
	peak := m[0].Value
	hi, lo := m[0].Value, m[0].Value
	for _, x := range m {
		hi = math.Max(hi, x.Value)
		lo = math.Min(lo, x.Value)
		if distance(x.Value, r.Neutral).Cmp(distance(peak, r.Neutral)) > 0 {
			peak = x.Value
		}
	}
	switch r.Peak {
	case peakend.Highest:
		peak = hi
	case peakend.Lowest:
		peak = lo
	case peakend.HighestAndLowest:
		peak = (hi + lo) / 2
	}
	k := max(r.EndWindow, 1)
	end := meanSlow(m[max(len(m)-k, 0):])
	wp, we := r.PeakWeight, r.EndWeight
	if wp == 0 && we == 0 {
		wp, we = 1, 1
	}
	w := math.Max(wp, we)
	return (wp/w*peak + we/w*end) / (wp/w + we/w)
}

// exactShift reports whether v and v·2^k are both zero or normal, so that scaling v by 2^k
// is exact and can be undone.
func exactShift(v float64, k int) bool {
	if v == 0 {
		return true
	}
	w := math.Abs(math.Ldexp(v, k))
	return math.Abs(v) >= 0x1p-1022 && w >= 0x1p-1022 && w <= math.MaxFloat64
}

// shifted reports whether got is base·2^k, when that product is exact; it does not judge
// the other cases. A zero base may be a result that underflowed (a slope of 1e-327), so
// for it got must round to zero at the base's scale.
func shifted(got, base float64, k int) bool {
	if base == 0 {
		return math.Ldexp(got, -k) == 0
	}
	return !exactShift(base, k) || got == math.Ldexp(base, k)
}

// checkShift checks that multiplying the values and the neutral point by 2^k multiplies
// what Remembered, Mean and Summarize return by 2^k, exactly: the package scales values by
// powers of two before it sums or multiplies them, so huge and tiny values are computed as
// moderate ones are. Moments whose values are not exactly scaled are skipped.
func checkShift(t *testing.T, r peakend.Rule, m []peakend.Moment, k int) {
	if !exactShift(r.Neutral, k) {
		return
	}
	m2 := make([]peakend.Moment, len(m))
	for i, x := range m {
		if !exactShift(x.Value, k) {
			return
		}
		m2[i] = peakend.Moment{Value: math.Ldexp(x.Value, k), Duration: x.Duration}
	}
	r2 := r
	r2.Neutral = math.Ldexp(r.Neutral, k)

	a, errA := peakend.Remembered(r, m)
	b, errB := peakend.Remembered(r2, m2)
	if (errA == nil) != (errB == nil) || errA == nil && !shifted(b, a, k) {
		t.Fatalf("Remembered %g (%v), shifted by 2^%d: %g (%v)", a, errA, k, b, errB)
	}
	a, errA = peakend.Mean(m)
	b, errB = peakend.Mean(m2)
	if (errA == nil) != (errB == nil) || errA == nil && !shifted(b, a, k) {
		t.Fatalf("Mean %g (%v), shifted by 2^%d: %g (%v)", a, errA, k, b, errB)
	}
	s, errA := peakend.Summarize(m)
	s2, errB := peakend.Summarize(m2)
	switch {
	case errA != nil && errB != nil:
	case errA != nil || errB != nil:
		// Only the slope depends on the scale, and may be beyond float64's range in one.
		if !errors.Is(errA, cxmetrics.ErrNotFinite) && !errors.Is(errB, cxmetrics.ErrNotFinite) {
			t.Fatalf("Summarize: %v, shifted by 2^%d: %v", errA, k, errB)
		}
	case !shifted(s2.Peak, s.Peak, k) || !shifted(s2.Trough, s.Trough, k) || !shifted(s2.End, s.End, k) ||
		!shifted(s2.Mean, s.Mean, k) || !shifted(s2.Slope, s.Slope, k) ||
		s2.PeakIndex != s.PeakIndex || s2.TroughIndex != s.TroughIndex || s2.Duration != s.Duration:
		t.Fatalf("Summary %+v, shifted by 2^%d: %+v", s, k, s2)
	}
}

func FuzzRemembered(f *testing.F) {
	f.Add(encodeMoments(patientA), uint8(0), 0.0, 1, 0.5, 0.5, int16(0))
	f.Add(encodeMoments(patientB), uint8(1), 3.0, 3, 2.0, 1.0, int16(900))
	f.Add(encodeMoments(series(7*time.Second, -3, 3, 2, -1)), uint8(3), 0.0, 2, 0.0, 0.0, int16(-900))
	f.Add(encodeMoments(series(0, math.MaxFloat64, -math.MaxFloat64, 1)), uint8(2), 0.0, 5, 1e308, 1e-308, int16(-1000))
	f.Add(encodeMoments(series(time.Hour, 1e308, 1.7e308, 0)), uint8(0), -1e308, 1, 1.0, 0.0, int16(-3))
	f.Add([]byte{}, uint8(0), 0.0, 1, 1.0, 1.0, int16(0))
	f.Fuzz(func(t *testing.T, data []byte, peak uint8, neutral float64, window int, wp, we float64, shift int16) {
		m := decodeMoments(data)
		r := peakend.Rule{Peak: peakend.PeakKind(peak % 5), Neutral: neutral, EndWindow: window, PeakWeight: wp, EndWeight: we}
		checkShift(t, r, m, int(shift)%1100)

		got, err := peakend.Remembered(r, m)
		if err != nil {
			if !known(err) {
				t.Fatalf("Remembered: unknown error %v", err)
			}
		} else {
			lo, hi := m[0].Value, m[0].Value
			moderate := true
			for _, x := range m {
				lo, hi = math.Min(lo, x.Value), math.Max(hi, x.Value)
				// The reference overflows on huge values and loses digits on tiny ones.
				moderate = moderate && math.Abs(x.Value) < 1e100 && math.Abs(x.Value-neutral) < 1e100 &&
					(x.Value == 0 || math.Abs(x.Value) > 1e-100)
			}
			if math.IsNaN(got) || math.IsInf(got, 0) || got < lo || got > hi {
				t.Fatalf("Remembered = %g outside [%g, %g]", got, lo, hi)
			}
			if moderate {
				want := rememberedSlow(r, m)
				if math.Abs(got-want) > 1e-9*math.Max(math.Abs(lo), math.Abs(hi)) {
					t.Fatalf("Remembered = %.17g, reference %.17g", got, want)
				}
			}
		}

		mean, err := peakend.Mean(m)
		if err != nil {
			if !known(err) {
				t.Fatalf("Mean: unknown error %v", err)
			}
			return
		}
		s, err := peakend.Summarize(m)
		if err != nil {
			if !known(err) {
				t.Fatalf("Summarize: unknown error %v", err)
			}
			return
		}
		if s.Mean != mean || s.End != m[len(m)-1].Value || m[s.PeakIndex].Value != s.Peak || m[s.TroughIndex].Value != s.Trough {
			t.Fatalf("Summary %+v inconsistent with the moments", s)
		}
		if s.Trough > mean || mean > s.Peak || math.IsNaN(s.Slope) || math.IsInf(s.Slope, 0) {
			t.Fatalf("Summary %+v: mean outside [trough, peak] or slope not finite", s)
		}
		var total time.Duration
		for _, x := range m {
			if x.Value > s.Peak || x.Value < s.Trough {
				t.Fatalf("value %g outside [%g, %g]", x.Value, s.Trough, s.Peak)
			}
			d := x.Duration
			if d == 0 {
				d = time.Second
			}
			total += d
		}
		if total != s.Duration {
			t.Fatalf("Duration %v, want %v", s.Duration, total)
		}
	})
}

// decodeExperiences reads a small data set: byte 0 chooses the number of experiences
// (6 to 13); then each experience has a length byte (1 to 5 moments), and each moment a
// value byte (int8/4) and a duration byte (minutes, 0 allowed); the remaining bytes give
// the ratings (int8/8). Small integers make ties and collinear designs common.
func decodeExperiences(data []byte) ([][]peakend.Moment, []float64) {
	next := func() byte {
		if len(data) == 0 {
			return 0
		}
		b := data[0]
		data = data[1:]
		return b
	}
	n := 6 + int(next()%8)
	exps := make([][]peakend.Moment, n)
	for i := range exps {
		m := make([]peakend.Moment, 1+int(next()%5))
		for j := range m {
			m[j] = peakend.Moment{Value: float64(int8(next())) / 4, Duration: time.Duration(next()) * time.Minute}
		}
		exps[i] = m
	}
	ratings := make([]float64, n)
	for i := range ratings {
		ratings[i] = float64(int8(next())) / 8
	}
	return exps, ratings
}

func FuzzFit(f *testing.F) {
	f.Add([]byte{4, 3, 8, 1, 20, 1, 12, 1, 2, 40, 2, 4, 1, 28, 3, 0, 4, 5, 0, 0, 1, 36, 1, 8, 2,
		1, 32, 3, 2, 1, 0, 1, 0, 2, 24, 6, 16, 5, 33, 1, 8, 4, 2, 4, 12, 4, 28, 1, 8, 7, 3, 9, 1, 30, 2, 20, 33, 47, 50, 40, 35, 38, 27, 60, 22, 44},
		uint8(1), 0.0, 1, int16(0), int16(0))
	f.Add([]byte{0}, uint8(0), 0.0, 0, int16(0), int16(0))
	f.Add([]byte{7, 1, 4, 1, 1, 8, 2}, uint8(2), 5.0, 3, int16(0), int16(0))
	f.Add([]byte{4, 3, 8, 1, 20, 1, 12, 1, 2, 40, 2, 4, 1, 28, 3, 0, 4, 5, 0, 0, 1, 36, 1, 8, 2,
		1, 32, 3, 2, 1, 0, 1, 0, 2, 24, 6, 16, 5, 33, 1, 8, 4, 2, 4, 12, 4, 28, 1, 8, 7, 3, 9, 1, 30, 2, 20, 33, 47, 50, 40, 35, 38, 27, 60, 22, 44},
		uint8(0), 1.0, 2, int16(900), int16(-900))
	f.Add([]byte{4, 3, 8, 1, 20, 1, 12, 1, 2, 40, 2, 4, 1, 28, 3, 0, 4, 5, 0, 0, 1, 36, 1, 8, 2,
		1, 32, 3, 2, 1, 0, 1, 0, 2, 24, 6, 16, 5, 33, 1, 8, 4, 2, 4, 12, 4, 28, 1, 8, 7, 3, 9, 1, 30, 2, 20, 33, 47, 50, 40, 35, 38, 27, 60, 22, 44},
		uint8(3), 0.0, 1, int16(-1000), int16(1000))
	f.Fuzz(func(t *testing.T, data []byte, peak uint8, neutral float64, window int, vshift, rshift int16) {
		exps, ratings := decodeExperiences(data)
		r := peakend.Rule{Peak: peakend.PeakKind(peak % 5), Neutral: neutral, EndWindow: window}
		m, err := peakend.FitRule(r, exps, ratings)
		checkFitShift(t, r, exps, ratings, m, err, int(vshift)%1100, int(rshift)%1100)
		if err != nil {
			if !known(err) {
				t.Fatalf("FitRule: unknown error %v", err)
			}
			return
		}
		fields := []float64{m.Intercept, m.Peak, m.End, m.Mean, m.Duration, m.R2, m.MeanOnlyR2, m.AdjR2, m.MeanOnlyAdjR2}
		fields = append(fields, m.StdErr[:]...)
		for k, v := range fields {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("field %d of the model is %g: %+v", k, v, m)
			}
		}
		if m.N != len(exps) || m.R2 > 1+1e-9 || m.R2 < -1e-9 || m.MeanOnlyR2 > m.R2+1e-9 {
			t.Fatalf("model %+v: N, R2 or MeanOnlyR2 impossible", m)
		}
		for _, e := range exps {
			y, err := m.Predict(e)
			if err != nil && !errors.Is(err, cxmetrics.ErrNotFinite) {
				t.Fatalf("Predict: %v", err)
			}
			if err == nil && (math.IsNaN(y) || math.IsInf(y, 0)) {
				t.Fatalf("Predict = %g", y)
			}
		}
	})
}

// checkFitShift checks that multiplying the values (and the neutral point) by 2^vs and the
// ratings by 2^rs multiplies the peak, end and mean coefficients by 2^(rs-vs) and the
// intercept and duration coefficients by 2^rs, exactly, and leaves the R² values and the
// errors as they are: Fit scales its features and ratings by powers of two, so that huge
// and tiny numbers are fitted as moderate ones are.
func checkFitShift(t *testing.T, r peakend.Rule, exps [][]peakend.Moment, ratings []float64, m peakend.Model, err error, vs, rs int) {
	if !exactShift(r.Neutral, vs) {
		return
	}
	r2 := r
	r2.Neutral = math.Ldexp(r.Neutral, vs)
	exps2 := make([][]peakend.Moment, len(exps))
	for i, e := range exps {
		exps2[i] = make([]peakend.Moment, len(e))
		for j, x := range e {
			if !exactShift(x.Value, vs) {
				return
			}
			exps2[i][j] = peakend.Moment{Value: math.Ldexp(x.Value, vs), Duration: x.Duration}
		}
	}
	ratings2 := make([]float64, len(ratings))
	for i, y := range ratings {
		if !exactShift(y, rs) {
			return
		}
		ratings2[i] = math.Ldexp(y, rs)
	}
	m2, err2 := peakend.FitRule(r2, exps2, ratings2)
	if errors.Is(err, cxmetrics.ErrNotFinite) || errors.Is(err2, cxmetrics.ErrNotFinite) {
		return // a coefficient beyond float64's range at one of the two scales
	}
	if (err == nil) != (err2 == nil) {
		t.Fatalf("FitRule: %v, shifted by 2^%d and 2^%d: %v", err, vs, rs, err2)
	}
	if err != nil {
		for _, s := range []error{cxmetrics.ErrEmpty, cxmetrics.ErrSingular, cxmetrics.ErrTooFew, cxmetrics.ErrNoVariation, cxmetrics.ErrLengthMismatch} {
			if errors.Is(err, s) != errors.Is(err2, s) {
				t.Fatalf("FitRule: %v, shifted by 2^%d and 2^%d: %v", err, vs, rs, err2)
			}
		}
		return
	}
	k := [5]int{rs, rs - vs, rs - vs, rs - vs, rs}
	c, c2 := coefficients(m), coefficients(m2)
	exact := true
	for j := range c {
		if !shifted(c2[j], c[j], k[j]) || !shifted(m2.StdErr[j], m.StdErr[j], k[j]) {
			t.Fatalf("coefficient %d: %g ± %g, shifted by 2^%d and 2^%d: %g ± %g", j, c[j], m.StdErr[j], vs, rs, c2[j], m2.StdErr[j])
		}
		exact = exact && exactShift(c[j], k[j])
	}
	if m2.R2 != m.R2 || m2.MeanOnlyR2 != m.MeanOnlyR2 || m2.AdjR2 != m.AdjR2 || m2.MeanOnlyAdjR2 != m.MeanOnlyAdjR2 {
		t.Fatalf("R² %g, %g, shifted by 2^%d and 2^%d: %g, %g", m.R2, m.MeanOnlyR2, vs, rs, m2.R2, m2.MeanOnlyR2)
	}
	if !exact {
		return
	}
	for i := range exps {
		y, err := m.Predict(exps[i])
		y2, err2 := m2.Predict(exps2[i])
		if err == nil && err2 == nil && !shifted(y2, y, rs) {
			t.Fatalf("Predict %g, shifted by 2^%d and 2^%d: %g", y, vs, rs, y2)
		}
	}
}

// predictSlow is Model.Predict written out directly, for moderate values.
func predictSlow(m peakend.Model, e []peakend.Moment) float64 {
	peak := rememberedSlow(peakend.Rule{Peak: m.Rule.Peak, Neutral: m.Rule.Neutral, PeakWeight: 1}, e)
	end := meanSlow(e[max(len(e)-max(m.Rule.EndWindow, 1), 0):])
	var seconds float64
	for _, x := range e {
		if x.Duration == 0 {
			seconds++
		}
		seconds += x.Duration.Seconds()
	}
	return m.Intercept + m.Peak*peak + m.End*end + m.Mean*meanSlow(e) + m.Duration*seconds
}

// FuzzPredict builds a Model by hand, as a caller or a JSON decoder may, and checks that
// Predict either rejects it with a known error or returns a finite prediction equal to
// the formula written out.
func FuzzPredict(f *testing.F) {
	f.Add(encodeMoments(patientA), 1.0, 0.5, 0.3, 0.2, -1e-4, 6, uint8(1), 0.0, 1)
	f.Add(encodeMoments(patientB), math.NaN(), 0.5, 0.3, 0.2, 0.0, 6, uint8(0), 5.0, 3)
	f.Add(encodeMoments(series(0, 1e10, 1e10)), 1.0, 1e300, 0.0, -1e300, 0.0, 1, uint8(2), 0.0, 0)
	f.Add(encodeMoments(series(0, 2, 2)), 0.0, math.MaxFloat64, math.MaxFloat64, 0.0, 0.0, 6, uint8(3), 0.0, 2)
	f.Add(encodeMoments(series(time.Second, 1, 2)), 0.0, 1.0, 1.0, 1.0, 1.0, -1, uint8(4), 0.0, -1)
	f.Fuzz(func(t *testing.T, data []byte, intercept, peak, end, mean, duration float64, n int, kind uint8, neutral float64, window int) {
		e := decodeMoments(data)
		m := peakend.Model{Intercept: intercept, Peak: peak, End: end, Mean: mean, Duration: duration, N: n,
			Rule: peakend.Rule{Peak: peakend.PeakKind(kind % 5), Neutral: neutral, EndWindow: window}}
		y, err := m.Predict(e)
		if err != nil {
			if !known(err) {
				t.Fatalf("Predict: unknown error %v", err)
			}
			return
		}
		if math.IsNaN(y) || math.IsInf(y, 0) {
			t.Fatalf("Predict = %g", y)
		}
		moderate := math.Abs(neutral) < 1e100
		for _, c := range coefficients(m) {
			moderate = moderate && math.Abs(c) < 1e100 && (c == 0 || math.Abs(c) > 1e-100)
		}
		for _, x := range e {
			moderate = moderate && math.Abs(x.Value) < 1e100 && (x.Value == 0 || math.Abs(x.Value) > 1e-100)
		}
		if !moderate {
			return
		}
		// The error of the reference is a few ulps of its largest term.
		want := predictSlow(m, e)
		var scale float64
		for _, c := range coefficients(m) {
			for _, x := range e {
				scale = math.Max(scale, math.Abs(c)*math.Max(1, math.Abs(x.Value)))
			}
			scale = math.Max(scale, math.Abs(c)*float64(len(e))*float64(math.MaxInt16))
		}
		if math.Abs(y-want) > 1e-12*scale {
			t.Fatalf("Predict = %.17g, reference %.17g", y, want)
		}
	})
}

func FuzzPeakKindUnmarshalText(f *testing.F) {
	for _, s := range []string{"MostIntense", "Highest", "Lowest", "HighestAndLowest", "", "highest"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var k peakend.PeakKind
		if err := k.UnmarshalText([]byte(s)); err != nil {
			if !errors.Is(err, cxmetrics.ErrUnknownLabel) {
				t.Fatalf("unknown error %v", err)
			}
			return
		}
		// Names are read ignoring case and surrounding spaces, and written as String
		// writes them.
		b, err := k.MarshalText()
		if err != nil || !strings.EqualFold(string(b), strings.TrimSpace(s)) || string(b) != k.String() {
			t.Fatalf("round trip of %q: %q, %v", s, b, err)
		}
	})
}
