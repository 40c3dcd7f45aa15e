package pages

import (
	"math"
	"runtime"
	"testing"
	"unsafe"
)

// item has pointers, as the slices that Make is for do.
type item struct {
	s string
	p *int
	x [40]byte
}

// TestMakeLarge checks that a slice large enough to be mapped in advance has the asked
// length and only zero values, although its memory was written before.
func TestMakeLarge(t *testing.T) {
	n := int(minBytes/unsafe.Sizeof(item{})) + 1000
	if live := liveHeap(); live > uint64(n)*uint64(unsafe.Sizeof(item{})) {
		t.Skipf("live heap of %d bytes: Make would not map in advance", live)
	}
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	s := Make[item](n, 2)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if len(s) != n || cap(s) != n {
		t.Fatalf("len %d cap %d, want %d", len(s), cap(s), n)
	}
	if after.NumGC == before.NumGC {
		t.Errorf("no garbage collection ran: the memory was not mapped in advance")
	}
	var zero item
	for i := range s {
		if s[i] != zero {
			t.Fatalf("element %d is %+v, not zero", i, s[i])
		}
	}
	v := 7
	s[n-1] = item{s: "last", p: &v, x: [40]byte{39: 1}}
	runtime.GC()
	if s[n-1].s != "last" || *s[n-1].p != 7 || s[n-1].x[39] != 1 {
		t.Fatalf("last element lost: %+v", s[n-1])
	}
}

// TestMakeSmall checks the plain path: small slices, empty ones, zero-size elements, and
// workers below one.
func TestMakeSmall(t *testing.T) {
	for _, n := range []int{0, 1, 1000} {
		s := Make[item](n, 0)
		if len(s) != n {
			t.Fatalf("len %d, want %d", len(s), n)
		}
		for i := range s {
			if s[i] != (item{}) {
				t.Fatalf("element %d not zero", i)
			}
		}
	}
	if s := Make[struct{}](1<<40, 1); len(s) != 1<<40 {
		t.Fatalf("len %d of zero-size elements", len(s))
	}
}

// TestLiveHeap checks that the live heap is read at all: a program always has some.
func TestLiveHeap(t *testing.T) {
	runtime.GC()
	if liveHeap() == 0 {
		t.Fatal("live heap 0 after a collection")
	}
}

// TestMap checks when Map maps memory: from 64 MiB on, while the live heap is no larger.
func TestMap(t *testing.T) {
	if Map(minBytes-1, 2) {
		t.Error("mapped less than 64 MiB")
	}
	if Map(math.MaxUint64, 2) {
		t.Error("mapped more than the address space")
	}
	if live := liveHeap(); live > minBytes {
		t.Skipf("live heap of %d bytes", live)
	}
	if !Map(minBytes, 2) {
		t.Error("did not map 64 MiB with a small live heap")
	}
	keep := make([]byte, 2*minBytes)
	runtime.GC()
	if Map(minBytes, 2) {
		t.Error("mapped 64 MiB with a live heap of 128 MiB")
	}
	runtime.KeepAlive(keep)
}
