package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
)

// holdWriteLock takes the database's write lock on a connection of its own, as another
// process would (the replicator, a stray sqlite3 shell), and keeps it until the test ends.
func holdWriteLock(tb testing.TB, path string) {
	tb.Helper()
	other, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL")
	require.NoError(tb, err)
	conn, err := other.Conn(context.Background())
	require.NoError(tb, err)
	_, err = conn.ExecContext(context.Background(), "BEGIN IMMEDIATE")
	require.NoError(tb, err)
	tb.Cleanup(func() {
		_, _ = conn.ExecContext(context.Background(), "ROLLBACK")
		conn.Close()
		other.Close()
	})
}

func TestWrite_HeldLockAnswersUnavailableQuickly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "app.db")
	const wait = time.Second
	db, err := store.Open(ctx, path, testSchema, store.Options{WriteWait: wait})
	require.NoError(t, err)
	defer db.Close()
	holdWriteLock(t, path)

	// Six writes at once: before, each waited out its own 10 s busy timeout in turn
	// (failing after 10, 20, 30 ... s) and surfaced as an internal error.
	const writes = 6
	took := make([]time.Duration, writes)
	errs := make([]error, writes)
	var wg sync.WaitGroup
	for i := range writes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			errs[i] = db.Write(ctx, func(tx *store.Tx) error {
				_, err := tx.ExecContext(ctx, `INSERT INTO items (name) VALUES ('x')`)
				return err
			})
			took[i] = time.Since(start)
		}()
	}
	wg.Wait()
	var slowest time.Duration
	for i, err := range errs {
		require.Equal(t, store.ECodeUnavailable, store.ErrorCode(err), "write %d: %v", i, err)
		var e *store.Error
		require.ErrorAs(t, err, &e)
		assert.Positive(t, e.RetryAfter, "the client is told when to retry")
		slowest = max(slowest, took[i])
	}
	t.Logf("six writes against a held write lock: slowest answered after %s (bound %s)", slowest, wait)
	// Queued busy timeouts would take at least writes × wait for the last one; answered
	// together, each takes about one wait. The bound is the queue's own, so a slow machine
	// cannot fail it, and a queue always does.
	assert.Less(t, slowest, writes*wait, "writes must not queue their busy timeouts one after another")

	h := db.WriteHealth()
	require.False(t, h.OK, "/health must learn why writes fail")
	require.Equal(t, store.ECodeUnavailable, h.LastErrorCode)
	require.Contains(t, h.LastError, "write lock")
}

func TestWrite_DiskFullIsStorageFull(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "app.db")
	db, err := store.Open(ctx, path, testSchema, store.Options{})
	require.NoError(t, err)
	defer db.Close()

	// A tiny database size limit makes SQLite fail exactly as on a full disk (SQLITE_FULL),
	// without a small filesystem. The write pool has one connection that is never
	// recycled, so the pragma stays in force for every write.
	var pages int
	require.NoError(t, db.WriteDB().QueryRow(`PRAGMA page_count`).Scan(&pages))
	_, err = db.WriteDB().Exec(`PRAGMA max_page_count = ` + strconv.Itoa(pages+1))
	require.NoError(t, err)

	big := make([]byte, 64<<10)
	for i := range big {
		big[i] = 'a' + byte(i%26)
	}
	err = db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO items (name) VALUES (?)`, string(big))
		return err
	})
	require.Equal(t, store.ECodeStorageFull, store.ErrorCode(err), "%v", err)
	var e *store.Error
	require.ErrorAs(t, err, &e)
	require.Positive(t, e.RetryAfter)
	h := db.WriteHealth()
	require.False(t, h.OK)
	require.Equal(t, store.ECodeStorageFull, h.LastErrorCode)

	// Space comes back: the next write succeeds and health recovers.
	_, err = db.WriteDB().Exec(`PRAGMA max_page_count = 1073741823`)
	require.NoError(t, err)
	require.NoError(t, db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO items (name) VALUES ('ok')`)
		return err
	}))
	require.True(t, db.WriteHealth().OK)
}
