package replica

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	_ "github.com/mattn/go-sqlite3" // the app's driver: this file runs in the server process
)

// metaDDL creates server_meta: values that must travel with the data through
// a restore (the database id; the generated development JWT secret). It is
// created here, idempotently, rather than in schema.sql so that replication
// does not depend on a migration number; moving it into a migration later
// changes nothing (IF NOT EXISTS).
const metaDDL = `CREATE TABLE IF NOT EXISTS server_meta (
	key        TEXT PRIMARY KEY,
	value      TEXT NOT NULL,
	created_at TEXT NOT NULL
)`

// Meta keys.
const (
	MetaDatabaseID = "database_id"
	MetaJWTSecret  = "jwt_secret"
)

// MetaValue returns the value stored under key in server_meta, creating it
// with gen the first time. db is the app's write pool (mattn). Concurrent
// callers get the same value: INSERT OR IGNORE, then read back.
func MetaValue(ctx context.Context, db *sql.DB, key string, gen func() (string, error)) (string, error) {
	if _, err := db.ExecContext(ctx, metaDDL); err != nil {
		return "", fmt.Errorf("server_meta: %w", err)
	}
	var v string
	err := db.QueryRowContext(ctx, `SELECT value FROM server_meta WHERE key = ?`, key).Scan(&v)
	if err == nil {
		return v, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("server_meta: %w", err)
	}
	if v, err = gen(); err != nil {
		return "", err
	}
	now := time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	if _, err := db.ExecContext(ctx, `INSERT OR IGNORE INTO server_meta (key, value, created_at) VALUES (?, ?, ?)`, key, v, now); err != nil {
		return "", fmt.Errorf("server_meta: %w", err)
	}
	err = db.QueryRowContext(ctx, `SELECT value FROM server_meta WHERE key = ?`, key).Scan(&v)
	return v, err
}

// DatabaseID returns the database's id, creating it on first use.
func DatabaseID(ctx context.Context, db *sql.DB) (string, error) {
	return MetaValue(ctx, db, MetaDatabaseID, func() (string, error) { return RandomHex(16) })
}

// ReadDatabaseID reads the id of the database file at path without
// changing it; "" when it has none yet. Opens the file read-only with mattn.
func ReadDatabaseID(ctx context.Context, path string) (string, error) {
	if _, err := os.Stat(path); err != nil {
		return "", err
	}
	db, err := sql.Open("sqlite3", "file:"+escapePath(path)+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		return "", err
	}
	defer db.Close()
	var id string
	err = db.QueryRowContext(ctx, `SELECT value FROM server_meta WHERE key = ?`, MetaDatabaseID).Scan(&id)
	switch {
	case err == nil:
		return id, nil
	case errors.Is(err, sql.ErrNoRows), err != nil && strings.Contains(err.Error(), "no such table"):
		return "", nil
	default:
		return "", fmt.Errorf("replica: read database id of %s: %w", path, err)
	}
}

// CreateDatabase creates an empty database at path in WAL mode with its id.
func CreateDatabase(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite3", "file:"+escapePath(path)+"?_journal_mode=WAL&_busy_timeout=5000&_txlock=immediate")
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := DatabaseID(ctx, db); err != nil {
		return fmt.Errorf("replica: create %s: %w", path, err)
	}
	return db.Close()
}

// RandomHex returns n random bytes, hex-encoded.
func RandomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

func escapePath(p string) string {
	return (&url.URL{Path: p}).EscapedPath()
}
