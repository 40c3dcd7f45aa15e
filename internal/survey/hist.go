package survey

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// Hist is a weighted histogram of answers with one entry per point of a scale [Lo, Lo +
// len(N) - 1]: the number of answers and the compensated sums of their weights and squared
// weights. It is the state of every Tally.
type Hist struct {
	Lo    int
	N     []uint64
	W, W2 []stats.Sum
}

// NewHist returns an empty histogram over [lo, hi], a range that CheckRange accepts.
func NewHist(lo, hi int) Hist {
	k := hi - lo + 1
	return Hist{Lo: lo, N: make([]uint64, k), W: make([]stats.Sum, k), W2: make([]stats.Sum, k)}
}

// Hi returns the largest point.
func (h *Hist) Hi() int { return h.Lo + len(h.N) - 1 }

// Total returns the number of answers.
func (h *Hist) Total() uint64 {
	var n uint64
	for _, c := range h.N {
		n += c
	}
	return n
}

// Add adds one answer x of weight w. A score outside the scale, a bad weight (see
// CheckWeight), a count beyond MaxCount (ErrTooLarge) or sums that would overflow
// (ErrNotFinite) are errors, and h is then unchanged.
func (h *Hist) Add(pkg string, x int, w float64) error {
	if !inRange(h.Lo, h.Hi(), x) {
		return ScoreError(pkg, h.Lo, h.Hi(), -1, x)
	}
	if err := CheckWeight(pkg, -1, w); err != nil {
		return err
	}
	if h.Total() >= MaxCount {
		return fmt.Errorf("%s: tally holds %d answers, the most it may: %w", pkg, uint64(MaxCount), cxmetrics.ErrTooLarge)
	}
	i := x - h.Lo
	sw, sq := h.W[i], h.W2[i]
	sw.Add(w)
	sq.Add(w * w)
	if !stats.Finite(sw.Value()) || !stats.Finite(sq.Value()) {
		return overflowError(pkg)
	}
	h.N[i]++
	h.W[i], h.W2[i] = sw, sq
	return nil
}

func overflowError(pkg string) error {
	return &cxmetrics.InputError{Pkg: pkg, What: "sum of weights", Index: -1, Value: "+Inf",
		Err: cxmetrics.ErrNotFinite, Detail: "(the weights or their squares sum beyond float64: rescale them)"}
}

// Merge adds every answer of o to h; both must have the same range (the caller compares
// scales first). A total beyond MaxCount (ErrTooLarge) or sums that overflow (ErrNotFinite)
// are errors, and h is then unchanged. o may be h itself.
func (h *Hist) Merge(pkg string, o *Hist) error {
	if h.Total()+o.Total() > MaxCount || h.Total()+o.Total() < h.Total() {
		return fmt.Errorf("%s: merged tally would hold more than %d answers: %w", pkg, uint64(MaxCount), cxmetrics.ErrTooLarge)
	}
	w, w2 := slices.Clone(h.W), slices.Clone(h.W2)
	for i := range w {
		w[i].Merge(o.W[i])
		w2[i].Merge(o.W2[i])
		if !stats.Finite(w[i].Value()) || !stats.Finite(w2[i].Value()) {
			return overflowError(pkg)
		}
	}
	for i := range h.N {
		h.N[i] += o.N[i]
	}
	h.W, h.W2 = w, w2
	return nil
}

// Clone returns an independent copy of h.
func (h *Hist) Clone() Hist {
	return Hist{Lo: h.Lo, N: slices.Clone(h.N), W: slices.Clone(h.W), W2: slices.Clone(h.W2)}
}

// Reset empties h.
func (h *Hist) Reset() {
	clear(h.N)
	clear(h.W)
	clear(h.W2)
}

// Bins adds the points of h to the bins of l, whose range must be h's.
func (h *Hist) Bins(l Layout, bins []Bin) {
	for j := range bins {
		for p := l.Edges[j]; p < l.Edges[j+1]; p++ {
			if h.N[p] == 0 {
				continue
			}
			bins[j].N += h.N[p]
			bins[j].W.Merge(h.W[p])
			bins[j].W2.Merge(h.W2[p])
		}
	}
}

// Version is the first byte of every encoded Hist.
const Version = 2

