package replica_test

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/replica"
)

// TestReplicate_StopRightAfterReady is the replicator that shutdown starts
// when the running one had died: it is told to stop the moment it says
// ready, while its first sync (Litestream's start on the database) is under
// way. That stop used to interrupt Litestream mid-start, which left it with a
// half-open database (no tracking table, no read lock) that no later sync
// could use: the final sync failed after 30 s and the last writes stayed on
// the local disk alone (about one run in six of
// TestSupervisor_CloseWhileChildIsDown). Each round stops at a slightly
// different moment to cover the window.
func TestReplicate_StopRightAfterReady(t *testing.T) {
	for round := range 12 {
		cfg := fileConfig(t)
		dbPath := filepath.Join(t.TempDir(), "app.db")
		_, err := replica.Prepare(context.Background(), cfg, dbPath, replica.PrepareOptions{})
		require.NoError(t, err)
		db := MustOpenAppDB(t, dbPath)
		MustInsertRows(t, db, 0, 5)
		require.NoError(t, db.Close())

		stop := make(chan struct{})
		status := &stopOnReady{stop: stop, delay: time.Duration(round%4) * 250 * time.Microsecond}
		var logs bytes.Buffer
		logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
		err = replica.Replicate(cfg, dbPath, status, stop, logger)
		require.NoError(t, err, "round %d; replicator log:\n%s", round, logs.String())

		out := filepath.Join(t.TempDir(), "restored.db")
		require.NoError(t, replica.Restore(context.Background(), cfg, out, time.Time{}))
		require.Equal(t, 5, countRows(t, out), "round %d: the final sync shipped every committed row", round)
	}
}

// stopOnReady is the replicator's status pipe: it closes stop, after delay,
// when the "ready" line arrives.
type stopOnReady struct {
	stop  chan struct{}
	delay time.Duration
	once  sync.Once
}

func (s *stopOnReady) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte(`"event":"ready"`)) {
		s.once.Do(func() { time.AfterFunc(s.delay, func() { close(s.stop) }) })
	}
	return len(p), nil
}
