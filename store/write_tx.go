package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// errWriteQueueFull: the write connection stayed busy with other writes for the whole
// write wait (they were themselves waiting for a lock held elsewhere).
var errWriteQueueFull = errors.New("no write connection within the write wait")

// writeTx runs fn in a BEGIN IMMEDIATE transaction on the write connection, waiting at
// most db.writeWait in all: first for the connection (other writes queue on it), then for
// SQLite's write lock, with the busy timeout set to what is left. Without the shared
// deadline each queued write would wait a full busy timeout after the one before it.
func (db *DB) writeTx(ctx context.Context, fn func(tx *Tx) error) error {
	deadline := time.Now().Add(db.writeWait)
	connCtx, cancel := context.WithDeadline(ctx, deadline)
	conn, err := db.write.Conn(connCtx)
	cancel()
	if err != nil {
		if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			return errWriteBusy(errWriteQueueFull)
		}
		return fmt.Errorf("write connection: %w", err)
	}
	defer conn.Close()
	left := max(time.Until(deadline), 0)
	if err := setBusyTimeout(ctx, conn, left); err != nil {
		return err
	}
	// Others using the pool directly (the session store, migrations) get the full wait back.
	defer func() { _ = setBusyTimeout(context.WithoutCancel(ctx), conn, db.writeWait) }()

	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	return db.finishTx(sqlTx, fn)
}

func setBusyTimeout(ctx context.Context, conn *sql.Conn, d time.Duration) error {
	_, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = "+strconv.FormatInt(d.Milliseconds(), 10))
	if err != nil {
		return fmt.Errorf("set busy timeout: %w", err)
	}
	return nil
}
