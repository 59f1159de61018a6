// Package testclock is a settable clock for store.Options.Now in tests: tokens expire,
// carts age and years roll over without sleeping.
package testclock

import (
	"sync"
	"time"
)

// Clock is safe for concurrent use; the zero value reads as the zero time.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// New returns a clock standing at t.
func New(t time.Time) *Clock { return &Clock{now: t} }

// Now is the clock's time; pass it as store.Options.Now.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Advance moves the clock forward by d (Add is the same, for readers who prefer it).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Add moves the clock forward by d.
func (c *Clock) Add(d time.Duration) { c.Advance(d) }
