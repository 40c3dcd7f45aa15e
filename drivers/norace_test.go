//go:build !race

package drivers_test

const raceEnabled = false
