package replica

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/benbjohnson/litestream"
)

// ErrNoReplica means the replica holds no backup to restore.
var ErrNoReplica = errors.New("replica: no backup in the replica")

// ErrMismatch means the local database is not the one the replica holds.
var ErrMismatch = errors.New("replica: the local database does not match the replica")

// Restore writes the replica's database to out (which must not exist):
// the latest state, or the state at ts when ts is not zero. It returns
// ErrNoReplica when there is nothing to restore. It uses the Litestream
// library in this process, then checks the result with the app's SQLite
// (checkRestored) before anyone opens it.
func Restore(ctx context.Context, cfg Config, out string, ts time.Time) error {
	if !cfg.Enabled() {
		return fmt.Errorf("replica: replication is off; nothing to restore from")
	}
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("replica: %s already exists; move it aside first", out)
	}
	client, err := newClient(ctx, cfg)
	if err != nil {
		return err
	}
	return restoreWith(ctx, client, out, ts)
}

func restoreWith(ctx context.Context, client litestream.ReplicaClient, out string, ts time.Time) error {
	if err := os.MkdirAll(filepath.Dir(out), 0o750); err != nil {
		return err
	}
	// A WAL or Litestream state left beside a missing database belongs to a
	// different file: SQLite would replay that WAL into the restored one.
	if err := removeStale(out); err != nil {
		return err
	}
	r := litestream.NewReplicaWithClient(nil, client)
	opt := litestream.NewRestoreOptions()
	opt.OutputPath = out
	opt.Timestamp = ts
	// The integrity check is ours (checkRestored), not Litestream's: the same quick_check
	// through the app's C SQLite takes 0.5 s on a 190 MB database where Litestream's pure-Go
	// SQLite takes 0.85 s, and a lost machine waits for it before serving.
	opt.IntegrityCheck = litestream.IntegrityCheckNone
	if err := r.Restore(ctx, opt); err != nil {
		if errors.Is(err, litestream.ErrTxNotAvailable) || errors.Is(err, litestream.ErrNoSnapshots) {
			return ErrNoReplica
		}
		return fmt.Errorf("replica: restore: %w", err)
	}
	return checkRestored(ctx, out)
}

// checkRestored runs SQLite's quick_check on a restored database; one that fails is
// removed (with its -wal and -shm), so nothing ever serves it.
func checkRestored(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite3", "file:"+escapePath(path)+"?mode=ro")
	if err != nil {
		return err
	}
	var first string
	rows, err := db.QueryContext(ctx, `PRAGMA quick_check`)
	var problems []string
	if err == nil {
		for rows.Next() {
			if err = rows.Scan(&first); err != nil {
				break
			}
			if first != "ok" && len(problems) < 5 {
				problems = append(problems, first)
			}
		}
		if err == nil {
			err = rows.Err()
		}
		rows.Close()
	}
	db.Close()
	if err == nil && len(problems) == 0 {
		return nil
	}
	if ctx.Err() == nil {
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			_ = os.Remove(p)
		}
	}
	if err != nil {
		return fmt.Errorf("replica: integrity check of the restored database: %w", err)
	}
	return fmt.Errorf("replica: the restored database fails its integrity check (removed): %s", strings.Join(problems, "; "))
}

// removeStale deletes the -wal, -shm and Litestream state of a database path.
func removeStale(dbPath string) error {
	for _, p := range []string{dbPath + "-wal", dbPath + "-shm", dbPath + ".tmp"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return os.RemoveAll(metaDir(dbPath))
}

// metaDir is where Litestream keeps its local state for dbPath.
func metaDir(dbPath string) string {
	return filepath.Join(filepath.Dir(dbPath), "."+filepath.Base(dbPath)+"-litestream")
}

// PrepareOptions tunes Prepare.
type PrepareOptions struct {
	// Reset lets a database that does not match the replica start a new
	// replica lineage: the replica's contents are deleted.
	Reset  bool
	Logger *slog.Logger
}

// PrepareResult says what Prepare did.
type PrepareResult struct {
	Restored     bool
	RestoreTook  time.Duration
	ReplicaReset bool
}

// Prepare runs at boot before the server opens the database:
//   - database missing and a backup exists: restore the latest state;
//   - database missing and no backup: create it (WAL mode, with an id), so
//     the replicator tracks it from its first write;
//   - database present: its id (server_meta.database_id) must match the
//     marker beside the replica when the replica holds data, else
//     ErrMismatch, unless opt.Reset.
func Prepare(ctx context.Context, cfg Config, dbPath string, opt PrepareOptions) (PrepareResult, error) {
	var res PrepareResult
	if !cfg.Enabled() {
		return res, nil
	}
	log := opt.Logger
	if log == nil {
		log = slog.Default()
	}
	client, err := newClient(ctx, cfg)
	if err != nil {
		return res, err
	}
	if _, err := os.Stat(dbPath); errors.Is(err, os.ErrNotExist) {
		start := time.Now()
		switch err := restoreWith(ctx, client, dbPath, time.Time{}); {
		case errors.Is(err, ErrNoReplica):
			log.Info("no database and no backup: starting a new database", "replica", cfg.String())
			return res, CreateDatabase(ctx, dbPath)
		case err != nil:
			return res, err
		}
		res.Restored, res.RestoreTook = true, time.Since(start)
		log.Info("database restored from replica", "replica", cfg.String(), "took", res.RestoreTook)
		return res, nil
	} else if err != nil {
		return res, err
	}

	markers, err := newMarkerStore(ctx, cfg)
	if err != nil {
		return res, err
	}
	m, err := markers.read(ctx)
	if err != nil {
		return res, err
	}
	id, err := ReadDatabaseID(ctx, dbPath)
	if err != nil {
		return res, err
	}
	if m == nil || id == "" || m.DatabaseID == id {
		return res, nil
	}
	data, err := hasData(ctx, client)
	if err != nil || !data {
		return res, err // an empty replica is free to take
	}
	if !opt.Reset {
		return res, fmt.Errorf("%w: database %s has id %s but %s holds database %s (since %s). "+
			"Restore from it (move the file away, then start), point REPLICA_URL/LITESTREAM_S3_PATH at a new path, "+
			"or start with REPLICA_RESET=true to delete that replica and replicate this database instead",
			ErrMismatch, dbPath, id, cfg.String(), m.DatabaseID, m.CreatedAt.Format(time.RFC3339))
	}
	log.Warn("REPLICA_RESET: deleting the replica of another database", "replica", cfg.String(),
		"replica_database_id", m.DatabaseID, "database_id", id)
	if err := client.DeleteAll(ctx); err != nil {
		return res, fmt.Errorf("replica: reset: %w", err)
	}
	// Litestream's local positions refer to the old lineage.
	if err := os.RemoveAll(metaDir(dbPath)); err != nil {
		return res, err
	}
	res.ReplicaReset = true
	return res, nil
}

// Adopt runs once the database is open and migrated: it makes sure the
// database has an id and that the marker beside the replica names it.
func Adopt(ctx context.Context, cfg Config, id string) error {
	if !cfg.Enabled() {
		return nil
	}
	markers, err := newMarkerStore(ctx, cfg)
	if err != nil {
		return err
	}
	m, err := markers.read(ctx)
	if err != nil || (m != nil && m.DatabaseID == id) {
		return err
	}
	host, _ := os.Hostname()
	return markers.write(ctx, Marker{DatabaseID: id, CreatedAt: time.Now().UTC(), Host: host})
}
