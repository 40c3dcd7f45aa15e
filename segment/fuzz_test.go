package segment

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"gonum.org/v1/gonum/floats/scalar"
)

// decodeP turns fuzz bytes into p-values: a byte each, with a few special values that
// the functions must reject or handle exactly.
func decodeP(data []byte) []float64 {
	p := make([]float64, 0, len(data))
	for _, b := range data {
		switch b {
		case 255:
			p = append(p, math.NaN())
		case 254:
			p = append(p, -0.5)
		case 253:
			p = append(p, 5e-324)
		case 252:
			p = append(p, 1)
		case 251:
			p = append(p, 1.5)
		default:
			p = append(p, float64(b)/250)
		}
	}
	return p
}

// slowHolm and slowBH are the adjusted p-values from their definitions, without sorting:
// a p-value's Holm adjustment is the largest (n - #{p_k < p_j})·p_j over the p_j not
// above it, its BH adjustment the smallest n/#{p_k ≤ p_j}·p_j over the p_j not below it.
func slowHolm(p []float64) []float64 {
	n := len(p)
	adj := make([]float64, n)
	for i := range p {
		for j := range p {
			if p[j] > p[i] {
				continue
			}
			below := 0
			for k := range p {
				if p[k] < p[j] {
					below++
				}
			}
			adj[i] = max(adj[i], float64(n-below)*p[j])
		}
		adj[i] = min(1, adj[i])
	}
	return adj
}

func slowBH(p []float64) []float64 {
	n := len(p)
	adj := make([]float64, n)
	for i := range p {
		adj[i] = math.Inf(1)
		for j := range p {
			if p[j] < p[i] {
				continue
			}
			upTo := 0
			for k := range p {
				if p[k] <= p[j] {
					upTo++
				}
			}
			adj[i] = min(adj[i], float64(n)/float64(upTo)*p[j])
		}
		adj[i] = min(1, adj[i])
	}
	return adj
}

var knownErrors = []error{cxmetrics.ErrEmpty, cxmetrics.ErrOutOfRange, cxmetrics.ErrNotFinite,
	cxmetrics.ErrTooFew, cxmetrics.ErrTooLarge, cxmetrics.ErrUnknownLabel, cxmetrics.ErrInvalidLevel,
	cxmetrics.ErrNoVariation}

func isKnown(err error) bool {
	for _, k := range knownErrors {
		if errors.Is(err, k) {
			return true
		}
	}
	return false
}

// The sorted, running-extremum algorithms agree with the definitions bit for bit, and
// every rejection is a known sentinel.
func FuzzAdjust(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{10})
	f.Add([]byte{2, 5, 5, 10, 10, 125, 0, 252, 253})
	f.Add([]byte{1, 255})
	f.Add([]byte{251, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64 {
			data = data[:64]
		}
		p := decodeP(data)
		for name, c := range map[string]struct {
			adjust func([]float64) ([]float64, error)
			slow   func([]float64) []float64
		}{"holm": {AdjustHolm, slowHolm}, "bh": {AdjustBH, slowBH}} {
			adj, err := c.adjust(p)
			if err != nil {
				if !isKnown(err) {
					t.Fatalf("%s: unknown error %v", name, err)
				}
				continue
			}
			want := c.slow(p)
			for i := range p {
				if adj[i] != want[i] || adj[i] < p[i] || adj[i] > 1 {
					t.Fatalf("%s(%v)[%d] = %v, definition %v", name, p, i, adj[i], want[i])
				}
			}
		}
	})
}

// decodeSegments turns fuzz bytes into a level and segments of 5 bytes each: score,
// standard error, N, effective n and name, each with special values (NaN, Inf, 0,
// negative, huge, tiny, duplicate or empty names).
func decodeSegments(data []byte) (float64, []Segment) {
	level := 0.95
	if len(data) > 0 {
		level = [...]float64{0.95, 0.9, 0.5, 0, 1, 0.999999, 1e-9, math.NaN()}[data[0]%8]
		data = data[1:]
	}
	var segs []Segment
	for i := 0; i+5 <= len(data) && len(segs) < 64; i += 5 {
		var e cxmetrics.Estimate
		switch v := int8(data[i]); v {
		case 127:
			e.Score = math.NaN()
		case 126:
			e.Score = math.Inf(1)
		case 125:
			e.Score = 1e300
		case -128:
			e.Score = -math.MaxFloat64
		case -127:
			e.Score = 1e-300
		default:
			e.Score = float64(v)
		}
		switch b := data[i+1]; b {
		case 255:
			e.StdErr = math.NaN()
		case 254:
			e.StdErr = math.Inf(1)
		case 253:
			e.StdErr = -1
		case 252:
			e.StdErr = 1e300
		case 251:
			e.StdErr = 1e-300
		default:
			e.StdErr = float64(b%64) / 4
		}
		switch b := data[i+2]; b {
		case 255:
			e.N = 1<<53 + 1
		case 254:
			e.N = 1 << 53
		default:
			e.N = int(b)
		}
		switch b := data[i+3]; b {
		case 255:
			e.EffectiveN = math.NaN()
		case 254:
			e.EffectiveN = 1 << 53
		default:
			e.EffectiveN = float64(b) / 4
		}
		name := fmt.Sprint("s", len(segs))
		switch data[i+4] {
		case 0:
			name = ""
		case 1:
			name = "same"
		}
		segs = append(segs, Segment{Name: name, Estimate: e})
	}
	return level, segs
}

