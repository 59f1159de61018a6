package store

import (
	"context"
	"runtime"
	"sync/atomic"
	"time"
)

// DefaultPasswordQueueWait is how long a password check or hash may wait for a bcrypt slot
// before the caller is told the server is busy. At cost 12 (~0.25 s a hash) it is the
// work of about eight callers ahead: a real user queued behind a flood gets a quick 503
// with Retry-After instead of a minute-long wait, and the queue cannot grow without end.
const DefaultPasswordQueueWait = 2 * time.Second

// hashQueue bounds bcrypt work. A flood of logins from many addresses (which per-IP limits
// cannot stop) then queues for the slots instead of starving every other request of CPU,
// and a caller who cannot get a slot in time is refused rather than left waiting.
type hashQueue struct {
	slots chan struct{}
	wait  time.Duration
	// started counts bcrypt computations: which paths hash is a security property (a login
	// must hash the same whether or not its email has an account), and this is how tests see it.
	started atomic.Int64
}

// newHashQueue allows slots computations at once (half the CPUs, at least one, when 0) and
// a wait of at most wait (DefaultPasswordQueueWait when 0).
func newHashQueue(slots int, wait time.Duration) *hashQueue {
	if slots <= 0 {
		slots = max(1, runtime.GOMAXPROCS(0)/2)
	}
	if wait <= 0 {
		wait = DefaultPasswordQueueWait
	}
	return &hashQueue{slots: make(chan struct{}, slots), wait: wait}
}

// errPasswordQueueFull is the 503 of a caller who waited too long for a slot.
func (q *hashQueue) errFull() error {
	e := Errorf(ECodeUnavailable, "Serverul este foarte ocupat. Te rugăm să încerci din nou în câteva secunde.",
		"The server is very busy. Please try again in a few seconds.")
	e.RetryAfter = q.wait
	return e
}

// run runs fn when a slot is free, or gives up after the queue's wait or when ctx ends.
func (q *hashQueue) run(ctx context.Context, fn func()) error {
	select {
	case q.slots <- struct{}{}:
	default:
		t := time.NewTimer(q.wait)
		defer t.Stop()
		select {
		case q.slots <- struct{}{}:
		case <-t.C:
			return q.errFull()
		case <-ctx.Done():
			return q.errFull()
		}
	}
	defer func() { <-q.slots }()
	q.started.Add(1)
	fn()
	return nil
}
