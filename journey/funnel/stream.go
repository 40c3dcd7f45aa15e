package funnel

import (
	"hash/maphash"
	"math"
	"math/bits"
	"unsafe"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/journey"
)

// streamer computes a funnel in one pass over events in time order. It keeps, per user
// who reached the first step (and, while the recent cache is on, per user seen), a block
// of width int64 words:
//
//	[0]          steps reached by the best attempt so far
//	[1]          input index of its anchoring event, with the flagged bit if an
//	             exclusion dropped it
//	[2, 2+s)     times at which it completed each step
//	[2+s, width) the state of the attempts in progress, which depends on the mode
type streamer struct {
	f      Funnel
	nsteps int
	window uint64 // 0: no limit
	width  int
	rows   []int // Ordered, LatestStart: the offset of the attempt at each level
	any    anyLayout
	starts uint32 // the steps whose events start attempts: the first, or in Any order all
	mt     matcher
	ws     *workspace
	chunks []chunk // the users, chunkUsers to a chunk; from ws, with used of them in use
	used   int
	events int // the number of events, which bounds the number of users
	// perUser requires only each user's events to be in time order: every user gets a
	// block, whose word last holds the time of the user's latest event.
	perUser bool
	last    int
	n       int // users

	// An open-addressing hash table from user to id, at most half full: each entry holds
	// the high 32 bits of the user's hash and the id plus one (0 for a free entry). The
	// users themselves are kept by id, in the chunks, and compared exactly; the hash only
	// finds the entry.
	seed  maphash.Seed
	table []uint64
	mask  uint64

	// The events of a batch that may change some user's state.
	batch struct {
		n    int
		idx  [batchSize]int
		hash [batchSize]uint64
		t    [batchSize]int64
		m    [batchSize]uint32 // the steps the event matches
		x    [batchSize]uint32 // for an exclusion event, its nameMatch.levels
		id   [batchSize]int32
		todo [batchSize]int32
	}
	recent recent
	addrs  []uintptr // the addresses to prefetch
}

// batchSize is the number of events whose memory accesses overlap: Run handles the
// events of a batch in stages, each of which prefetches what the next one reads, so that
// the processor waits for many cache misses at once instead of one after another.
const batchSize = 256

// streamBuffers are the buffers of a streamer kept in a workspace.
type streamBuffers struct {
	chunks []chunk
	table  []uint64
	recent []recentSlot
}

// chunk holds the blocks of the users with ids in [k*chunkUsers, (k+1)*chunkUsers).
// Growing by chunks never copies what is written.
type chunk struct {
	users []string
	state []int64
}

const chunkUsers = 1 << 14

// block returns the block of user id.
func (st *streamer) block(id int) []int64 {
	off := (id % chunkUsers) * st.width
	return st.chunks[id/chunkUsers].state[off : off+st.width : off+st.width]
}

// find returns the id of user, whose hash is h, or -1 with the position of the free
// entry where it belongs.
func (st *streamer) find(h uint64, user string) (id int32, pos uint64) {
	tag := h >> 32
	for i := h & st.mask; ; i = (i + 1) & st.mask {
		e := st.table[i]
		if e == 0 {
			return -1, i
		}
		if e>>32 == tag {
			id := int32(uint32(e) - 1)
			if st.chunks[id/chunkUsers].users[id%chunkUsers] == user {
				return id, i
			}
		}
	}
}

// guess returns the id of the first user in the table whose hash has the same high half
// as h, or -1: the id of the user with hash h, unless two hashes share their high half.
func (st *streamer) guess(h uint64) int {
	tag := h >> 32
	for i := h & st.mask; ; i = (i + 1) & st.mask {
		e := st.table[i]
		if e == 0 {
			return -1
		}
		if e>>32 == tag {
			return int(uint32(e)) - 1
		}
	}
}

