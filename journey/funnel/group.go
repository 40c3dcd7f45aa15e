package funnel

import (
	"cmp"
	"hash/maphash"
	"math"
	"math/bits"
	"slices"
	"sync/atomic"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/journey"
)

// record is the compact form of one event that the funnel needs: who (as a hash), when,
// where it came from and which steps it matches.
type record struct {
	h, h2 uint64 // 128-bit keyed hash of the user
	t     int64  // time in Unix nanoseconds
	idx   uint32 // index of the event in the input
	bits  uint32 // mask of matching steps, or exclBit | the exclusion levels of its name
}

// exclBit marks the record of an exclusion event.
const exclBit = 1 << 31

// sameUser reports whether two records belong to the same user: whether their 128-bit
// keyed hashes are equal.
func sameUser(a, b *record) bool { return a.h == b.h && a.h2 == b.h2 }

// groupPart computes the counted attempts of the users of one part, whose records
// (see records) are recs, each user's ending at ends: it feeds each user's records, in
// time order, to the engine, and adds the user's best attempt to u.
func groupPart(ws *workspace, eng *engine, recs []record, ends []int, u *users) {
	b := ws.block(eng.width)
	start := 0
	for _, end := range ends {
		eng.init(b)
		for _, r := range recs[start:end] {
			if r.bits&exclBit != 0 {
				eng.step(b, 0, r.bits&^exclBit, r.t, int64(r.idx))
			} else {
				eng.step(b, r.bits, 0, r.t, int64(r.idx))
			}
		}
		u.add(eng, b)
		start = end
	}
}

// part is one part of the users, those whose hash has its top partBits bits in [lo, hi),
// and an upper bound on the number of records of any part.
type part struct {
	lo, hi uint64
	size   int
}

const partBits = 8

// claimEvents is the number of events that a worker of the grouping path claims at a
// time.
const claimEvents = 1 << 16

// partsPerWorker is the number of parts per worker of the grouping path when the
// records of all parts fit in memory at once.
const partsPerWorker = 4

// recordsPerUserStep is the number of records per user and step that one pass of the
// grouping path may hold: more, and the users are split into parts that are grouped one
// after the other, so that memory stays proportional to the users times the steps.
const recordsPerUserStep = 4

// plan validates the events and splits the users into parts of at most partSize
// records, or, when partSize is 0, by the users' number and into at least as many parts
// as workers, or partsPerWorker times as many when all parts fit at once (as far as the
// hashes allow). It counts the events the
// funnel may need (in Strict order every event; otherwise those whose name is the event
// of a step or an exclusion: Where filters are not called) by the top bits of the hash
// of their user, and estimates the number of users with a HyperLogLog sketch; the
// workers take equal shares of the events. It also reports whether one part could hold
// all records within the memory bound.
func (r *Runner) plan(f *Funnel, events []journey.Event, ns *names, seed maphash.Seed, partSize, workers int) (parts []part, fits bool, err error) {
	keepAll := f.Order == Strict
	type tally struct {
		counts [1 << partBits]int
		sketch hll
		n      int
		err    error
		errAt  int // index of the event of err
	}
	ts := make([]tally, workers)
	// The workers claim the events by chunks, so that none waits for the others at the
	// end; a worker that meets an invalid event stops there, and the first invalid event
	// in input order is the earliest that any of them met.
	var next atomic.Int64
	claim := r.claimEvents()
	count := func(w int) {
		tl := &ts[w]
		for {
			lo := int(next.Add(1)-1) * claim
			if lo >= len(events) {
				return
			}
			for i := lo; i < min(lo+claim, len(events)); i++ {
				e := &events[i]
				if e.User == "" {
					tl.err, tl.errAt = &cxmetrics.InputError{Pkg: pkg, What: "event user", Index: i, Value: `""`,
						Err: cxmetrics.ErrEmpty}, i
					return
				}
				if _, ok := eventTime(e); !ok {
					tl.err, tl.errAt = timeError(e, i), i
					return
				}
				if !keepAll && ns.lookup(e.Name) == nil {
					continue
				}
				h := maphash.String(seed, e.User)
				tl.counts[h>>(64-partBits)]++
				tl.sketch.add(h)
				tl.n++
			}
		}
	}
	if workers == 1 {
		count(0)
	} else {
		r.fanOut(workers, count)
	}
	var first *tally
	for w := range ts {
		if ts[w].err != nil && (first == nil || ts[w].errAt < first.errAt) {
			first = &ts[w]
		}
	}
	if first != nil {
		return nil, false, first.err
	}
	all := &ts[0]
	for w := range ts {
		if w == 0 {
			continue
		}
		for d, c := range ts[w].counts {
			all.counts[d] += c
		}
		for k, v := range ts[w].sketch {
			all.sketch[k] = max(all.sketch[k], v)
		}
		all.n += ts[w].n
	}
	counts, n := &all.counts, all.n
	limit := max(int(recordsPerUserStep*all.sketch.estimate()*float64(len(f.Steps))), 1<<16)
	fits = n <= limit
	if workers > 1 {
		// Parts for every worker; when all fit at once, four for each, which the workers
		// claim in turn, so that none waits long for the others at the end.
		k := workers
		if fits {
			k *= partsPerWorker
		}
		limit = min(limit, (n+k-1)/k)
	}
	if partSize > 0 {
		limit = partSize
	}
	p := part{}
	for d, c := range counts {
		if p.size > 0 && p.size+c > limit {
			p.hi = uint64(d)
			parts = append(parts, p)
			p = part{lo: uint64(d)}
		}
		p.size += c
	}
	p.hi = 1 << partBits
	parts = append(parts, p)
	// Every part gets room for the largest, so that the buffers are allocated once.
	room := 0
	for _, p := range parts {
		room = max(room, p.size)
	}
	for i := range parts {
		parts[i].size = room
	}
	return parts, fits, nil
}

