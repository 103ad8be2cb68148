//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package loadgen

// openFileLimit describes the process's open-file limit where it cannot be
// read.
func openFileLimit() string { return "unknown" }
