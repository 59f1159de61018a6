package replica

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	_ "github.com/mattn/go-sqlite3" // the app's driver: this file runs in the server process
)

// SettingDatabaseID is the server_settings key (schema.sql, migration 1) that
// holds the database's id: random, created on first start, restored with the
// data, and written into the marker beside the replica.
const SettingDatabaseID = "database_id"

// ReadDatabaseID reads the id of the database file at path without
// changing it; "" when it has none yet (new or pre-migration database).
// It opens the file read-only with mattn, before the server opens it.
func ReadDatabaseID(ctx context.Context, path string) (string, error) {
	if _, err := os.Stat(path); err != nil {
		return "", err
	}
	db, err := sql.Open("sqlite3", "file:"+escapePath(path)+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		return "", err
	}
	defer db.Close()
	var id string
	err = db.QueryRowContext(ctx, `SELECT value FROM server_settings WHERE key = ?`, SettingDatabaseID).Scan(&id)
	switch {
	case err == nil:
		return id, nil
	case errors.Is(err, sql.ErrNoRows), strings.Contains(err.Error(), "no such table"):
		return "", nil
	default:
		return "", fmt.Errorf("replica: read database id of %s: %w", path, err)
	}
}

// CreateDatabase creates an empty database at path in WAL mode, so the
// replicator can start tracking it before the server's first write. Tables
// come from the server's migrations.
func CreateDatabase(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite3", "file:"+escapePath(path)+"?_journal_mode=WAL&_busy_timeout=10000")
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.PingContext(ctx); err != nil {
		return fmt.Errorf("replica: create %s: %w", path, err)
	}
	return db.Close()
}

func escapePath(p string) string {
	return (&url.URL{Path: p}).EscapedPath()
}