// hll is a HyperLogLog sketch (Flajolet et al. 2007) with 2^12 registers: it estimates
// the number of distinct 64-bit hashes added, within about 2%.
type hll [1 << hllBits]uint8

const hllBits = 12

func (s *hll) add(h uint64) {
	rank := uint8(bits.LeadingZeros64(h<<hllBits|1<<(hllBits-1))) + 1
	r := &s[h>>(64-hllBits)]
	*r = max(*r, rank)
}

// estimate returns the estimated number of distinct hashes, with the small-range
// correction by linear counting.
func (s *hll) estimate() float64 {
	const m = 1 << hllBits
	sum, zeros := 0.0, 0
	for _, r := range s {
		sum += math.Ldexp(1, -int(r))
		if r == 0 {
			zeros++
		}
	}
	e := 0.7213 / (1 + 1.079/m) * m * m / sum
	if e <= 2.5*m && zeros > 0 {
		e = m * math.Log(float64(m)/float64(zeros))
	}
	return e
}

// records returns the records of the events of one part of the users that the funnel
// needs (all events in Strict order, where any event breaks an attempt), grouped by user
// and, within a user, sorted by time with ties in input order, and the end of each
// user's run of records. The events have been validated by plan, with the same seed.
// The buffers come from ws.
func (f *Funnel) records(events []journey.Event, ns *names, ws *workspace, seed maphash.Seed, pt part) ([]record, []int) {
	a := reuse(ws.recs, pt.size)
	ws.recs = a
	seed2 := maphash.MakeSeed()
	for i := range events {
		if rec, ok := f.record(events, ns, seed, seed2, i); ok {
			if d := rec.h >> (64 - partBits); d >= pt.lo && d < pt.hi {
				a = append(a, rec)
			}
		}
	}
	return sortRecords(ws, [][]record{a}, pt.size)
}

// record returns the record of event i, and false when the funnel does not need it.
// Its user's hash under seed, which says its part, is computed only for the events the
// funnel needs; Where filters are called only for them too.
func (f *Funnel) record(events []journey.Event, ns *names, seed, seed2 maphash.Seed, i int) (record, bool) {
	keepAll := f.Order == Strict
	e := &events[i]
	nm := ns.lookup(e.Name)
	if nm == nil && !keepAll {
		return record{}, false
	}
	var bits uint32
	switch {
	case nm == nil:
	case nm.levels != 0:
		bits = exclBit | nm.levels
	default:
		bits = f.match(nm, e)
	}
	if bits == 0 && !keepAll {
		return record{}, false
	}
	t, _ := eventTime(e)
	return record{h: maphash.String(seed, e.User), h2: maphash.String(seed2, e.User), t: t, idx: uint32(i), bits: bits}, true
}

