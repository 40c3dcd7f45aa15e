//go:build amd64 || arm64

package funnel

// prefetch asks the processor to bring the cache lines at the given addresses into its
// caches, without waiting for them. The addresses need not be mapped: a prefetch never
// faults.
//
//go:noescape
func prefetch(addrs []uintptr)
