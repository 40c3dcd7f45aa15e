//go:build !linux

package funnel

import "time"

// threadCPU is not measured on this system; the worker timings then report 0.
func threadCPU() time.Duration { return 0 }