var segmentSeeds = [][]byte{
	{0, 40, 12, 100, 200, 2, 30, 16, 50, 120, 3},
	{0, 40, 12, 100, 200, 2, 30, 0, 50, 120, 3, 100, 0, 8, 32, 4},
	{1, 40, 12, 100, 200, 2, 30, 16, 50, 120, 1, 20, 16, 50, 120, 1},
	{0, 125, 1, 10, 40, 2, 128, 1, 10, 40, 3},
	{0, 40, 251, 10, 40, 2, 30, 252, 10, 40, 3, 20, 4, 254, 254, 4},
	{5, 127, 1, 10, 40, 2, 30, 16, 0, 120, 3},
	{0, 40, 0, 10, 40, 2, 30, 0, 10, 40, 3},
	{2, 40, 12, 100, 200, 2},
}

func checkContrast(t *testing.T, what string, c Contrast) {
	t.Helper()
	if !finite(c.Difference, c.StdErr, c.Z, c.P, c.Interval.Lower, c.Interval.Upper) ||
		!(c.StdErr > 0) || c.P < 0 || c.P > 1 || !(c.Interval.Lower <= c.Difference && c.Difference <= c.Interval.Upper) {
		t.Fatalf("%s: %+v", what, c)
	}
}

func checkAdjusted(t *testing.T, what string, c Contrast, holm, bh float64, sim cxmetrics.Interval) {
	t.Helper()
	checkContrast(t, what, c)
	if !(holm >= c.P && holm <= 1 && bh >= c.P && bh <= holm) {
		t.Fatalf("%s: p %v, Holm %v, BH %v", what, c.P, holm, bh)
	}
	if !finite(sim.Lower, sim.Upper) || sim.Lower > c.Interval.Lower || sim.Upper < c.Interval.Upper {
		t.Fatalf("%s: simultaneous %v narrower than %v", what, sim, c.Interval)
	}
}

// rel reports whether a and b agree to a relative 1e-9 of the larger of scale and |b|.
func rel(a, b, scale float64) bool {
	return scalar.EqualWithinAbs(a, b, 1e-9*max(scale, math.Abs(b)))
}

func FuzzAllPairs(f *testing.F) {
	for _, s := range segmentSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		level, segs := decodeSegments(data)
		pairs, err := AllPairs(level, segs)
		if err != nil {
			if !isKnown(err) {
				t.Fatalf("unknown error %v", err)
			}
			return
		}
		if len(pairs) != len(segs)*(len(segs)-1)/2 {
			t.Fatalf("%d pairs of %d segments", len(pairs), len(segs))
		}
		// The scores and standard errors are scaled together, so the difference is exact
		// to a rounding of the largest of them.
		scale := 0.0
		for _, s := range segs {
			scale = max(scale, math.Abs(s.Estimate.Score), s.Estimate.StdErr)
		}
		for _, p := range pairs {
			checkAdjusted(t, fmt.Sprint(p.A, p.B), p.Contrast, p.PHolm, p.PBH, p.Simultaneous)
			a, b := segs[p.A].Estimate, segs[p.B].Estimate
			if !rel(p.Difference, a.Score-b.Score, scale) || p.StdErr < math.Max(a.StdErr, b.StdErr)*(1-1e-15) {
				t.Fatalf("pair %+v of %+v and %+v", p, a, b)
			}
		}
	})
}

