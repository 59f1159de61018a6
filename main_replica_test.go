package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMain lets this test binary be the replicator child: serve, running in
// the test process, re-executes os.Executable() (the test binary) with
// "replicate", exactly as the real binary re-executes itself.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "replicate" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err := runReplicate(ctx)
		stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, "metalpro replicate:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	cleanupBuiltBinary()
	os.Exit(code)
}

func TestServe_FailingMigration(t *testing.T) {
	dataDir := t.TempDir()
	getenv := func(k string) string {
		return map[string]string{"DATA_DIR": dataDir, "HOST": "127.0.0.1", "PORT": "0"}[k]
	}
	require.NoError(t, run(context.Background(), []string{"metalpro", "migrate"}, getenv, io.Discard))
	dbPath := filepath.Join(dataDir, "metalpro.db")
	before, version := mustDumpSchema(t, dbPath)

	// An upgrade whose last migration fails halfway through.
	good := schema
	t.Cleanup(func() { schema = good })
	schema = good + fmt.Sprintf("\n-- migration: %d broken_upgrade\n"+
		"CREATE TABLE upgrade_probe (id INTEGER);\n"+
		"ALTER TABLE rfqs ADD COLUMN probe TEXT;\n"+
		"INSERT INTO no_such_table VALUES (1);\n", version+1)

	var logs bytes.Buffer
	err := run(context.Background(), []string{"metalpro", "serve"}, getenv, &logs)
	require.Error(t, err, "the server refuses to start")
	require.Contains(t, err.Error(), fmt.Sprintf("migration %d (broken_upgrade) failed", version+1))
	require.Contains(t, err.Error(), "no such table: no_such_table")
	require.NotContains(t, logs.String(), `"msg":"listening"`)

	after, afterVersion := mustDumpSchema(t, dbPath)
	require.Equal(t, version, afterVersion, "the database stays at the previous version")
	require.Equal(t, before, after, "no part of the failed migration is left behind")
}

// mustDumpSchema returns the database's schema text and migration version.
func mustDumpSchema(tb testing.TB, path string) (string, int) {
	tb.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	require.NoError(tb, err)
	defer db.Close()
	rows, err := db.Query(`SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_master
		WHERE name NOT LIKE '_litestream%' ORDER BY type, name`)
	require.NoError(tb, err)
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var s string
		require.NoError(tb, rows.Scan(&s))
		b.WriteString(s + "\n")
	}
	var v int
	require.NoError(tb, db.QueryRow(`SELECT MAX(version) FROM schema_migrations`).Scan(&v))
	return b.String(), v
}
