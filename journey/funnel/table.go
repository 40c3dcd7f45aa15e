package funnel

import (
	"hash/maphash"
	"unsafe"
)

// item is one event that may change some user's state: the user, the hash of the user's
// id when the sender computed it (userHash; 0 when not), the time, the event id and what
// the event matches.
type item struct {
	user string
	h    uint64
	t    int64
	id   int64
	m, x uint32 // steps matched; exclusion levels
}

// userHash returns the hash of a user id as tables use it: never 0, so that 0 can mean
// unknown.
func userHash(seed maphash.Seed, user string) uint64 { return maphash.String(seed, user) | 1<<63 }

// table holds the state of many users whose events arrive in time order, in any
// interleaving: an open-addressing hash table from user id to a dense number, and a
// block per user. It keeps blocks only for users who reached the first step (and, while
// the recent cache is on, for every user seen), so its memory is the users times a size
// that depends on the steps alone.
//
// Events are applied in batches, in stages that each prefetch the memory the next one
// reads (the ids' bytes, the table entries, the users' blocks), so that the cache misses
// of a batch overlap instead of following each other.
type table struct {
	eng   *engine
	width int
	seed  maphash.Seed
	// Each entry holds the high 32 bits of the user's hash and the user's number plus one
	// (0 for a free entry); the table is at most half full. Users are compared by their
	// exact id strings, kept in the chunks; the hash only finds the entry.
	entries []uint64
	mask    uint64
	chunks  []chunk // chunkUsers users to a chunk, used of them in use
	used    int
	n       int // users
	limit   int // the number of events, which bounds the users; 0 for no bound
	// The recent cache spares finding the users it knows in the table.
	recent recent
	// keepAll adds every user an item names, even before the first step, as the recent
	// cache does while it is on, and lists their entries, in the order they came, in
	// listed.
	keepAll bool
	listed  []uint64
	hs      [batchSize]uint64 // the hashes of the users of a batch
	ids     [batchSize]int32
	todo    [batchSize]int32
	addrs   []uintptr // the addresses to prefetch
}

// batchSize is the number of events whose memory accesses overlap.
const batchSize = 256

// chunk holds the blocks of the users numbered [k*chunkUsers, (k+1)*chunkUsers). Growing
// by chunks never copies what is written.
type chunk struct {
	users []string
	state []int64
}

const chunkUsers = 1 << 14

// lineWords is the number of int64 words in a cache line.
const lineWords = 8

// tableBuffers are the buffers of a table that a Runner keeps for its next run.
type tableBuffers struct {
	chunks  []chunk
	entries []uint64
	recent  []recentSlot
	listed  []uint64
}

// newTable prepares a table for at most limit users (0: no bound), reusing buf. Items
// that come with the hash of their user computed it with seed.
func newTable(eng *engine, buf tableBuffers, limit int, seed maphash.Seed) *table {
	tb := &table{eng: eng, width: eng.width, seed: seed, chunks: buf.chunks,
		entries: buf.entries, limit: limit, listed: buf.listed}
	if len(tb.entries) < 1<<10 {
		tb.entries = make([]uint64, 1<<10)
	}
	tb.mask = uint64(len(tb.entries) - 1)
	tb.recent.init(buf.recent, limit)
	tb.addrs = make([]uintptr, 0, batchSize*(2+(tb.width+lineWords-1)/lineWords))
	return tb
}

// release returns the buffers for the next run, without the user ids, which belong to
// the caller.
func (tb *table) release() tableBuffers {
	clear(tb.entries)
	for i := range tb.used {
		clear(tb.chunks[i].users)
	}
	clear(tb.recent.slots)
	return tableBuffers{chunks: tb.chunks, entries: tb.entries, recent: tb.recent.slots, listed: tb.listed[:0]}
}

// block returns the block of user number id.
func (tb *table) block(id int) []int64 {
	off := (id % chunkUsers) * tb.width
	return tb.chunks[id/chunkUsers].state[off : off+tb.width : off+tb.width]
}

// find returns the number of user, whose hash is h, or -1 with the position of the free
// entry where it belongs.
func (tb *table) find(h uint64, user string) (id int32, pos uint64) {
	tag := h >> 32
	for i := h & tb.mask; ; i = (i + 1) & tb.mask {
		e := tb.entries[i]
		if e == 0 {
			return -1, i
		}
		if e>>32 == tag {
			id := int32(uint32(e) - 1)
			if tb.chunks[id/chunkUsers].users[id%chunkUsers] == user {
				return id, i
			}
		}
	}
}

// user returns the id of the user of an entry of the table.
func (tb *table) user(e uint64) string {
	id := int(uint32(e)) - 1
	return tb.chunks[id/chunkUsers].users[id%chunkUsers]
}

// guess returns the number of the first user in the table whose hash has the same high
// half as h, or -1: the user with hash h, unless two hashes share their high half.
func (tb *table) guess(h uint64) int {
	tag := h >> 32
	for i := h & tb.mask; ; i = (i + 1) & tb.mask {
		e := tb.entries[i]
		if e == 0 {
			return -1
		}
		if e>>32 == tag {
			return int(uint32(e)) - 1
		}
	}
}

