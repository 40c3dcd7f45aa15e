package funnel

import (
	"math/bits"
)

// The rules of the funnel, written once: an engine applies one event of a user to that
// user's state, a block of int64 words. Every path of Run, and RunSeq, hands each user's
// events to step in time order (ties in input order), one event at a time, so the state
// of a user is all that the rules know about them.
//
// A block starts with the best attempt so far; the attempts in progress follow, in a
// layout that depends on the order and the anchor:
//
//	[0]            steps reached by the best attempt so far
//	[1]            the id of its anchoring event, with the flagged bit when an exclusion
//	               dropped it
//	[2, 2+s)       the times at which it completed each step
//	[2+s, width)   the attempts in progress
//
// An event id is any number below 2^62 that increases with the user's events: the index
// of the event in the input, possibly with the breakdown value of the event in its high
// bits (see Runner.RunSeq).

// Words of a block.
const (
	wordReach  = 0
	wordAnchor = 1
	wordTimes  = 2 // the best attempt's completion times
)

// flagged marks, in the word that holds an attempt's anchor id, an attempt that an
// exclusion event has dropped.
const flagged = 1 << 62

// engine holds the compiled rules of one funnel: the layout of a block and the scratch
// of the Any-order matcher. An engine is used by one goroutine at a time.
type engine struct {
	nsteps int
	window uint64 // 0: no limit
	order  Order
	anchor Anchor
	width  int   // words per block
	rows   []int // Ordered, LatestStart: the first word of the attempt at each level
	head   int   // Ordered or Strict: the first word after the best attempt
	any    anyLayout
	// starts holds the steps whose events start attempts: the first, or in Any order all.
	starts uint32
	mt     matcher
}

func newEngine(f *Funnel) *engine {
	s := len(f.Steps)
	e := &engine{nsteps: s, window: uint64(f.Window), order: f.Order, anchor: f.Anchor}
	w := wordTimes + s
	e.head = w
	e.starts = 1
	switch {
	case f.Order == Any:
		e.starts = 1<<s - 1
		w = e.newAnyLayout(f, w)
	case f.Anchor == FirstStart:
		w += 2 + s // anchor id (-1 for none), level, s completion times
	case f.Order == Ordered:
		// For each level j below the last, the attempt with the latest anchor that
		// reached step j: its anchor id (-1 for none) and its times of steps 0 to j.
		e.rows = make([]int, s)
		for j := 0; j < max(s-1, 1); j++ { // a one-step funnel needs level 0 too
			e.rows[j] = w
			w += j + 2
		}
	default:
		// Strict, LatestStart: the mask of the attempts alive (bit j: the user's last
		// j+1 events are steps 0 to j), then the times and ids of the last s events,
		// the latest first.
		w += 1 + 2*s
	}
	e.width = w
	return e
}

// reach returns the steps reached by the best attempt of block b.
func reach(b []int64) int { return int(b[wordReach]) }

// dropped reports whether an exclusion dropped the best attempt of block b.
func dropped(b []int64) bool { return b[wordAnchor]&flagged != 0 }

// anchorID returns the id of the anchoring event of the best attempt of block b.
func anchorID(b []int64) int64 { return b[wordAnchor] &^ flagged }

// anchorTime returns the time of the anchoring event of the best attempt of block b.
func (e *engine) anchorTime(b []int64) int64 {
	if e.order == Any {
		return b[e.any.bestAt]
	}
	return b[wordTimes] // the anchor completes step 0
}

// stepTimes returns the completion times of the best attempt of block b, one per step
// (those beyond its reach are meaningless).
func (e *engine) stepTimes(b []int64) []int64 { return b[wordTimes : wordTimes+e.nsteps] }

// row returns the Ordered, LatestStart attempt at level j: its anchor id, then its
// completion times of steps 0 to j.
func (e *engine) row(b []int64, j int) []int64 { return b[e.rows[j]:][: j+2 : j+2] }

// single returns the FirstStart attempt in Ordered or Strict order: its anchor id (-1
// for none), the steps it reached, then its completion times.
func (e *engine) single(b []int64) []int64 { return b[e.head:][: 2+e.nsteps : 2+e.nsteps] }

// recentEvents returns the Strict, LatestStart state: the mask of the attempts alive,
// then the times and the ids of the user's last s events, the latest first.
func (e *engine) recentEvents(b []int64) (alive []int64, times, ids []int64) {
	s := e.nsteps
	x := b[e.head:][: 1+2*s : 1+2*s]
	return x[:1], x[1 : 1+s], x[1+s:]
}

// init prepares the block of a new user.
func (e *engine) init(b []int64) {
	clear(b)
	switch {
	case e.order == Any:
		if e.anchor == FirstStart {
			b[e.any.head] = -1
		}
	case e.anchor == FirstStart:
		e.single(b)[0] = -1
	case e.order == Ordered:
		for j := 0; j < max(e.nsteps-1, 1); j++ {
			e.row(b, j)[0] = -1
		}
	}
}

// within reports whether time t is inside the window of an attempt anchored at time
// a <= t. The window is closed; the unsigned difference is exact.
func (e *engine) within(a, t int64) bool {
	return e.window == 0 || uint64(t-a) <= e.window
}

