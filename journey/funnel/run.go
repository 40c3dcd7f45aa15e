package funnel

import (
	"fmt"
	"hash/maphash"
	"math"
	"math/bits"
	"slices"
	"sync"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
	"github.com/cxmetrics/cxmetrics/journey"
)

// Run computes the funnel over an event log. The events may come in any order; events
// with equal times keep their input order. Each user counts once, with their best attempt
// (see the package documentation). Run returns an *[cxmetrics.InputError] for an invalid
// funnel definition or for an event without a user or a time, and an error wrapping
// [cxmetrics.ErrEmpty] when there are no steps or no events. A log in which nobody
// reaches the first step gives a Result with zero counts.
func (f Funnel) Run(events []journey.Event) (Result, error) {
	if err := f.validate(); err != nil {
		return Result{}, err
	}
	if len(events) == 0 {
		return Result{}, fmt.Errorf("funnel: no events: %w", cxmetrics.ErrEmpty)
	}
	if uint64(len(events)) > math.MaxUint32 {
		return Result{}, &cxmetrics.InputError{Pkg: pkg, What: "event count", Index: -1,
			Value: len(events), Err: cxmetrics.ErrOutOfRange, Detail: "(at most 2^32-1)"}
	}
	ms := f.compile()
	ws, _ := workspaces.Get().(*workspace)
	if ws == nil {
		ws = new(workspace)
	}
	defer workspaces.Put(ws)
	// Stream a log sorted by time; failing that, one in which each user's events are in
	// time order, as a log sorted by user and time.
	for _, perUser := range []bool{false, true} {
		acc, ok, err := newStreamer(f, ws, perUser).run(events, ms)
		if err != nil {
			return Result{}, err
		}
		if ok {
			if f.BreakdownBy != "" {
				acc.breakdown(events, f.BreakdownBy)
			}
			return acc.result(f), nil
		}
	}
	return f.group(events, ms, ws, 0)
}

// group computes the funnel by grouping the events by user. It splits the users into
// parts of at most partSize records, or, when partSize is 0, of as many as keep the
// records proportional to the users times the steps.
func (f Funnel) group(events []journey.Event, ms *names, ws *workspace, partSize int) (Result, error) {
	// Group the events by user, in as many parts as keep the records proportional to the
	// users times the steps.
	seed := maphash.MakeSeed()
	parts, err := f.plan(events, ms, seed, partSize)
	if err != nil {
		return Result{}, err
	}
	s := len(f.Steps)
	w := newWalker(f)
	excl := make([]uint32, len(f.Exclusions))
	for i, x := range f.Exclusions {
		excl[i] = exclID(ms, x)
	}
	acc := users{ws: ws}
	acc.init(s, 0, f.BreakdownBy != "")
	for _, pt := range parts {
		recs, ends := f.records(events, ms, ws, seed, pt)
		start := 0
		for _, end := range ends {
			g := recs[start:end]
			start = end
			switch {
			case f.Order == Ordered && f.Anchor == LatestStart:
				w.orderedLatest(g)
			case f.Order == Ordered:
				w.orderedFirst(g)
			case f.Order == Strict && f.Anchor == LatestStart:
				w.strictLatest(g)
			case f.Order == Strict:
				w.strictFirst(g)
			case f.Anchor == LatestStart:
				w.anyLatest(g)
			default:
				w.anyFirst(g)
			}
			b := &w.best
			if b.reach == 0 || (len(excl) > 0 && w.excluded(g, f.Exclusions, excl)) {
				continue
			}
			acc.add(g, b)
		}
	}
	if f.BreakdownBy != "" {
		acc.breakdown(events, f.BreakdownBy)
	}
	return acc.result(f), nil
}

// workspace holds the large buffers of a run. Run keeps workspaces in a pool, so that
// repeated runs over large logs reuse memory instead of asking the operating system for
// hundreds of megabytes each time; the pool empties itself at garbage collections.
type workspace struct {
	recs    []record
	recs2   []record
	ends    []int
	reach   []uint8
	durs    []int64
	group   []int32
	who     []int32
	byGroup []int32
	scratch []int64
	pairs   []uint64
	pairs2  []uint64
	counts  []int
	stream  streamBuffers
}

var workspaces sync.Pool // of *workspace

// reuse returns s emptied, with room for n elements.
func reuse[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, 0, n)
	}
	return s[:0]
}

// excluded reports whether the best attempt has an excluded event between its steps.
func (w *walker) excluded(g []record, xs []Exclusion, ids []uint32) bool {
	b := &w.best
	// The end of the attempt's window: the first position outside it.
	end := len(g)
	if w.window != 0 {
		ta := g[b.anchor].t
		end = b.anchor
		for end < len(g) && w.within(ta, g[end].t) {
			end++
		}
	}
	for p, r := range g {
		if r.bits&exclBit == 0 {
			continue
		}
		for i, x := range xs {
			if r.bits != ids[i] || x.From >= b.reach {
				continue
			}
			lo, hi := int(b.comp[x.From]), end
			if x.To < b.reach {
				hi = int(b.comp[x.To])
			}
			if p > lo && p < hi {
				return true
			}
		}
	}
	return false
}

// users accumulates the counted attempts: O(users x steps) memory.
type users struct {
	ws     *workspace
	nsteps int
	reach  []uint8
	durs   []int64 // nsteps-1 per user: time from step i-1 to step i, if reached
	group  []int32 // per user: the index of the anchoring event, then the group
	keys   map[string]int32
	names  []string
}

// init prepares for at most n users.
func (u *users) init(nsteps, n int, breakdown bool) {
	u.nsteps = nsteps
	u.reach = reuse(u.ws.reach, n)
	u.durs = reuse(u.ws.durs, n*(nsteps-1))
	if breakdown {
		u.keys = make(map[string]int32)
		u.group = reuse(u.ws.group, n)
	}
}

