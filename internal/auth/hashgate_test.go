package auth

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// TestPasswordHashBudget verifies many passwords at once: no more than the
// memory budget's number of hashes may run together, and those that find
// no slot in time get ErrBusy instead of waiting on.
func TestPasswordHashBudget(t *testing.T) {
	h := HashPassword("correct horse battery staple")
	g := newHashGate(HashMemoryBudget)
	if cap(g.slots) != 4 {
		t.Fatalf("%d slots for a budget of 256 MiB, want 4", cap(g.slots))
	}
	saved := hashes
	hashes = g
	defer func() { hashes = saved }()
	const n = 24
	var wg sync.WaitGroup
	var mu sync.Mutex
	verified, busy := 0, 0
	for range n {
		wg.Go(func() {
			ok, err := VerifyPassword(context.Background(), h, "correct horse battery staple", 200*time.Millisecond)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, ErrBusy):
				busy++
			case err == nil && ok:
				verified++
			default:
				t.Errorf("verify: %v, %v", ok, err)
			}
		})
	}
	wg.Wait()
	if p := g.peak.Load(); p > 4 || p < 1 {
		t.Errorf("peak of %d hashes at once, want 1 to 4", p)
	}
	if busy == 0 || verified == 0 || busy+verified != n {
		t.Errorf("%d verified, %d busy of %d", verified, busy, n)
	}
	if g.running.Load() != 0 || len(g.slots) != 0 {
		t.Errorf("slots not released: %d running, %d taken", g.running.Load(), len(g.slots))
	}
	// A caller that gives up frees its turn at once.
	for range cap(g.slots) {
		g.slots <- struct{}{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := VerifyPassword(ctx, h, "x", 0); !errors.Is(err, ErrBusy) || !errors.Is(err, context.Canceled) {
		t.Errorf("verify with an ended context: %v", err)
	}
}