// insert adds a user, whose hash is h, at position pos of the table, and returns its id.
func (st *streamer) insert(h uint64, pos uint64, user string) int32 {
	id := st.n
	if id%chunkUsers == 0 {
		if st.used == len(st.chunks) {
			st.chunks = append(st.chunks, chunk{})
		}
		// A chunk holds at most as many users as there are events left, so that a
		// small log does not allocate a whole chunk.
		k := min(chunkUsers, st.events-id)
		c := &st.chunks[st.used]
		if len(c.state) < k*st.width {
			c.state = make([]int64, k*st.width)
		}
		if len(c.users) < k {
			c.users = make([]string, k)
		}
		st.used++
	}
	st.n++
	st.chunks[id/chunkUsers].users[id%chunkUsers] = user
	st.initBlock(st.block(id))
	st.table[pos] = h>>32<<32 | uint64(id+1)
	if 2*st.n > len(st.table) {
		st.grow()
	}
	return int32(id)
}

// grow doubles the table. The hash of each user is computed again: the table keeps only
// its high half.
func (st *streamer) grow() {
	st.table = make([]uint64, 2*len(st.table))
	st.mask = uint64(len(st.table) - 1)
	for id := range st.n {
		h := maphash.String(st.seed, st.chunks[id/chunkUsers].users[id%chunkUsers])
		i := h & st.mask
		for st.table[i] != 0 {
			i = (i + 1) & st.mask
		}
		st.table[i] = h>>32<<32 | uint64(id+1)
	}
}

// The state of the attempts in progress starts at word blockHead. Ordered with LatestStart
// keeps, for each level j below the last, the attempt with the latest anchor that
// reached step j: its anchor's input index (-1 for none) and its completion times of
// steps 0 to j. FirstStart keeps its one attempt: the anchor's input index (-1 for
// none), the steps reached and their completion times. Strict with LatestStart keeps
// the bit mask of the attempts alive (bit j: the user's last j+1 events are steps 0 to
// j) and the times and input indexes of the user's last s events, the latest first.
const blockHead = 2

// lineWords is the number of int64 words in a cache line.
const lineWords = 8

func newStreamer(f Funnel, ws *workspace, perUser bool) *streamer {
	s := len(f.Steps)
	st := &streamer{f: f, nsteps: s, window: uint64(f.Window), seed: maphash.MakeSeed(), ws: ws,
		perUser: perUser}
	st.chunks = ws.stream.chunks
	st.table = ws.stream.table
	if len(st.table) < 1<<10 {
		st.table = make([]uint64, 1<<10)
	}
	st.mask = uint64(len(st.table) - 1)
	w := blockHead + s
	st.starts = 1
	if f.Order == Any {
		st.starts = 1<<s - 1
	}
	switch {
	case f.Order == Any:
		w = st.newAnyLayout(w)
	case f.Anchor == FirstStart:
		w += 2 + s
	case f.Order == Ordered:
		st.rows = make([]int, s)
		for j := 0; j < max(s-1, 1); j++ { // a one-step funnel needs level 0 too
			st.rows[j] = w
			w += j + 2
		}
	default:
		w += 1 + 2*s
	}
	if perUser {
		st.last = w
		w++
	}
	st.width = w
	st.addrs = make([]uintptr, 0, batchSize*(2+(w+lineWords-1)/lineWords))
	return st
}

// initBlock prepares the block of a new user.
func (st *streamer) initBlock(b []int64) {
	clear(b)
	if st.perUser {
		b[st.last] = math.MinInt64
	}
	switch {
	case st.f.Order == Any:
		st.initAny(b)
	case st.f.Anchor == FirstStart:
		b[blockHead+st.nsteps] = -1
	case st.f.Order == Ordered:
		for j := 0; j < max(st.nsteps-1, 1); j++ {
			b[st.rows[j]] = -1
		}
	}
}

// within reports whether time t is inside the window of an attempt anchored at time a
// <= t. The unsigned difference is exact.
func (st *streamer) within(a, t int64) bool {
	return st.window == 0 || uint64(t-a) <= st.window
}

