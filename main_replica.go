package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/replica"
	"github.com/metalpro/backend/store"
)

// Replication wiring (docs/REPLICATION.md). Order matters, because the
// Litestream library (modernc SQLite) and this process's mattn/go-sqlite3
// must never have the database open at the same time:
//  1. prepareReplica: restore the database if it is missing, or check that
//     the existing one is the database its replica holds (in-process,
//     before any mattn connection);
//  2. startReplicator: spawn `metalpro replicate` and wait until it watches
//     the database;
//  3. open the store (migrations), then adoptReplica: give the database an
//     id and write the marker beside the replica;
//  4. shutdown: drain requests, close the store, then close the child's
//     stdin so it makes its final sync.

// prepareReplica runs step 1; it is a no-op when replication is off.
func prepareReplica(ctx context.Context, cfg config, logger *slog.Logger) error {
	if !cfg.Replica.Enabled() {
		return nil
	}
	res, err := replica.Prepare(ctx, cfg.Replica, cfg.DBPath, replica.PrepareOptions{Reset: cfg.ReplicaReset, Logger: logger})
	if err == nil && res.Restored {
		err = advanceReferences(ctx, cfg.DBPath, logger)
	}
	switch {
	case errors.Is(err, replica.ErrMismatch):
		return fmt.Errorf("refusing to start: %w", err)
	case err != nil:
		return fmt.Errorf("replication to %s: %w (the server does not start unreplicated; "+
			"REPLICA_URL=off starts it without replication, knowing a lost disk then loses data)", cfg.Replica, err)
	}
	return nil
}

// startReplicator runs steps 1 and 2 for serve. It returns nil when replication is off.
// When the replica cannot be reached but the local database is there, serve goes on with
// replication "unreachable" (degraded) and startReplication retries once the store is open.
func startReplicator(ctx context.Context, cfg config, logger *slog.Logger) (*replication, error) {
	if !cfg.Replica.Enabled() {
		logger.Warn("replication is off (REPLICA_URL=off): a lost disk loses the database")
		return nil, nil
	}
	if cfg.Replica.Source == "default" {
		logger.Warn("replicating to a folder on this machine's disk: it protects against mistakes, " +
			"not against losing the machine; set LITESTREAM_S3_BUCKET for disaster recovery")
	}
	if err := os.MkdirAll(filepath.Dir(cfg.DBPath), 0o750); err != nil {
		return nil, err
	}
	_, statErr := os.Stat(cfg.DBPath)
	localDatabase := statErr == nil
	// Before prepareReplica, which may create or restore the file: only a database that was
	// already here can have been left by a crash.
	unclean, err := replica.ResetAfterUncleanStop(cfg.DBPath)
	if err != nil {
		return nil, err
	}
	if unclean {
		logger.Warn("the last run did not stop cleanly: the replica re-bases on this database " +
			"(a fresh snapshot is uploaded, so a commit the dying server never acknowledged cannot linger in it)")
	}
	r := &replication{cfg: cfg, logger: logger}
	err = prepareReplica(ctx, cfg, logger)
	if err == nil {
		// The child's logs go where the program's go (stdout, or a test's buffer), not to
		// this process's stderr.
		sup := &replica.Supervisor{Config: cfg.Replica, DBPath: cfg.DBPath, Logger: logger, Stderr: cfg.logs}
		if err = sup.Start(ctx); err != nil {
			err = fmt.Errorf("start replication to %s: %w", cfg.Replica, err)
		} else {
			r.sup = sup
		}
	}
	switch {
	case err == nil:
		logger.Info("replication running", "replica", cfg.Replica.String(), "source", cfg.Replica.Source,
			"rpo", cfg.Replica.RPO().String())
	case errors.Is(err, replica.ErrMismatch) || !localDatabase || ctx.Err() != nil:
		return nil, err // nothing to serve from, or a replica that must not be written over
	default:
		r.lastErr = err
		logger.Error("replication: the replica is unreachable; serving from the local database "+
			"UNREPLICATED (health degraded) and retrying in the background", "replica", cfg.Replica.String(), "err", err)
	}
	return r, nil
}

// startReplication runs step 3 for serve: adopt the replica, or start retrying it when it
// was unreachable at boot.
func startReplication(ctx context.Context, r *replication, db *store.DB) {
	if r == nil {
		return
	}
	if r.sup == nil {
		r.retryInBackground(db)
		return
	}
	adoptReplica(ctx, r.cfg, db, r.logger)
}

// adoptReplica gives the database an id and records it beside the replica. A marker that
// cannot be written is logged, not fatal: the replica itself is fine, only the next boot's
// identity check is weaker.
func adoptReplica(ctx context.Context, cfg config, db *store.DB, logger *slog.Logger) {
	if !cfg.Replica.Enabled() {
		return
	}
	id, err := db.EnsureSetting(ctx, replica.SettingDatabaseID, func() (string, error) { return store.NewID(), nil })
	if err == nil {
		err = replica.Adopt(ctx, cfg.Replica, id)
	}
	if err != nil {
		logger.Error("replication: could not record the database id beside the replica", "err", err)
	}
}

