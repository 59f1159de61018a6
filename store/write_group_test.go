package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
)

// heldWriter opens a database whose writer is kept busy by a write that waits for release:
// the writes queued meanwhile form the next batch. The batch window is long, so every
// write queued before release joins the holder's batch on this loaded machine too.
type heldWriter struct {
	db      *store.DB
	queued  chan struct{}
	release chan struct{}
	holder  chan error
}

// setup runs before the holder takes the write connection.
func newHeldWriter(t *testing.T, setup func(db *store.DB)) *heldWriter {
	t.Helper()
	ctx := context.Background()
	opt := store.Options{WriteWait: time.Minute, WriteBatchWindow: time.Minute}
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "app.db"), testSchema, opt)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	if setup != nil {
		setup(db)
	}
	h := &heldWriter{db: db, queued: make(chan struct{}, 100), release: make(chan struct{}), holder: make(chan error, 1)}
	started := make(chan struct{})
	go func() {
		h.holder <- db.Write(ctx, func(tx *store.Tx) error {
			close(started)
			<-h.release
			_, err := tx.ExecContext(ctx, `INSERT INTO items (name) VALUES ('holder')`)
			return err
		})
	}()
	<-started
	db.OnWriteQueued(func() { h.queued <- struct{}{} })
	return h
}

// enqueue starts write in a goroutine and returns once it is in the writer's queue, so
// writes queue in the order the test enqueues them.
func (h *heldWriter) enqueue(write func()) chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		write()
	}()
	<-h.queued
	return done
}

func itemNames(t *testing.T, db *store.DB) []string {
	t.Helper()
	rows, err := db.ReadDB().Query(`SELECT name FROM items ORDER BY id`)
	require.NoError(t, err)
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		require.NoError(t, rows.Scan(&n))
		names = append(names, n)
	}
	require.NoError(t, rows.Err())
	return names
}

func insertItem(ctx context.Context, tx *store.Tx, name string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO items (name) VALUES (?)`, name)
	return err
}

func TestGroupCommit_OneFailingWriteLeavesTheOthersCommitted(t *testing.T) {
	ctx := context.Background()
	h := newHeldWriter(t, nil)
	db := h.db
	commitsBefore := db.WriteCommits()

	var errA, errB, errE error
	var panicC any
	var hookB, hookE bool
	var eSawA bool
	var eVisibleInHook int
	var nowA, nowE time.Time
	boom := errors.New("the quantity is not valid")

	doneA := h.enqueue(func() {
		errA = db.Write(ctx, func(tx *store.Tx) error { nowA = tx.Now; return insertItem(ctx, tx, "a") })
	})
	doneB := h.enqueue(func() {
		errB = db.Write(ctx, func(tx *store.Tx) error {
			tx.AfterCommit(func() { hookB = true })
			if err := insertItem(ctx, tx, "b, written then refused"); err != nil {
				return err
			}
			return boom
		})
	})
	doneC := h.enqueue(func() {
		defer func() { panicC = recover() }()
		_ = db.Write(ctx, func(tx *store.Tx) error {
			if err := insertItem(ctx, tx, "c, written then panicked"); err != nil {
				return err
			}
			panic("a bug in a write")
		})
	})
	// D's caller gives up while D waits behind the holder: it is answered at once, and
	// its write never runs.
	ctxD, cancelD := context.WithCancel(ctx)
	var errD error
	doneD := h.enqueue(func() {
		errD = db.Write(ctxD, func(tx *store.Tx) error { return insertItem(ctx, tx, "d, cancelled") })
	})
	cancelD()
	<-doneD
	require.ErrorIs(t, errD, context.Canceled, "a caller that gives up in the queue is answered without waiting for the writer")

	doneE := h.enqueue(func() {
		errE = db.Write(ctx, func(tx *store.Tx) error {
			nowE = tx.Now
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM items WHERE name = 'a'`).Scan(&n); err != nil {
				return err
			}
			eSawA = n == 1
			tx.AfterCommit(func() {
				hookE = true
				_ = db.ReadDB().QueryRow(`SELECT count(*) FROM items WHERE name = 'e'`).Scan(&eVisibleInHook)
			})
			return insertItem(ctx, tx, "e")
		})
	})
	close(h.release)
	for _, done := range []chan struct{}{doneA, doneB, doneC, doneE} {
		<-done
	}
	require.NoError(t, <-h.holder)

	require.NoError(t, errA)
	require.ErrorIs(t, errB, boom, "the failing write gets its own error")
	require.Equal(t, "a bug in a write", panicC, "a panic comes back in the caller's goroutine")
	require.NoError(t, errE)
	assert.Equal(t, []string{"holder", "a", "e"}, itemNames(t, db),
		"the others are committed in queue order; the refused, panicked and cancelled writes left nothing")
	assert.Equal(t, int64(1), db.WriteCommits()-commitsBefore, "the five writes shared one commit")
	assert.True(t, eSawA, "a write sees the writes queued before it")
	assert.False(t, nowE.Before(nowA), "each write has its own clock, in queue order")
	assert.False(t, hookB, "a refused write's after-commit hook never runs")
	assert.True(t, hookE, "after-commit hooks run")
	assert.Equal(t, 1, eVisibleInHook, "an after-commit hook runs once the row is committed")
}

