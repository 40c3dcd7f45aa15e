package funnel

import (
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/cxmetrics/cxmetrics/journey"
)

// TestSplitUsersCollisions forces hash collisions, which real hashes make too rare to
// test: users with equal full hashes, and users with equal upper halves only.
func TestSplitUsersCollisions(t *testing.T) {
	users := []string{"x", "y", "z", strings.Clone("x"), "y", "z", "x", strings.Clone("y"), "w"}
	hashes := map[string]uint64{
		"x": 0xAAAA_0000_0000_0001,
		"y": 0xAAAA_0000_0000_0001, // the same hash as x
		"z": 0xAAAA_0000_1234_0001, // the same upper half as x and y
		"w": 0xBBBB_0000_0000_0001,
	}
	times := []int{5, 4, 3, 2, 1, 9, 2, 2, 0}
	events := make([]journey.Event, len(users))
	b := make([]record, len(users))
	for i, u := range users {
		events[i] = journey.Event{User: u, Name: "A", Time: at(1, times[i])}
		b[i] = record{h: hashes[u], t: events[i].Time.UnixNano(), idx: uint32(i), bits: 1,
			user: uintptr(unsafe.Pointer(unsafe.StringData(u)))}
	}
	// The records arrive sorted by the upper half of the hash, in input order otherwise.
	w := b[8]
	copy(b[1:], b[:8])
	b[0] = w
	ends := splitUsers(b, events)
	if len(ends) != 4 || ends[len(ends)-1] != len(b) {
		t.Fatalf("ends %v, want 4 users", ends)
	}
	seen := map[string]bool{}
	start := 0
	for _, end := range ends {
		u := events[b[start].idx].User
		if seen[u] {
			t.Errorf("user %q split into two runs", u)
		}
		seen[u] = true
		for k := start; k < end; k++ {
			if events[b[k].idx].User != u {
				t.Errorf("run of %q holds %q", u, events[b[k].idx].User)
			}
			if k > start && (b[k].t < b[k-1].t || b[k].t == b[k-1].t && b[k].idx < b[k-1].idx) {
				t.Errorf("run of %q not in time and input order", u)
			}
		}
		start = end
	}
}

func TestSortByTime(t *testing.T) {
	for _, n := range []int{5, 100} {
		x := make([]record, n)
		for i := range x {
			x[i] = record{t: int64((i * 37) % 7), idx: uint32(i)}
		}
		sortByTime(x)
		for i := 1; i < n; i++ {
			if x[i].t < x[i-1].t || x[i].t == x[i-1].t && x[i].idx < x[i-1].idx {
				t.Fatalf("n=%d: not sorted stably at %d", n, i)
			}
		}
	}
	// Negative Unix times sort before positive ones.
	x := []record{{t: 5}, {t: -time.Hour.Nanoseconds()}}
	sortByTime(x)
	if x[0].t > 0 {
		t.Errorf("negative time sorted after positive one")
	}
}