// AppendBinary appends the encoding of h to b: the version byte, the kind byte (which
// package's tally), the number of scale parameters and the parameters (zig-zag varints),
// then per point its count (uvarint) and its compensated sums of weights and squared
// weights (four IEEE 754 doubles, little endian).
func (h *Hist) AppendBinary(b []byte, kind byte, scale []int64) []byte {
	b = append(b, Version, kind, byte(len(scale)))
	for _, v := range scale {
		b = binary.AppendVarint(b, v)
	}
	for i, c := range h.N {
		b = binary.AppendUvarint(b, c)
		ws, wc := h.W[i].Parts()
		qs, qc := h.W2[i].Parts()
		for _, f := range [...]float64{ws, wc, qs, qc} {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
		}
	}
	return b
}

// Decode reads an encoding of AppendBinary with the given kind and number of scale
// parameters. scale turns the parameters into the scale's range, or an error for an invalid
// scale. Truncated data, another version or kind, an invalid scale, trailing bytes, counts
// beyond MaxCount, or sums that no sequence of valid answers can produce are errors
// wrapping cxmetrics.ErrCorrupt.
func Decode(pkg string, data []byte, kind byte, nparams int, scale func([]int64) (lo, hi int, err error)) (Hist, []int64, error) {
	corrupt := func(what string) error {
		return fmt.Errorf("%s: decode tally: %s: %w", pkg, what, cxmetrics.ErrCorrupt)
	}
	switch {
	case len(data) < 3:
		return Hist{}, nil, corrupt("truncated header")
	case data[0] != Version:
		return Hist{}, nil, corrupt(fmt.Sprintf("unknown version %d", data[0]))
	case data[1] != kind:
		return Hist{}, nil, corrupt(fmt.Sprintf("kind %d is not %s's (%d)", data[1], pkg, kind))
	case int(data[2]) != nparams:
		return Hist{}, nil, corrupt(fmt.Sprintf("%d scale parameters, want %d", data[2], nparams))
	}
	data = data[3:]
	params := make([]int64, nparams)
	for i := range params {
		v, k := binary.Varint(data)
		if k <= 0 {
			return Hist{}, nil, corrupt("truncated scale")
		}
		if v < math.MinInt32 || v > math.MaxInt32 {
			return Hist{}, nil, corrupt("scale parameter out of range")
		}
		params[i] = v
		data = data[k:]
	}
	lo, hi, err := scale(params)
	if err != nil {
		return Hist{}, nil, corrupt(err.Error())
	}
	h := NewHist(lo, hi)
	var total uint64
	for i := range h.N {
		c, k := binary.Uvarint(data)
		if k <= 0 {
			return Hist{}, nil, corrupt("truncated counts")
		}
		data = data[k:]
		if len(data) < 32 {
			return Hist{}, nil, corrupt("truncated sums")
		}
		var f [4]float64
		for j := range f {
			f[j] = math.Float64frombits(binary.LittleEndian.Uint64(data[8*j:]))
			if !stats.Finite(f[j]) {
				return Hist{}, nil, corrupt("sum is not finite")
			}
		}
		data = data[32:]
		if c > MaxCount-total {
			return Hist{}, nil, corrupt("count beyond the largest tally")
		}
		total += c
		h.N[i] = c
		h.W[i] = stats.SumOf(f[0], f[1])
		h.W2[i] = stats.SumOf(f[2], f[3])
		if !consistent(c, h.W[i].Value(), h.W2[i].Value()) {
			return Hist{}, nil, corrupt("weight sums inconsistent with counts")
		}
	}
	if len(data) != 0 {
		return Hist{}, nil, corrupt(fmt.Sprintf("%d trailing bytes", len(data)))
	}
	return h, params, nil
}

// consistent reports whether c answers with weights 0 or within [MinWeight, MaxWeight]
// can have weights summing to w and squares summing to q: w and q lie in [0, c·MaxWeight]
// and [0, c·MaxWeight²], both are 0 or neither is, and the squares of the m non-zero weights
// sum to between w²/m and w², so w² <= c·q and q <= w² (with room for rounding).
func consistent(c uint64, w, q float64) bool {
	n := float64(c)
	const tol = 1e-9
	switch {
	case w < 0 || q < 0 || w > n*MaxWeight || q > n*MaxWeight*MaxWeight:
		return false
	case w == 0 || q == 0:
		return w == 0 && q == 0
	case c == 0:
		return false
	}
	return q <= w*w*(1+tol) && w*(w/n) <= q*(1+tol)
}
