//go:build !race

package main_test

// raceFlags is empty without -race: the binary then builds in seconds.
var raceFlags []string

// raceMemoryFactor is 1 without the race detector.
const raceMemoryFactor = 1
