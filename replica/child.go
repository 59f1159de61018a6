package replica

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"sync"
	"time"

	"github.com/benbjohnson/litestream"
	lsfile "github.com/benbjohnson/litestream/file"
)

// childRequest is the first line the supervisor writes on the child's stdin.
// Passing the resolved config (rather than letting the child re-read the
// environment) keeps parent and child in agreement and keeps the secrets
// out of the child's argv.
type childRequest struct {
	Config Config `json:"config"`
	DBPath string `json:"dbPath"`
}

// childMessage is one JSON line the child writes on its status pipe (fd 3).
type childMessage struct {
	Event        string    `json:"event"` // ready | status | closed
	LocalTXID    uint64    `json:"localTxid"`
	ReplicaTXID  uint64    `json:"replicaTxid"`
	PendingSince time.Time `json:"pendingSince,omitzero"` // oldest moment a local TXID was seen unreplicated
	LastSyncAt   time.Time `json:"lastSyncAt,omitzero"`
	Error        string    `json:"error,omitempty"`
}

// statusInterval is how often the child reports its position.
const statusInterval = 250 * time.Millisecond

// signalGrace is how long the child keeps replicating after it receives
// SIGINT/SIGTERM itself (a terminal's Ctrl-C or a service manager signals the
// whole group): the parent is draining requests and will close stdin when
// its last write is committed; exiting earlier would leave those writes
// unreplicated.
const signalGrace = time.Minute

// RunChild is the `metalpro replicate` entrypoint: it reads its request from
// stdin, replicates until stdin reaches EOF (the parent closed it, or died),
// then makes a final sync and exits. Status lines go to status (fd 3).
// ctx is cancelled on SIGINT/SIGTERM.
func RunChild(ctx context.Context, stdin io.Reader, status io.Writer, logger *slog.Logger) error {
	// Litestream's S3 client cannot start with a custom CA bundle set.
	os.Unsetenv("AWS_CA_BUNDLE")
	br := bufio.NewReader(stdin)
	line, err := br.ReadBytes('\n')
	if err != nil {
		return fmt.Errorf("replicate: read request: %w", err)
	}
	var req childRequest
	if err := json.Unmarshal(line, &req); err != nil {
		return fmt.Errorf("replicate: decode request: %w", err)
	}
	parentGone := make(chan struct{})
	go func() {
		io.Copy(io.Discard, br) // returns on EOF: parent closed stdin or died
		close(parentGone)
	}()
	stop := make(chan struct{})
	go func() {
		select {
		case <-parentGone:
		case <-ctx.Done():
			logger.Info("replicator signalled; waiting for the server to close", "grace", signalGrace)
			select {
			case <-parentGone:
			case <-time.After(signalGrace):
			}
		}
		close(stop)
	}()
	return Replicate(req.Config, req.DBPath, status, stop, logger)
}