// stopReplicator runs step 4's last part, after the store is closed.
func stopReplicator(r *replication, logger *slog.Logger) {
	if r == nil {
		return
	}
	sup := r.supervisor()
	if sup == nil {
		logger.Error("replication: the replica was never reached; the newest writes exist only on this disk")
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := sup.Close(ctx); err != nil {
		logger.Error("replication: final sync failed; the newest writes may exist only on this disk", "err", err)
		return
	}
	if err := replica.MarkCleanStop(sup.DBPath); err != nil {
		logger.Error("replication: could not record the clean stop; the next start re-bases the replica", "err", err)
	}
	logger.Info("replication: final sync done")
}

// replicationHealth is the "replication" check of /health.
func replicationHealth(r *replication) apphttp.HealthCheck {
	if r == nil {
		return apphttp.HealthFunc(func(context.Context) (bool, any) {
			return true, replica.Status{State: replica.StateOff, Replica: "off"}
		})
	}
	return r
}

// runReplicate is the hidden `metalpro replicate` subcommand: the child that
// serve starts. Its request arrives on stdin, its status goes to fd 3.
func runReplicate(ctx context.Context) error {
	// The same format and level as the server's lines, which it writes among (its stderr is
	// the server's log stream); LOG_LEVEL reaches it through the environment.
	var level slog.Level
	if level.UnmarshalText([]byte(os.Getenv("LOG_LEVEL"))) != nil {
		level = slog.LevelInfo
	}
	logger := newLogger(os.Stderr, level).With("process", "replicator")
	return replica.RunChild(ctx, os.Stdin, os.NewFile(3, "status"), logger)
}

// runRestore is `metalpro restore`: it writes the replica's database to
// -o (default: the database path, which must not exist), the latest state
// or the one at -timestamp.
func runRestore(ctx context.Context, cfg config, stdout io.Writer, logger *slog.Logger) error {
	out := cfg.RestoreOutput
	if out == "" {
		out = cfg.DBPath
	}
	if filepath.Clean(out) == filepath.Clean(cfg.DBPath) {
		// Restoring under a running server would pull its database from under it.
		lock, err := lockDataDir(cfg.DataDir)
		if errors.Is(err, errDataDirInUse) {
			return fmt.Errorf("restore: refusing to restore %s while a server runs: %w "+
				"(or restore elsewhere with -o and swap the files while the server is stopped)", out, err)
		}
		if err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		defer lock.Unlock()
	}
	var ts time.Time
	if cfg.RestoreTimestamp != "" {
		var err error
		if ts, err = time.Parse(time.RFC3339, cfg.RestoreTimestamp); err != nil {
			return fmt.Errorf("restore: -timestamp must be RFC 3339, e.g. 2026-11-24T21:30:00Z: %w", err)
		}
	}
	start := time.Now()
	err := replica.Restore(ctx, cfg.Replica, out, ts)
	if errors.Is(err, replica.ErrNoReplica) && cfg.RestoreIfReplicaExists {
		logger.Info("restore: the replica holds no backup; nothing to do", "replica", cfg.Replica.String())
		return nil
	}
	if err != nil {
		return err
	}
	took := time.Since(start)
	if err := advanceReferences(ctx, out, logger); err != nil {
		return err
	}
	logger.Info("restored", "replica", cfg.Replica.String(), "output", out, "timestamp", cfg.RestoreTimestamp,
		"took", took.String())
	fmt.Fprintln(stdout, "restored", out)
	return nil
}

// advanceReferences moves the RFQ reference sequences of a just-restored database past
// anything the lost window could have used (store.AdvanceReferencesAfterRestore), so no
// number a customer already received is issued again, and says so in the log with the
// range the operator should look for in the operator emails (RUNBOOK).
func advanceReferences(ctx context.Context, path string, logger *slog.Logger) error {
	adv, err := store.AdvanceReferencesAfterRestore(ctx, path, time.Now())
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	for _, y := range adv.Years {
		logger.Warn("restore: RFQ reference numbers moved forward so none is issued twice; "+
			"RFQs submitted after the restored state may have used numbers in the skipped range: "+
			"find them in the operator emails (RUNBOOK: after a restore)",
			"year", y.Year, "skipped_from", fmt.Sprintf("RFQ-%d-%05d", y.Year, y.From+1),
			"skipped_to", fmt.Sprintf("RFQ-%d-%05d", y.Year, y.To), "margin", adv.Margin,
			"newest_restored_rfq", adv.Newest, "window", adv.Window.Round(time.Millisecond).String(),
			"assumed_rate_per_s", adv.Rate)
	}
	return nil
}

// restoreFlags adds restore's flags to its flag set.
func restoreFlags(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.RestoreOutput, "o", "", "write the restored database here (default: the database path, which must not exist)")
	fs.StringVar(&c.RestoreTimestamp, "timestamp", "", "restore the state at this time (RFC 3339) instead of the latest")
	fs.BoolVar(&c.RestoreIfReplicaExists, "if-replica-exists", false, "succeed without doing anything when the replica is empty")
}
