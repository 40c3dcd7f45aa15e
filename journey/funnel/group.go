package funnel

import (
	"cmp"
	"hash/maphash"
	"math"
	"math/bits"
	"slices"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/journey"
)

// record is the compact form of one event that the funnel needs: who (as a hash), when,
// where it came from and which steps it matches.
type record struct {
	h, h2 uint64 // 128-bit keyed hash of the user
	t     int64  // time in Unix nanoseconds
	idx   uint32 // index of the event in the input
	bits  uint32 // mask of matching steps, or exclBit | exclusion name id
}

// sameUser reports whether two records belong to the same user: whether their 128-bit
// keyed hashes are equal.
func sameUser(a, b *record) bool { return a.h == b.h && a.h2 == b.h2 }

// exclBit marks a record of an excluded event; the low bits hold the exclusion name id.
const exclBit = 1 << 31

// Unix nanoseconds cover the years 1678 to 2262; event times must lie inside, in seconds.
const (
	minTime = math.MinInt64 / 1_000_000_000
	maxTime = math.MaxInt64 / 1_000_000_000
)

// eventTime returns the time of an event in nanoseconds since 1970, and false when it
// is the zero time or outside the years 1678 to 2262, which nanoseconds cannot hold.
func eventTime(e *journey.Event) (int64, bool) {
	sec := e.Time.Unix()
	return sec*1e9 + int64(e.Time.Nanosecond()), sec > minTime && sec < maxTime
}

// timeError returns the error for event i, whose time eventTime rejected.
func timeError(e *journey.Event, i int) error {
	if e.Time.IsZero() {
		return &cxmetrics.InputError{Pkg: pkg, What: "event time", Index: i, Value: e.Time,
			Err: cxmetrics.ErrEmpty, Detail: "(zero time)"}
	}
	return &cxmetrics.InputError{Pkg: pkg, What: "event time", Index: i, Value: e.Time,
		Err: cxmetrics.ErrOutOfRange, Detail: "(years 1678 to 2262)"}
}

// nameMatch is one event name of a funnel with the steps and the exclusion it matches.
type nameMatch struct {
	name  string
	steps []int // steps with this event name
	mask  uint32
	where bool   // some of the steps have a Where filter
	excl  uint32 // exclBit | id for an exclusion name, 0 otherwise
	// levels has bit j set when an attempt that completed step j, and not the next, is
	// excluded by an event of this exclusion name: the steps From to To-1 of its
	// exclusions.
	levels uint32
}

// names finds the nameMatch of an event name. Most names of a log match nothing, and
// comparing each with every name of the funnel costs more than the rest of a streaming
// pass, so names first looks up the length and first byte of the event name in a table,
// which leaves at most one candidate in most funnels.
type names struct {
	ms []nameMatch
	// by holds, for key(name), 0 when no name has that key, k+1 when only ms[k] has it,
	// and several when more than one has.
	by [1 << 11]uint8
}

const several = 0xff

// key returns the table key of a non-empty name: its length modulo 8 and its first byte.
func key(name string) int { return len(name)&7<<8 | int(name[0]) }

// lookup returns the nameMatch of name, or nil when name is no event of the funnel.
func (n *names) lookup(name string) *nameMatch {
	if name == "" {
		return nil
	}
	switch c := n.by[key(name)]; c {
	case 0:
		return nil
	case several:
		for k := range n.ms {
			if n.ms[k].name == name {
				return &n.ms[k]
			}
		}
		return nil
	default:
		if m := &n.ms[c-1]; m.name == name {
			return m
		}
		return nil
	}
}

// compile lists the distinct event names of the funnel.
func (f Funnel) compile() *names {
	ms := f.nameMatches()
	n := &names{ms: ms}
	for k, m := range ms {
		c := &n.by[key(m.name)]
		if *c == 0 && k+1 < several {
			*c = uint8(k + 1)
		} else {
			*c = several
		}
	}
	return n
}

// nameMatches lists the distinct event names of the funnel.
func (f Funnel) nameMatches() []nameMatch {
	var ms []nameMatch
	find := func(name string) int {
		for i := range ms {
			if ms[i].name == name {
				return i
			}
		}
		ms = append(ms, nameMatch{name: name})
		return len(ms) - 1
	}
	for k, s := range f.Steps {
		i := find(s.Event)
		ms[i].steps = append(ms[i].steps, k)
		ms[i].mask |= 1 << k
		ms[i].where = ms[i].where || s.Where != nil
	}
	nsteps := len(ms)
	for _, x := range f.Exclusions {
		i := find(x.Event)
		if ms[i].excl == 0 {
			ms[i].excl = exclBit | uint32(i-nsteps)
		}
		ms[i].levels |= (1<<x.To - 1) &^ (1<<x.From - 1)
	}
	return ms
}

