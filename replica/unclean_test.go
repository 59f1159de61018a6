package replica

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/benbjohnson/litestream"
	"github.com/stretchr/testify/require"
)

func TestResetAfterUncleanStop(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "metalpro.db")
	meta := litestream.NewDB(db).MetaPath()

	t.Run("NewDatabaseIsNotACrash", func(t *testing.T) {
		unclean, err := ResetAfterUncleanStop(db)
		require.NoError(t, err)
		require.False(t, unclean)
	})

	require.NoError(t, os.WriteFile(db, []byte("db"), 0o600))
	require.NoError(t, os.MkdirAll(filepath.Join(meta, "ltx"), 0o700))

	t.Run("CleanStopKeepsTheReplicatorState", func(t *testing.T) {
		require.NoError(t, MarkCleanStop(db))
		unclean, err := ResetAfterUncleanStop(db)
		require.NoError(t, err)
		require.False(t, unclean)
		require.DirExists(t, meta)
	})

	t.Run("CrashResetsTheReplicatorState", func(t *testing.T) {
		// The marker was consumed by the start above; this run "crashes" without one.
		unclean, err := ResetAfterUncleanStop(db)
		require.NoError(t, err)
		require.True(t, unclean)
		require.NoDirExists(t, meta, "Litestream re-bases: a fresh snapshot of this file")
		require.FileExists(t, db, "the database itself is never touched")
	})
}
