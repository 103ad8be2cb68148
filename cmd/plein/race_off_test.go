//go:build !race

package main_test

// raceFlags is empty without -race: the binary then builds in seconds.
var raceFlags []string