// run validates the events and streams them. It returns ok false, and no error, at the
// first event earlier than the one before it: the caller must then group the events.
func (st *streamer) run(events []journey.Event, ns *names) (u users, ok bool, err error) {
	f := st.f
	strict := f.Order == Strict
	prev := int64(math.MinInt64)
	st.recent.init(st.ws.stream.recent, len(events))
	st.events = len(events)
	for i := range events {
		e := &events[i]
		if e.User == "" {
			st.release()
			return u, false, &cxmetrics.InputError{Pkg: pkg, What: "event user", Index: i, Value: `""`,
				Err: cxmetrics.ErrEmpty}
		}
		t, valid := eventTime(e)
		if !valid {
			st.release()
			return u, false, timeError(e, i)
		}
		if t < prev && !st.perUser {
			st.release()
			return u, false, nil
		}
		prev = t
		var m, x uint32
		if nm := ns.lookup(e.Name); nm == nil {
		} else if nm.excl != 0 {
			x = nm.levels
		} else {
			m = f.match(nm, e)
		}
		if m == 0 && x == 0 && !strict {
			continue
		}
		bt := &st.batch
		k := bt.n
		bt.idx[k], bt.t[k], bt.m[k], bt.x[k] = i, t, m, x
		bt.n++
		if bt.n == batchSize {
			if !st.flush(events) {
				st.release()
				return u, false, nil
			}
		}
	}
	if !st.flush(events) {
		st.release()
		return u, false, nil
	}
	return st.users(), true, nil
}

// flush finds the users of the batched events, and then applies the events in order. It
// returns false when, with perUser, a user's event is earlier than the one before it.
func (st *streamer) flush(events []journey.Event) bool {
	bt := &st.batch
	n := bt.n
	// The events whose users the recent cache does not know.
	todo := bt.todo[:0]
	cache := st.recent.on()
	if cache {
		for k, i := range bt.idx[:n] {
			if id, ok := st.recent.get(events[i].User); ok {
				bt.id[k] = id
			} else {
				bt.id[k] = -1
				todo = append(todo, int32(k))
			}
		}
		st.recent.count(n, n-len(todo))
	} else {
		for k := range n {
			bt.id[k] = -1
			todo = append(todo, int32(k))
		}
	}
	// Each prefetch below asks for memory that the next loop reads, in cache lines that
	// are far apart: the user ids, the table entries, and the users' ids and blocks.
	addrs := st.addrs[:0]
	for _, k := range todo {
		addrs = append(addrs, uintptr(unsafe.Pointer(unsafe.StringData(events[bt.idx[k]].User))))
	}
	prefetch(addrs)
	addrs = addrs[:0]
	for _, k := range todo {
		h := maphash.String(st.seed, events[bt.idx[k]].User)
		bt.hash[k] = h
		addrs = append(addrs, uintptr(unsafe.Pointer(&st.table[h&st.mask])))
	}
	prefetch(addrs)
	addrs = addrs[:0]
	next := st.n // the likely id of the next new user
	for _, k := range todo {
		id := st.guess(bt.hash[k])
		if id < 0 && (cache || st.perUser || bt.m[k]&st.starts != 0) {
			id = next
			next++
		}
		if id >= 0 && st.ready(id) {
			addrs = append(addrs, uintptr(unsafe.Pointer(&st.chunks[id/chunkUsers].users[id%chunkUsers])))
			addrs = st.blockLines(addrs, id)
		}
	}
	if len(todo) < n {
		for k := range n {
			if id := bt.id[k]; id >= 0 {
				addrs = st.blockLines(addrs, int(id))
			}
		}
	}
	prefetch(addrs)
	for _, k := range todo {
		user := events[bt.idx[k]].User
		id, pos := st.find(bt.hash[k], user)
		if id < 0 {
			if !cache && !st.perUser && bt.m[k]&st.starts == 0 {
				// Nothing to do before the first step. With the cache on, such users
				// are added too, so that their later events find them in the cache.
				continue
			}
			id = st.insert(bt.hash[k], pos, user)
		}
		bt.id[k] = id
		if cache {
			st.recent.put(user, id)
		}
	}
	s := int64(st.nsteps)
	strict := st.f.Order == Strict
	first := st.f.Anchor == FirstStart
	anyOrder := st.f.Order == Any
	for k := range bt.n {
		id := bt.id[k]
		if id < 0 {
			continue
		}
		b := st.block(int(id))
		m, t, idx := bt.m[k], bt.t[k], bt.idx[k]
		if st.perUser {
			if t < b[st.last] {
				return false
			}
			b[st.last] = t
		}
		if b[0] == s {
			continue // converted: nothing can improve the best attempt
		}
		if x := bt.x[k]; x != 0 {
			st.exclude(b, x, t)
			if !strict {
				continue
			}
		}
		switch {
		case anyOrder && first:
			st.anyFirst(b, m, t, idx)
		case anyOrder:
			st.anyLatest(b, m, t, idx)
		case first && !strict:
			st.orderedFirst(b, m, t, idx)
		case first:
			st.strictFirst(b, m, t, idx)
		case !strict:
			st.orderedLatest(b, m, t, idx)
		default:
			st.strictLatest(b, m, t, idx)
		}
	}
	bt.n = 0
	return true
}

