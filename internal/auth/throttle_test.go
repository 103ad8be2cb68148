package auth

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestThrottle(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	th := NewThrottle(func() time.Time { return now })
	for i := range 9 {
		th.Fail("acct:eva", "addr:192.0.2.1")
		if locked, _ := th.Locked("acct:eva"); locked {
			t.Fatalf("locked after %d failures", i+1)
		}
	}
	th.Fail("acct:eva", "addr:192.0.2.1")
	locked, until := th.Locked("acct:eva")
	if !locked || !until.Equal(now.Add(15*time.Minute)) {
		t.Fatalf("after 10 failures: locked=%v until %v", locked, until)
	}
	if locked, _ := th.Locked("acct:other", "addr:192.0.2.1"); !locked {
		t.Fatal("the client address is not locked too")
	}
	if locked, _ := th.Locked("acct:other", "addr:192.0.2.2"); locked {
		t.Fatal("an unrelated account and address are locked")
	}
	now = now.Add(16 * time.Minute)
	if locked, _ := th.Locked("acct:eva"); locked {
		t.Fatal("still locked after the lockout")
	}
	th.Fail("acct:eva")
	if locked, _ := th.Locked("acct:eva"); locked {
		t.Fatal("one failure after the lockout locks again")
	}
	// Failures spread beyond the window do not add up.
	for range 9 {
		th.Fail("acct:slow")
		now = now.Add(2 * time.Minute)
	}
	th.Fail("acct:slow")
	if locked, _ := th.Locked("acct:slow"); locked {
		t.Fatal("failures over more than the window locked the account")
	}
	th.Succeed("acct:eva")
	if _, ok := th.keys["acct:eva"]; ok {
		t.Fatal("success did not forget the failures")
	}
}

// TestThrottleAttemptParallel reserves attempts from many goroutines at
// once: no more than MaxFailures may be let through.
func TestThrottleAttemptParallel(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	th := NewThrottle(func() time.Time { return now })
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			if ok, _ := th.Attempt("acct:eva", "addr:192.0.2.1"); ok {
				allowed.Add(1)
			}
		})
	}
	wg.Wait()
	if n := allowed.Load(); n != int32(th.MaxFailures) {
		t.Fatalf("%d of 100 parallel attempts allowed, want %d", n, th.MaxFailures)
	}
	if ok, until := th.Attempt("acct:eva"); ok || !until.Equal(now.Add(th.Lockout)) {
		t.Fatalf("attempt after the limit: ok=%v until %v", ok, until)
	}
	// An attempt that was not evaluated is given back and unlocks.
	th.Refund("acct:eva", "addr:192.0.2.1")
	if ok, _ := th.Attempt("acct:eva", "addr:192.0.2.1"); !ok {
		t.Fatal("refunded attempt is not available again")
	}
	// Success forgets the count.
	th.Succeed("acct:eva", "addr:192.0.2.1")
	for i := range th.MaxFailures {
		if ok, _ := th.Attempt("acct:eva"); !ok {
			t.Fatalf("attempt %d after success refused", i+1)
		}
	}
	if ok, _ := th.Attempt("acct:eva"); ok {
		t.Fatal("attempt beyond the limit after success allowed")
	}
}
