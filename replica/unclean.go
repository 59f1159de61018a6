package replica

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/benbjohnson/litestream"
)

// After the server is killed, its last commit can sit in the WAL file without being in
// the WAL index: the server died between writing the frames and publishing them. Litestream
// reads the WAL file itself, so the replicator may ship that commit, while SQLite (which
// goes by the index) then writes over those frames: the local file and the replica have
// diverged, and page-level updates applied on the replica's side would corrupt it (seen in
// TestDR_KillServerThenRestartInPlace before this existed: "Rowid out of order" on restore).
//
// So serve leaves a marker when it stopped cleanly (final sync done). Starting over an
// existing database without that marker, the replicator's local state is removed: Litestream
// then finds the database behind the replica, takes the replica's latest file as its
// baseline, sees it does not match this database and uploads a fresh snapshot of it, so the
// replica is again exactly the local file (which is the truth: the diverging commit was never
// acknowledged to anyone).

// cleanStopMarker is the file serve writes beside the database after a clean stop.
func cleanStopMarker(dbPath string) string {
	return filepath.Join(filepath.Dir(dbPath), "."+filepath.Base(dbPath)+"-clean-stop")
}

// MarkCleanStop records that the server stopped cleanly with the replica in sync.
func MarkCleanStop(dbPath string) error {
	return os.WriteFile(cleanStopMarker(dbPath), []byte("the server stopped cleanly; removed at start\n"), 0o640)
}

// ResetAfterUncleanStop is called before the replicator starts. It reports whether the last
// run over an existing database ended without a clean stop, in which case it removed
// Litestream's local state so the replica re-bases on this database. It always removes the
// marker, so a crash of this run is noticed by the next.
func ResetAfterUncleanStop(dbPath string) (bool, error) {
	marker := cleanStopMarker(dbPath)
	err := os.Remove(marker)
	if err == nil {
		return false, nil // stopped cleanly
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("remove %s: %w", marker, err)
	}
	if _, err := os.Stat(dbPath); errors.Is(err, fs.ErrNotExist) {
		return false, nil // a new or restored database: nothing to re-base
	}
	meta := litestream.NewDB(dbPath).MetaPath()
	if err := os.RemoveAll(meta); err != nil {
		return false, fmt.Errorf("reset replicator state %s: %w", meta, err)
	}
	return true, nil
}
