package auth

import (
	"sync"
	"time"

	"plein/internal/config"
)

// Throttle limits failed log-ins per key (an account, a client address),
// in memory only: after MaxFailures failures within Window, a key is
// locked for Lockout. A log-in reserves its attempt with Attempt before the
// password is verified, so that attempts running at once cannot together
// get more guesses than MaxFailures; Succeed forgets them again. Nothing of it is written to disk, and keys are
// forgotten once their window has passed.
type Throttle struct {
	MaxFailures int
	Window      time.Duration
	Lockout     time.Duration

	mu   sync.Mutex
	keys map[string]*attempts
	now  func() time.Time
}

type attempts struct {
	failures    int
	first       time.Time
	lockedUntil time.Time
}

// NewThrottle returns a Throttle allowing 10 failures per 15 minutes and
// then locking for 15 minutes.
func NewThrottle(now func() time.Time) *Throttle {
	return &Throttle{MaxFailures: 10, Window: config.LoginThrottleAge, Lockout: config.LoginThrottleAge,
		keys: map[string]*attempts{}, now: now}
}

// Locked reports whether any of keys is locked, and until when.
func (t *Throttle) Locked(keys ...string) (bool, time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	for _, k := range keys {
		if a, ok := t.keys[k]; ok && now.Before(a.lockedUntil) {
			return true, a.lockedUntil
		}
	}
	return false, time.Time{}
}

// Attempt reserves one attempt for every key, counting it as a failure
// until Succeed or Refund says otherwise, so that the count cannot be raced
// by attempts running at once. When any key is locked it reserves nothing
// and returns false and until when; the attempt that reaches MaxFailures
// is allowed and locks the keys.
func (t *Throttle) Attempt(keys ...string) (ok bool, until time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	for _, k := range keys {
		if a, ok := t.keys[k]; ok && now.Before(a.lockedUntil) {
			return false, a.lockedUntil
		}
	}
	t.fail(now, keys)
	return true, time.Time{}
}

// Refund gives back an attempt Attempt reserved that was not evaluated (the
// server was busy or failed), so that it does not count as a failure.
func (t *Throttle) Refund(keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range keys {
		a, ok := t.keys[k]
		if !ok || a.failures == 0 {
			continue
		}
		a.failures--
		if a.failures < t.MaxFailures {
			a.lockedUntil = time.Time{}
		}
	}
}

// Fail records a failed attempt for each key that was not reserved with
// Attempt.
func (t *Throttle) Fail(keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.fail(t.now(), keys)
}

// fail counts a failure for each key and locks the keys that reach
// MaxFailures; t.mu is held.
func (t *Throttle) fail(now time.Time, keys []string) {
	t.sweep(now)
	for _, k := range keys {
		a, ok := t.keys[k]
		if !ok || now.Sub(a.first) > t.Window && !now.Before(a.lockedUntil) {
			a = &attempts{first: now}
			t.keys[k] = a
		}
		a.failures++
		if a.failures >= t.MaxFailures {
			a.lockedUntil = now.Add(t.Lockout)
		}
	}
}

// Succeed forgets the failures of keys, the attempt that succeeded
// included.
func (t *Throttle) Succeed(keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range keys {
		delete(t.keys, k)
	}
}

// sweep drops keys whose window and lockout have passed, so memory stays
// bounded by recent failures.
func (t *Throttle) sweep(now time.Time) {
	if len(t.keys) < 1024 {
		return
	}
	for k, a := range t.keys {
		if now.Sub(a.first) > t.Window && !now.Before(a.lockedUntil) {
			delete(t.keys, k)
		}
	}
}
