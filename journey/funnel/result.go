package funnel

import (
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/multtest"
	"github.com/cxmetrics/cxmetrics/internal/normal"
	"github.com/cxmetrics/cxmetrics/internal/stats"
	"github.com/cxmetrics/cxmetrics/journey"
)

// users accumulates the counted attempts: O(users x steps) memory.
type users struct {
	ws     *resultBuffers
	nsteps int
	reach  []uint8
	durs   []int64 // nsteps-1 per user: time from step i-1 to step i, if reached
	// anchors holds, with a breakdown or user lists, the id of each user's anchoring
	// event; starts, with a trend, its time.
	anchors    []int64
	starts     []int64
	keepAnchor bool
	keepStart  bool
	// With a breakdown, the group of each user, numbering the values in names; with user
	// lists, each user's id. Both are filled by resolve.
	group []int32
	names []string
	ids   []string
	// named says that the users come with their ids (addNamed), for user lists.
	named bool
	// workers, when more than 1, is the number of goroutines that fan runs to summarise
	// all users.
	workers int
	fan     func(workers int, work func(w int))
}

// resultBuffers are the buffers of the counted attempts that a Runner keeps for its next
// run.
type resultBuffers struct {
	reach   []uint8
	durs    []int64
	anchors []int64
	starts  []int64
	group   []int32
	who     []int32
	byGroup []int32
	scratch []int64
	pairs   []uint64
	pairs2  []uint64
	counts  []int
}

// reuse returns s emptied, with room for n elements. A new buffer gets a margin of a
// sixteenth, so that runs whose needs vary a little with the hash seed reuse it instead
// of each mapping fresh memory.
func reuse[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, 0, n+n/16)
	}
	return s[:0]
}

// newUsers returns an accumulator for the funnel f with room for n users, with buffers
// from ws, or its own when ws is nil.
func newUsers(f *Funnel, ws *resultBuffers, n int) users {
	if ws == nil {
		ws = new(resultBuffers)
	}
	s := len(f.Steps)
	u := users{ws: ws, nsteps: s, keepAnchor: f.BreakdownBy != "" || f.ListUsers, keepStart: f.Trend != NoTrend}
	u.reach = reuse(ws.reach, n)
	u.durs = reuse(ws.durs, n*(s-1))
	if u.keepAnchor {
		u.anchors = reuse(ws.anchors, n)
	}
	if u.keepStart {
		u.starts = reuse(ws.starts, n)
	}
	return u
}

