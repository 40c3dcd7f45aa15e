package funnel

import "math/bits"

// attempt is the counted attempt of one user: how many steps it reached, the position of
// its anchoring event, and the position at which it had completed each step.
type attempt struct {
	reach  int
	anchor int
	comp   []int32 // comp[i]: position of the event that completed steps 0..i
}

// walker holds the per-user working memory, reused from one user to the next.
type walker struct {
	nsteps int
	window int64 // 0: no limit
	anc    []int32
	pos    []int32 // nsteps x nsteps: the step positions of the attempt at each level
	cur    []int32
	m      matcher
	best   attempt
}

func newWalker(f Funnel) *walker {
	s := len(f.Steps)
	w := &walker{nsteps: s, window: int64(f.Window)}
	w.anc = make([]int32, s)
	w.pos = make([]int32, s*s)
	w.cur = make([]int32, s)
	w.best.comp = make([]int32, s)
	w.m.init(s)
	return w
}

// within reports whether time t is inside the window of an attempt anchored at time a.
// The window is closed: an event exactly Window after the anchor is inside. Times are
// sorted, so t >= a and the unsigned difference is exact.
func (w *walker) within(a, t int64) bool {
	return w.window == 0 || uint64(t-a) <= uint64(w.window)
}

// stepBits returns the step mask of a record, 0 for an excluded event.
func stepBits(r record) uint32 {
	if r.bits&exclBit != 0 {
		return 0
	}
	return r.bits
}

// orderedLatest finds the best attempt in Ordered order when every first-step event
// starts an attempt. At each level it keeps the attempt with the latest anchor, which
// dominates the others at that level: everything an older attempt can still do, the newer
// one can do too. An attempt advances only from the level below to the next step, and
// the steps are visited from the last down, so one event advances a level at most once.
func (w *walker) orderedLatest(g []record) {
	s := w.nsteps
	for j := range w.anc {
		w.anc[j] = -1
	}
	best := &w.best
	best.reach = 0
	for p := range g {
		m := stepBits(g[p])
		if m == 0 {
			continue
		}
		t := g[p].t
		for mm := m &^ 1; mm != 0; {
			j := bits.Len32(mm) - 1
			mm &^= 1 << j
			a := w.anc[j-1]
			if a < 0 || a == w.anc[j] || !w.within(g[a].t, t) {
				continue
			}
			row := w.pos[j*s : j*s+j+1]
			copy(row, w.pos[(j-1)*s:(j-1)*s+j])
			row[j] = int32(p)
			w.anc[j] = a
			if j+1 > best.reach {
				best.reach = j + 1
				best.anchor = int(a)
				copy(best.comp, row)
			}
		}
		if m&1 != 0 {
			w.anc[0] = int32(p)
			w.pos[0] = int32(p)
			if best.reach == 0 {
				best.reach = 1
				best.anchor = p
				best.comp[0] = int32(p)
			}
		}
		if best.reach == s {
			return
		}
	}
}

// orderedFirst finds the best attempt in Ordered order when the first first-step event
// holds until its window expires; the next attempt starts at the first first-step event
// after that.
func (w *walker) orderedFirst(g []record) {
	best := &w.best
	best.reach = 0
	a, lvl := -1, 0
	for p := range g {
		m := stepBits(g[p])
		if m == 0 {
			continue
		}
		if a >= 0 {
			if w.within(g[a].t, g[p].t) {
				if m&(1<<lvl) != 0 {
					w.cur[lvl] = int32(p)
					lvl++
					if lvl > best.reach {
						best.reach = lvl
						best.anchor = a
						copy(best.comp, w.cur[:lvl])
						if lvl == w.nsteps {
							return
						}
					}
				}
				continue
			}
			a = -1
		}
		if m&1 != 0 {
			a, lvl = p, 1
			w.cur[0] = int32(p)
			if best.reach == 0 {
				best.reach = 1
				best.anchor = p
				best.comp[0] = int32(p)
			}
		}
	}
}

// strictLatest finds the best attempt in Strict order when every first-step event starts
// an attempt. Bit j of alive says that the events from p-j to p are steps 0 to j.
func (w *walker) strictLatest(g []record) {
	best := &w.best
	best.reach = 0
	var alive uint32
	full := uint32(1)<<w.nsteps - 1
	for p := range g {
		m := stepBits(g[p])
		next := (alive << 1) & m & full
		for mm := next; mm != 0; {
			j := bits.Len32(mm) - 1
			mm &^= 1 << j
			if !w.within(g[p-j].t, g[p].t) {
				next &^= 1 << j
			}
		}
		next |= m & 1
		alive = next
		if alive != 0 {
			j := bits.Len32(alive) - 1
			if j+1 > best.reach {
				best.reach = j + 1
				best.anchor = p - j
				for i := 0; i <= j; i++ {
					best.comp[i] = int32(p - j + i)
				}
				if best.reach == w.nsteps {
					return
				}
			}
		}
	}
}

// strictFirst finds the best attempt in Strict order when an attempt holds until it is
// broken, expires or converts; the event that breaks it may start the next one.
func (w *walker) strictFirst(g []record) {
	best := &w.best
	best.reach = 0
	a, lvl := -1, 0
	for p := range g {
		m := stepBits(g[p])
		if a >= 0 {
			if m&(1<<lvl) != 0 && w.within(g[a].t, g[p].t) {
				lvl++
				if lvl > best.reach {
					best.reach = lvl
					best.anchor = a
					for i := 0; i < lvl; i++ {
						best.comp[i] = int32(a + i)
					}
					if lvl == w.nsteps {
						return
					}
				}
				continue
			}
			a = -1
		}
		if m&1 != 0 {
			a, lvl = p, 1
			if best.reach == 0 {
				best.reach = 1
				best.anchor = p
				best.comp[0] = int32(p)
			}
		}
	}
}