func (u *users) add(g []record, b *attempt) {
	u.reach = append(u.reach, uint8(b.reach))
	for i := 1; i < u.nsteps; i++ {
		var d int64
		if i < b.reach {
			// Completion times never decrease; the unsigned difference is exact and
			// saturates at the longest Duration.
			diff := uint64(g[b.comp[i]].t - g[b.comp[i-1]].t)
			d = int64(min(diff, math.MaxInt64))
		}
		u.durs = append(u.durs, d)
	}
	if u.keys != nil {
		u.group = append(u.group, int32(g[b.anchor].idx))
	}
}

// breakdown replaces the anchor event index that add stored in group by the group of the
// user's value of the property. It reads the events in input order, which is much faster
// than reading them user by user.
func (u *users) breakdown(events []journey.Event, by string) {
	n := len(u.group)
	// Sort (event index, user) pairs by event index: two 16-bit radix passes, or a
	// comparison sort for few users.
	pairs := reuse(u.ws.pairs, n)[:n]
	tmp := reuse(u.ws.pairs2, n)[:n]
	u.ws.pairs, u.ws.pairs2 = pairs, tmp
	for i, idx := range u.group {
		pairs[i] = uint64(uint32(idx))<<32 | uint64(i)
	}
	for _, shift := range []uint{32, 48} {
		if n < 1<<12 {
			slices.Sort(pairs)
			break
		}
		counts := reuse(u.ws.counts, 1<<16)[:1<<16]
		u.ws.counts = counts
		clear(counts)
		for _, p := range pairs {
			counts[p>>shift&0xffff]++
		}
		sum := 0
		for d, c := range counts {
			counts[d] = sum
			sum += c
		}
		for _, p := range pairs {
			d := p >> shift & 0xffff
			tmp[counts[d]] = p
			counts[d]++
		}
		pairs, tmp = tmp, pairs
	}
	for _, p := range pairs {
		key := events[p>>32].Props[by]
		id, ok := u.keys[key]
		if !ok {
			id = int32(len(u.names))
			u.keys[key] = id
			u.names = append(u.names, key)
		}
		u.group[uint32(p)] = id
	}
}

// result summarises all users and, with a breakdown, each group.
func (u *users) result(f Funnel) Result {
	ws := u.ws
	ws.reach, ws.durs, ws.group = u.reach, u.durs, u.group
	n := len(u.reach)
	all := reuse(ws.who, n)[:n]
	for i := range all {
		all[i] = int32(i)
	}
	scratch := reuse(ws.scratch, n)
	ws.who, ws.scratch = all, scratch
	r := u.summary(f, all, scratch)
	if u.keys == nil {
		return r
	}
	// Bucket the users by group.
	off := make([]int, len(u.names)+1)
	for _, g := range u.group {
		off[g+1]++
	}
	for i := range u.names {
		off[i+1] += off[i]
	}
	next := slices.Clone(off)
	byGroup := reuse(ws.byGroup, n)[:n]
	ws.byGroup = byGroup
	for i, g := range u.group {
		byGroup[next[g]] = int32(i)
		next[g]++
	}
	r.Breakdown = make(map[string]Result, len(u.names))
	for i, name := range u.names {
		r.Breakdown[name] = u.summary(f, byGroup[off[i]:off[i+1]], scratch)
	}
	return r
}

// summary computes the step results over the given users.
func (u *users) summary(f Funnel, who []int32, scratch []int64) Result {
	s := u.nsteps
	reached := make([]int, s+1)
	for _, i := range who {
		reached[u.reach[i]]++
	}
	for k := s - 1; k >= 0; k-- {
		reached[k] += reached[k+1]
	}
	// reached[k] is now the number of users whose attempt reached at least k steps.
	res := Result{Users: reached[1], Steps: make([]StepResult, s)}
	for i := range s {
		st := &res.Steps[i]
		st.Name = f.Steps[i].Name
		if st.Name == "" {
			st.Name = f.Steps[i].Event
		}
		st.Reached = reached[i+1]
		st.FromStart = share(reached[i+1], reached[1])
		if i == 0 {
			st.FromPrevious = share(reached[1], reached[1])
		} else {
			st.FromPrevious = share(reached[i+1], reached[i])
		}
		if i+1 < s {
			st.DroppedAfter = reached[i+1] - reached[i+2]
		}
		if i == 0 || st.Reached == 0 {
			continue
		}
		x := scratch[:0]
		for _, k := range who {
			if int(u.reach[k]) > i {
				x = append(x, u.durs[int(k)*(s-1)+i-1])
			}
		}
		st.MeanTimeToConvert = time.Duration(mean(x))
		st.MedianTimeToConvert = time.Duration(median(x))
	}
	return res
}

// share returns a/b, or 0 when b is 0.
func share(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// mean returns the mean of non-negative values rounded to the nearest integer, exactly:
// the sum is kept in 128 bits.
func mean(x []int64) int64 {
	var hi, lo uint64
	for _, v := range x {
		var c uint64
		lo, c = bits.Add64(lo, uint64(v), 0)
		hi += c
	}
	n := uint64(len(x))
	q, r := bits.Div64(hi, lo, n) // hi < n because every value is below 2^63
	if r >= n-r {
		q++
	}
	return int64(q)
}

// median returns the median of x, the mean of the two middle values rounded down when
// len(x) is even. It reorders x.
func median(x []int64) int64 {
	n := len(x)
	k := (n - 1) / 2
	lo := stats.SelectKth(x, k)
	if n%2 == 1 {
		return lo
	}
	hi := slices.Min(x[k+1:])
	return lo + (hi-lo)/2
}
