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
	"sync/atomic"
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
	PendingSince time.Time `json:"pendingSince,omitzero"` // commit time of the oldest transaction not in the replica
	LastSyncAt   time.Time `json:"lastSyncAt,omitzero"`   // last successful upload
	FailingSince time.Time `json:"failingSince,omitzero"` // first failed upload since the last success
	Error        string    `json:"error,omitempty"`
}

// statusInterval is how often the child reports its position; the WAL is
// sampled for the lag every lagSampleInterval.
const (
	statusInterval    = 250 * time.Millisecond
	lagSampleInterval = 50 * time.Millisecond
)

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
	ldb.BusyTimeout = checkpointLockWait
	r := litestream.NewReplicaWithClient(ldb, client)
	r.SyncInterval = cfg.SyncInterval
	r.MonitorEnabled = false // syncLoop uploads, so it knows what each upload covers
	if fc, ok := client.(*lsfile.ReplicaClient); ok {
		fc.Replica = r
	}
	ldb.Replica = r
	store := litestream.NewStore([]*litestream.DB{ldb}, litestream.DefaultCompactionLevels)
	store.Logger = logger
	if err := store.Open(ctx); err != nil {
		return fmt.Errorf("replicate: open: %w", err)
	}
	if _, err := os.Stat(dbPath); err != nil {
		store.Close(ctx)
		return fmt.Errorf("replicate: %w (the server creates it before starting the replicator)", err)
	}
	// With local positions, sync once now so that "ready" means Litestream
	// holds its read lock on the database (no checkpoint can skip it) and
	// knows its position. Without them (after a restore, a re-base or on a
	// new database) the first sync is a full snapshot of the database file
	// under that read lock, whatever was checkpointed before it, so nothing
	// the server commits meanwhile can be missed: say ready first and let the
	// sync loop take it (seconds for a large database, off the boot path).
	_, maxTXID, err := ldb.MaxLTX()
	if err != nil {
		store.Close(ctx)
		return fmt.Errorf("replicate: read local positions: %w", err)
	}
	var synced syncedOnce
	snapshotFirst := maxTXID == 0
	if !snapshotFirst {
		if err := ldb.Sync(ctx); err != nil {
			store.Close(ctx)
			return fmt.Errorf("replicate: first sync: %w", err)
		}
		synced.Store(true)
	}
	w := &statusWriter{w: status}
	w.send(childMessage{Event: "ready"})
	logger.Info("replicating", "db", dbPath, "replica", cfg.String(),
		"monitor_interval", cfg.MonitorInterval, "sync_interval", cfg.SyncInterval,
		"first_sync_after_ready", snapshotFirst)

	lag := newLagTracker(ldb.WALPath(), time.Now())
	// Two contexts: loopCtx ends the loop, its conversions and uploads at
	// stop; workCtx bounds the final sync and ends shutdownBudget after stop.
	// The first conversion runs under workCtx, so the stop never interrupts
	// it: Litestream v0.5.18 starts on the database inside it, and a start
	// cancelled in its first steps (PERSIST_WAL) keeps a half-open connection
	// without its tracking table or read lock, so every later sync, the
	// final one included, fails with "no such table: _litestream_seq". The
	// replicator that shutdown starts for a dead one is told to stop the
	// moment it is ready, so it hit that window about one time in six. Later
	// conversions stop at once: one that went on after the server is gone
	// could checkpoint (see stopCheckpointing).
	loopCtx, cancelLoop := context.WithCancel(ctx)
	workCtx, cancelWork := context.WithCancel(ctx)
	defer cancelWork()
	loopDone := make(chan struct{})
	go func() {
		defer close(loopDone)
		syncLoop(loopCtx, workCtx, cfg, ldb, r, lag, &synced, logger)
	}()

	var stuck stuckSyncLog
	sample := time.NewTicker(lagSampleInterval)
	defer sample.Stop()
	for n := 1; ; n++ {
		select {
		case <-stop:
		case now := <-sample.C:
			lag.sample(now)
			stuck.check(ldb, logger)
			if n%int(statusInterval/lagSampleInterval) == 0 {
				w.send(statusMessage("status", ldb, r, lag))
			}
			continue
		}
		break
	}
	cancelLoop()
	budget := time.AfterFunc(shutdownBudget, cancelWork)
	defer budget.Stop()
	<-loopDone // a first conversion in progress completes first
	stopCheckpointing(ldb)
	// Litestream's Close makes its final sync only on a database it has
	// synced before: one stopped before the loop's first sync completed
	// must sync here, or the server's commits would not reach the replica.
	err = nil
	if !synced.Load() {
		err = ldb.Sync(workCtx)
	}
	if cerr := store.Close(workCtx); err == nil {
		err = cerr
	}
	msg := statusMessage("closed", ldb, r, lag)
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

