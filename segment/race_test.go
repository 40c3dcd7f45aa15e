//go:build race

package segment

// raceEnabled shortens the simulations under the race detector, which slows numerical code
// several times over without finding anything more in it.
const raceEnabled = true
