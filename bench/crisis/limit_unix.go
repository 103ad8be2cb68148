//go:build unix

package main

import (
	"fmt"
	"syscall"
)

// raiseFileLimit raises the open-file limit to its hard limit, since every
// connection takes a file descriptor, and returns the new limit. Child
// processes inherit it.
func raiseFileLimit() (uint64, error) {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0, fmt.Errorf("reading the open-file limit: %w", err)
	}
	if l.Cur < l.Max {
		l.Cur = l.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
			return 0, fmt.Errorf("raising the open-file limit to %d: %w", l.Max, err)
		}
	}
	return uint64(l.Cur), nil
}
