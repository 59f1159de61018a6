package store

import (
	"context"
	"database/sql"
)

// A write's statements run in a transaction shared with other writes (group commit).
// SQLite answers a cancelled statement (sqlite3_interrupt) inside a transaction by rolling
// back the whole transaction, which would drop the other writes' changes; so in a shared
// transaction a statement never sees its caller's cancellation. The writes are short, and
// a caller that gave up still gets a true answer (write_tx.go).

func (tx *Tx) shield(ctx context.Context) context.Context {
	if tx.shielded {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

// ExecContext is sql.Tx's, shielded from cancellation in a shared write transaction.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return tx.Tx.ExecContext(tx.shield(ctx), query, args...)
}

// QueryContext is sql.Tx's, shielded from cancellation in a shared write transaction.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return tx.Tx.QueryContext(tx.shield(ctx), query, args...)
}

// QueryRowContext is sql.Tx's, shielded from cancellation in a shared write transaction.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.Tx.QueryRowContext(tx.shield(ctx), query, args...)
}

// PrepareContext is sql.Tx's, shielded from cancellation in a shared write transaction
// (the statement's own ExecContext is not: pass it a context that outlives the write).
func (tx *Tx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return tx.Tx.PrepareContext(tx.shield(ctx), query)
}
