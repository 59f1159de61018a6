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

	"github.com/metalpro/backend/replica"
	"github.com/metalpro/backend/store"
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
	t.Parallel()
	dataDir := t.TempDir()
	getenv := func(k string) string {
		return map[string]string{"DATA_DIR": dataDir, "HOST": "127.0.0.1", "PORT": "0"}[k]
	}
	require.NoError(t, run(context.Background(), []string{"metalpro", "migrate"}, getenv, io.Discard))
	dbPath := filepath.Join(dataDir, "metalpro.db")
	before, version := mustDumpSchema(t, dbPath)

	// An upgrade whose last migration fails halfway through.
	broken := store.Schema + fmt.Sprintf("\n-- migration: %d broken_upgrade\n"+
		"CREATE TABLE upgrade_probe (id INTEGER);\n"+
		"ALTER TABLE rfqs ADD COLUMN probe TEXT;\n"+
		"INSERT INTO no_such_table VALUES (1);\n", version+1)

	var logs bytes.Buffer
	err := runWithSchema(context.Background(), broken, []string{"metalpro", "serve"}, getenv, &logs)
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

func TestRestoreCommand(t *testing.T) {
	t.Parallel()
	replicaDir := filepath.Join(t.TempDir(), "replica")
	env := map[string]string{"REPLICA_URL": "file://" + replicaDir}
	srv := startServer(t, env)
	require.NoError(t, srv.Stop()) // final sync
	getenv := func(k string) string { return env[k] }

	t.Run("OK", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "restored.db")
		var stdout bytes.Buffer
		require.NoError(t, run(context.Background(), []string{"metalpro", "restore", "-o", out}, getenv, &stdout))
		require.Contains(t, stdout.String(), "restored "+out)
		_, version := mustDumpSchema(t, out)
		require.Positive(t, version, "the restored file is the server's migrated database")
	})
	t.Run("ErrOutputExists", func(t *testing.T) {
		err := run(context.Background(), []string{"metalpro", "restore", "-o", filepath.Join(srv.DataDir, "metalpro.db")}, getenv, io.Discard)
		require.ErrorContains(t, err, "already exists")
	})
	t.Run("ErrBadTimestamp", func(t *testing.T) {
		err := run(context.Background(), []string{"metalpro", "restore", "-o", filepath.Join(t.TempDir(), "x.db"), "-timestamp", "yesterday"}, getenv, io.Discard)
		require.ErrorContains(t, err, "RFC 3339")
	})
	t.Run("EmptyReplica", func(t *testing.T) {
		empty := func(k string) string { return map[string]string{"REPLICA_URL": "file://" + t.TempDir()}[k] }
		out := filepath.Join(t.TempDir(), "x.db")
		require.ErrorIs(t, run(context.Background(), []string{"metalpro", "restore", "-o", out}, empty, io.Discard), replica.ErrNoReplica)
		require.NoError(t, run(context.Background(), []string{"metalpro", "restore", "-o", out, "-if-replica-exists"}, empty, io.Discard))
		require.NoFileExists(t, out)
	})
}

func TestServe_ReplicaIdentity(t *testing.T) {
	t.Parallel()
	replicaA := "file://" + filepath.Join(t.TempDir(), "a")
	a := startServer(t, map[string]string{"REPLICA_URL": replicaA})
	require.NoError(t, a.Stop())

	// Server B has its own database (and replica); then it is pointed at A's replica.
	b := startServer(t, map[string]string{"REPLICA_URL": "file://" + filepath.Join(t.TempDir(), "b")})
	require.NoError(t, b.Stop())
	getenv := func(k string) string {
		return map[string]string{"DATA_DIR": b.DataDir, "HOST": "127.0.0.1", "PORT": "0", "REPLICA_URL": replicaA}[k]
	}
	err := run(context.Background(), []string{"metalpro", "serve"}, getenv, io.Discard)
	require.ErrorIs(t, err, replica.ErrMismatch, "B must not replicate its database over A's")
	require.ErrorContains(t, err, "REPLICA_RESET=true")

	t.Run("RestoresWhenTheDatabaseIsMissing", func(t *testing.T) {
		c := startServer(t, map[string]string{"REPLICA_URL": replicaA})
		require.NoError(t, c.Stop())
		fresh := t.TempDir()
		d := startServer(t, map[string]string{"REPLICA_URL": replicaA, "DATA_DIR": fresh})
		var restored bool
		for _, l := range d.Logs() {
			restored = restored || l["msg"] == "database restored from replica"
		}
		require.True(t, restored)
	})
}

func TestServe_ErrReplicaUnreachable(t *testing.T) {
	t.Parallel()
	// Nothing listens on port 1: the server must not start unreplicated.
	getenv := func(k string) string {
		return map[string]string{"DATA_DIR": t.TempDir(), "HOST": "127.0.0.1", "PORT": "0",
			"REPLICA_URL":       "s3://bucket/db?endpoint=http://127.0.0.1:1",
			"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y"}[k]
	}
	var logs bytes.Buffer
	err := run(context.Background(), []string{"metalpro", "serve"}, getenv, &logs)
	require.ErrorContains(t, err, "127.0.0.1:1")
	require.NotContains(t, logs.String(), `"msg":"listening"`)
	t.Log(err)
}
