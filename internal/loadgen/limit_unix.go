//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package loadgen

import (
	"strconv"
	"syscall"
)

// openFileLimit describes the process's open-file limit (ulimit -n).
func openFileLimit() string {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return "unknown (" + err.Error() + "; see ulimit -n)"
	}
	return strconv.FormatUint(uint64(l.Cur), 10) + " (ulimit -n)"
}
