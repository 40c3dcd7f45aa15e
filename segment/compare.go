package segment

import (
	"fmt"
	"math"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/normal"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// Pair compares segment A with segment B (indices into the segments given to AllPairs):
// the Contrast is score A - score B.
type Pair struct {
	A int `json:"a"`
	B int `json:"b"`
	Contrast
	PHolm float64 `json:"p_holm"` // P adjusted by AdjustHolm over all pairs
	PBH   float64 `json:"p_bh"`   // P adjusted by AdjustBH over all pairs
	// Simultaneous is the Bonferroni interval Difference ± z_{1-(1-level)/(2m)}·StdErr
	// over the m pairs: all m of them cover their true differences together with
	// probability at least level.
	Simultaneous cxmetrics.Interval `json:"simultaneous"`
}

// AllPairs compares every two segments: for the k segments it returns the k(k-1)/2 pairs
// (0, 1), (0, 2), …, (0, k-1), (1, 2), …, (k-2, k-1) in that order, each with the Wald
// test and interval of the difference of two independent estimates,
//
//	d = y_A - y_B,   SE = √(SE_A² + SE_B²),   z = d / SE,   p = 2·P(Z ≥ |z|)
//
// the interval d ± z_{(1+level)/2}·SE, the p-values adjusted over all pairs by Holm and by
// Benjamini-Hochberg, and the simultaneous Bonferroni interval. The unadjusted P and
// Interval answer a question about one pair chosen before looking at the data; a table of
// all pairs needs the adjusted ones.
//
// It needs between 2 and MaxPairSegments segments. A segment whose standard error is 0 gets
// the pooled one described in the package documentation ("Answers all alike").
func AllPairs(level float64, segs []Segment) ([]Pair, error) {
	z, err := normal.Critical(pkg, level)
	if err != nil {
		return nil, err
	}
	sc, err := scale(segs, 2, MaxPairSegments)
	if err != nil {
		return nil, err
	}
	k := len(segs)
	m := k * (k - 1) / 2
	pairs := make([]Pair, 0, m)
	p := make([]float64, 0, m)
	for a := range k {
		for b := a + 1; b < k; b++ {
			c := contrast(sc.y[a], sc.se[a], sc.y[b], sc.se[b], sc.unit, z, level)
			if !c.finite() {
				return nil, overflow(fmt.Sprintf("difference of segments %d and %d", a, b))
			}
			pairs = append(pairs, Pair{A: a, B: b, Contrast: c})
			p = append(p, c.P)
		}
	}
	holm, bh := adjustBoth(p)
	zb := max(z, bonferroni(level, m))
	for i := range pairs {
		c := &pairs[i]
		c.PHolm, c.PBH = holm[i], bh[i]
		c.Simultaneous = wald(sc.y[c.A]-sc.y[c.B], math.Hypot(sc.se[c.A], sc.se[c.B]), sc.unit, zb, level)
		if !finite(c.Simultaneous.Lower, c.Simultaneous.Upper) {
			return nil, overflow(fmt.Sprintf("simultaneous interval of segments %d and %d", c.A, c.B))
		}
	}
	return pairs, nil
}

// VsRest compares one segment with the pooled rest of the segments: the Contrast is the
// segment's score minus the rest's.
type VsRest struct {
	Segment int `json:"segment"` // index into the segments given to EachVsRest
	// Rest is the pooled other segments: Score and StdErr as in the package
	// documentation ("Each against the rest"), N and EffectiveN the sums of theirs.
	Rest cxmetrics.Estimate `json:"rest"`
	Contrast
	PHolm        float64            `json:"p_holm"`       // P adjusted by AdjustHolm over the k segments
	PBH          float64            `json:"p_bh"`         // P adjusted by AdjustBH over the k segments
	Simultaneous cxmetrics.Interval `json:"simultaneous"` // Bonferroni over the k segments, as in Pair
}

// EachVsRest compares each segment with the pooled others, not with the overall score that
// contains it. With N_j the segments' numbers of answers, the rest of segment i has
//
//	y_rest = Σ_{j≠i} N_j y_j / Σ_{j≠i} N_j,   SE_rest = √(Σ_{j≠i} N_j² SE_j²) / Σ_{j≠i} N_j
//
// (see the package documentation, "Each against the rest", for what this means for
// weighted answers), and the contrast y_i - y_rest is tested and bounded as in AllPairs,
// with SE = √(SE_i² + SE_rest²). P-values are adjusted over the k comparisons.
//
// It needs between 2 and MaxSegments segments, whose numbers of answers sum to at most
// math.MaxInt (ErrTooLarge). A segment whose standard error is 0 gets the pooled one
// described in the package documentation ("Answers all alike").
func EachVsRest(level float64, segs []Segment) ([]VsRest, error) {
	z, err := normal.Critical(pkg, level)
	if err != nil {
		return nil, err
	}
	sc, err := scale(segs, 2, MaxSegments)
	if err != nil {
		return nil, err
	}
	k := len(segs)
	total := 0
	for i, s := range segs {
		if s.Estimate.N > math.MaxInt-total {
			return nil, &cxmetrics.InputError{Pkg: pkg, What: "answers", Index: i, Value: s.Estimate.N,
				Err: cxmetrics.ErrTooLarge, Detail: "(the segments' answers sum beyond math.MaxInt)"}
		}
		total += s.Estimate.N
	}
	// Prefix and suffix sums of N·y, N²·SE² and the effective n, so that each rest is a
	// sum over the others computed without subtracting the segment from the total (which
	// would cancel when one segment holds most of the answers).
	type acc struct{ ny, nse, eff stats.Sum }
	pre := make([]acc, k+1)
	suf := make([]acc, k+1)
	add := func(dst *acc, src acc, j int) {
		*dst = src
		n := float64(segs[j].Estimate.N)
		dst.ny.Add(n * sc.y[j])
		dst.nse.Add(n * n * sc.se[j] * sc.se[j])
		dst.eff.Add(segs[j].Estimate.EffectiveN)
	}
	for j := range k {
		add(&pre[j+1], pre[j], j)
	}
	for j := k - 1; j >= 0; j-- {
		add(&suf[j], suf[j+1], j)
	}
	rows := make([]VsRest, k)
	rest := make([]struct{ y, se float64 }, k) // scaled
	p := make([]float64, k)
	for i, s := range segs {
		var r acc
		r.ny, r.nse, r.eff = pre[i].ny, pre[i].nse, pre[i].eff
		r.ny.Merge(suf[i+1].ny)
		r.nse.Merge(suf[i+1].nse)
		r.eff.Merge(suf[i+1].eff)
		n := float64(total - s.Estimate.N)
		y := r.ny.Value() / n
		se := math.Sqrt(max(0, r.nse.Value())) / n
		rest[i].y, rest[i].se = y, se
		rows[i] = VsRest{Segment: i, Contrast: contrast(sc.y[i], sc.se[i], y, se, sc.unit, z, level),
			Rest: cxmetrics.Estimate{Score: y * sc.unit, StdErr: se * sc.unit, N: total - s.Estimate.N, EffectiveN: r.eff.Value()}}
		if !rows[i].finite() || !finite(rows[i].Rest.Score, rows[i].Rest.StdErr) {
			return nil, overflow(fmt.Sprintf("difference of segment %d and the rest", i))
		}
		p[i] = rows[i].P
	}
	holm, bh := adjustBoth(p)
	zb := max(z, bonferroni(level, k))
	for i := range rows {
		c := &rows[i]
		c.PHolm, c.PBH = holm[i], bh[i]
		c.Simultaneous = wald(sc.y[i]-rest[i].y, math.Hypot(sc.se[i], rest[i].se), sc.unit, zb, level)
		if !finite(c.Simultaneous.Lower, c.Simultaneous.Upper) {
			return nil, overflow(fmt.Sprintf("simultaneous interval of segment %d and the rest", i))
		}
	}
	return rows, nil
}
