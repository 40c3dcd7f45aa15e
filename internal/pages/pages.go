package pages

import (
	"math"
	"runtime"
	"runtime/metrics"
	"sync"
	"unsafe"
)

// minBytes is the smallest slice that Make maps in advance: below, the mapping costs
// little, and the collection more than it saves.
const minBytes = 64 << 20

// pageSize is the stride at which Make writes to map the memory: the smallest page size
// of common systems, so that no page is missed where pages are larger.
const pageSize = 4096

// Make returns a slice of n zero values of T, like make([]T, n). When the slice takes at
// least 64 MiB and the live heap is no larger, its memory is first mapped (see [Map]).
func Make[T any](n, workers int) []T {
	var zero T
	size := uint64(n) * uint64(unsafe.Sizeof(zero))
	if n > 0 && size/uint64(n) == uint64(unsafe.Sizeof(zero)) {
		Map(size, workers)
	}
	return make([]T, n)
}

// Map prepares size bytes of mapped memory for the allocations that follow it: when
// size is at least 64 MiB and the live heap is no larger, workers goroutines (at least
// one) write one byte per page of a slice without pointers of that size, which a full
// garbage collection then frees for the next allocations to reuse; see the package
// documentation for why. Otherwise it does nothing. It reports whether it mapped the
// memory.
func Map(size uint64, workers int) bool {
	if size < minBytes || size > math.MaxInt || liveHeap() > size {
		return false
	}
	prefault(make([]byte, size), max(workers, 1))
	runtime.GC() // frees the mapped slice, which is garbage once prefault returns
	return true
}

// prefault writes one byte per page of b, on workers goroutines.
func prefault(b []byte, workers int) {
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			part := b[w*len(b)/workers : (w+1)*len(b)/workers]
			for i := 0; i < len(part); i += pageSize {
				part[i] = 1
			}
		}()
	}
	wg.Wait()
}

// liveHeap returns the bytes of heap objects that the last garbage collection found
// live.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
