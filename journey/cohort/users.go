package cohort

import (
	"runtime"
	"sync"

	"github.com/cxmetrics/cxmetrics/journey"
)

// Build numbers its users in parallel. A hash of the user id splits the users into a
// fixed number of shards; the events are partitioned by shard (indexes in input order),
// and each shard is numbered by one goroutine with its own open-addressing table, small
// enough to stay in cache while its events are read. The numbering, and so every sum,
// is the same for any GOMAXPROCS. Users are told apart by their exact id strings.
const shardBits = 6

const shards = 1 << shardBits

// hashUser returns a 64-bit hash of a user id: FNV-1a, then a multiplicative mix so that
// both the top bits (the shard) and the low bits (the slot) are spread.
func hashUser(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	h ^= h >> 29
	return h * 0x9E3779B97F4A7C15
}

// workers returns the number of goroutines for n items: one per core, and at least
// 1<<16 items each.
func workers(n int) int {
	return max(1, min(runtime.GOMAXPROCS(0), n>>16))
}

// parallel runs f over w consecutive parts of [0, n) and waits.
func parallel(n, w int, f func(part, lo, hi int)) {
	if w == 1 {
		f(0, 0, n)
		return
	}
	var wg sync.WaitGroup
	wg.Add(w)
	for p := range w {
		go func() {
			defer wg.Done()
			f(p, n*p/w, n*(p+1)/w)
		}()
	}
	wg.Wait()
}

// table numbers the user ids of one shard: open addressing with linear probing, each
// slot the top 32 bits of the hash and the id + 1 (0: empty), the ids' strings by id.
type table struct {
	slots []uint64
	names []string
}

func newTable(size int) *table {
	n := 16
	for n < 2*size {
		n <<= 1
	}
	return &table{slots: make([]uint64, n)}
}

// id returns the number of the user id s with hash h, numbering it if it is new.
func (t *table) id(h uint64, s string) int32 {
	mask := uint64(len(t.slots) - 1)
	tag := h &^ (1<<32 - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		x := t.slots[i]
		if x == 0 {
			id := int32(len(t.names))
			t.names = append(t.names, s)
			t.slots[i] = tag | uint64(id+1)
			if 2*len(t.names) > len(t.slots) {
				t.grow()
			}
			return id
		}
		if x&^(1<<32-1) == tag && t.names[int32(x)-1] == s {
			return int32(x) - 1
		}
	}
}

// grow doubles the slots, placing each id again by its string's hash.
func (t *table) grow() {
	old := t.slots
	t.slots = make([]uint64, 2*len(old))
	mask := uint64(len(t.slots) - 1)
	for _, x := range old {
		if x == 0 {
			continue
		}
		h := hashUser(t.names[int32(x)-1])
		i := h & mask
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = x
	}
}

// users holds the users of a log, numbered shard by shard: the user with number k in
// shard s has the global number base[s] + k.
type users struct {
	shard []uint8 // of each event
	local []int32 // each event's user number in its shard
	base  [shards]int32
	all   []member          // by global number; acq -1 for a user without a start event
	order []int32           // the event indexes shard by shard, in input order within each
	start [shards + 1]int32 // shard s's indexes are order[start[s]:start[s+1]]
	// By position in order, for the pass over the returns, which then reads memory in
	// sequence: each event's user number in its shard, time, and whether it is a return.
	lid  []int32
	sec  []int64
	nsec []int32
	ret  []bool
}

// id returns the global number of the user of event i.
func (u *users) id(i int) int32 { return u.base[u.shard[i]] + u.local[i] }

// numberUsers numbers the users of events and finds each one's acquisition event: the
// first start event (not after the as-of time) by time, the first in input order among
// equal times. It returns false when there are more than 2^31 - 2 users.
func numberUsers(events []journey.Event, o Options, after func(s int64, ns int32) bool) (*users, bool) {
	n := len(events)
	u := &users{shard: make([]uint8, n), local: make([]int32, n)}
	w := workers(n)
	// Hash and count by shard, part by part; then partition the event indexes by shard,
	// each part writing after the parts before it.
	hashes := make([]uint64, n)
	counts := make([][shards]int32, w)
	parallel(n, w, func(p, lo, hi int) {
		for i := lo; i < hi; i++ {
			h := hashUser(events[i].User)
			s := uint8(h >> (64 - shardBits))
			u.shard[i], hashes[i] = s, h
			counts[p][s]++
		}
	})
	var start [shards + 1]int32
	offsets := make([][shards]int32, w)
	at := int32(0)
	for s := range shards {
		start[s] = at
		for p := range w {
			offsets[p][s] = at
			at += counts[p][s]
		}
	}
	start[shards] = at
	u.start = start
	// The scatter reads the events in sequence and lays out, by position in shard order,
	// what the numbering and the pass over the returns need of each, so that neither
	// reads the events out of order.
	order := make([]int32, n)
	u.order = order
	u.lid, u.sec, u.nsec, u.ret = make([]int32, n), make([]int64, n), make([]int32, n), make([]bool, n)
	posHash, posUser, posStart := make([]uint64, n), make([]string, n), make([]bool, n)
	parallel(n, w, func(p, lo, hi int) {
		next := offsets[p]
		for i := lo; i < hi; i++ {
			e := &events[i]
			s := u.shard[i]
			k := next[s]
			next[s]++
			order[k] = int32(i)
			posHash[k], posUser[k] = hashes[i], e.User
			u.sec[k], u.nsec[k] = e.Time.Unix(), int32(e.Time.Nanosecond())
			u.ret[k] = o.ReturnEvent == "" || e.Name == o.ReturnEvent
			posStart[k] = o.StartEvent == "" || e.Name == o.StartEvent
		}
	})
	members := make([][]member, shards)
	parallel(shards, w, func(_, lo, hi int) {
		for s := lo; s < hi; s++ {
			idx := order[start[s]:start[s+1]]
			pos := int(start[s])
			// Sized for a third of the shard's events: no growth for users with three
			// events or more.
			t := newTable(len(idx) / 3)
			var m []member
			for k, i := range idx {
				p := pos + k
				id := t.id(posHash[p], posUser[p])
				if int(id) == len(m) {
					m = append(m, member{acq: -1})
				}
				u.local[i] = id
				u.lid[p] = id
				if !posStart[p] {
					continue
				}
				sec, ns := u.sec[p], u.nsec[p]
				if after(sec, ns) {
					continue
				}
				if x := &m[id]; x.acq < 0 || sec < x.sec || (sec == x.sec && ns < x.nsec) {
					x.sec, x.nsec, x.acq = sec, ns, i
				}
			}
			members[s] = m
		}
	})
	total := 0
	for s, m := range members {
		u.base[s] = int32(total)
		total += len(m)
		if total >= 1<<31-1 {
			return nil, false
		}
	}
	u.all = make([]member, 0, total)
	for _, m := range members {
		u.all = append(u.all, m...)
	}
	return u, true
}
