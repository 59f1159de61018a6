package store

import (
	"context"
	"runtime"
	"sync/atomic"
	"time"
)

// DefaultPasswordQueueWait is the least a password check or hash may wait for a bcrypt
// slot before the caller is told the server is busy. At cost 12 (~0.25 s a hash on an idle
// core) it is the work of about eight callers ahead: a real user queued behind a flood
// gets a quick 503 with Retry-After instead of a minute-long wait, and the queue cannot
// grow without end.
const DefaultPasswordQueueWait = 2 * time.Second

// A caller may also wait as long as hashesWorthWaiting hashes take at the recent pace (up
// to maxPasswordQueueWait): on a loaded machine a hash takes a second or more, and a fixed
// 2 s would turn a customer queued behind two of a flooder's hashes into a 503.
const (
	hashesWorthWaiting   = 4
	maxPasswordQueueWait = 10 * time.Second
)

// hashQueue bounds bcrypt work. A flood of logins from many addresses (which per-IP limits
// cannot stop) then queues for the slots instead of starving every other request of CPU,
// and a caller who cannot get a slot in time is refused rather than left waiting.
type hashQueue struct {
	slots chan struct{}
	wait  time.Duration
	// started counts bcrypt computations: which paths hash is a security property (a login
	// must hash the same whether or not its email has an account), and this is how tests see it.
	started atomic.Int64
	// pace is a moving average of one computation's duration, in nanoseconds.
	pace atomic.Int64
}

// maxWait is how long a caller may wait for a slot now: the configured least, or a few
// hashes at the recent pace, whichever is longer.
func (q *hashQueue) maxWait() time.Duration {
	return min(max(q.wait, hashesWorthWaiting*time.Duration(q.pace.Load())), max(q.wait, maxPasswordQueueWait))
}

// record folds one computation's duration into the pace (weight 1/8: a few slow hashes
// move it, one outlier does not).
func (q *hashQueue) record(d time.Duration) {
	for {
		old := q.pace.Load()
		next := int64(d)
		if old != 0 {
			next = old + (int64(d)-old)/8
		}
		if q.pace.CompareAndSwap(old, next) {
			return
		}
	}
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

// errFull is the 503 of a caller who waited wait for a slot in vain.
func (q *hashQueue) errFull(wait time.Duration) error {
	e := Errorf(ECodeUnavailable, "Serverul este foarte ocupat. Te rugăm să încerci din nou în câteva secunde.",
		"The server is very busy. Please try again in a few seconds.")
	e.RetryAfter = wait
	return e
}

// run runs fn when a slot is free, or gives up after the queue's wait or when ctx ends.
func (q *hashQueue) run(ctx context.Context, fn func()) error {
	select {
	case q.slots <- struct{}{}:
	default:
		wait := q.maxWait()
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case q.slots <- struct{}{}:
		case <-t.C:
			return q.errFull(wait)
		case <-ctx.Done():
			return q.errFull(wait)
		}
	}
	defer func() { <-q.slots }()
	q.started.Add(1)
	start := time.Now()
	fn()
	q.record(time.Since(start))
	return nil
}
