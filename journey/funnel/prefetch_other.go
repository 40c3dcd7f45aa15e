//go:build !amd64 && !arm64

package funnel

// prefetch does nothing on this architecture.
func prefetch([]uintptr) {}
