//go:build race

package main_test

// raceFlags builds the plein binary the end-to-end tests run with the race
// detector when the tests themselves run under it, with the flags of `make
// test` (see RACEFLAGS in the Makefile), so that the build reuses the
// packages the test build compiled.
var raceFlags = []string{"-race", "-gcflags=modernc.org/...=-d=checkptr=0"}

// raceMemoryFactor is how much more memory the race detector makes a
// process use for memory it touches: it keeps shadow memory beside it.
const raceMemoryFactor = 3
