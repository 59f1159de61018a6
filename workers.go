package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/metalpro/backend/files"
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

// sweepInterval is how often expired rows are deleted. Every read already ignores an expired
// row, so this only bounds how long one takes up space.
const sweepInterval = 30 * time.Minute

// startWorkers starts the periodic housekeeping; blobs (nil for none) is the file store
// whose unclaimed uploads the sweep deletes.
func startWorkers(ctx context.Context, db *store.DB, blobs files.Blobs, logger *slog.Logger) *workers {
	w := &workers{}
	w.every(ctx, sweepInterval, func(ctx context.Context) {
		sweepExpired(ctx, db, logger)
		if blobs != nil {
			sweepUploads(ctx, db, blobs, logger)
		}
	})
	// Quotes past their last valid day (issue 12): daily, and once at start so a restart
	// does not push the marking a day further.
	w.run(ctx, func(ctx context.Context) { expireQuotes(ctx, db, logger) })
	w.every(ctx, quoteExpiryInterval, func(ctx context.Context) { expireQuotes(ctx, db, logger) })
	return w
}

// quoteExpiryInterval: quotes expire by the day, so once a day is enough; a customer
// cannot accept an expired quote meanwhile anyway (the store checks the date itself).
const quoteExpiryInterval = 24 * time.Hour

// expireQuotes marks expired quotes and logs what it did.
func expireQuotes(ctx context.Context, db *store.DB, logger *slog.Logger) {
	n, err := db.ExpireQuotes(ctx)
	switch {
	case err != nil && ctx.Err() == nil:
		logger.Error("quote expiry failed", "err", err)
	case n > 0:
		logger.Info("quotes expired", "count", n)
	}
}

// sweepExpired deletes expired rows and logs, in one shape, what went or what failed.
func sweepExpired(ctx context.Context, db *store.DB, logger *slog.Logger) {
	for _, s := range db.SweepExpired(ctx) {
		switch {
		case s.Err != nil:
			logger.Error("cleanup failed", "what", s.What, "err", s.Err)
		case s.Deleted > 0:
			logger.Info("cleanup", "what", s.What, "count", s.Deleted)
		}
	}
}