// Replicate runs Litestream on dbPath until stop closes, then closes the
// store, which makes a final sync (retried for up to 30 s). It writes a
// "ready" line on status once replication is running, "status" lines every
// statusInterval and a "closed" line after the final sync.
func Replicate(cfg Config, dbPath string, status io.Writer, stop <-chan struct{}, logger *slog.Logger) error {
	ctx := context.Background()
	client, err := newClient(ctx, cfg)
	if err != nil {
		return err
	}
	slog.SetDefault(logger) // the library logs through slog.Default
	ldb := litestream.NewDB(dbPath)
	// This loop, not Litestream's monitor goroutine, drives the syncs (every
	// cfg.MonitorInterval): so that once the server is gone, the checkpoint
	// settings can be switched off with no other goroutine reading them. See
	// stopCheckpointing for why that matters.
	ldb.MonitorInterval = 0
	ldb.CheckpointInterval = cfg.CheckpointInterval
	ldb.BusyTimeout = 10 * time.Second // as the app: wait out its write transactions rather than back off
	r := litestream.NewReplicaWithClient(ldb, client)
	r.SyncInterval = cfg.SyncInterval
	if fc, ok := client.(*lsfile.ReplicaClient); ok {
		fc.Replica = r
	}
	ldb.Replica = r
	store := litestream.NewStore([]*litestream.DB{ldb}, litestream.DefaultCompactionLevels)
	store.Logger = logger
	if err := store.Open(ctx); err != nil {
		return fmt.Errorf("replicate: open: %w", err)
	}
	// Sync once now so that "ready" means Litestream holds its read lock on
	// the database (no checkpoint can skip it) and knows its position;
	// otherwise this would happen on the first monitor tick, and a store
	// closed before that tick would skip its final sync.
	if _, err := os.Stat(dbPath); err != nil {
		store.Close(ctx)
		return fmt.Errorf("replicate: %w (the server creates it before starting the replicator)", err)
	}
	if err := ldb.Sync(ctx); err != nil {
		store.Close(ctx)
		return fmt.Errorf("replicate: first sync: %w", err)
	}
	w := &statusWriter{w: status}
	w.send(childMessage{Event: "ready"})
	logger.Info("replicating", "db", dbPath, "replica", cfg.String(),
		"monitor_interval", cfg.MonitorInterval, "sync_interval", cfg.SyncInterval)

	tick := time.NewTicker(statusInterval)
	defer tick.Stop()
	syncTick := time.NewTicker(cfg.MonitorInterval)
	defer syncTick.Stop()
	var pendingSince, lastSyncErrLog time.Time
	for running := true; running; {
		select {
		case <-stop:
			running = false
		case <-syncTick.C:
			if err := ldb.Sync(ctx); err != nil && time.Since(lastSyncErrLog) > 10*time.Second {
				logger.Error("sync error", "error", err) // retried on the next tick; /health shows the lag
				lastSyncErrLog = time.Now()
			}
		case <-tick.C:
			msg := position(ldb, r)
			if msg.LocalTXID > msg.ReplicaTXID {
				if pendingSince.IsZero() {
					pendingSince = time.Now()
				}
			} else {
				pendingSince = time.Time{}
			}
			msg.Event, msg.PendingSince = "status", pendingSince
			w.send(msg)
		}
	}
	stopCheckpointing(ldb)
	closeCtx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	err = store.Close(closeCtx)
	msg := position(ldb, r)
	msg.Event = "closed"
	if err != nil {
		msg.Error = err.Error()
	}
	w.send(msg)
	if err != nil {
		return fmt.Errorf("replicate: final sync: %w", err)
	}
	logger.Info("replication stopped after final sync", "txid", msg.ReplicaTXID)
	return nil
}

// stopCheckpointing makes the final sync read-only towards the database.
//
// A server killed mid-commit can leave its last transaction complete in the
// WAL file but missing from the WAL index (it died between the two writes).
// Litestream reads the WAL file itself, so it may ship that transaction;
// SQLite goes by the index, so a write by the replicator (a checkpoint bumps
// _litestream_seq) would land on top of those frames. The replica would then
// hold a transaction the local file lost and page updates made against the
// file without it: a corrupt replica (TestDR_KillServerOnly caught "database
// disk image is malformed" on restore about once in 15 runs). With no write
// after the server is gone, the frames stay: the restarted server's SQLite
// recovers them from the WAL, and the replica and the file agree. The
// transaction was never acknowledged (a 201 comes after the index update).
func stopCheckpointing(ldb *litestream.DB) {
	ldb.MinCheckpointPageN = math.MaxInt32
	ldb.CheckpointInterval = 0
	ldb.TruncatePageN = -1 // negative: the emergency TRUNCATE checkpoint is off
}

func position(ldb *litestream.DB, r *litestream.Replica) childMessage {
	var m childMessage
	if pos, err := ldb.Pos(); err == nil {
		m.LocalTXID = uint64(pos.TXID)
	}
	m.ReplicaTXID = uint64(r.Pos().TXID)
	m.LastSyncAt = ldb.LastSuccessfulSyncAt()
	return m
}

// statusWriter writes JSON lines; a broken pipe (parent gone) is ignored.
type statusWriter struct {
	mu     sync.Mutex
	w      io.Writer
	broken bool
}

func (s *statusWriter) send(m childMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.broken || s.w == nil {
		return
	}
	raw, _ := json.Marshal(m)
	if _, err := s.w.Write(append(raw, '\n')); err != nil && !errors.Is(err, os.ErrClosed) {
		s.broken = true
	}
}