// anyLatest finds the best attempt in Any order when every step event starts an attempt
// that covers the events from it to the end of its window. A first sliding pass finds
// the largest reach R; a second finds, for each anchor, the first position by which steps
// 0 to R-1 are done, which never decreases as the anchor moves right.
func (w *walker) anyLatest(g []record) {
	best := &w.best
	best.reach = 0
	mt := &w.m
	n := len(g)
	reach := 0
	mt.reset()
	e := 0
	for s := range g {
		ms := stepBits(g[s])
		if ms == 0 {
			continue
		}
		e = max(e, s)
		for e < n && w.within(g[s].t, g[e].t) {
			if b := stepBits(g[e]); b != 0 {
				mt.add(b)
			}
			e++
		}
		reach = max(reach, mt.prefix(w.nsteps))
		mt.remove(ms)
		if reach == w.nsteps {
			break
		}
	}
	if reach == 0 {
		return
	}
	mt.reset()
	e = 0
	bestC, bestA := -1, -1
	for s := range g {
		ms := stepBits(g[s])
		if ms == 0 {
			continue
		}
		e = max(e, s)
		done := mt.prefix(reach) >= reach
		for !done && e < n && w.within(g[s].t, g[e].t) {
			if b := stepBits(g[e]); b != 0 {
				mt.add(b)
				done = mt.prefix(reach) >= reach
			}
			e++
		}
		if done && (bestC < 0 || e-1 <= bestC) {
			bestC, bestA = e-1, s
		}
		mt.remove(ms)
	}
	w.anyAttempt(g, bestA, reach)
}

// anyAttempt records the attempt anchored at s in Any order, up to the given reach, and
// returns the position after the last event it looked at.
func (w *walker) anyAttempt(g []record, s, limit int) int {
	mt := &w.m
	mt.reset()
	lvl := 0
	e := s
	for ; e < len(g) && lvl < limit && w.within(g[s].t, g[e].t); e++ {
		b := stepBits(g[e])
		if b == 0 {
			continue
		}
		mt.add(b)
		for k := mt.prefix(limit); lvl < k; lvl++ {
			w.cur[lvl] = int32(e)
		}
	}
	best := &w.best
	if lvl > best.reach {
		best.reach = lvl
		best.anchor = s
		copy(best.comp, w.cur[:lvl])
	}
	return e
}

// anyFirst finds the best attempt in Any order when an attempt holds until it converts
// or its window expires; the next one starts at the first step event after the window.
func (w *walker) anyFirst(g []record) {
	w.best.reach = 0
	for s := 0; s < len(g); {
		if stepBits(g[s]) == 0 {
			s++
			continue
		}
		e := w.anyAttempt(g, s, w.nsteps)
		if w.best.reach == w.nsteps || w.window == 0 {
			return
		}
		for e < len(g) && w.within(g[s].t, g[e].t) {
			e++
		}
		s = e
	}
}

// matcher decides which prefixes of the steps a multiset of events can cover, one event
// per step. Events are grouped by their step mask; the steps are matched one at a time
// by augmenting paths, so the first step that cannot be added ends the prefix (the sets
// of steps that can be covered form a transversal matroid).
type matcher struct {
	masks  []uint32
	counts []int32
	used   []int32
	seen   []int32
	owner  []int32 // group of each matched step
	epoch  int32
}

func (m *matcher) init(nsteps int) {
	m.owner = make([]int32, nsteps)
}

func (m *matcher) reset() {
	m.masks = m.masks[:0]
	m.counts = m.counts[:0]
}

func (m *matcher) add(mask uint32) {
	for g, x := range m.masks {
		if x == mask {
			m.counts[g]++
			return
		}
	}
	m.masks = append(m.masks, mask)
	m.counts = append(m.counts, 1)
	m.used = append(m.used, 0)
	m.seen = append(m.seen, 0)
}

func (m *matcher) remove(mask uint32) {
	for g, x := range m.masks {
		if x == mask {
			m.counts[g]--
			return
		}
	}
}

// prefix returns the largest k <= limit such that steps 0 to k-1 can each be given a
// distinct event.
func (m *matcher) prefix(limit int) int {
	m.used = m.used[:len(m.masks)]
	m.seen = m.seen[:len(m.masks)]
	for g := range m.used {
		m.used[g] = 0
		m.seen[g] = 0
	}
	m.epoch = 0
	for k := 0; k < limit; k++ {
		m.epoch++
		if !m.augment(k, k) {
			return k
		}
	}
	return limit
}

// augment finds a group for step s, moving steps below k to other groups if needed.
func (m *matcher) augment(s, k int) bool {
	bit := uint32(1) << s
	for g, x := range m.masks {
		if x&bit == 0 || m.counts[g] == 0 || m.seen[g] == m.epoch {
			continue
		}
		m.seen[g] = m.epoch
		if m.used[g] < m.counts[g] {
			m.used[g]++
			m.owner[s] = int32(g)
			return true
		}
		for s2 := 0; s2 < k; s2++ {
			if s2 != s && m.owner[s2] == int32(g) && m.augment(s2, k) {
				m.owner[s] = int32(g)
				return true
			}
		}
	}
	return false
}
