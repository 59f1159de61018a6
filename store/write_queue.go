package store

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// Group commit: every db.Write goes through one queue that a single writer goroutine
// drains (write_batch.go). With synchronous=FULL each commit costs an fsync; writes that
// arrive while one commit is on its way to the disk share the next one.

// Batch bounds when Options leave them zero. The writer never waits for more writes to
// arrive, so a lone write is committed at once; the bounds only stop a busy queue from
// holding the first write of a batch back behind many others.
const (
	DefaultWriteBatchMax    = 64
	DefaultWriteBatchWindow = 10 * time.Millisecond
)

// errDBClosed is a write that came after Close.
var errDBClosed = errors.New("database closed")

// A write request moves from queued to started (the writer took it) or to cancelled (its
// caller gave up first); exactly one of the two wins.
const (
	writeQueued int32 = iota
	writeStarted
	writeCancelled
)

// writeRequest is one db.Write waiting for the writer.
type writeRequest struct {
	fn       func(tx *Tx) error
	deadline time.Time // the end of the write wait: the writer waits no longer for the lock
	state    atomic.Int32
	done     chan writeResult // buffered: the writer never blocks on an answer
}

// claim is the writer taking the request; false when its caller gave up first.
func (r *writeRequest) claim() bool { return r.state.CompareAndSwap(writeQueued, writeStarted) }

// cancel is the caller giving up; false when the writer already runs (or ran) it, and the
// caller must then wait for its answer: the write may commit.
func (r *writeRequest) cancel() bool { return r.state.CompareAndSwap(writeQueued, writeCancelled) }

// writeResult is the writer's answer: the function's error (or its panic), and the hooks
// to run once its commit is durable.
type writeResult struct {
	err         error
	panicked    bool
	panicValue  any
	afterCommit []func()
}

// writeQueue is the FIFO of pending writes.
type writeQueue struct {
	mu      sync.Mutex
	pending []*writeRequest
	closed  bool
	wake    chan struct{} // one token: "the queue may have work"
	stopped chan struct{} // closed when the writer has exited
	onPush  func()        // tests: called after each push
}

func newWriteQueue() *writeQueue {
	return &writeQueue{wake: make(chan struct{}, 1), stopped: make(chan struct{})}
}

// push queues r; false after close.
func (q *writeQueue) push(r *writeRequest) bool {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return false
	}
	q.pending = append(q.pending, r)
	hook := q.onPush
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
	if hook != nil {
		hook()
	}
	return true
}

// take returns the next request the writer may run (claimed), skipping cancelled ones;
// nil when the queue is empty.
func (q *writeQueue) take() *writeRequest {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.pending) > 0 {
		r := q.pending[0]
		q.pending[0] = nil
		q.pending = q.pending[1:]
		if r.claim() {
			return r
		}
	}
	return nil
}

// wait blocks until the queue has a request for the writer, or returns nil once the queue
// is closed and empty (writes queued before Close still run).
func (q *writeQueue) wait() *writeRequest {
	for {
		if r := q.take(); r != nil {
			return r
		}
		q.mu.Lock()
		done := q.closed && len(q.pending) == 0
		q.mu.Unlock()
		if done {
			return nil
		}
		<-q.wake
	}
}

// close stops new writes and wakes the writer so it can finish; idempotent.
func (q *writeQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// len is the number of requests waiting (cancelled ones included until skipped).
func (q *writeQueue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.pending)
}

// WriteCommits is how many write transactions have committed since Open: with group
// commit, fewer than the writes that succeeded (metrics; tests count a request's commits).
func (db *DB) WriteCommits() int64 { return db.commits.Load() }