// ready reports whether the memory of user id, who may be about to be added, exists.
func (st *streamer) ready(id int) bool {
	c := id / chunkUsers
	if c >= len(st.chunks) {
		return false
	}
	ch := &st.chunks[c]
	k := id % chunkUsers
	return k < len(ch.users) && (k+1)*st.width <= len(ch.state)
}

// blockLines appends the addresses of the cache lines of the block of user id, which
// may be a user about to be added, to addrs.
func (st *streamer) blockLines(addrs []uintptr, id int) []uintptr {
	c := &st.chunks[id/chunkUsers]
	b := c.state[(id%chunkUsers)*st.width:][:st.width]
	for w := 0; w < len(b); w += lineWords {
		addrs = append(addrs, uintptr(unsafe.Pointer(&b[w])))
	}
	return append(addrs, uintptr(unsafe.Pointer(&b[len(b)-1])))
}

// flagged marks, in the word that holds the anchor's input index, an attempt that an
// exclusion event has dropped. Input indexes are below 2^32.
const flagged = 1 << 62

// exclude flags the best attempt and the attempts in progress that an exclusion event
// at time t drops, x being the levels of its name: an attempt whose last completed step
// is j is dropped when bit j of x is set and t is inside its window. Being seen after
// step j, the event comes after the completion of every exclusion's From step that
// counts. In Strict order the event breaks the attempts in progress, which therefore
// never hold one.
func (st *streamer) exclude(b []int64, x uint32, t int64) {
	s := st.nsteps
	anchor := b[blockHead] // the anchor completes step 0, except in Any order
	if st.f.Order == Any {
		anchor = b[st.any.bestAt]
	}
	if r := b[0]; r > 0 && x&(1<<(r-1)) != 0 && st.within(anchor, t) {
		b[1] |= flagged
	}
	switch {
	case st.f.Order == Strict:
	case st.f.Order == Any:
		st.excludeAny(b, x, t)
	case st.f.Anchor == FirstStart:
		at := b[blockHead+s:][: 2+s : 2+s]
		if at[0] >= 0 && x&(1<<(at[1]-1)) != 0 && st.within(at[2], t) {
			at[0] |= flagged
		}
	default:
		for j := 0; j < max(s-1, 1); j++ {
			row := b[st.rows[j]:][:2:2]
			if row[0] >= 0 && x&(1<<j) != 0 && st.within(row[1], t) {
				row[0] |= flagged
			}
		}
	}
}

// improve records an attempt as the best when it reached more steps than the best so
// far; being seen later, it completed its last step no earlier, so only more steps count.
func improve(b []int64, reach int, anchor int64, comp []int64) {
	if int64(reach) <= b[0] {
		return
	}
	b[0] = int64(reach)
	b[1] = anchor
	copy(b[blockHead:], comp[:reach])
}

// orderedLatest is walker.orderedLatest for one event with step mask m at time t.
func (st *streamer) orderedLatest(b []int64, m uint32, t int64, idx int) {
	s := st.nsteps
	for mm := m &^ 1; mm != 0; {
		j := bits.Len32(mm) - 1
		mm &^= 1 << j
		src := b[st.rows[j-1]:][: j+1 : j+1]
		a := src[0]
		if a < 0 || !st.within(src[1], t) {
			continue
		}
		if j == s-1 {
			// The attempt converts; nothing beats it.
			b[0] = int64(s)
			b[1] = a
			copy(b[blockHead:blockHead+j], src[1:])
			b[blockHead+j] = t
			return
		}
		dst := b[st.rows[j]:][: j+2 : j+2]
		if (dst[0]^a)&^flagged == 0 {
			continue // the same attempt
		}
		dst[0] = a
		copy(dst[1:], src[1:])
		dst[j+1] = t
		improve(b, j+1, a, dst[1:])
	}
	if m&1 != 0 {
		row := b[st.rows[0]:][:2:2]
		row[0], row[1] = int64(idx), t
		improve(b, 1, row[0], row[1:])
	}
}

