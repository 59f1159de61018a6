package replica_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/replica"
	"github.com/metalpro/backend/replica/replicatest"
)

// TestMain lets the test binary play the replicator child: the Supervisor
// under test re-executes os.Args[0] with REPLICA_TEST_CHILD=1, as the real
// server re-executes itself with "replicate".
func TestMain(m *testing.M) {
	if os.Getenv("REPLICA_TEST_CHILD") == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
		logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		err := replica.RunChild(ctx, os.Stdin, os.NewFile(3, "status"), logger)
		stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// fast makes tests quick: RPO 100 ms.
func fast(cfg replica.Config) replica.Config {
	cfg.MonitorInterval, cfg.SyncInterval = 100*time.Millisecond, 100*time.Millisecond
	cfg.CheckpointInterval = time.Minute
	return cfg
}

func fileConfig(t *testing.T) replica.Config {
	return fast(replica.Config{Type: replica.TypeFile, Dir: filepath.Join(t.TempDir(), "replica")})
}

func s3Config(t *testing.T, s *replicatest.S3, path string) replica.Config {
	cfg, err := replica.LoadConfig(mapEnv(s.Env(path)), t.TempDir())
	require.NoError(t, err)
	return fast(cfg)
}

func mapEnv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// MustStartSupervisor prepares dbPath (restore or create) and starts the
// replicator child for it, as serve does.
func MustStartSupervisor(tb testing.TB, cfg replica.Config, dbPath string) *replica.Supervisor {
	tb.Helper()
	_, err := replica.Prepare(context.Background(), cfg, dbPath, replica.PrepareOptions{})
	require.NoError(tb, err)
	sup := &replica.Supervisor{
		Config:  cfg,
		DBPath:  dbPath,
		Command: []string{os.Args[0]},
		Env:     append(os.Environ(), "REPLICA_TEST_CHILD=1"),
		Logger:  slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
	require.NoError(tb, sup.Start(context.Background()))
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		sup.Close(ctx)
	})
	return sup
}

// MustOpenAppDB opens dbPath the way the app does (mattn, WAL) with a table
// of numbered rows.
func MustOpenAppDB(tb testing.TB, dbPath string) *sql.DB {
	tb.Helper()
	db, err := sql.Open("sqlite3", "file:"+dbPath+"?_journal_mode=WAL&_busy_timeout=5000&_synchronous=NORMAL&_txlock=immediate")
	require.NoError(tb, err)
	_, err = db.Exec(`CREATE TABLE IF NOT EXISTS rows (n INTEGER PRIMARY KEY, body TEXT NOT NULL)`)
	require.NoError(tb, err)
	tb.Cleanup(func() { db.Close() })
	return db
}

// MustInsertRows inserts rows [from, to) one transaction each.
func MustInsertRows(tb testing.TB, db *sql.DB, from, to int) {
	tb.Helper()
	for n := from; n < to; n++ {
		_, err := db.Exec(`INSERT INTO rows (n, body) VALUES (?, ?)`, n, fmt.Sprintf("row %d ș ț", n))
		require.NoError(tb, err)
	}
}

// countRows opens a restored database with mattn and counts its rows after
// an integrity check.
func countRows(tb testing.TB, path string) int {
	tb.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	require.NoError(tb, err)
	defer db.Close()
	var check string
	require.NoError(tb, db.QueryRow(`PRAGMA integrity_check`).Scan(&check))
	require.Equal(tb, "ok", check)
	var n int
	require.NoError(tb, db.QueryRow(`SELECT count(*) FROM rows`).Scan(&n))
	return n
}

