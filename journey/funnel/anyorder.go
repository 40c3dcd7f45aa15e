package funnel

import "math/bits"

// Any order.
//
// Whether steps 0 to k-1 can be given distinct events of a span depends only on the step
// masks of those events, and not every event is needed: an event that matches step j
// and is followed, inside the span, by at least c(j) later events that match j, c(j)
// being the number of steps with the event name of step j, can always be swapped for
// one of them, since those events can serve only the c(j) steps of that name. So a user
// keeps, in arrival order, only the events that are among the latest c(j) for some step
// j they match, and within the window: at most c events per event name of c steps, or
// c² when Where filters make the masks of a name differ. Dropping an event also drops
// the attempt anchored at it, which no longer matters: the next step event reaches as
// many steps as it by the same events, and is later.
//
// With LatestStart each kept event anchors an attempt and records, as events arrive, the
// steps its span covers and when each was completed: the first event at which steps 0
// to i could all be matched. With FirstStart one attempt holds, and the kept events are
// those since its anchor.

// anyLayout is the layout of the Any-order state in a block; bestAt, head, count and
// events are offsets of words in the block.
type anyLayout struct {
	caps   []int // per step: how many of the latest events matching it to keep
	single bool  // every step has its own event name and masks have one bit
	bestAt int   // the time of the anchor of the best attempt, which step 0 may follow
	head   int   // FirstStart: anchor (-1 for none), anchor time, level, s completion times
	count  int   // the number of kept events
	events int   // the first kept event
	size   int   // words per kept event
	max    int   // room for kept events
	marks  []bool
}

// anyEvent is the layout of one kept event: time, step mask, id of the event (with the
// flagged bit for LatestStart), then, with LatestStart, the steps its attempt
// reached and their completion times.
const (
	evTime = iota
	evMask
	evIdx
	evLevel
	evComp
)

// newAnyLayout lays out the Any-order state from word w on and returns the block width.
func (e *engine) newAnyLayout(f *Funnel, w int) int {
	s := e.nsteps
	l := &e.any
	l.caps = make([]int, s)
	l.single = true
	room := 0
	done := make([]bool, s)
	for i, a := range f.Steps {
		if done[i] {
			continue
		}
		k, where := 0, false
		for j := i; j < s; j++ {
			if f.Steps[j].Event == a.Event {
				k++
				where = where || f.Steps[j].Where != nil
			}
		}
		for j := i; j < s; j++ {
			if f.Steps[j].Event == a.Event {
				l.caps[j] = k
				done[j] = true
			}
		}
		if k > 1 {
			l.single = false
		}
		if where && k > 1 {
			room += k * k
		} else {
			room += k
		}
	}
	l.size = evComp + s
	l.bestAt = w
	w++
	if f.Anchor == FirstStart {
		l.size = evIdx + 1
		l.head = w
		w += 3 + s
	}
	l.count = w
	l.events = w + 1
	l.max = room + 1 // an arriving event before pruning
	l.marks = make([]bool, l.max)
	e.mt.init(s)
	return l.events + l.max*l.size
}

// kept returns the kept events of block b.
func (e *engine) kept(b []int64) []int64 {
	l := &e.any
	return b[l.events : l.events+int(b[l.count])*l.size]
}

// keep appends an event to the kept events of block b and drops those no longer needed:
// with expire, those outside the window of an event at time t, and those that are not
// among the latest caps[j] events matching some step j of theirs.
func (e *engine) keep(b []int64, m uint32, t int64, id int64, expire bool) {
	l := &e.any
	n := int(b[l.count])
	ev := b[l.events : l.events+l.max*l.size]
	start := 0
	if expire && e.window != 0 {
		for start < n && !e.within(ev[start*l.size+evTime], t) {
			start++
		}
	}
	ke := ev[n*l.size : (n+1)*l.size]
	clear(ke)
	ke[evTime], ke[evMask], ke[evIdx] = t, int64(m), id
	n++
	// Mark, newest first, the events among the latest caps[j] for some step j.
	var seen [MaxSteps]int
	marks := l.marks[:n]
	for p := n - 1; p >= start; p-- {
		mask := uint32(ev[p*l.size+evMask])
		keepIt := false
		for mm := mask; mm != 0; mm &= mm - 1 {
			j := bits.TrailingZeros32(mm)
			if seen[j] < l.caps[j] {
				seen[j]++
				keepIt = true
			}
		}
		marks[p] = keepIt
	}
	out := 0
	for p := start; p < n; p++ {
		if !marks[p] {
			continue
		}
		if out != p {
			copy(ev[out*l.size:(out+1)*l.size], ev[p*l.size:(p+1)*l.size])
		}
		out++
	}
	b[l.count] = int64(out)
}

