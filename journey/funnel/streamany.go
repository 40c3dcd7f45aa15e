package funnel

import "math/bits"

// Streaming in Any order.
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

// anyEvent is the layout of one kept event: time, step mask, input index of the event
// (with the flagged bit for LatestStart), then, with LatestStart, the steps its attempt
// reached and their completion times.
const (
	evTime = iota
	evMask
	evIdx
	evLevel
	evComp
)

// newAnyLayout lays out the Any-order state from word w on and returns the block width.
func (st *streamer) newAnyLayout(w int) int {
	f := st.f
	s := st.nsteps
	l := &st.any
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
	st.mt.init(s)
	return l.events + l.max*l.size
}

// initAny prepares the Any-order state of a new user.
func (st *streamer) initAny(b []int64) {
	if st.f.Anchor == FirstStart {
		b[st.any.head] = -1
	}
}

// kept returns the kept events of block b.
func (st *streamer) kept(b []int64) []int64 {
	l := &st.any
	return b[l.events : l.events+int(b[l.count])*l.size]
}

// keep appends an event to the kept events of block b and drops those no longer needed:
// with expire, those outside the window of an event at time t, and those that are not
// among the latest caps[j] events matching some step j of theirs.
func (st *streamer) keep(b []int64, m uint32, t int64, idx int, expire bool) {
	l := &st.any
	n := int(b[l.count])
	ev := b[l.events : l.events+l.max*l.size]
	start := 0
	if expire && st.window != 0 {
		for start < n && !st.within(ev[start*l.size+evTime], t) {
			start++
		}
	}
	e := ev[n*l.size : (n+1)*l.size]
	clear(e)
	e[evTime], e[evMask], e[evIdx] = t, int64(m), int64(idx)
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

// reach returns how many leading steps the kept events from position p on can cover.
func (st *streamer) reach(ev []int64, p int) int {
	l := &st.any
	s := st.nsteps
	if l.single {
		var or uint32
		for q := p; q < len(ev)/l.size; q++ {
			or |= uint32(ev[q*l.size+evMask])
		}
		return bits.TrailingZeros32(^or)
	}
	mt := &st.mt
	mt.reset()
	for q := p; q < len(ev)/l.size; q++ {
		mt.add(uint32(ev[q*l.size+evMask]))
	}
	return mt.prefix(s)
}

// anyLatest is walker.anyLatest for one event with step mask m at time t.
func (st *streamer) anyLatest(b []int64, m uint32, t int64, idx int) {
	l := &st.any
	s := st.nsteps
	st.keep(b, m, t, idx, true)
	ev := st.kept(b)
	n := len(ev) / l.size
	best, at := int(b[0]), -1
	if l.single {
		// The steps covered from each kept event on, newest first.
		var or uint32
		for p := n - 1; p >= 0; p-- {
			e := ev[p*l.size : (p+1)*l.size]
			or |= uint32(e[evMask])
			r := bits.TrailingZeros32(^or)
			if r = min(r, s); r > int(e[evLevel]) {
				for k := int(e[evLevel]); k < r; k++ {
					e[evComp+k] = t
				}
				e[evLevel] = int64(r)
				if r > best {
					best, at = r, p
				}
			}
		}
	} else {
		for p := n - 1; p >= 0; p-- {
			e := ev[p*l.size : (p+1)*l.size]
			if int(e[evLevel]) == s {
				continue
			}
			if r := st.reach(ev, p); r > int(e[evLevel]) {
				for k := int(e[evLevel]); k < r; k++ {
					e[evComp+k] = t
				}
				e[evLevel] = int64(r)
				if r > best {
					best, at = r, p
				}
			}
		}
	}
	if at >= 0 {
		// The latest anchor among those that reached the most steps at this event.
		e := ev[at*l.size : (at+1)*l.size]
		b[0] = int64(best)
		b[1] = e[evIdx]
		b[l.bestAt] = e[evTime]
		copy(b[blockHead:blockHead+best], e[evComp:evComp+best])
	}
}

// anyFirst is walker.anyFirst for one event with step mask m at time t.
func (st *streamer) anyFirst(b []int64, m uint32, t int64, idx int) {
	l := &st.any
	s := st.nsteps
	at := b[l.head:][: 3+s : 3+s]
	comp := at[3:]
	if at[0] >= 0 && !st.within(at[1], t) {
		at[0] = -1 // the window expired: the next step event starts an attempt
		b[l.count] = 0
	}
	if at[0] < 0 {
		at[0], at[1], at[2] = int64(idx), t, 0
	}
	st.keep(b, m, t, idx, false)
	r := st.reach(st.kept(b), 0)
	if lvl := int(at[2]); r > lvl {
		for k := lvl; k < r; k++ {
			comp[k] = t
		}
		at[2] = int64(r)
		if int64(r) > b[0] {
			improve(b, r, at[0], comp)
			b[l.bestAt] = at[1]
		}
	}
}

// excludeAny flags the attempts in progress in Any order that an exclusion event at time
// t drops; see exclude.
func (st *streamer) excludeAny(b []int64, x uint32, t int64) {
	l := &st.any
	if st.f.Anchor == FirstStart {
		at := b[l.head:][:3:3]
		if at[0] >= 0 && at[2] > 0 && x&(1<<(at[2]-1)) != 0 && st.within(at[1], t) {
			at[0] |= flagged
		}
		return
	}
	ev := st.kept(b)
	for p := 0; p < len(ev)/l.size; p++ {
		e := ev[p*l.size : (p+1)*l.size]
		if lvl := e[evLevel]; lvl > 0 && x&(1<<(lvl-1)) != 0 && st.within(e[evTime], t) {
			e[evIdx] |= flagged
		}
	}
}
