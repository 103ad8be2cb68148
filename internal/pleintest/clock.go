package pleintest

import (
	"sync"
	"time"
)

// Clock is a clock a test moves by hand: Now returns the same time until
// Advance moves it. Pass its Now method where Plein takes a clock, such as
// Options.Now. It is safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock standing at t, without the monotonic reading
// time.Now adds, like a time read back from the database.
func NewClock(t time.Time) *Clock {
	return &Clock{t: t.Round(0)}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
