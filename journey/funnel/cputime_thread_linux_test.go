package funnel

import (
	"syscall"
	"time"
	"unsafe"
)

// threadCPU returns the CPU time used by the calling thread so far, from
// clock_gettime(CLOCK_THREAD_CPUTIME_ID), which is exact where getrusage(RUSAGE_THREAD)
// may lag by whole ticks.
func threadCPU() time.Duration {
	const clockThreadCPUTimeID = 3
	var ts syscall.Timespec
	if _, _, e := syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}
