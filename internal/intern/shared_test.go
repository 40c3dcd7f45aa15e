package intern

import (
	"strconv"
	"sync"
	"testing"
)

// Goroutines that look up overlapping keys at once get one copy of each, and the table
// keeps it across Reserve.
func TestShared(t *testing.T) {
	var tab Shared
	const goroutines, keys = 4, 5000
	key := func(i int) string {
		if i%2 == 0 {
			return "k" + strconv.Itoa(i)
		}
		return "a-key-longer-than-inline-" + strconv.Itoa(i)
	}
	got := make([][]string, goroutines)
	for round := range 3 {
		tab.Reserve(keys) // each round adds at most keys new strings
		var wg sync.WaitGroup
		for g := range goroutines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var a Arena
				got[g] = make([]string, keys)
				batch := make([][]byte, 0, 32)
				at := 0
				for i := range keys {
					k := key((i*(g+1)+round*keys/2)%keys + round*keys/2)
					if g%2 == 0 {
						got[g][i] = tab.String(&a, k)
						continue
					}
					batch = append(batch, []byte(k))
					if len(batch) == cap(batch) || i == keys-1 {
						tab.Batch(&a, batch, got[g][at:])
						at += len(batch)
						batch = batch[:0]
					}
				}
			}()
		}
		wg.Wait()
		first := make(map[string]string)
		for g := range goroutines {
			for i, s := range got[g] {
				if want := key((i*(g+1)+round*keys/2)%keys + round*keys/2); s != want {
					t.Fatalf("round %d, goroutine %d, key %d: %q, want %q", round, g, i, s, want)
				}
				if f, ok := first[s]; ok && !same(f, s) {
					t.Fatalf("round %d: two copies of %q", round, s)
				}
				first[s] = s
				if !same(tab.String(&Arena{}, s), s) {
					t.Fatalf("round %d: %q not the table's copy", round, s)
				}
			}
		}
	}
	if tab.Len() != 2*keys { // the rounds cover keys [0, keys), [keys/2, 3keys/2), [keys, 2keys)
		t.Errorf("Len %d, want %d", tab.Len(), 2*keys)
	}
	if tab.String(&Arena{}, "") != "" {
		t.Error("empty key")
	}
}