// grow makes room for n more users.
func (u *users) grow(n int) {
	u.reach = slices.Grow(u.reach, n)
	u.durs = slices.Grow(u.durs, n*(u.nsteps-1))
	if u.keepAnchor {
		u.anchors = slices.Grow(u.anchors, n)
	}
	if u.keepStart {
		u.starts = slices.Grow(u.starts, n)
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
	if u.keepAnchor {
		u.anchors = append(u.anchors, anchorID(b))
	}
	if u.keepStart {
		u.starts = append(u.starts, eng.anchorTime(b))
	}
}

// addNamed is add for a user whose id is known, which it keeps for user lists.
func (u *users) addNamed(eng *engine, b []int64, user string) {
	n := len(u.reach)
	u.add(eng, b)
	if u.named && len(u.reach) > n {
		u.ids = append(u.ids, user)
	}
}

// keep hands u's buffers back to its resultBuffers for the next run.
func (u *users) keep() {
	ws := u.ws
	ws.reach, ws.durs, ws.anchors, ws.starts, ws.group = u.reach, u.durs, u.anchors, u.starts, u.group
}

// resolve reads, from the anchoring event of each user's counted attempt, the user's
// breakdown value (when by is not empty) and, with list, the user's id. It reads the
// events in input order, which is much faster than in the users' order.
func (u *users) resolve(events []journey.Event, by string, list bool) {
	n := len(u.anchors)
	// Sort (event index, user) pairs by event index: two 16-bit radix passes, or a
	// comparison sort for few users.
	pairs := reuse(u.ws.pairs, n)[:n]
	tmp := reuse(u.ws.pairs2, n)[:n]
	u.ws.pairs, u.ws.pairs2 = pairs, tmp
	for i, idx := range u.anchors {
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
	if by != "" {
		u.group = reuse(u.ws.group, n)[:n]
		keys := map[string]int32{}
		for _, p := range pairs {
			key := events[p>>32].Props[by]
			id, ok := keys[key]
			if !ok {
				id = int32(len(u.names))
				keys[key] = id
				u.names = append(u.names, key)
			}
			u.group[uint32(p)] = id
		}
	}
	if list {
		u.ids = make([]string, n)
		for _, p := range pairs {
			u.ids[uint32(p)] = events[p>>32].User
		}
	}
}

// result summarises all users and, with a breakdown, each group. Its only error is a
// trend of more than MaxPeriods periods.
func (u *users) result(f *Funnel) (Result, error) {
	u.keep()
	ws := u.ws
	n := len(u.reach)
	all := reuse(ws.who, n)[:n]
	for i := range all {
		all[i] = int32(i)
	}
	scratch := reuse(ws.scratch, n)
	ws.who, ws.scratch = all, scratch
	r := u.summary(f, all, scratch, u.workers)
	if u.keepStart {
		var err error
		if r.Trend, err = u.trend(f); err != nil {
			return Result{}, err
		}
	}
	if f.BreakdownBy == "" {
		return r, nil
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
		r.Breakdown[name] = u.summary(f, byGroup[off[i]:off[i+1]], scratch, 1)
	}
	r.BreakdownTests = breakdownTests(r)
	return r, nil
}

// level returns the confidence level of the funnel's intervals.
func (f *Funnel) level() float64 {
	if f.Level == 0 {
		return 0.95
	}
	return f.Level
}

// wilson returns the Wilson interval of the share k/n in percent, as every
// cxmetrics.Interval of a share, or [0, 0] when n is 0.
func wilson(k, n int, level float64) cxmetrics.Interval {
	iv := cxmetrics.Interval{Level: level, Method: cxmetrics.Wilson}
	if n == 0 {
		return iv
	}
	p := float64(k) / float64(n)
	// The level was checked and the share lies in [0, 1]: no error is possible.
	z, _ := normal.Critical(pkg, level)
	lo, hi, _ := normal.Wilson(pkg, p, float64(n), z)
	iv.Estimate, iv.Lower, iv.Upper = 100*p, 100*lo, 100*hi
	return iv
}

// summary computes the step results over the given users. With more than one worker,
// and many users, the times to convert of the steps are summarised in parallel.
func (u *users) summary(f *Funnel, who []int32, scratch []int64, workers int) Result {
	s := u.nsteps
	level := f.level()
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
		st.FromStartInterval = wilson(reached[i+1], reached[1], level)
		prev := reached[1]
		if i > 0 {
			prev = reached[i]
		}
		st.FromPrevious = share(reached[i+1], prev)
		st.FromPreviousInterval = wilson(reached[i+1], prev, level)
		if i+1 < s {
			st.DroppedAfter = reached[i+1] - reached[i+2]
		}
		if i > 0 && f.Bins != nil {
			st.Histogram = make([]int, len(f.Bins)+1)
		}
	}
	// Task i in [1, s) summarises the times to convert to step i; task s, those of the
	// whole funnel. Each has its part of scratch.
	if workers > 1 && len(who) >= minEventsPerWorker {
		lo := make([]int, s+2) // task i collects its times in scratch[lo[i]:lo[i+1]]
		for i := 1; i <= s; i++ {
			need := reached[s]
			if i < s {
				need = reached[i+1]
			}
			lo[i+1] = lo[i] + need
		}
		scratch = slices.Grow(scratch[:0], lo[s+1])[:lo[s+1]]
		u.ws.scratch = scratch
		// Each worker collects the times of a part of the users, into the places
		// that the parts before it leave free, so that every task's times come in the
		// order of who; then the workers take the tasks in turn.
		// at[w][r] counts the users of part w who reached r steps, then holds where
		// part w writes the times of task r.
		at := make([][]int, workers)
		part := func(w int) []int32 { return who[w*len(who)/workers : (w+1)*len(who)/workers] }
		u.fan(workers, func(w int) {
			c := make([]int, s+1)
			for _, k := range part(w) {
				c[u.reach[k]]++
			}
			at[w] = c
		})
		next := slices.Clone(lo[:s+1]) // where the next part writes the times of task i
		for w := range workers {
			c := at[w]
			pos := make([]int, s+1)
			n := 0 // users of part w who reached more than i steps
			for i := s - 1; i >= 1; i-- {
				n += c[i+1]
				pos[i] = next[i]
				next[i] += n
			}
			pos[s] = next[s]
			next[s] += c[s]
			at[w] = pos
		}
		u.fan(workers, func(w int) {
			pos := at[w]
			for _, k := range part(w) {
				r := int(u.reach[k])
				d := u.durs[int(k)*(s-1) : int(k+1)*(s-1)]
				for i := 1; i < r; i++ {
					scratch[pos[i]] = d[i-1]
					pos[i]++
				}
				if r == s {
					scratch[pos[s]] = wholeFunnel(d)
					pos[s]++
				}
			}
		})
		var task atomic.Int32 // the next task
		task.Store(1)
		u.fan(workers, func(int) {
			for i := int(task.Add(1) - 1); i <= s; i = int(task.Add(1) - 1) {
				u.summariseTimes(f, &res, i, scratch[lo[i]:lo[i+1]])
			}
		})
	} else {
		for i := 1; i <= s; i++ {
			u.stepTimes(f, &res, who, i, scratch[:0])
		}
	}
	if u.ids != nil {
		for _, k := range who {
			r := int(u.reach[k])
			if r == s {
				res.Converted = append(res.Converted, u.ids[k])
			} else {
				res.Steps[r-1].DroppedUsers = append(res.Steps[r-1].DroppedUsers, u.ids[k])
			}
		}
		slices.Sort(res.Converted)
		for i := range res.Steps {
			slices.Sort(res.Steps[i].DroppedUsers)
		}
	}
	return res
}

// stepTimes summarises in res the times to convert of the given users to step i in
// [1, s), or, for i = s, from the first step to the last, collecting them in x, which
// must have room for them.
func (u *users) stepTimes(f *Funnel, res *Result, who []int32, i int, x []int64) {
	s := u.nsteps
	for _, k := range who {
		r := int(u.reach[k])
		switch {
		case i == s && r == s:
			x = append(x, wholeFunnel(u.durs[int(k)*(s-1):int(k+1)*(s-1)]))
		case i < s && r > i:
			x = append(x, u.durs[int(k)*(s-1)+i-1])
		}
	}
	u.summariseTimes(f, res, i, x)
}

// wholeFunnel returns the time from the first step to the last of a user who reached
// every step, from the user's times between steps, saturating as each step does.
func wholeFunnel(durs []int64) int64 {
	var total uint64
	for _, d := range durs {
		total = min(total+uint64(d), math.MaxInt64)
	}
	return int64(total)
}

// summariseTimes summarises in res the times to convert x of task i (see stepTimes),
// reordering x.
func (u *users) summariseTimes(f *Funnel, res *Result, i int, x []int64) {
	if i == u.nsteps {
		res.TimeToConvert = percentiles(x)
		return
	}
	st := &res.Steps[i]
	if st.Reached == 0 {
		return
	}
	if st.Histogram != nil {
		for _, d := range x {
			count(st.Histogram, f.Bins, d)
		}
	}
	st.MeanTimeToConvert = time.Duration(mean(x))
	st.TimeToConvert = percentiles(x)
	st.MedianTimeToConvert = st.TimeToConvert.P50
}

// count adds duration d to the histogram h with edges bins.
func count(h []int, bins []time.Duration, d int64) {
	k, _ := slices.BinarySearchFunc(bins, d, func(e time.Duration, d int64) int {
		if int64(e) <= d {
			return -1
		}
		return 1
	})
	h[k]++
}

// share returns a/b, or 0 when b is 0.
func share(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// mean returns the mean of non-negative values rounded to the nearest integer, exactly:
// the sum is kept in 128 bits. It is 0 for no values.
func mean(x []int64) int64 {
	if len(x) == 0 {
		return 0
	}
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

// percentileProbs are the probabilities of Percentiles, in its order.
var percentileProbs = [5]float64{0.10, 0.25, 0.50, 0.75, 0.90}

// percentiles returns the type-7 percentiles of non-negative x (see Percentiles),
// reordering x: it selects the order statistics from the highest down, each selection
// within the part below the previous one, in O(n) expected time in all.
func percentiles(x []int64) Percentiles {
	var out [5]int64
	n := len(x)
	if n == 0 {
		return Percentiles{}
	}
	hi := n // x[:hi] holds the hi smallest values
	prevK, prevLo, prevNext := -1, int64(0), int64(0)
	for i := len(percentileProbs) - 1; i >= 0; i-- {
		// h = (n-1)p, split exactly as an integer part and a fraction of 100: the
		// probabilities are whole percents.
		num := (n - 1) * int(math.Round(percentileProbs[i]*100))
		k, frac := num/100, num%100
		var lo, next int64
		if k == prevK {
			lo, next = prevLo, prevNext
		} else {
			lo = stats.SelectKth(x[:hi], k)
			if frac != 0 {
				next = slices.Min(x[k+1 : hi])
			}
		}
		v := lo
		if frac != 0 {
			// lo + frac/100·(next - lo), rounded down, without overflow.
			d := uint64(next - lo)
			q, r := d/100, d%100
			v = lo + int64(q*uint64(frac)+r*uint64(frac)/100)
		}
		out[i] = v
		prevK, prevLo, prevNext, hi = k, lo, next, k+1
	}
	return Percentiles{time.Duration(out[0]), time.Duration(out[1]), time.Duration(out[2]),
		time.Duration(out[3]), time.Duration(out[4])}
}

// breakdownTests compares each breakdown value's overall conversion with the rest's.
func breakdownTests(r Result) []BreakdownTest {
	if len(r.Breakdown) < 2 {
		return nil
	}
	s := len(r.Steps)
	total, conv := r.Users, r.Steps[s-1].Reached
	tests := make([]BreakdownTest, 0, len(r.Breakdown))
	for v, g := range r.Breakdown {
		n1, x1 := g.Users, g.Steps[s-1].Reached
		n2, x2 := total-n1, conv-x1
		t := BreakdownTest{Value: v, Users: n1, Converted: x1, Rate: share(x1, n1), RestRate: share(x2, n2)}
		p := share(x1+x2, n1+n2)
		t.Z, t.P = normal.ZTest(t.Rate-t.RestRate, p*(1-p)*(1/float64(n1)+1/float64(n2)))
		tests = append(tests, t)
	}
	slices.SortFunc(tests, func(a, b BreakdownTest) int { return strings.Compare(a.Value, b.Value) })
	p := make([]float64, len(tests))
	for i, t := range tests {
		p[i] = t.P
	}
	for i, q := range multtest.Holm(p) {
		tests[i].PHolm = q
	}
	return tests
}
