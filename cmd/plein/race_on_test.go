//go:build race

package main_test

// raceFlags builds the plein binary the end-to-end tests run with the race
// detector when the tests themselves run under it.
var raceFlags = []string{"-race"}