// sortRecords groups the records of one part, the concatenation of srcs, by user, as
// records describes, with buffers from ws that have room for at least room records.
func sortRecords(ws *workspace, srcs [][]record, room int) ([]record, []int) {
	// Most significant digit first: scatter into buckets, then sort each bucket, which
	// fits in the cache, by the rest of the upper 32 bits of the hash.
	var counts [1 << msdBits]int
	n := 0
	for _, src := range srcs {
		for _, r := range src {
			counts[r.h>>(64-msdBits)]++
		}
		n += len(src)
	}
	b := reuse(ws.recs2, max(n, room))[:n]
	ws.recs2 = b
	a := reuse(ws.recs, max(n, room))[:n]
	ws.recs = a
	var off [1<<msdBits + 1]int
	for d, c := range counts {
		off[d+1] = off[d] + c
	}
	next := off
	for _, src := range srcs {
		for _, r := range src {
			d := r.h >> (64 - msdBits)
			b[next[d]] = r
			next[d]++
		}
	}
	for d := range counts {
		lo, hi := off[d], off[d+1]
		if hi-lo <= 32 {
			insertionSortBy(b[lo:hi], func(r record) uint64 { return r.h >> 32 })
			continue
		}
		radixPass(b[lo:hi], a[lo:hi], 32, 10)
		radixPass(a[lo:hi], b[lo:hi], 42, 64-msdBits-42)
	}
	ws.ends = splitUsers(b, ws.ends[:0])
	return b, ws.ends
}

// splitUsers returns the end of each user's run of records in b, which is sorted by the
// upper 32 bits of the user hash, and sorts each run by time. Different users with equal
// upper bits are separated by their full hashes. The ends are appended to ends.
func splitUsers(b []record, ends []int) []int {
	for i, n := 0, len(b); i < n; {
		j := i + 1
		same := true
		for j < n && b[j].h>>32 == b[i].h>>32 {
			if !sameUser(&b[j], &b[i]) {
				same = false
			}
			j++
		}
		if !same {
			run := b[i:j]
			slices.SortStableFunc(run, func(x, y record) int {
				if c := cmp.Compare(x.h, y.h); c != 0 {
					return c
				}
				return cmp.Compare(x.h2, y.h2)
			})
			for k := i + 1; k < j; k++ {
				if !sameUser(&b[k], &b[k-1]) {
					sortByTime(b[i:k])
					ends = append(ends, k)
					i = k
				}
			}
		}
		sortByTime(b[i:j])
		ends = append(ends, j)
		i = j
	}
	return ends
}

// msdBits is the width of the first radix digit.
const msdBits = 11

// radixPass sorts src into dst by the digit of the given width at shift; it is stable.
func radixPass(src, dst []record, shift, width uint) {
	var counts [1 << 11]int
	mask := uint64(1)<<width - 1
	for _, r := range src {
		counts[r.h>>shift&mask]++
	}
	sum := 0
	for d, c := range counts[:1<<width] {
		counts[d] = sum
		sum += c
	}
	for _, r := range src {
		d := r.h >> shift & mask
		dst[counts[d]] = r
		counts[d]++
	}
}

// insertionSortBy sorts a short run stably by key.
func insertionSortBy(x []record, key func(record) uint64) {
	for i := 1; i < len(x); i++ {
		r := x[i]
		k := key(r)
		j := i
		for j > 0 && key(x[j-1]) > k {
			x[j] = x[j-1]
			j--
		}
		x[j] = r
	}
}

// sortByTime sorts one user's records by time and, among equal times, by input order.
func sortByTime(x []record) {
	less := func(a, b *record) bool { return a.t < b.t || a.t == b.t && a.idx < b.idx }
	sorted := true
	for i := 1; i < len(x); i++ {
		if less(&x[i], &x[i-1]) {
			sorted = false
			break
		}
	}
	switch {
	case sorted:
	case len(x) <= 32:
		for i := 1; i < len(x); i++ {
			r := x[i]
			j := i
			for j > 0 && less(&r, &x[j-1]) {
				x[j] = x[j-1]
				j--
			}
			x[j] = r
		}
	default:
		slices.SortFunc(x, func(a, b record) int {
			if c := cmp.Compare(a.t, b.t); c != 0 {
				return c
			}
			return cmp.Compare(a.idx, b.idx)
		})
	}
}
