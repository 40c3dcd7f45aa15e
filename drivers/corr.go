package drivers

import (
	"fmt"
	"math"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// block is the number of respondents whose centred values are gathered into small buffers
// before the cross-products: a block of every column stays in the first-level cache, and
// each block's partial sums go into compensated accumulators, so that the rounding error
// does not grow with the number of respondents.
const block = 256

// pairVariationTolerance is the relative size below which the variance of a column among
// the respondents who answered both questions of a pair counts as zero (pairwise deletion).
const pairVariationTolerance = 1e-13

// sample says which respondents a correlation matrix uses and how often: rows lists their
// positions (nil: every respondent in order), counts their multiplicities (nil: once
// each), as a bootstrap resample does.
type sample struct {
	rows   []int32
	counts []int32
}

// size returns the number of listed respondents.
func (s sample) size(n int) int {
	if s.rows != nil {
		return len(s.rows)
	}
	return n
}

// corrMatrix is the correlation matrix of the outcome (column 0) and the drivers.
type corrMatrix struct {
	p int       // k + 1
	r []float64 // p×p, row-major, unit diagonal
	n int       // respondents behind it; under pairwise deletion the fewest behind one entry
}

// workspace holds the buffers of one correlation computation, reused across resamples.
// Each buffer holds one block of every column, stride values apart.
type workspace struct {
	stride              int
	idx                 []int32
	cnt                 []float64
	a, wa, a2, wa2      []float64 // centred values, times counts, squared, both
	mk, wmk             []float64 // 1 for an answer, 0 for a missing one; times counts
	mean                []float64
	cross, lin          []stats.Sum
	pairs               [][6]stats.Sum
	lo, hi, total, seen []float64
}

// grow sizes the buffers for p columns and m listed respondents: those that pairwise
// deletion or multiplicities need only when they are used.
func (w *workspace) grow(p, m int, mode Missing, weighted bool) {
	stride := max(1, min(block, m))
	if w.stride != stride || len(w.mean) != p {
		*w = workspace{stride: stride, idx: make([]int32, stride), cnt: make([]float64, stride),
			a: make([]float64, p*stride), mean: make([]float64, p), lin: make([]stats.Sum, p),
			lo: make([]float64, p), hi: make([]float64, p), total: make([]float64, p), seen: make([]float64, p)}
	}
	need := func(buf *[]float64, used bool) {
		if used && *buf == nil {
			*buf = make([]float64, p*stride)
		}
	}
	pairwise := mode == Pairwise
	need(&w.wa, weighted)
	need(&w.a2, pairwise)
	need(&w.mk, pairwise)
	need(&w.wa2, pairwise && weighted)
	need(&w.wmk, pairwise && weighted)
	if pairwise && w.pairs == nil {
		w.pairs = make([][6]stats.Sum, p*p)
	}
	if !pairwise && w.cross == nil {
		w.cross = make([]stats.Sum, p*p)
	}
}

// gather lists the respondents of the block [start, end) of s that count at least once,
// with their multiplicities, and returns how many there are.
func (w *workspace) gather(s sample, start, end int) int {
	b := 0
	for t := start; t < end; t++ {
		c := 1.0
		if s.counts != nil {
			if s.counts[t] == 0 {
				continue
			}
			c = float64(s.counts[t])
		}
		i := int32(t)
		if s.rows != nil {
			i = s.rows[t]
		}
		w.idx[b], w.cnt[b] = i, c
		b++
	}
	return b
}

// correlations returns the correlation matrix of the outcome and the drivers over the
// sample. Listwise expects every listed respondent to have answered everything; Pairwise
// computes each entry from the respondents who answered both of its questions. need is the
// fewest respondents behind any entry (ErrTooFew below). A column without variation is
// ErrNoVariation.
func (d *data) correlations(s sample, mode Missing, need int, w *workspace) (*corrMatrix, error) {
	w.grow(len(d.cols), s.size(d.n), mode, s.counts != nil)
	if mode == Pairwise {
		return d.pairwise(s, need, w)
	}
	return d.listwise(s, need, w)
}

// listwise computes the correlations by the corrected two-pass algorithm: compensated
// means, then the cross-products of the deviations from them, less the product of the
// deviations' sums (Chan, Golub & LeVeque 1983), all on values scaled by powers of two.
func (d *data) listwise(s sample, need int, w *workspace) (*corrMatrix, error) {
	p, st := len(d.cols), w.stride
	m := s.size(d.n)
	var total float64
	distinct := 0
	for t := range m {
		if s.counts == nil {
			total++
			distinct++
		} else if c := s.counts[t]; c > 0 {
			total += float64(c)
			distinct++
		}
	}
	if distinct < need {
		who := "respondents"
		if s.rows != nil {
			who = "respondents who answered every question"
		}
		return nil, fmt.Errorf("drivers: %d %s for %d drivers, need at least %d: %w", distinct, who, p-1, need, cxmetrics.ErrTooFew)
	}

	for c := range p {
		w.lin[c] = stats.Sum{}
		w.lo[c], w.hi[c] = math.Inf(1), math.Inf(-1)
	}
	for start := 0; start < m; start += w.stride {
		b := w.gather(s, start, min(start+w.stride, m))
		for c, col := range d.cols {
			sc := d.scale[c]
			lo, hi := w.lo[c], w.hi[c]
			var part float64
			for t, i := range w.idx[:b] {
				v := col[i]
				part += w.cnt[t] * (v * sc)
				if v < lo {
					lo = v
				}
				if v > hi {
					hi = v
				}
			}
			w.lin[c].Add(part)
			w.lo[c], w.hi[c] = lo, hi
		}
	}
	for c := range p {
		if w.lo[c] == w.hi[c] {
			return nil, noVariation(d.label(c), w.lo[c], s.rows != nil)
		}
		w.mean[c] = w.lin[c].Value() / total
	}

	for i := range w.cross {
		w.cross[i] = stats.Sum{}
	}
	for i := range w.lin {
		w.lin[i] = stats.Sum{}
	}
	weighted := s.counts != nil
	for start := 0; start < m; start += w.stride {
		b := w.gather(s, start, min(start+w.stride, m))
		for c, col := range d.cols {
			a := w.a[c*st : c*st+b]
			sc, mu := d.scale[c], w.mean[c]
			for t, i := range w.idx[:b] {
				a[t] = col[i]*sc - mu
			}
			if weighted {
				wa := w.wa[c*st : c*st+b]
				for t, v := range a {
					wa[t] = w.cnt[t] * v
				}
			}
		}
		for c := range p {
			wa := w.a[c*st : c*st+b]
			if weighted {
				wa = w.wa[c*st : c*st+b]
			}
			w.lin[c].Add(sum(wa))
			for e := c; e < p; e++ {
				w.cross[c*p+e].Add(dot(wa, w.a[e*st:e*st+b]))
			}
		}
	}

	cov := make([]float64, p*p)
	for c := range p {
		for e := c; e < p; e++ {
			v := w.cross[c*p+e].Value() - w.lin[c].Value()*w.lin[e].Value()/total
			cov[c*p+e], cov[e*p+c] = v, v
		}
		if !(cov[c*p+c] > 0) {
			return nil, noVariation(d.label(c), math.NaN(), s.rows != nil)
		}
	}
	r := make([]float64, p*p)
	for c := range p {
		r[c*p+c] = 1
		for e := c + 1; e < p; e++ {
			v := clampUnit(cov[c*p+e] / math.Sqrt(cov[c*p+c]) / math.Sqrt(cov[e*p+e]))
			r[c*p+e], r[e*p+c] = v, v
		}
	}
	return &corrMatrix{p: p, r: r, n: distinct}, nil
}

// pairwise computes each correlation from the respondents who answered both questions, as
// R's cor(use = "pairwise.complete.obs"): with values shifted by their column's mean and
// set to 0 where missing, and masks m (1 answered, 0 missing), the sums over the pairs are
// dot products, n = Σ m_a m_b, S_a = Σ a m_b, Q_a = Σ a² m_b, P = Σ a b, and
//
//	r = (P - S_a S_b/n) / √((Q_a - S_a²/n)(Q_b - S_b²/n))
func (d *data) pairwise(s sample, need int, w *workspace) (*corrMatrix, error) {
	p, st := len(d.cols), w.stride
	m := s.size(d.n)
	for c := range p {
		w.lin[c] = stats.Sum{}
		w.lo[c], w.hi[c] = math.Inf(1), math.Inf(-1)
		w.total[c], w.seen[c] = 0, 0
	}
	for start := 0; start < m; start += w.stride {
		b := w.gather(s, start, min(start+w.stride, m))
		for c, col := range d.cols {
			sc := d.scale[c]
			lo, hi := w.lo[c], w.hi[c]
			var part, total, seen float64
			for t, i := range w.idx[:b] {
				v := col[i]
				if v != v {
					continue
				}
				part += w.cnt[t] * (v * sc)
				total += w.cnt[t]
				seen++
				if v < lo {
					lo = v
				}
				if v > hi {
					hi = v
				}
			}
			w.lin[c].Add(part)
			w.lo[c], w.hi[c] = lo, hi
			w.total[c] += total
			w.seen[c] += seen
		}
	}
	for c := range p {
		if w.seen[c] < float64(need) {
			return nil, fmt.Errorf("drivers: %s has %d answers, need at least %d: %w", d.label(c), int(w.seen[c]), need, cxmetrics.ErrTooFew)
		}
		if w.lo[c] == w.hi[c] {
			return nil, noVariation(d.label(c), w.lo[c], false)
		}
		w.mean[c] = w.lin[c].Value() / w.total[c]
	}

	for i := range w.pairs {
		w.pairs[i] = [6]stats.Sum{}
	}
	weighted := s.counts != nil
	for start := 0; start < m; start += w.stride {
		b := w.gather(s, start, min(start+w.stride, m))
		for c, col := range d.cols {
			a, a2, mk := w.a[c*st:c*st+b], w.a2[c*st:c*st+b], w.mk[c*st:c*st+b]
			sc, mu := d.scale[c], w.mean[c]
			for t, i := range w.idx[:b] {
				if v := col[i]; v == v {
					a[t] = v*sc - mu
					a2[t] = a[t] * a[t]
					mk[t] = 1
				} else {
					a[t], a2[t], mk[t] = 0, 0, 0
				}
			}
			if weighted {
				wa, wa2, wmk := w.wa[c*st:c*st+b], w.wa2[c*st:c*st+b], w.wmk[c*st:c*st+b]
				for t, k := range w.cnt[:b] {
					wa[t], wa2[t], wmk[t] = k*a[t], k*a2[t], k*mk[t]
				}
			}
		}
		for c := range p {
			lo, hi := c*st, c*st+b
			wa, wa2, wmk := w.a[lo:hi], w.a2[lo:hi], w.mk[lo:hi]
			if weighted {
				wa, wa2, wmk = w.wa[lo:hi], w.wa2[lo:hi], w.wmk[lo:hi]
			}
			for e := c + 1; e < p; e++ {
				lo, hi := e*st, e*st+b
				pairSums(&w.pairs[c*p+e], wa, wa2, wmk, w.a[lo:hi], w.a2[lo:hi], w.mk[lo:hi])
			}
		}
	}

	r := make([]float64, p*p)
	fewest := math.MaxInt
	for c := range p {
		r[c*p+c] = 1
		for e := c + 1; e < p; e++ {
			ps := &w.pairs[c*p+e]
			n := ps[0].Value()
			if n < float64(need) {
				return nil, fmt.Errorf("drivers: %d respondents answered both %s and %s, need at least %d: %w",
					int(n), d.label(c), d.label(e), need, cxmetrics.ErrTooFew)
			}
			fewest = min(fewest, int(n))
			sa, sb, qa, qb, pp := ps[1].Value(), ps[2].Value(), ps[3].Value(), ps[4].Value(), ps[5].Value()
			va, vb := qa-sa*sa/n, qb-sb*sb/n
			for _, v := range [...]struct {
				c, other int
				v, q     float64
			}{{c, e, va, qa}, {e, c, vb, qb}} {
				if !(v.v > pairVariationTolerance*v.q) {
					return nil, fmt.Errorf("drivers: %s does not vary among the %d respondents who also answered %s: %w",
						d.label(v.c), int(n), d.label(v.other), cxmetrics.ErrNoVariation)
				}
			}
			v := clampUnit((pp - sa*sb/n) / math.Sqrt(va) / math.Sqrt(vb))
			r[c*p+e], r[e*p+c] = v, v
		}
	}
	return &corrMatrix{p: p, r: r, n: fewest}, nil
}

// pairSums adds one block's six pairwise sums: n, S_a, S_b, Q_a, Q_b and P (see pairwise).
// The first three slices carry the multiplicities.
func pairSums(acc *[6]stats.Sum, wa, wa2, wmk, b, b2, mk []float64) {
	b, b2, mk = b[:len(wa)], b2[:len(wa)], mk[:len(wa)]
	wa2, wmk = wa2[:len(wa)], wmk[:len(wa)]
	var n, sa, sb, qa, qb, pp float64
	for t, x := range wa {
		n += wmk[t] * mk[t]
		sa += x * mk[t]
		sb += wmk[t] * b[t]
		qa += wa2[t] * mk[t]
		qb += wmk[t] * b2[t]
		pp += x * b[t]
	}
	acc[0].Add(n)
	acc[1].Add(sa)
	acc[2].Add(sb)
	acc[3].Add(qa)
	acc[4].Add(qb)
	acc[5].Add(pp)
}

// noVariation reports a column whose values are all the same.
func noVariation(label string, v float64, complete bool) error {
	who := "respondent"
	if complete {
		who = "respondent who answered every question"
	}
	if math.IsNaN(v) {
		return fmt.Errorf("drivers: %s has no variance to working precision: %w", label, cxmetrics.ErrNoVariation)
	}
	return fmt.Errorf("drivers: %s is %g for every %s: %w", label, v, who, cxmetrics.ErrNoVariation)
}

// dot returns Σ a_i b_i with four independent accumulators.
func dot(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// sum returns Σ a_i.
func sum(a []float64) float64 {
	var s0, s1 float64
	i := 0
	for ; i+2 <= len(a); i += 2 {
		s0 += a[i]
		s1 += a[i+1]
	}
	if i < len(a) {
		s0 += a[i]
	}
	return s0 + s1
}

// clampUnit clips a correlation that rounding pushed past ±1.
func clampUnit(v float64) float64 {
	return max(-1, min(1, v))
}