// match returns the step bits of an event whose name is m.name: the exclusion id for an
// exclusion name, else the steps whose Where filter, if any, accepts the event.
func (f Funnel) match(m *nameMatch, e *journey.Event) uint32 {
	if m.excl != 0 {
		return m.excl
	}
	if !m.where {
		return m.mask
	}
	var bits uint32
	for _, s := range m.steps {
		if w := f.Steps[s].Where; w == nil || w(*e) {
			bits |= 1 << s
		}
	}
	return bits
}

// exclID returns the exclusion name id of x, as stored in records.
func exclID(ns *names, x Exclusion) uint32 {
	for _, m := range ns.ms {
		if m.name == x.Event {
			return m.excl
		}
	}
	return 0
}

// part is one part of the users, those whose hash has its top partBits bits in [lo, hi),
// and an upper bound on the number of records of any part.
type part struct {
	lo, hi uint64
	size   int
}

const partBits = 8

// recordsPerUserStep is the number of records per user and step that one pass of the
// grouping path may hold: more, and the users are split into parts that are grouped one
// after the other, so that memory stays proportional to the users times the steps.
const recordsPerUserStep = 4

// plan validates the events and splits the users into parts of at most partSize
// records, or by the users' number when partSize is 0. It counts the events the
// funnel may need (in Strict order every event; otherwise those whose name is the event
// of a step or an exclusion: Where filters are not called) by the top bits of the hash
// of their user, and estimates the number of users with a HyperLogLog sketch.
func (f Funnel) plan(events []journey.Event, ns *names, seed maphash.Seed, partSize int) ([]part, error) {
	keepAll := f.Order == Strict
	var counts [1 << partBits]int
	var sketch hll
	n := 0
	for i := range events {
		e := &events[i]
		if e.User == "" {
			return nil, &cxmetrics.InputError{Pkg: pkg, What: "event user", Index: i, Value: `""`,
				Err: cxmetrics.ErrEmpty}
		}
		if _, ok := eventTime(e); !ok {
			return nil, timeError(e, i)
		}
		if !keepAll && ns.lookup(e.Name) == nil {
			continue
		}
		h := maphash.String(seed, e.User)
		counts[h>>(64-partBits)]++
		sketch.add(h)
		n++
	}
	limit := max(int(recordsPerUserStep*sketch.estimate()*float64(len(f.Steps))), 1<<16)
	if partSize > 0 {
		limit = partSize
	}
	var parts []part
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
	return parts, nil
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
func (f Funnel) records(events []journey.Event, ns *names, ws *workspace, seed maphash.Seed, pt part) ([]record, []int) {
	keepAll := f.Order == Strict
	a := reuse(ws.recs, pt.size)
	ws.recs = a
	var counts [1 << msdBits]int
	seed2 := maphash.MakeSeed()
	for i := range events {
		e := &events[i]
		m := ns.lookup(e.Name)
		if m == nil && !keepAll {
			continue
		}
		h := maphash.String(seed, e.User)
		if d := h >> (64 - partBits); d < pt.lo || d >= pt.hi {
			continue
		}
		var bits uint32
		if m != nil {
			bits = f.match(m, e)
		}
		if bits == 0 && !keepAll {
			continue
		}
		t, _ := eventTime(e)
		counts[h>>(64-msdBits)]++
		a = append(a, record{h: h, h2: maphash.String(seed2, e.User), t: t, idx: uint32(i), bits: bits})
	}

	// Most significant digit first: scatter into buckets, then sort each bucket, which
	// fits in the cache, by the rest of the upper 32 bits of the hash.
	n := len(a)
	b := reuse(ws.recs2, max(n, pt.size))[:n]
	ws.recs2 = b
	var off [1<<msdBits + 1]int
	for d, c := range counts {
		off[d+1] = off[d] + c
	}
	next := off
	for _, r := range a {
		d := r.h >> (64 - msdBits)
		b[next[d]] = r
		next[d]++
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
