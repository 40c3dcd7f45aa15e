package funnel

import (
	"math"
	"math/bits"
	"slices"
	"time"

	"github.com/cxmetrics/cxmetrics/internal/stats"
	"github.com/cxmetrics/cxmetrics/journey"
)

// users accumulates the counted attempts: O(users x steps) memory.
type users struct {
	ws     *resultBuffers
	nsteps int
	reach  []uint8
	durs   []int64 // nsteps-1 per user: time from step i-1 to step i, if reached
	group  []int64 // per user: the id of the anchoring event, then the group
	keys   map[string]int32
	names  []string
}

// resultBuffers are the buffers of the counted attempts that a Runner keeps for its next
// run.
type resultBuffers struct {
	reach   []uint8
	durs    []int64
	group   []int64
	who     []int32
	byGroup []int32
	scratch []int64
	pairs   []uint64
	pairs2  []uint64
	counts  []int
}

// reuse returns s emptied, with room for n elements.
func reuse[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, 0, n)
	}
	return s[:0]
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

// add adds the counted attempt of a user, the best attempt of block b, unless the user
// never reached the first step or an exclusion dropped the attempt.
func (u *users) add(eng *engine, b []int64) {
	r := reach(b)
	if r == 0 || dropped(b) {
		return
	}
	u.reach = append(u.reach, uint8(r))
	comp := eng.stepTimes(b)
	for i := 1; i < u.nsteps; i++ {
		var d int64
		if i < r {
			// Completion times never decrease; the unsigned difference is exact and
			// saturates at the longest Duration.
			d = int64(min(uint64(comp[i]-comp[i-1]), math.MaxInt64))
		}
		u.durs = append(u.durs, d)
	}
	if u.keys != nil {
		u.group = append(u.group, anchorID(b))
	}
}

// merge appends the users of v to u.
func (u *users) merge(v *users) {
	u.reach = append(u.reach, v.reach...)
	u.durs = append(u.durs, v.durs...)
	if u.keys != nil {
		u.group = append(u.group, v.group...)
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
		pairs[i] = uint64(idx)<<32 | uint64(i)
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
		u.group[uint32(p)] = int64(id)
	}
}

// result summarises all users and, with a breakdown, each group.
func (u *users) result(f *Funnel) Result {
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
func (u *users) summary(f *Funnel, who []int32, scratch []int64) Result {
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
