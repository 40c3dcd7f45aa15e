//go:build !race

package funnel

// randomCases is the number of random logs each comparison with the reference draws.
const randomCases = 20000

// raceEnabled says that the race detector is on: tests that measure memory or time skip.
const raceEnabled = false