// insert adds a user, whose hash is h, at position pos of the table, and returns its
// number.
func (tb *table) insert(h uint64, pos uint64, user string) int32 {
	id := tb.n
	if id%chunkUsers == 0 {
		if tb.used == len(tb.chunks) {
			tb.chunks = append(tb.chunks, chunk{})
		}
		// A chunk holds at most as many users as there are events left, so that a
		// small log does not allocate a whole chunk.
		k := chunkUsers
		if tb.limit > 0 {
			k = min(k, tb.limit-id)
		}
		c := &tb.chunks[tb.used]
		if len(c.state) < k*tb.width {
			c.state = make([]int64, k*tb.width)
		}
		if len(c.users) < k {
			c.users = make([]string, k)
		}
		tb.used++
	}
	tb.n++
	tb.chunks[id/chunkUsers].users[id%chunkUsers] = user
	tb.eng.init(tb.block(id))
	tb.entries[pos] = h>>32<<32 | uint64(id+1)
	if tb.keepAll {
		tb.listed = append(tb.listed, tb.entries[pos])
	}
	if 2*tb.n > len(tb.entries) {
		tb.grow()
	}
	return int32(id)
}

// grow doubles the table. The hash of each user is computed again: the table keeps only
// its high half.
func (tb *table) grow() {
	tb.entries = make([]uint64, 2*len(tb.entries))
	tb.mask = uint64(len(tb.entries) - 1)
	for id := range tb.n {
		h := userHash(tb.seed, tb.chunks[id/chunkUsers].users[id%chunkUsers])
		i := h & tb.mask
		for tb.entries[i] != 0 {
			i = (i + 1) & tb.mask
		}
		tb.entries[i] = h>>32<<32 | uint64(id+1)
	}
}

// apply finds the users of at most batchSize items, adding those who start an attempt,
// and applies the items in order.
func (tb *table) apply(items []item) {
	n := len(items)
	ids := tb.ids[:n]
	// The items whose users the recent cache does not know.
	todo := tb.todo[:0]
	cache := tb.recent.on()
	keep := cache || tb.keepAll
	if cache {
		for k := range items {
			if id, ok := tb.recent.get(items[k].user); ok {
				ids[k] = id
			} else {
				ids[k] = -1
				todo = append(todo, int32(k))
			}
		}
		tb.recent.count(n, n-len(todo))
	} else {
		for k := range ids {
			ids[k] = -1
			todo = append(todo, int32(k))
		}
	}
	// Each prefetch below asks for memory that the next loop reads, in cache lines that
	// are far apart: the user ids, the table entries, and the users' ids and blocks.
	addrs := tb.addrs[:0]
	hs := &tb.hs
	for _, k := range todo {
		if hs[k] = items[k].h; hs[k] == 0 {
			addrs = append(addrs, uintptr(idAddr(items[k].user)))
		}
	}
	if len(addrs) > 0 {
		prefetch(addrs)
		addrs = addrs[:0]
		for _, k := range todo {
			if hs[k] == 0 {
				hs[k] = userHash(tb.seed, items[k].user)
			}
		}
	}
	for _, k := range todo {
		addrs = append(addrs, uintptr(unsafe.Pointer(&tb.entries[hs[k]&tb.mask])))
	}
	prefetch(addrs)
	addrs = addrs[:0]
	starts := tb.eng.starts
	next := tb.n // the likely number of the next new user
	for _, k := range todo {
		id := tb.guess(hs[k])
		if id < 0 && (keep || items[k].m&starts != 0) {
			id = next
			next++
		}
		if id >= 0 && tb.ready(id) {
			addrs = append(addrs, uintptr(unsafe.Pointer(&tb.chunks[id/chunkUsers].users[id%chunkUsers])))
			addrs = tb.blockLines(addrs, id)
		}
	}
	if len(todo) < n {
		for _, id := range ids {
			if id >= 0 {
				addrs = tb.blockLines(addrs, int(id))
			}
		}
	}
	prefetch(addrs)
	for _, k := range todo {
		it := &items[k]
		id, pos := tb.find(hs[k], it.user)
		if id < 0 {
			if !keep && it.m&starts == 0 {
				// Nothing to do before the first step. With the cache on, such users
				// are added too, so that their later events find them in the cache.
				continue
			}
			id = tb.insert(hs[k], pos, it.user)
		}
		ids[k] = id
		if cache {
			tb.recent.put(it.user, id)
		}
	}
	eng := tb.eng
	for k := range items {
		if id := ids[k]; id >= 0 {
			it := &items[k]
			eng.step(tb.block(int(id)), it.m, it.x, it.t, it.id)
		}
	}
}

// ready reports whether the memory of user number id, who may be about to be added,
// exists.
func (tb *table) ready(id int) bool {
	c := id / chunkUsers
	if c >= len(tb.chunks) {
		return false
	}
	ch := &tb.chunks[c]
	k := id % chunkUsers
	return k < len(ch.users) && (k+1)*tb.width <= len(ch.state)
}

// blockLines appends the addresses of the cache lines of the block of user number id,
// which may be a user about to be added, to addrs.
func (tb *table) blockLines(addrs []uintptr, id int) []uintptr {
	c := &tb.chunks[id/chunkUsers]
	b := c.state[(id%chunkUsers)*tb.width:][:tb.width]
	for w := 0; w < len(b); w += lineWords {
		addrs = append(addrs, uintptr(unsafe.Pointer(&b[w])))
	}
	return append(addrs, uintptr(unsafe.Pointer(&b[len(b)-1])))
}

// collect adds the counted attempts of the users who reached the first step and were
// not dropped by an exclusion to u.
func (tb *table) collect(u *users) {
	u.grow(tb.n)
	for i := range tb.n {
		u.add(tb.eng, tb.block(i))
	}
}
