package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/metalpro/backend/store"
)

// workers are the background loops of serve; wait returns once all have stopped.
type workers struct{ wg sync.WaitGroup }

func (w *workers) wait() { w.wg.Wait() }

// run runs fn until it returns (fn must return once ctx is cancelled).
func (w *workers) run(ctx context.Context, fn func(context.Context)) {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		fn(ctx)
	}()
}

// every runs fn every interval until ctx is cancelled.
func (w *workers) every(ctx context.Context, interval time.Duration, fn func(context.Context)) {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				fn(ctx)
			}
		}
	}()
}

// startWorkers starts the periodic housekeeping.
func startWorkers(ctx context.Context, db *store.DB, logger *slog.Logger) *workers {
	w := &workers{}
	w.every(ctx, 30*time.Minute, func(ctx context.Context) {
		n, err := db.DeleteExpiredSessions(ctx)
		if err != nil {
			logger.Error("cleanup: expired guest sessions", "err", err)
			return
		}
		if n > 0 {
			logger.Info("cleanup: expired guest sessions removed", "count", n)
		}
	})
	w.every(ctx, time.Hour, func(ctx context.Context) {
		n, err := db.DeleteExpiredAuthSessions(ctx)
		if err != nil {
			logger.Error("cleanup: expired sign-in sessions", "err", err)
			return
		}
		if n > 0 {
			logger.Info("cleanup: expired sign-in sessions removed", "count", n)
		}
	})
	// Carts untouched past their expiry (guests 30 days, accounts 90) and idempotency keys
	// past 24 h: hourly is plenty, nothing reads them once expired.
	w.every(ctx, time.Hour, func(ctx context.Context) { cleanupCartsAndKeys(ctx, db, logger) })
	w.every(ctx, 24*time.Hour, func(ctx context.Context) {
		n, err := db.DeleteSentEmailsBefore(ctx, time.Now().AddDate(0, 0, -90))
		if err != nil {
			logger.Error("cleanup: sent emails", "err", err)
			return
		}
		if n > 0 {
			logger.Info("cleanup: sent emails older than 90 days removed", "count", n)
		}
	})
	return w
}

// cleanupCartsAndKeys deletes expired carts (their lines go with them) and expired RFQ
// idempotency keys.
func cleanupCartsAndKeys(ctx context.Context, db *store.DB, logger *slog.Logger) {
	if n, err := db.DeleteExpiredCarts(ctx); err != nil {
		logger.Error("cleanup: expired carts", "err", err)
	} else if n > 0 {
		logger.Info("cleanup: expired carts removed", "count", n)
	}
	if n, err := db.DeleteExpiredIdempotencyKeys(ctx); err != nil {
		logger.Error("cleanup: expired idempotency keys", "err", err)
	} else if n > 0 {
		logger.Info("cleanup: expired idempotency keys removed", "count", n)
	}
}
