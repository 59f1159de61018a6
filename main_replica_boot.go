package main

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/metalpro/backend/replica"
	"github.com/metalpro/backend/store"
)

// StateUnreachable is the replication state while the replica could not be reached at
// boot and the server runs on its local database alone.
const StateUnreachable = "unreachable"

// replication is serve's replication: the supervisor once it runs, or, when the replica
// was unreachable at boot with an intact local database, the loop that keeps trying to
// reach it. Refusing to start then would turn an S3 outage into a full outage, while the
// local file is the newest state there is.
type replication struct {
	cfg    config
	logger *slog.Logger

	mu      sync.Mutex
	sup     *replica.Supervisor
	lastErr error
	stop    chan struct{}
	done    chan struct{}
}

// Status is the supervisor's, or "unreachable" with the last error.
func (r *replication) Status() replica.Status {
	r.mu.Lock()
	sup, lastErr := r.sup, r.lastErr
	r.mu.Unlock()
	if sup != nil {
		return sup.Status()
	}
	st := replica.Status{State: StateUnreachable, Replica: r.cfg.Replica.String(), RPOSeconds: r.cfg.Replica.RPO().Seconds()}
	if lastErr != nil {
		st.LastError = lastErr.Error()
	}
	return st
}

// Health fails while the replica is unreachable: the server runs, but unprotected.
func (r *replication) Health(ctx context.Context) (bool, any) {
	r.mu.Lock()
	sup := r.sup
	r.mu.Unlock()
	if sup != nil {
		return sup.Health(ctx)
	}
	return false, r.Status()
}

// retryInBackground keeps trying to reach the replica (identity check, then the
// replicator) with backoff, once the database is open, until it succeeds or close.
func (r *replication) retryInBackground(db *store.DB) {
	r.stop, r.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(r.done)
		backoff := time.Second
		for {
			select {
			case <-r.stop:
				return
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, 30*time.Second)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			sup, err := r.connect(ctx)
			if err == nil {
				adoptReplica(ctx, r.cfg, db, r.logger)
				cancel()
				r.mu.Lock()
				r.sup, r.lastErr = sup, nil
				r.mu.Unlock()
				r.logger.Info("replication: the replica is reachable again; replicating", "replica", r.cfg.Replica.String())
				return
			}
			cancel()
			r.mu.Lock()
			r.lastErr = err
			r.mu.Unlock()
			if errors.Is(err, replica.ErrMismatch) {
				r.logger.Error("replication: the replica holds another database; not replicating", "err", err)
				return
			}
			r.logger.Warn("replication: replica still unreachable", "err", err, "retry_in", backoff)
		}
	}()
}

// connect runs the identity check and starts the replicator.
func (r *replication) connect(ctx context.Context) (*replica.Supervisor, error) {
	if err := prepareReplica(ctx, r.cfg, r.logger); err != nil {
		return nil, err
	}
	sup := &replica.Supervisor{Config: r.cfg.Replica, DBPath: r.cfg.DBPath, Logger: r.logger, Stderr: r.cfg.logs}
	if err := sup.Start(ctx); err != nil {
		return nil, err
	}
	return sup, nil
}

// supervisor stops the retry loop and returns the supervisor, if replication runs.
func (r *replication) supervisor() *replica.Supervisor {
	if r.stop != nil {
		close(r.stop)
		<-r.done
		r.stop = nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sup
}
