package auth

import (
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
