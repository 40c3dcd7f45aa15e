//go:build race

package funnel

// randomCases is the number of random logs each comparison with the reference draws:
// under the race detector, which slows them about sevenfold, 1,500 of the 20,000.
const randomCases = 1500

// raceEnabled says that the race detector is on: tests that measure memory or time skip.
const raceEnabled = true
