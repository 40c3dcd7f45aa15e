package survey

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cxmetrics/cxmetrics"
)

func decode(data []byte) (Hist, []int64, error) {
	return Decode("test", data, 7, 2, func(p []int64) (int, int, error) {
		if err := CheckRange(int(p[0]), int(p[1])); err != nil {
			return 0, 0, err
		}
		return int(p[0]), int(p[1]), nil
	})
}

// TestHistSplitMerge checks that merging histograms of split data equals adding all of it
// to one, and that the encoding round-trips exactly.
func TestHistSplitMerge(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	all := NewHist(-3, 4)
	parts := []Hist{NewHist(-3, 4), NewHist(-3, 4), NewHist(-3, 4)}
	for range 1000 {
		x, w := -3+r.IntN(8), r.ExpFloat64()
		if err := all.Add("test", x, w); err != nil {
			t.Fatal(err)
		}
		if err := parts[r.IntN(3)].Add("test", x, w); err != nil {
			t.Fatal(err)
		}
	}
	merged := NewHist(-3, 4)
	for i := range parts {
		if err := merged.Merge("test", &parts[i]); err != nil {
			t.Fatal(err)
		}
	}
	for p := range all.N {
		if all.N[p] != merged.N[p] || !close(all.W[p].Value(), merged.W[p].Value()) || !close(all.W2[p].Value(), merged.W2[p].Value()) {
			t.Errorf("point %d: merged %d %v, all %d %v", p, merged.N[p], merged.W[p].Value(), all.N[p], all.W[p].Value())
		}
	}
	enc := all.AppendBinary(nil, 7, []int64{-3, 4})
	back, params, err := decode(enc)
	if err != nil || params[0] != -3 || params[1] != 4 {
		t.Fatalf("decode: %v %v", params, err)
	}
	if string(back.AppendBinary(nil, 7, params)) != string(enc) {
		t.Error("round trip changed the encoding")
	}
}

// TestHistLimits covers the classes of overflow: counts beyond MaxCount, weights whose
// squares overflow or underflow, sums that overflow, self-merges.
func TestHistLimits(t *testing.T) {
	h := NewHist(0, 1)
	for _, c := range []struct {
		w    float64
		want error
	}{{1e200, cxmetrics.ErrOutOfRange}, {8e-163, cxmetrics.ErrOutOfRange}, {-0.5, cxmetrics.ErrNegativeWeight},
		{math.NaN(), cxmetrics.ErrNotFinite}, {math.Inf(1), cxmetrics.ErrNotFinite}} {
		if err := h.Add("test", 1, c.w); !errors.Is(err, c.want) {
			t.Errorf("weight %v: %v", c.w, err)
		}
	}
	if h.Total() != 0 {
		t.Fatal("a rejected answer was counted")
	}
	// Doubling by self-merge stops at MaxCount with ErrTooLarge, leaving the tally intact.
	if err := h.Add("test", 0, 1); err != nil {
		t.Fatal(err)
	}
	var err error
	for i := 0; i < 64 && err == nil; i++ {
		err = h.Merge("test", &h)
	}
	if !errors.Is(err, cxmetrics.ErrTooLarge) || h.Total() != MaxCount {
		t.Errorf("self-merge to the limit: total %d, %v", h.Total(), err)
	}
	if err := h.Add("test", 0, 1); !errors.Is(err, cxmetrics.ErrTooLarge) {
		t.Errorf("add beyond MaxCount: %v", err)
	}
	enc := h.AppendBinary(nil, 7, []int64{0, 1})
	if _, _, err := decode(enc); err != nil {
		t.Errorf("a full tally does not decode: %v", err)
	}
	// Sums of large weights overflow: an error, and the tally is unchanged.
	big := NewHist(0, 1)
	for i := 0; i < 64; i++ {
		if err := big.Add("test", 1, MaxWeight); err != nil {
			t.Fatal(err)
		}
	}
	for err = nil; err == nil; {
		before := big.Clone()
		if err = big.Merge("test", &big); err != nil && big.N[1] != before.N[1] {
			t.Error("a refused merge changed the counts")
		}
	}
	if !errors.Is(err, cxmetrics.ErrNotFinite) || !finiteHist(big) {
		t.Errorf("overflowing merge: %v", err)
	}

	// Tiny and huge weights at the bounds round-trip.
	edge := NewHist(0, 1)
	for _, w := range []float64{MinWeight, MinWeight, MaxWeight, 0} {
		if err := edge.Add("test", 0, w); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := decode(edge.AppendBinary(nil, 7, []int64{0, 1})); err != nil {
		t.Errorf("weights at the bounds do not decode: %v", err)
	}
}

func finiteHist(h Hist) bool {
	for i := range h.W {
		if math.IsInf(h.W[i].Value(), 0) || math.IsInf(h.W2[i].Value(), 0) {
			return false
		}
	}
	return true
}

// TestDecodeCorrupt checks that every truncation and a table of malformed inputs are
// rejected with ErrCorrupt.
func TestDecodeCorrupt(t *testing.T) {
	h := NewHist(0, 2)
	h.Add("test", 1, 2)
	h.Add("test", 2, 0)
	enc := h.AppendBinary(nil, 7, []int64{0, 2})
	for i := range enc {
		if _, _, err := decode(enc[:i]); !errors.Is(err, cxmetrics.ErrCorrupt) {
			t.Errorf("truncated to %d bytes: %v", i, err)
		}
	}
	bad := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), enc...)) }
	for name, data := range map[string][]byte{
		"version":  bad(func(b []byte) []byte { b[0] = 1; return b }),
		"kind":     bad(func(b []byte) []byte { b[1] = 8; return b }),
		"params":   bad(func(b []byte) []byte { b[2] = 3; return b }),
		"trailing": append(bad(func(b []byte) []byte { return b }), 0),
		"scale":    (&Hist{Lo: 5, N: []uint64{0}, W: h.W[:1], W2: h.W2[:1]}).AppendBinary(nil, 7, []int64{5, 2}),
		"sums":     bad(func(b []byte) []byte { b[len(b)-1] = 0x7f; return b }),
	} {
		if _, _, err := decode(data); !errors.Is(err, cxmetrics.ErrCorrupt) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
