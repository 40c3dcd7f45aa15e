package funnel

import (
	"hash/maphash"
	"math"
	"unsafe"
)

// recent is a small direct-mapped cache from the strings of user ids that events share
// to the users' dense ids. A log built in memory often gives all the events of a user the
// same string, and then most events find their user here, without reading the id's
// bytes or the user table. Two strings with the same address and length are equal, and
// the strings of the events stay where they are while Run reads them, so a hit is exact;
// the cache holds addresses as numbers, only to compare them, never to read memory.
//
// When few events hit (a CSV reader gives every event its own copy of the id), the cache
// turns itself off for a while, and tries again later.
type recent struct {
	slots []recentSlot // a power of two, or none
	shift uint

	tries, hits int // since the last decision
	off         int // batches to skip
}

// recentSlot is one entry: the address of an id string and its length and user id.
type recentSlot struct {
	addr  uint64
	lenID uint64 // length<<32 | id; 0 when free, as no id is empty
}

const (
	recentBits = 14 // at most 2^14 slots: 256 KB, which stays in the cache
	// The cache is judged every recentJudge tries; below one hit in recentMinHit it
	// sleeps for recentSleep batches.
	recentJudge  = 1 << 14
	recentMinHit = 8
	recentSleep  = 1 << 12
)

// init sizes the cache for a log of n events.
func (r *recent) init(buf []recentSlot, n int) {
	bits := 8
	for bits < recentBits && 1<<(bits+2) < n {
		bits++
	}
	if cap(buf) < 1<<bits {
		buf = make([]recentSlot, 1<<bits)
	}
	r.slots = buf[:1<<bits]
	r.shift = uint(64 - bits)
}

// on reports whether the cache should be used for the next batch.
func (r *recent) on() bool {
	if r.off > 0 {
		r.off--
		return false
	}
	return r.slots != nil
}

// count records that tries lookups found hits users.
func (r *recent) count(tries, hits int) {
	r.tries += tries
	r.hits += hits
	if r.tries >= recentJudge {
		if r.hits*recentMinHit < r.tries {
			r.off = recentSleep
		}
		r.tries, r.hits = 0, 0
	}
}

// idAddr returns the address of the bytes of a string, as a number, only to compare it.
func idAddr(s string) uint64 { return uint64(uintptr(unsafe.Pointer(unsafe.StringData(s)))) }

// fib spreads the bits of an address over the high bits, by Fibonacci hashing.
func fib(a uint64) uint64 { return a * 0x9e3779b97f4a7c15 }

func (r *recent) slot(user string) *recentSlot {
	return &r.slots[fib(idAddr(user))>>r.shift]
}

// get returns the id of user, if the cache holds its string.
func (r *recent) get(user string) (int32, bool) {
	sl := r.slot(user)
	if sl.addr != idAddr(user) || sl.lenID>>32 != uint64(len(user)) {
		return 0, false
	}
	return int32(uint32(sl.lenID)), true
}

// put records that user has the given id.
func (r *recent) put(user string, id int32) {
	if r.slots == nil || uint64(len(user)) > math.MaxUint32 {
		return
	}
	*r.slot(user) = recentSlot{addr: idAddr(user),
		lenID: uint64(len(user))<<32 | uint64(uint32(id))}
}

// router finds the worker that owns a user when streamParallel routes by hash: bits 16
// to 47 of the user's hash (userHash) under the run's seed, scaled to the number of
// workers; the table of a worker takes the low bits, and the top ones as tags. It hands
// the hashes it computes on to the tables. A direct-mapped cache from the address and
// length of an id string to its worker spares most hashes: as with recent, when the
// events of a user share one string, most events find their worker there without
// reading the id's bytes, which lie anywhere in memory. A hit is exact for the same
// reason.
type router struct {
	slots  []routeSlot // 1 << routerBits
	cached bool        // whether the slots are used
	dests  [batchSize]uint16
	miss   [batchSize]uint16
	addrs  [batchSize]uintptr
}

type routeSlot struct {
	addr uint64
	key  uint64 // (length of the id + 1) << 16 | worker; 0 when free
}

const routerBits = 14 // 16,384 slots of 16 bytes: 256 KB

// init empties the cache, reusing its slots, or, without cached, leaves it off: every
// id is hashed.
func (c *router) init(cached bool) {
	c.cached = cached
	if !cached {
		return
	}
	if len(c.slots) != 1<<routerBits {
		c.slots = make([]routeSlot, 1<<routerBits)
	}
	clear(c.slots)
}

// send appends every route to out[w], w being the worker that owns its user, keeping
// their order: first from the cache, then, after prefetching the bytes of the ids it
// missed, by hashing. Whether the cache knows an id is as unpredictable as the ids
// themselves, so the lookup takes no branch on it.
func (c *router) send(seed maphash.Seed, rs []item, out [][]item) {
	workers := uint64(len(out))
	dests := c.dests[:len(rs)]
	miss := c.miss[:len(rs)]
	n := 0
	if c.cached {
		for k := range rs {
			user := rs[k].user
			a := idAddr(user)
			sl := &c.slots[fib(a)>>(64-routerBits)]
			dests[k] = uint16(sl.key)
			miss[n] = uint16(k)
			c.addrs[n] = uintptr(a)
			n += notZero((sl.addr ^ a) | (sl.key>>16 ^ (uint64(len(user)) + 1)))
		}
	} else {
		for k := range rs {
			miss[k] = uint16(k)
			c.addrs[k] = uintptr(idAddr(rs[k].user))
		}
		n = len(rs)
	}
	if n > 0 {
		prefetch(c.addrs[:n])
		for _, k := range miss[:n] {
			user := rs[k].user
			h := userHash(seed, user)
			rs[k].h = h
			d := uint16(uint64(uint32(h>>16)) * workers >> 32)
			dests[k] = d
			if c.cached {
				a := idAddr(user)
				c.slots[fib(a)>>(64-routerBits)] = routeSlot{addr: a, key: (uint64(len(user))+1)<<16 | uint64(d)}
			}
		}
	}
	for k := range rs {
		d := dests[k]
		out[d] = append(out[d], rs[k])
	}
}

// notZero returns 1 when x is not 0, and 0 when it is, without a branch.
func notZero(x uint64) int { return int((x | -x) >> 63) }
