package replica

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCheckRestored(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		path := mustIndexedDatabase(t)
		require.NoError(t, checkRestored(context.Background(), path))
		_, err := os.Stat(path)
		require.NoError(t, err, "a sound database stays")
	})

	t.Run("ErrCorruptIsRemoved", func(t *testing.T) {
		path := mustIndexedDatabase(t)
		// Overwrite the index's pages with noise: the table still reads, the index is broken.
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		require.NoError(t, err)
		st, err := f.Stat()
		require.NoError(t, err)
		noise := []byte(strings.Repeat("\xde\xad\xbe\xef", 1024))
		_, err = f.WriteAt(noise, st.Size()-2*4096)
		require.NoError(t, err)
		require.NoError(t, f.Close())

		err = checkRestored(context.Background(), path)
		require.Error(t, err)
		require.Contains(t, err.Error(), "integrity")
		_, statErr := os.Stat(path)
		require.True(t, os.IsNotExist(statErr), "a corrupt restore is removed, so nothing serves it")
	})
}

// mustIndexedDatabase writes a WAL database (as the server's) with a table and an index
// spread over many pages, checkpointed into the main file.
func mustIndexedDatabase(tb testing.TB) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "restored.db")
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL")
	require.NoError(tb, err)
	_, err = db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT); CREATE INDEX t_body ON t(body)`)
	require.NoError(tb, err)
	tx, err := db.Begin()
	require.NoError(tb, err)
	for i := 0; i < 4000; i++ {
		_, err := tx.Exec(`INSERT INTO t (body) VALUES (?)`, strings.Repeat("ț", i%50)+string(rune('a'+i%26)))
		require.NoError(tb, err)
	}
	require.NoError(tb, tx.Commit())
	_, err = db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	require.NoError(tb, err)
	require.NoError(tb, db.Close())
	return path
}