// orderedFirst is walker.orderedFirst for one event with step mask m at time t.
func (st *streamer) orderedFirst(b []int64, m uint32, t int64, idx int) {
	s := st.nsteps
	at := b[blockHead+s:][: 2+s : 2+s]
	comp := at[2:]
	if at[0] >= 0 {
		if st.within(comp[0], t) {
			if lvl := at[1]; m&(1<<lvl) != 0 {
				comp[lvl] = t
				at[1]++
				improve(b, int(lvl)+1, at[0], comp)
			}
			return
		}
		at[0] = -1
	}
	if m&1 != 0 {
		at[0], at[1], comp[0] = int64(idx), 1, t
		improve(b, 1, at[0], comp)
	}
}

// strictFirst is walker.strictFirst for one event with step mask m at time t.
func (st *streamer) strictFirst(b []int64, m uint32, t int64, idx int) {
	s := st.nsteps
	at := b[blockHead+s:][: 2+s : 2+s]
	comp := at[2:]
	if at[0] >= 0 {
		if lvl := at[1]; m&(1<<lvl) != 0 && st.within(comp[0], t) {
			comp[lvl] = t
			at[1]++
			improve(b, int(lvl)+1, at[0], comp)
			return
		}
		at[0] = -1
	}
	if m&1 != 0 {
		at[0], at[1], comp[0] = int64(idx), 1, t
		improve(b, 1, at[0], comp)
	}
}

// strictLatest is walker.strictLatest for one event with step mask m at time t.
func (st *streamer) strictLatest(b []int64, m uint32, t int64, idx int) {
	s := st.nsteps
	x := b[blockHead+s:][: 1+2*s : 1+2*s]
	times, idxs := x[1:1+s], x[1+s:]
	copy(times[1:], times[:s-1])
	copy(idxs[1:], idxs[:s-1])
	times[0], idxs[0] = t, int64(idx)
	full := uint32(1)<<s - 1
	next := (uint32(x[0]) << 1) & m & full
	for mm := next; mm != 0; {
		j := bits.Len32(mm) - 1
		mm &^= 1 << j
		if !st.within(times[j], t) {
			next &^= 1 << j
		}
	}
	next |= m & 1
	x[0] = int64(next)
	if next == 0 {
		return
	}
	j := bits.Len32(next) - 1
	if int64(j+1) <= b[0] {
		return
	}
	b[0] = int64(j + 1)
	b[1] = idxs[j]
	for k := 0; k <= j; k++ {
		b[blockHead+k] = times[j-k]
	}
}

// release keeps the buffers in the workspace for the next run, without the user ids,
// which belong to the caller.
func (st *streamer) release() {
	clear(st.table)
	for i := range st.used {
		clear(st.chunks[i].users)
	}
	clear(st.recent.slots)
	st.ws.stream = streamBuffers{chunks: st.chunks, table: st.table, recent: st.recent.slots}
}

// users returns the counted attempts of the users who reached the first step and were
// not dropped by an exclusion, in the order of their ids.
func (st *streamer) users() users {
	s := st.nsteps
	u := users{ws: st.ws}
	u.init(s, st.n, st.f.BreakdownBy != "")
	u.reach = u.reach[:st.n]
	u.durs = u.durs[:st.n*(s-1)]
	if u.group != nil {
		u.group = u.group[:st.n]
	}
	n := 0 // users kept
	for i := range st.n {
		b := st.block(i)
		if b[0] == 0 || b[1]&flagged != 0 {
			continue // never reached the first step, or dropped by an exclusion
		}
		r := int(b[0])
		u.reach[n] = uint8(r)
		comp := b[blockHead : blockHead+s]
		durs := u.durs[n*(s-1) : (n+1)*(s-1)]
		for k := 1; k < s; k++ {
			durs[k-1] = 0
			if k < r {
				// Completion times never decrease; the unsigned difference is exact and
				// saturates at the longest Duration.
				durs[k-1] = int64(min(uint64(comp[k]-comp[k-1]), math.MaxInt64))
			}
		}
		if u.group != nil {
			u.group[n] = int32(uint32(b[1]))
		}
		n++
	}
	u.reach = u.reach[:n]
	u.durs = u.durs[:n*(s-1)]
	if u.group != nil {
		u.group = u.group[:n]
	}
	st.release()
	return u
}