func statusMessage(event string, ldb *litestream.DB, r *litestream.Replica, lag *lagTracker) childMessage {
	m := childMessage{Event: event}
	if pos, err := ldb.Pos(); err == nil {
		m.LocalTXID = uint64(pos.TXID)
	}
	m.ReplicaTXID = uint64(r.Pos().TXID)
	st := lag.state()
	m.PendingSince, m.LastSyncAt = st.OldestPending, st.LastUploadAt
	m.FailingSince, m.Error = st.FailingSince, st.FailError
	return m
}

// syncLoop converts the WAL to LTX files every MonitorInterval and uploads
// them every SyncInterval, until ctx ends. It drives both stages itself
// (Litestream's monitor goroutines are off) so that it knows what each
// upload covers (for the lag) and sees each failed upload as it happens.
//
// ctx ends the loop and cancels a conversion or an upload, except the first
// conversion, which only workCtx bounds (see Replicate).
func syncLoop(ctx, workCtx context.Context, cfg Config, ldb *litestream.DB, r *litestream.Replica, lag *lagTracker, synced *syncedOnce, logger *slog.Logger) {
	var converted, lastUpload, lastErrLog time.Time
	logErr := func(msg string, err error, took time.Duration) {
		if time.Since(lastErrLog) > 10*time.Second {
			logger.Error(msg, "error", err, "took", took) // retried on the next tick; /health shows it
			lastErrLog = time.Now()
		}
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		start := time.Now()
		convCtx := ctx
		if !synced.Load() {
			convCtx = workCtx // Litestream's start: never interrupted by the stop
		}
		if err := ldb.Sync(convCtx); err != nil {
			if convCtx.Err() != nil {
				return
			}
			logErr("WAL to LTX conversion failed", err, time.Since(start))
		} else {
			converted = start
			synced.Store(true)
		}
		if took := time.Since(start); took > slowStage {
			logger.Warn("WAL to LTX conversion was slow", "took", took)
		}
		if ctx.Err() != nil {
			return // stopped during the first conversion: the final sync uploads
		}
		// Ticks are measured from their start, with half a tick of tolerance:
		// equal intervals upload on every tick, not every other one.
		due := lastUpload.IsZero() || start.Sub(lastUpload)+cfg.MonitorInterval/2 >= cfg.SyncInterval
		if due && !converted.IsZero() {
			lastUpload = start
			upStart := time.Now()
			err := r.Sync(ctx)
			switch {
			case ctx.Err() != nil:
				return
			case err != nil:
				lag.uploadFailed(err, time.Now())
				logErr("upload to the replica failed", err, time.Since(upStart))
			default:
				lag.uploaded(converted, time.Now())
			}
			if took := time.Since(upStart); took > slowStage {
				logger.Warn("upload to the replica was slow", "took", took)
			}
		}
		timer.Reset(max(0, cfg.MonitorInterval-time.Since(start)))
	}
}

// syncedOnce records that a WAL-to-LTX conversion has completed since the
// replicator started (Litestream holds its read lock from then on).
type syncedOnce = atomic.Bool

// checkpointLockWait is how long the replicator waits for SQLite's write
// lock. It needs it only to checkpoint (a PASSIVE checkpoint takes it as a
// barrier, then bumps _litestream_seq), and it waits inside the sync that
// converts the WAL to LTX files: with the app writing steadily, SQLite's busy
// handler (which polls, it does not queue) lost the race for seconds, and
// nothing was converted or uploaded meanwhile; the issue-10 drill lost 3.5 to
// 7.4 s of acknowledged RFQs that way, with /health saying all was well. A
// checkpoint that cannot get the lock this fast is skipped and tried again
// on the next tick (Litestream treats a busy PASSIVE checkpoint as routine);
// the WAL converted before it is already safe.
const checkpointLockWait = 100 * time.Millisecond

// shutdownBudget is how long the replicator has after stop to finish a first
// conversion in progress and make the final sync and upload.
const shutdownBudget = 45 * time.Second

// slowStage is how long a conversion or an upload may take before it is
// logged: each one delays every commit behind it.
const slowStage = 500 * time.Millisecond

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

// stuckSyncLog logs, once per sync, a WAL-to-LTX conversion that has run
// longer than slowStage, with the step it is in: nothing reaches the replica
// while it runs, so the operator needs to know where it waits.
type stuckSyncLog struct{ logged time.Time }

func (l *stuckSyncLog) check(ldb *litestream.DB, logger *slog.Logger) {
	d := ldb.SyncDiagnostic()
	if !d.Active || d.StartedAt == nil || d.ElapsedSeconds < slowStage.Seconds() || d.StartedAt.Equal(l.logged) {
		return
	}
	l.logged = *d.StartedAt
	logger.Warn("WAL to LTX conversion is taking long", "operation", d.Operation, "phase", d.Phase,
		"checkpoint", d.CheckpointMode, "snapshotting", d.Snapshotting, "reason", d.Reason,
		"elapsed", time.Duration(d.ElapsedSeconds*float64(time.Second)))
}
