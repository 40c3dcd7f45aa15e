package intern

import (
	"hash/maphash"
	"math/bits"
	"unsafe"
)

// Strings holds one copy of each distinct string it is given, so that values that recur
// (user ids, event names) share their memory. The zero value is an empty table. A Strings
// is not safe for concurrent use.
//
// It is an open-addressing table with linear probing whose slots hold the string, 32 bits
// of its hash and its first bytes: a look-up of a string of up to inlineLen bytes reads
// one slot of 32 bytes and no other memory, so that a table too large for the processor's
// caches costs one cache miss per look-up ([Shared.Batch] lets the misses of many
// look-ups overlap).
type Strings struct {
	slots []strSlot
	n     int // strings held, the empty string aside
	seed  maphash.Seed
	arena []byte // the current chunk of the strings' bytes; its free space is beyond len
}

// inlineLen is the number of leading bytes of a string that its slot holds.
const inlineLen = 12

// strSlot is one slot of a Strings table; an empty string marks a free slot.
type strSlot struct {
	s      string
	tag    uint32 // low 32 bits of the hash; its low bits choose the first slot
	inline [inlineLen]byte
}

// maxChunk is the size of the largest chunks of a table's bytes; a string of more than
// maxChunk/4 bytes is allocated on its own.
const maxChunk = 1 << 20

// Len returns the number of distinct strings in the table.
func (t *Strings) Len() int { return t.n }

// Bytes returns the table's string equal to b, adding a copy of b when it is new.
func (t *Strings) Bytes(b []byte) string {
	t.init()
	return get(t, b, maphash.Bytes(t.seed, b))
}

// String returns the table's string equal to s, adding a copy of s when it is new (a
// copy, so that a short s does not keep a larger string alive).
func (t *Strings) String(s string) string {
	if len(s) == 0 {
		return ""
	}
	t.init()
	return get(t, s, maphash.String(t.seed, s))
}

func (t *Strings) init() {
	if t.slots == nil {
		t.seed = maphash.MakeSeed()
		t.slots = make([]strSlot, 16)
	}
}

// get looks key, whose hash is h, up in t, adding it when new.
func get[T string | []byte](t *Strings, key T, h uint64) string {
	if len(key) == 0 {
		return ""
	}
	mask := uint32(len(t.slots) - 1)
	tag := uint32(h)
	var head [inlineLen]byte
	copy(head[:], key)
	for j := tag & mask; ; j = (j + 1) & mask {
		sl := &t.slots[j]
		if len(sl.s) == 0 {
			break
		}
		if sl.tag == tag && sl.inline == head && len(sl.s) == len(key) &&
			(len(key) <= inlineLen || sl.s[inlineLen:] == string(key[inlineLen:])) {
			return sl.s
		}
	}
	str := store(t, key)
	if 4*(t.n+1) > 3*len(t.slots) {
		t.grow()
		mask = uint32(len(t.slots) - 1)
	}
	t.put(strSlot{s: str, tag: tag, inline: head}, mask)
	t.n++
	return str
}

// store returns a copy of key. Strings are copied into chunks of up to maxChunk bytes
// that are never written again where a string lies, so that the strings of a table are a
// few large objects rather than one small object each.
func store[T string | []byte](t *Strings, key T) string {
	n := len(key)
	if n > maxChunk/4 {
		return string(key)
	}
	if cap(t.arena)-len(t.arena) < n {
		size := min(max(2*cap(t.arena), 256), maxChunk)
		t.arena = make([]byte, 0, size)
	}
	at := len(t.arena)
	t.arena = append(t.arena, key...)
	return unsafe.String(&t.arena[at], n)
}

// put stores sl in the first free slot from its tag on.
func (t *Strings) put(sl strSlot, mask uint32) {
	j := sl.tag & mask
	for len(t.slots[j].s) != 0 {
		j = (j + 1) & mask
	}
	t.slots[j] = sl
}

// grow doubles the table.
func (t *Strings) grow() {
	old := t.slots
	t.slots = make([]strSlot, 1<<bits.Len(uint(2*len(old)-1)))
	mask := uint32(len(t.slots) - 1)
	for _, sl := range old {
		if len(sl.s) != 0 {
			t.put(sl, mask)
		}
	}
}