// coverage returns how many leading steps the kept events from position p on can cover.
func (e *engine) coverage(ev []int64, p int) int {
	l := &e.any
	s := e.nsteps
	if l.single {
		var or uint32
		for q := p; q < len(ev)/l.size; q++ {
			or |= uint32(ev[q*l.size+evMask])
		}
		return bits.TrailingZeros32(^or)
	}
	mt := &e.mt
	mt.reset()
	for q := p; q < len(ev)/l.size; q++ {
		mt.add(uint32(ev[q*l.size+evMask]))
	}
	return mt.prefix(s)
}

// anyLatest applies an event in Any order when every step event starts an attempt.
func (e *engine) anyLatest(b []int64, m uint32, t, id int64) {
	l := &e.any
	s := e.nsteps
	e.keep(b, m, t, id, true)
	ev := e.kept(b)
	n := len(ev) / l.size
	best, at := reach(b), -1
	if l.single {
		// The steps covered from each kept event on, newest first.
		var or uint32
		for p := n - 1; p >= 0; p-- {
			ke := ev[p*l.size : (p+1)*l.size]
			or |= uint32(ke[evMask])
			r := bits.TrailingZeros32(^or)
			if r = min(r, s); r > int(ke[evLevel]) {
				for k := int(ke[evLevel]); k < r; k++ {
					ke[evComp+k] = t
				}
				ke[evLevel] = int64(r)
				if r > best {
					best, at = r, p
				}
			}
		}
	} else {
		for p := n - 1; p >= 0; p-- {
			ke := ev[p*l.size : (p+1)*l.size]
			if int(ke[evLevel]) == s {
				continue
			}
			if r := e.coverage(ev, p); r > int(ke[evLevel]) {
				for k := int(ke[evLevel]); k < r; k++ {
					ke[evComp+k] = t
				}
				ke[evLevel] = int64(r)
				if r > best {
					best, at = r, p
				}
			}
		}
	}
	if at >= 0 {
		// The latest anchor among those that reached the most steps at this event.
		ke := ev[at*l.size : (at+1)*l.size]
		b[wordReach] = int64(best)
		b[wordAnchor] = ke[evIdx]
		b[l.bestAt] = ke[evTime]
		copy(b[wordTimes:wordTimes+best], ke[evComp:evComp+best])
	}
}

// anyFirst applies an event in Any order when one attempt holds until it converts or its
// window expires.
func (e *engine) anyFirst(b []int64, m uint32, t, id int64) {
	l := &e.any
	s := e.nsteps
	at := b[l.head:][: 3+s : 3+s]
	comp := at[3:]
	if at[0] >= 0 && !e.within(at[1], t) {
		at[0] = -1 // the window expired: the next step event starts an attempt
		b[l.count] = 0
	}
	if at[0] < 0 {
		at[0], at[1], at[2] = id, t, 0
	}
	e.keep(b, m, t, id, false)
	r := e.coverage(e.kept(b), 0)
	if lvl := int(at[2]); r > lvl {
		for k := lvl; k < r; k++ {
			comp[k] = t
		}
		at[2] = int64(r)
		if r > reach(b) {
			improve(b, r, at[0], comp)
			b[l.bestAt] = at[1]
		}
	}
}

// excludeAny flags the attempts in progress in Any order that an exclusion event at time
// t drops; see exclude.
func (e *engine) excludeAny(b []int64, x uint32, t int64) {
	l := &e.any
	if e.anchor == FirstStart {
		at := b[l.head:][:3:3]
		if at[0] >= 0 && at[2] > 0 && x&(1<<(at[2]-1)) != 0 && e.within(at[1], t) {
			at[0] |= flagged
		}
		return
	}
	ev := e.kept(b)
	for p := 0; p < len(ev)/l.size; p++ {
		ke := ev[p*l.size : (p+1)*l.size]
		if lvl := ke[evLevel]; lvl > 0 && x&(1<<(lvl-1)) != 0 && e.within(ke[evTime], t) {
			ke[evIdx] |= flagged
		}
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