func TestGroupCommit_ReferenceSequenceHasNoGapsAcrossFailures(t *testing.T) {
	// The RFQ counter's pattern: a bump in the write that may then fail. A failed write
	// in a batch gives its number back, exactly as a lone rolled-back transaction did.
	ctx := context.Background()
	h := newHeldWriter(t, func(db *store.DB) {
		_, err := db.WriteDB().Exec(`CREATE TABLE seq (id INTEGER PRIMARY KEY, last INTEGER NOT NULL)`)
		require.NoError(t, err)
	})
	db := h.db
	bump := func(tx *store.Tx, fail bool) error {
		var n int
		if err := tx.QueryRowContext(ctx, `INSERT INTO seq (id, last) VALUES (1, 1)
			ON CONFLICT (id) DO UPDATE SET last = last + 1 RETURNING last`).Scan(&n); err != nil {
			return err
		}
		if fail {
			return errors.New("refused after taking a number")
		}
		return insertItem(ctx, tx, "n"+strconv.Itoa(n))
	}
	var dones []chan struct{}
	errs := make([]error, 6)
	for i := range 6 {
		dones = append(dones, h.enqueue(func() {
			errs[i] = db.Write(ctx, func(tx *store.Tx) error { return bump(tx, i%2 == 1) })
		}))
	}
	close(h.release)
	for _, d := range dones {
		<-d
	}
	for i, err := range errs {
		assert.Equal(t, i%2 == 1, err != nil, "write %d: %v", i, err)
	}
	assert.Equal(t, []string{"holder", "n1", "n2", "n3"}, itemNames(t, db), "numbers without gaps, in order")
}

func TestGroupCommit_DiskFullInABatchNeverAcknowledgesALostWrite(t *testing.T) {
	ctx := context.Background()
	// A size limit as in TestWrite_DiskFullIsStorageFull: the small writes fit, the big
	// one does not.
	h := newHeldWriter(t, func(db *store.DB) {
		var pages int
		require.NoError(t, db.WriteDB().QueryRow(`PRAGMA page_count`).Scan(&pages))
		_, err := db.WriteDB().Exec(`PRAGMA max_page_count = ` + strconv.Itoa(pages+1))
		require.NoError(t, err)
	})
	db := h.db

	names := []string{"small-1", strings.Repeat("big", 30000), "small-2"}
	errs := make([]error, len(names))
	var dones []chan struct{}
	for i, name := range names {
		dones = append(dones, h.enqueue(func() {
			errs[i] = db.Write(ctx, func(tx *store.Tx) error { return insertItem(ctx, tx, name) })
		}))
	}
	close(h.release)
	for _, d := range dones {
		<-d
	}
	<-h.holder
	require.Equal(t, store.ECodeStorageFull, store.ErrorCode(errs[1]), "%v", errs[1])

	// Whatever SQLite rolled back (the statement or the whole shared transaction), an
	// acknowledged write is on disk and a refused one is not.
	stored := map[string]bool{}
	for _, n := range itemNames(t, db) {
		stored[n] = true
	}
	for i, name := range names {
		if i == 1 {
			continue
		}
		assert.Equal(t, errs[i] == nil, stored[name], "write %q answered %v", name, errs[i])
		if errs[i] != nil {
			assert.Equal(t, store.ECodeStorageFull, store.ErrorCode(errs[i]), "a lost write says why")
		}
	}
	t.Logf("answers in the batch: %v / storage full / %v", errs[0], errs[2])
}

func TestGroupCommit_CloseAnswersQueuedWritesThenRefuses(t *testing.T) {
	ctx := context.Background()
	h := newHeldWriter(t, nil)
	var errQueued error
	done := h.enqueue(func() {
		errQueued = h.db.Write(ctx, func(tx *store.Tx) error { return insertItem(ctx, tx, "queued") })
	})
	closed := make(chan error, 1)
	go func() { closed <- h.db.Close() }()
	close(h.release)
	<-done
	require.NoError(t, <-closed)
	require.NoError(t, errQueued, "a write queued before Close is still committed")
	require.NoError(t, <-h.holder)
	require.Error(t, h.db.Write(ctx, func(tx *store.Tx) error { return nil }), "a write after Close is refused")
}
