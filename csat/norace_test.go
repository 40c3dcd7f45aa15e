//go:build !race

package csat

const raceEnabled = false
