//go:build race

package journey

// raceEnabled shortens the large streaming tests under the race detector, which slows
// parsing several times over without finding anything more in it.
const raceEnabled = true
