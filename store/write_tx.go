package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// errWriteQueueFull: the writer stayed busy with other writes for the whole write wait
// (they were themselves waiting for a lock held elsewhere).
var errWriteQueueFull = errors.New("no write connection within the write wait")

// writeTx queues fn for the writer and waits for its answer, at most db.writeWait for the
// writer to start it. Once started, fn runs to its end and the caller waits for the commit
// that holds it: an error then always means "not written", nil means "durable".
func (db *DB) writeTx(ctx context.Context, fn func(tx *Tx) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("write connection: %w", err)
	}
	r := &writeRequest{fn: fn, deadline: time.Now().Add(db.writeWait), done: make(chan writeResult, 1)}
	if !db.queue.push(r) {
		return errDBClosed
	}
	timer := time.NewTimer(db.writeWait)
	defer timer.Stop()
	select {
	case res := <-r.done:
		return res.deliver()
	case <-ctx.Done():
		if r.cancel() {
			return fmt.Errorf("write connection: %w", ctx.Err())
		}
	case <-timer.C:
		if r.cancel() {
			return errWriteBusy(errWriteQueueFull)
		}
	}
	return (<-r.done).deliver()
}

// deliver re-raises fn's panic in the caller's goroutine, or runs the after-commit hooks
// (the commit is durable by now) and returns fn's error.
func (res writeResult) deliver() error {
	if res.panicked {
		panic(res.panicValue)
	}
	for _, f := range res.afterCommit {
		f()
	}
	return res.err
}

// runWriter is the writer goroutine: it runs batches until the queue is closed and empty.
func (db *DB) runWriter() {
	defer close(db.queue.stopped)
	for {
		first := db.queue.wait()
		if first == nil {
			return
		}
		db.runBatch(first)
	}
}

// batchMember is one write of a batch and its answer so far.
type batchMember struct {
	req *writeRequest
	res writeResult
	ok  bool // fn succeeded and its savepoint was released into the batch
}

// runBatch runs first, then whatever else is queued (up to the batch bounds), each in its
// own savepoint of one BEGIN IMMEDIATE transaction; commits once; then answers them all.
func (db *DB) runBatch(first *writeRequest) {
	ctx := context.Background()
	connCtx, cancel := context.WithDeadline(ctx, first.deadline)
	conn, err := db.write.Conn(connCtx)
	cancel()
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			err = errWriteBusy(errWriteQueueFull)
		}
		first.done <- writeResult{err: fmt.Errorf("write connection: %w", err)}
		return
	}
	defer conn.Close()
	// Wait for SQLite's write lock no longer than what is left of the first write's wait.
	if err := setBusyTimeout(ctx, conn, max(time.Until(first.deadline), 0)); err != nil {
		first.done <- writeResult{err: err}
		return
	}
	// Others using the pool directly (the session store, migrations) get the full wait back.
	defer func() { _ = setBusyTimeout(ctx, conn, db.writeWait) }()

	// The transaction gets no caller's context: one caller giving up must not interrupt a
	// transaction that holds others' writes (SQLite rolls back the whole of it).
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		first.done <- writeResult{err: fmt.Errorf("begin: %w", err)}
		return
	}
	members := make([]*batchMember, 0, 8)
	start := time.Now()
	for r := first; r != nil; {
		m := &batchMember{req: r}
		members = append(members, m)
		if lost := db.runMember(ctx, sqlTx, m); lost != nil {
			_ = sqlTx.Rollback()
			failBatch(members, lost)
			return
		}
		if len(members) >= db.batchMax || time.Since(start) >= db.batchWindow {
			break
		}
		r = db.queue.take()
	}
	err = sqlTx.Commit()
	if err == nil {
		db.commits.Add(1)
	}
	for _, m := range members {
		if m.ok && err != nil {
			m.res = writeResult{err: fmt.Errorf("commit: %w", err)}
		}
		m.req.done <- m.res
	}
}

// runMember runs one write in its own savepoint with its own clock. Its error or panic
// rolls back only its savepoint. The return value is non-nil when the transaction itself
// is gone (SQLite rolls back the whole transaction on a full disk or an I/O error).
func (db *DB) runMember(ctx context.Context, sqlTx *sql.Tx, m *batchMember) (lost error) {
	if _, err := sqlTx.ExecContext(ctx, "SAVEPOINT write_request"); err != nil {
		m.res.err = err
		return err
	}
	tx := &Tx{Tx: sqlTx, Now: db.Now(), db: db, shielded: true}
	fnErr, panicked, panicValue := callWrite(m.req.fn, tx)
	if fnErr == nil && !panicked {
		if _, err := sqlTx.ExecContext(ctx, "RELEASE write_request"); err != nil {
			m.res.err = err
			return err
		}
		m.ok, m.res.afterCommit = true, tx.afterCommit
		return nil
	}
	m.res = writeResult{err: fnErr, panicked: panicked, panicValue: panicValue}
	if _, err := sqlTx.ExecContext(ctx, "ROLLBACK TO write_request; RELEASE write_request"); err != nil {
		if fnErr != nil {
			return fnErr
		}
		return fmt.Errorf("a write panicked and its rollback failed: %w", err)
	}
	return nil
}

// callWrite runs fn, turning a panic into a value to re-raise in the caller's goroutine.
func callWrite(fn func(tx *Tx) error, tx *Tx) (err error, panicked bool, value any) {
	defer func() {
		if p := recover(); p != nil {
			panicked, value = true, p
		}
	}()
	return fn(tx), false, nil
}

// failBatch answers a batch whose transaction was lost: the writes that had succeeded
// are not on disk, and are told why (a full disk classifies as storage_full for them too).
func failBatch(members []*batchMember, cause error) {
	for _, m := range members {
		if m.ok {
			m.res = writeResult{err: fmt.Errorf("the transaction shared with other writes was rolled back: %w", cause)}
		}
		m.req.done <- m.res
	}
}

func setBusyTimeout(ctx context.Context, conn *sql.Conn, d time.Duration) error {
	_, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = "+strconv.FormatInt(d.Milliseconds(), 10))
	if err != nil {
		return fmt.Errorf("set busy timeout: %w", err)
	}
	return nil
}
