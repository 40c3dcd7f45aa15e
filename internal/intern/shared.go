package intern

import (
	"hash/maphash"
	"math/bits"
	"runtime"
	"slices"
	"sync/atomic"
)

// Shared is a table like [Strings] that several goroutines use at once, so that they
// hold one copy of each string between them, and strings from any of them are equal
// exactly when they are the same memory. Look-ups may run concurrently, each goroutine
// with its own [Arena]; they add strings without ever growing the table, so the caller
// makes room first with Reserve, which must not run concurrently with anything else.
// The zero value is an empty table without room.
//
// A slot is claimed with a compare-and-swap of its control word and published with a
// store of that word once its string is written, so that a reader that sees the word
// sees the string.
type Shared struct {
	slots []sharedSlot
	n     atomic.Int64
	seed  maphash.Seed
}

// sharedSlot is a slot of a Shared table. Its control word is 0 when free, slotBusy
// while its string is written, and slotReady | the low 31 bits of the hash after.
type sharedSlot struct {
	ctrl   atomic.Uint32
	inline [inlineLen]byte
	s      string
}

const (
	slotBusy  = 1
	slotReady = 1 << 31
)

// Arena is what one goroutine needs to look strings up in a Shared table: the chunk
// that its new strings are copied into, and scratch space. The zero value is ready.
type Arena struct {
	t      Strings // only its chunk of bytes is used
	hashes []uint64
	sink   uint32 // keeps the loads of Batch's second pass
}

// Len returns the number of distinct strings in the table.
func (t *Shared) Len() int { return int(t.n.Load()) }

// Room returns the number of strings the table holds before Reserve must grow it.
func (t *Shared) Room() int { return 3 * len(t.slots) / 4 }

// Reserve makes room for n more strings than the table holds.
func (t *Shared) Reserve(n int) {
	if t.slots == nil {
		t.seed = maphash.MakeSeed()
	}
	need := t.Len() + n
	if need <= t.Room() && t.slots != nil {
		return
	}
	old := t.slots
	t.slots = make([]sharedSlot, max(16, 1<<bits.Len(uint(4*need/3+1))))
	mask := uint32(len(t.slots) - 1)
	for i := range old {
		sl := &old[i]
		c := sl.ctrl.Load()
		if c == 0 {
			continue
		}
		j := c & mask
		for t.slots[j].ctrl.Load() != 0 {
			j = (j + 1) & mask
		}
		d := &t.slots[j]
		d.ctrl.Store(c)
		d.inline, d.s = sl.inline, sl.s
	}
}

// String returns the table's string equal to s, adding a copy of s when it is new.
func (t *Shared) String(a *Arena, s string) string {
	return sharedGet(t, a, s, maphash.String(t.seed, s))
}

// Batch sets out[i] to the table's string equal to keys[i] for every i, adding copies of
// the new keys; out is at least as long as keys. It hashes every key, then reads the
// first slot of every hash, then looks the keys up, so that the cache misses of a batch
// of a few dozen look-ups wait for memory together rather than one after the other.
func (t *Shared) Batch(a *Arena, keys [][]byte, out []string) {
	a.hashes = slices.Grow(a.hashes[:0], len(keys))[:len(keys)]
	for i, k := range keys {
		a.hashes[i] = maphash.Bytes(t.seed, k)
	}
	mask := uint64(len(t.slots) - 1)
	var sink uint32
	for _, h := range a.hashes {
		sink += t.slots[h&mask].ctrl.Load()
	}
	a.sink = sink
	for i, k := range keys {
		out[i] = sharedGet(t, a, k, a.hashes[i])
	}
}

func sharedGet[T string | []byte](t *Shared, a *Arena, key T, h uint64) string {
	if len(key) == 0 {
		return ""
	}
	mask := uint32(len(t.slots) - 1)
	want := uint32(h)&^slotReady | slotReady
	var head [inlineLen]byte
	copy(head[:], key)
	for j := uint32(h) & mask; ; {
		sl := &t.slots[j]
		c := sl.ctrl.Load()
		switch {
		case c == 0:
			if !sl.ctrl.CompareAndSwap(0, slotBusy) {
				continue // another goroutine claimed it: look again
			}
			str := store(&a.t, key)
			sl.inline, sl.s = head, str
			sl.ctrl.Store(want)
			t.n.Add(1)
			return str
		case c == slotBusy:
			runtime.Gosched() // its string is being written
			continue
		case c == want && sl.inline == head && len(sl.s) == len(key) &&
			(len(key) <= inlineLen || sl.s[inlineLen:] == string(key[inlineLen:])):
			return sl.s
		}
		j = (j + 1) & mask
	}
}
