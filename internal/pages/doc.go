// Package pages allocates large slices in memory that the system has already mapped.
//
// A slice of hundreds of megabytes of a type that holds pointers, such as an event log
// read from a file, is mapped by the system only when it is first touched. Allocating
// it makes the heap grow far past its goal, which starts a garbage collection at once,
// and the collector scans the new, still unmapped slice while the program begins to fill
// it. On Linux, the collector's reads map the shared zero page, and the program's first
// write to each page then replaces that mapping (copy on write), which on a machine with
// several cores costs a flush of the other cores' address caches (an inter-processor
// interrupt) per page: on a 2-core virtual machine, allocating 880 MiB and writing one
// byte per page took 0.7–1.0 s and 1.2–1.7 s of system time this way, against 0.2 s and
// 0.4 s when nothing reads the memory first.
//
// [Map] and [Make] avoid the race: they first map the memory through a slice without
// pointers, which the collector never reads, on every core at once, and let a collection
// free that slice; the result is then allocated in the same, now mapped, memory, which
// the runtime clears before returning it. The collection is a full one, so they take that
// path only when the live heap is small next to the slice (at most its size): a program
// with a large heap would pay more for the extra collection than it saves.
package pages