// waitFor polls cond until it holds, or fails the test at its deadline:
// a liveness guard, not a speed assertion.
func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline, hasDeadline := testDeadline(tb)
	for !cond() {
		if hasDeadline && time.Now().After(deadline) {
			tb.Fatalf("%s: not before the test's deadline", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// testDeadline is the test's own deadline (go test -timeout) less a margin
// for the report, rather than a guess at how slow a loaded machine can be.
func testDeadline(tb testing.TB) (time.Time, bool) {
	if d, ok := tb.(interface{ Deadline() (time.Time, bool) }); ok {
		if deadline, ok := d.Deadline(); ok {
			return deadline.Add(-5 * time.Second), true
		}
	}
	return time.Time{}, false
}

func TestSupervisor_Replicate(t *testing.T) {
	s3 := replicatest.StartS3(t)
	for name, cfg := range map[string]func(t *testing.T) replica.Config{
		"File": fileConfig,
		"S3":   func(t *testing.T) replica.Config { return s3Config(t, s3, "replicate-"+t.Name()) },
	} {
		t.Run(name, func(t *testing.T) {
			cfg := cfg(t)
			dbPath := filepath.Join(t.TempDir(), "app.db")
			sup := MustStartSupervisor(t, cfg, dbPath)
			db := MustOpenAppDB(t, dbPath)
			MustInsertRows(t, db, 0, 500)

			t.Run("HealthReportsLag", func(t *testing.T) {
				waitFor(t, "replica to catch up", func() bool {
					st := sup.Status()
					return st.LocalTXID > 0 && st.ReplicaTXID == st.LocalTXID && st.LagSeconds == 0
				})
				ok, detail := sup.Health(context.Background())
				assert.True(t, ok)
				st := detail.(replica.Status)
				assert.Equal(t, replica.StateReplicating, st.State)
				assert.Zero(t, st.LagSeconds)
				assert.Equal(t, cfg.String(), st.Replica)
			})

			// Graceful stop: pool first, then the child's final sync.
			MustInsertRows(t, db, 500, 1000)
			require.NoError(t, db.Close())
			require.NoError(t, sup.Close(context.Background()))
			out := filepath.Join(t.TempDir(), "restored.db")
			require.NoError(t, replica.Restore(context.Background(), cfg, out, time.Time{}))
			assert.Equal(t, 1000, countRows(t, out), "every committed row survives a clean stop")
		})
	}
}

func TestSupervisor_RestartsDeadChild(t *testing.T) {
	cfg := fileConfig(t)
	dbPath := filepath.Join(t.TempDir(), "app.db")
	sup := MustStartSupervisor(t, cfg, dbPath)
	db := MustOpenAppDB(t, dbPath)
	MustInsertRows(t, db, 0, 10)
	pid := sup.Status().PID
	require.NotZero(t, pid)

	require.NoError(t, syscall.Kill(pid, syscall.SIGKILL))
	waitFor(t, "the supervisor to notice", func() bool { return sup.Status().Restarts == 1 })
	MustInsertRows(t, db, 10, 20) // written while no replicator runs
	waitFor(t, "a new replicator", func() bool {
		st := sup.Status()
		return st.State == replica.StateReplicating && st.PID != pid
	})
	st := sup.Status()
	assert.Contains(t, st.LastError, "killed")

	MustInsertRows(t, db, 20, 30)
	require.NoError(t, db.Close())
	require.NoError(t, sup.Close(context.Background()))
	out := filepath.Join(t.TempDir(), "restored.db")
	require.NoError(t, replica.Restore(context.Background(), cfg, out, time.Time{}))
	assert.Equal(t, 30, countRows(t, out), "the restarted replicator picks up what was written meanwhile")
}

func TestSupervisor_Health(t *testing.T) {
	t.Run("DegradedWhileChildIsDown", func(t *testing.T) {
		cfg := fileConfig(t)
		dbPath := filepath.Join(t.TempDir(), "app.db")
		sup := MustStartSupervisor(t, cfg, dbPath)
		MustOpenAppDB(t, dbPath)
		require.NoError(t, syscall.Kill(sup.Status().PID, syscall.SIGKILL))
		// Make the restart (one second later) fail: the replica dir is a file.
		waitFor(t, "the child to die", func() bool { return sup.Status().Restarts == 1 })
		require.NoError(t, os.RemoveAll(cfg.Dir))
		require.NoError(t, os.WriteFile(cfg.Dir, []byte("not a dir"), 0o600))
		waitFor(t, "the supervisor to notice", func() bool { return sup.Status().State == replica.StateRestarting })
		ok, detail := sup.Health(context.Background())
		assert.False(t, ok)
		assert.NotEmpty(t, detail.(replica.Status).LastError)
	})
	t.Run("ErrStartFails", func(t *testing.T) {
		cfg := fileConfig(t)
		require.NoError(t, os.WriteFile(cfg.Dir, []byte("not a dir"), 0o600))
		sup := &replica.Supervisor{Config: cfg, DBPath: filepath.Join(t.TempDir(), "app.db"),
			Command: []string{os.Args[0]}, Env: append(os.Environ(), "REPLICA_TEST_CHILD=1"), Stderr: &bytes.Buffer{}}
		assert.Error(t, sup.Start(context.Background()))
	})
}

func TestSupervisor_CloseWhileChildIsDown(t *testing.T) {
	cfg := fileConfig(t)
	dbPath := filepath.Join(t.TempDir(), "app.db")
	sup := MustStartSupervisor(t, cfg, dbPath)
	db := MustOpenAppDB(t, dbPath)
	require.NoError(t, syscall.Kill(sup.Status().PID, syscall.SIGKILL))
	waitFor(t, "the supervisor to notice", func() bool { return sup.Status().Restarts == 1 })
	MustInsertRows(t, db, 0, 40) // nobody replicates these yet
	require.NoError(t, db.Close())
	require.NoError(t, sup.Close(context.Background()), "shutdown runs a replicator for the final sync")
	out := filepath.Join(t.TempDir(), "restored.db")
	require.NoError(t, replica.Restore(context.Background(), cfg, out, time.Time{}))
	assert.Equal(t, 40, countRows(t, out))
}

func TestRestore(t *testing.T) {
	t.Run("ErrNoReplica", func(t *testing.T) {
		err := replica.Restore(context.Background(), fileConfig(t), filepath.Join(t.TempDir(), "x.db"), time.Time{})
		assert.ErrorIs(t, err, replica.ErrNoReplica)
	})
	t.Run("ErrOutputExists", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "x.db")
		require.NoError(t, os.WriteFile(out, nil, 0o600))
		assert.Error(t, replica.Restore(context.Background(), fileConfig(t), out, time.Time{}))
	})
	t.Run("PointInTime", func(t *testing.T) {
		cfg := fileConfig(t)
		dbPath := filepath.Join(t.TempDir(), "app.db")
		sup := MustStartSupervisor(t, cfg, dbPath)
		db := MustOpenAppDB(t, dbPath)
		MustInsertRows(t, db, 0, 100)
		waitFor(t, "replica to catch up", func() bool {
			st := sup.Status()
			return st.LocalTXID > 0 && st.ReplicaTXID == st.LocalTXID
		})
		time.Sleep(1100 * time.Millisecond) // LTX timestamps have millisecond precision; leave a clear gap
		target := time.Now()
		time.Sleep(1100 * time.Millisecond)
		MustInsertRows(t, db, 100, 200)
		require.NoError(t, db.Close())
		require.NoError(t, sup.Close(context.Background()))

		out := filepath.Join(t.TempDir(), "pit.db")
		require.NoError(t, replica.Restore(context.Background(), cfg, out, target))
		assert.Equal(t, 100, countRows(t, out))
	})
}

func TestPrepare(t *testing.T) {
	ctx := context.Background()
	s3 := replicatest.StartS3(t)
	for name, newCfg := range map[string]func(t *testing.T) replica.Config{
		"File": fileConfig,
		"S3":   func(t *testing.T) replica.Config { return s3Config(t, s3, "prepare-"+t.Name()) },
	} {
		t.Run(name, func(t *testing.T) {
			// seed replicates a database with an id and returns its config and path.
			seed := func(t *testing.T) (replica.Config, string, string) {
				cfg := newCfg(t)
				dbPath := filepath.Join(t.TempDir(), "app.db")
				sup := MustStartSupervisor(t, cfg, dbPath)
				db := MustOpenAppDB(t, dbPath)
				id := MustSetDatabaseID(t, db)
				require.NoError(t, replica.Adopt(ctx, cfg, id))
				MustInsertRows(t, db, 0, 50)
				require.NoError(t, db.Close())
				require.NoError(t, sup.Close(ctx))
				return cfg, dbPath, id
			}

			t.Run("RestoresMissingDatabase", func(t *testing.T) {
				cfg, dbPath, id := seed(t)
				require.NoError(t, os.Remove(dbPath))
				res, err := replica.Prepare(ctx, cfg, dbPath, replica.PrepareOptions{})
				require.NoError(t, err)
				assert.True(t, res.Restored)
				assert.Equal(t, 50, countRows(t, dbPath))
				got, err := replica.ReadDatabaseID(ctx, dbPath)
				require.NoError(t, err)
				assert.Equal(t, id, got, "the restored database keeps its id, so it matches its replica")
				_, err = replica.Prepare(ctx, cfg, dbPath, replica.PrepareOptions{})
				assert.NoError(t, err)
			})
			t.Run("StartsFreshWithoutBackup", func(t *testing.T) {
				res, err := replica.Prepare(ctx, newCfg(t), filepath.Join(t.TempDir(), "app.db"), replica.PrepareOptions{})
				require.NoError(t, err)
				assert.False(t, res.Restored)
			})
			t.Run("ErrMismatch", func(t *testing.T) {
				cfg, _, _ := seed(t)
				other := filepath.Join(t.TempDir(), "other.db")
				db := MustOpenAppDB(t, other)
				MustSetDatabaseID(t, db)
				require.NoError(t, db.Close())

				_, err := replica.Prepare(ctx, cfg, other, replica.PrepareOptions{})
				require.ErrorIs(t, err, replica.ErrMismatch)
				assert.Contains(t, err.Error(), "REPLICA_RESET")

				t.Run("Reset", func(t *testing.T) {
					res, err := replica.Prepare(ctx, cfg, other, replica.PrepareOptions{Reset: true})
					require.NoError(t, err)
					assert.True(t, res.ReplicaReset)
					err = replica.Restore(ctx, cfg, filepath.Join(t.TempDir(), "x.db"), time.Time{})
					assert.True(t, errors.Is(err, replica.ErrNoReplica), "the old lineage is gone: %v", err)
				})
			})
		})
	}
}

// MustSetDatabaseID gives the database an id the way the server does (a row
// in migration 1's server_settings) and returns it.
func MustSetDatabaseID(tb testing.TB, db *sql.DB) string {
	tb.Helper()
	_, err := db.Exec(`CREATE TABLE IF NOT EXISTS server_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, created_at TEXT NOT NULL)`)
	require.NoError(tb, err)
	id := fmt.Sprintf("db-%d", time.Now().UnixNano())
	_, err = db.Exec(`INSERT INTO server_settings (key, value, created_at) VALUES (?, ?, ?)`, replica.SettingDatabaseID, id, time.Now().UTC().Format(time.RFC3339))
	require.NoError(tb, err)
	return id
}