// step applies one event of a user to the user's block: m is the mask of the steps the
// event matches, x the exclusion levels of its name (nameMatch.levels, 0 for an event
// that is not an exclusion), t its time and id its event id. In Strict order an event
// that matches nothing still breaks the attempts in progress, and must be passed.
func (e *engine) step(b []int64, m, x uint32, t, id int64) {
	if reach(b) == e.nsteps {
		return // converted: nothing can improve the best attempt
	}
	if x != 0 {
		e.exclude(b, x, t)
		if e.order != Strict {
			return
		}
	}
	switch {
	case e.order == Any && e.anchor == FirstStart:
		e.anyFirst(b, m, t, id)
	case e.order == Any:
		e.anyLatest(b, m, t, id)
	case e.anchor == FirstStart:
		e.firstStart(b, m, t, id)
	case e.order == Ordered:
		e.orderedLatest(b, m, t, id)
	default:
		e.strictLatest(b, m, t, id)
	}
}

// improve records an attempt as the best when it reached more steps than the best so
// far; being seen later, it completed its last step no earlier, so only more steps count.
func improve(b []int64, r int, anchor int64, comp []int64) {
	if int64(r) <= b[wordReach] {
		return
	}
	b[wordReach] = int64(r)
	b[wordAnchor] = anchor
	copy(b[wordTimes:], comp[:r])
}

// exclude flags the best attempt and the attempts in progress that an exclusion event
// at time t drops, x being the levels of its name: an attempt whose last completed step
// is j is dropped when bit j of x is set and t is inside its window. Being seen after
// step j, the event comes after the completion of every exclusion's From step that
// counts. In Strict order the event breaks the attempts in progress, which therefore
// never hold one.
func (e *engine) exclude(b []int64, x uint32, t int64) {
	anchorTime := b[wordTimes] // the anchor completes step 0, except in Any order
	if e.order == Any {
		anchorTime = b[e.any.bestAt]
	}
	if r := reach(b); r > 0 && x&(1<<(r-1)) != 0 && e.within(anchorTime, t) {
		b[wordAnchor] |= flagged
	}
	switch {
	case e.order == Strict:
	case e.order == Any:
		e.excludeAny(b, x, t)
	case e.anchor == FirstStart:
		at := e.single(b)
		if at[0] >= 0 && x&(1<<(at[1]-1)) != 0 && e.within(at[2], t) {
			at[0] |= flagged
		}
	default:
		for j := 0; j < max(e.nsteps-1, 1); j++ {
			row := e.row(b, j)
			if row[0] >= 0 && x&(1<<j) != 0 && e.within(row[1], t) {
				row[0] |= flagged
			}
		}
	}
}

// orderedLatest applies an event in Ordered order when every first-step event starts an
// attempt. At each level it keeps the attempt with the latest anchor, which dominates
// the others at that level: everything an older attempt can still do, the newer one can
// do too. An attempt advances only from the level below to the next step, and the steps
// are visited from the last down, so one event advances a level at most once.
func (e *engine) orderedLatest(b []int64, m uint32, t, id int64) {
	s := e.nsteps
	for mm := m &^ 1; mm != 0; {
		j := bits.Len32(mm) - 1
		mm &^= 1 << j
		src := e.row(b, j-1)
		a := src[0]
		if a < 0 || !e.within(src[1], t) {
			continue
		}
		if j == s-1 {
			// The attempt converts; nothing beats it.
			b[wordReach] = int64(s)
			b[wordAnchor] = a
			copy(b[wordTimes:wordTimes+j], src[1:])
			b[wordTimes+j] = t
			return
		}
		dst := e.row(b, j)
		if (dst[0]^a)&^flagged == 0 {
			continue // the same attempt
		}
		dst[0] = a
		copy(dst[1:], src[1:])
		dst[j+1] = t
		improve(b, j+1, a, dst[1:])
	}
	if m&1 != 0 {
		row := e.row(b, 0)
		row[0], row[1] = id, t
		improve(b, 1, row[0], row[1:])
	}
}

// firstStart applies an event in Ordered or Strict order when one attempt holds: in
// Ordered order until its window expires, the next attempt starting at the first
// first-step event after that; in Strict order also until an event that is not its next
// step breaks it, and that event may start the next attempt.
func (e *engine) firstStart(b []int64, m uint32, t, id int64) {
	at := e.single(b)
	comp := at[2:]
	if at[0] >= 0 {
		lvl := at[1]
		next := m&(1<<lvl) != 0
		if e.within(comp[0], t) && (next || e.order != Strict) {
			if next {
				comp[lvl] = t
				at[1]++
				improve(b, int(lvl)+1, at[0], comp)
			}
			return
		}
		at[0] = -1
	}
	if m&1 != 0 {
		at[0], at[1], comp[0] = id, 1, t
		improve(b, 1, at[0], comp)
	}
}

// strictLatest applies an event in Strict order when every first-step event starts an
// attempt: the attempt at level j is alive when the user's last j+1 events are steps 0
// to j inside the window of the first.
func (e *engine) strictLatest(b []int64, m uint32, t, id int64) {
	s := e.nsteps
	alive, times, ids := e.recentEvents(b)
	copy(times[1:], times[:s-1])
	copy(ids[1:], ids[:s-1])
	times[0], ids[0] = t, id
	full := uint32(1)<<s - 1
	next := (uint32(alive[0]) << 1) & m & full
	for mm := next; mm != 0; {
		j := bits.Len32(mm) - 1
		mm &^= 1 << j
		if !e.within(times[j], t) {
			next &^= 1 << j
		}
	}
	next |= m & 1
	alive[0] = int64(next)
	if next == 0 {
		return
	}
	j := bits.Len32(next) - 1
	if j+1 <= reach(b) {
		return
	}
	b[wordReach] = int64(j + 1)
	b[wordAnchor] = ids[j]
	for k := 0; k <= j; k++ {
		b[wordTimes+k] = times[j-k]
	}
}
