//go:build !race

package journey

const raceEnabled = false
