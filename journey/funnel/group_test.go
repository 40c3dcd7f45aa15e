package funnel

import (
	"testing"
	"time"
)

// TestSplitUsersCollisions forces partial hash collisions, which real hashes make too
// rare to test: users whose hashes share the upper 32 bits, or all of the first half.
func TestSplitUsersCollisions(t *testing.T) {
	type h128 struct{ h, h2 uint64 }
	hashes := map[string]h128{
		"x": {0xAAAA_0000_0000_0001, 1},
		"y": {0xAAAA_0000_0000_0001, 2}, // the same first half as x
		"z": {0xAAAA_0000_1234_0001, 1}, // the same upper 32 bits as x and y
		"w": {0xBBBB_0000_0000_0001, 1},
	}
	users := []string{"w", "x", "y", "z", "x", "y", "z", "x", "y"}
	times := []int{0, 5, 4, 3, 2, 1, 9, 2, 2}
	b := make([]record, len(users))
	for i, u := range users {
		b[i] = record{h: hashes[u].h, h2: hashes[u].h2, t: at(1, times[i]).UnixNano(), idx: uint32(i), bits: 1}
	}
	ends := splitUsers(b, nil)
	if len(ends) != 4 || ends[len(ends)-1] != len(b) {
		t.Fatalf("ends %v, want 4 users", ends)
	}
	seen := map[string]bool{}
	start := 0
	for _, end := range ends {
		u := users[b[start].idx]
		if seen[u] {
			t.Errorf("user %q split into two runs", u)
		}
		seen[u] = true
		for k := start; k < end; k++ {
			if users[b[k].idx] != u {
				t.Errorf("run of %q holds %q", u, users[b[k].idx])
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
