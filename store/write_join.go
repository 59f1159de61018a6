package store

import (
	"context"
	"sync/atomic"
)

// A request's own bookkeeping (a new guest's session) can be committed in the same
// transaction as the request's write instead of in a second one, with its own fsync.

type joinKey struct{}
type joinedTxKey struct{}

// joinedWrite is work waiting for the next write made with its context; taken once.
type joinedWrite struct {
	fn    func(ctx context.Context) error
	taken atomic.Bool
}

// JoinWrite returns ctx carrying fn: the next db.Write made with ctx (or a context derived
// from it) runs fn after its own function succeeded, in the same transaction, so both
// commit or neither does. fn's ctx lets stores that take a context (the guest session
// store) write in that transaction. A request that makes no write never runs fn.
func JoinWrite(ctx context.Context, fn func(ctx context.Context) error) context.Context {
	return context.WithValue(ctx, joinKey{}, &joinedWrite{fn: fn})
}

// withJoined wraps fn with the work JoinWrite attached to ctx, if any is still waiting.
// It runs in the caller's goroutine, before the write is queued.
func withJoined(ctx context.Context, fn func(tx *Tx) error) func(tx *Tx) error {
	j, _ := ctx.Value(joinKey{}).(*joinedWrite)
	if j == nil || !j.taken.CompareAndSwap(false, true) {
		return fn
	}
	return func(tx *Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return j.fn(context.WithValue(ctx, joinedTxKey{}, tx))
	}
}

// joinedTx is the transaction a joined function runs in, or nil outside one.
func joinedTx(ctx context.Context) *Tx {
	tx, _ := ctx.Value(joinedTxKey{}).(*Tx)
	return tx
}
