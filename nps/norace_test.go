//go:build !race

package nps

const raceEnabled = false
