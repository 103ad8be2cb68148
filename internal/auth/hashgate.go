package auth

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"time"
)

// HashMemoryBudget is the memory, in bytes, that password hashes running at
// once may use together. Every argon2id hash takes argonMemory KiB (64 MiB),
// so the default of 256 MiB lets four run at once; more wait their turn.
const HashMemoryBudget = 256 << 20

// MaxHashWait is how long a log-in waits by default for a free hashing
// slot before it is refused with ErrBusy (see Service.HashWait).
const MaxHashWait = 2 * time.Second

// ErrBusy reports that too many passwords are being verified at once; the
// caller may try again in a moment. Nothing was verified.
var ErrBusy = errors.New("auth: too many password checks at once")

// hashGate limits the number of argon2id hashes running at once, so that
// a burst of log-ins cannot exhaust memory.
type hashGate struct {
	slots   chan struct{}
	running atomic.Int64
	peak    atomic.Int64
}

func newHashGate(budget int) *hashGate {
	n := max(budget/(argonMemory*1024), 1)
	return &hashGate{slots: make(chan struct{}, n)}
}

// hashes is the one gate of the process: all password hashing goes
// through it.
var hashes = newHashGate(HashMemoryBudget)

// acquire waits for a slot for up to wait (no limit when wait is 0) or
// until ctx ends; it returns ErrBusy when no slot came free in time.
func (g *hashGate) acquire(ctx context.Context, wait time.Duration) error {
	select {
	case g.slots <- struct{}{}:
	default:
		var timeout <-chan time.Time
		if wait > 0 {
			t := time.NewTimer(wait)
			defer t.Stop()
			timeout = t.C
		}
		select {
		case g.slots <- struct{}{}:
		case <-timeout:
			return ErrBusy
		case <-ctx.Done():
			return fmt.Errorf("%w: %w", ErrBusy, ctx.Err())
		}
	}
	n := g.running.Add(1)
	for p := g.peak.Load(); n > p && !g.peak.CompareAndSwap(p, n); p = g.peak.Load() {
	}
	return nil
}

// release frees the slot acquire took. The finished hash's memory is
// collected first, before another hash may allocate its own: otherwise the
// collector lets garbage of earlier hashes pile up to twice the budget
// before it runs. The hash's blocks hold no pointers, so the collection is
// short against the hash.
func (g *hashGate) release() {
	runtime.GC()
	g.running.Add(-1)
	<-g.slots
}

// HashLoad reports how many password hashes are running now, the most that
// ever ran at once, and how many may run at once, for monitoring.
func HashLoad() (running, peak, limit int) {
	return int(hashes.running.Load()), int(hashes.peak.Load()), cap(hashes.slots)
}