func FuzzEachVsRest(f *testing.F) {
	for _, s := range segmentSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		level, segs := decodeSegments(data)
		rows, err := EachVsRest(level, segs)
		if err != nil {
			if !isKnown(err) {
				t.Fatalf("unknown error %v", err)
			}
			return
		}
		maxAbs := 1.0
		for _, s := range segs {
			maxAbs = max(maxAbs, math.Abs(s.Estimate.Score))
		}
		for i, r := range rows {
			checkAdjusted(t, fmt.Sprint(i), r.Contrast, r.PHolm, r.PBH, r.Simultaneous)
			// The rest's score from its definition, term by term in float64 (over the
			// largest score, so that it does not overflow).
			num, den := 0.0, 0.0
			for j, s := range segs {
				if j != i {
					num += float64(s.Estimate.N) * (s.Estimate.Score / maxAbs)
					den += float64(s.Estimate.N)
				}
			}
			if want := num / den * maxAbs; !rel(r.Rest.Score, want, maxAbs) {
				t.Fatalf("rest of %d: %v, definition %v", i, r.Rest.Score, want)
			}
		}
	})
}

func FuzzTrend(f *testing.F) {
	for _, s := range segmentSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		level, segs := decodeSegments(data)
		tr, err := Trend(level, segs)
		if err != nil {
			if !isKnown(err) {
				t.Fatalf("unknown error %v", err)
			}
			return
		}
		if len(tr.Changes) != len(segs)-1 {
			t.Fatalf("%d changes of %d periods", len(tr.Changes), len(segs))
		}
		for _, c := range tr.Changes {
			checkContrast(t, fmt.Sprint("previous ", c.Period), c.FromPrevious)
			checkContrast(t, fmt.Sprint("first ", c.Period), c.FromFirst)
		}
		l := tr.Linear
		if !finite(l.Slope, l.Intercept, l.StdErr, l.Z, l.P, l.Q, l.QP, l.Dispersion, l.Interval.Lower, l.Interval.Upper) ||
			!(l.StdErr > 0) || l.P < 0 || l.P > 1 || l.QP < 0 || l.QP > 1 || l.Dispersion < 1 || l.Q < 0 ||
			l.DF != len(segs)-2 || !(l.Interval.Lower <= l.Slope && l.Slope <= l.Interval.Upper) {
			t.Fatalf("linear %+v", l)
		}
	})
}

func FuzzShrink(f *testing.F) {
	for _, s := range segmentSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		level, segs := decodeSegments(data)
		sh, err := Shrink(level, segs)
		if err != nil {
			if !isKnown(err) {
				t.Fatalf("unknown error %v", err)
			}
			return
		}
		if !finite(sh.Mean, sh.MeanStdErr, sh.BetweenSD, sh.Q) || sh.BetweenSD < 0 || sh.Q < 0 || len(sh.Segments) != len(segs) {
			t.Fatalf("%+v", sh)
		}
		for i, s := range sh.Segments {
			y := segs[i].Estimate.Score
			lo, hi := min(y, sh.Mean), max(y, sh.Mean)
			scale := max(math.Abs(lo), math.Abs(hi))
			if !finite(s.Score, s.StdErr, s.Shrinkage, s.SamplingStdErr, s.Interval.Lower, s.Interval.Upper) ||
				s.Shrinkage < 0 || s.Shrinkage > 1 || s.StdErr < 0 || !(s.SamplingStdErr > 0) ||
				s.Score < lo-1e-12*scale || s.Score > hi+1e-12*scale ||
				!(s.Interval.Lower <= s.Score && s.Score <= s.Interval.Upper) {
				t.Fatalf("segment %d (%+v): %+v, mean %v", i, segs[i].Estimate, s, sh.Mean)
			}
			if se := segs[i].Estimate.StdErr; se > 0 && s.SamplingStdErr != se {
				t.Fatalf("segment %d: sampling SE %v, given %v", i, s.SamplingStdErr, se)
			}
		}
	})
}

func FuzzSmall(f *testing.F) {
	for _, s := range segmentSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, segs := decodeSegments(data)
		minN := DefaultMinN + 0.0
		if len(data) > 0 {
			minN = [...]float64{DefaultMinN, 0, 1, 100, -1, math.NaN(), math.Inf(1), 1e300}[data[0]%8]
		}
		small, err := Small(minN, segs)
		if err != nil {
			if !isKnown(err) {
				t.Fatalf("unknown error %v", err)
			}
			return
		}
		for i, s := range small {
			if s != (segs[i].Estimate.EffectiveN < minN) {
				t.Fatalf("segment %d (%+v): small %v at %v", i, segs[i].Estimate, s, minN)
			}
		}
	})
}
