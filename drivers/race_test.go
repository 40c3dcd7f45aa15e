//go:build race

package drivers_test

// raceEnabled shortens the slowest simulations under the race detector, which slows
// numerical code several times over without finding anything more in it.
const raceEnabled = true
