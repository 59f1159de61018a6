package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServe_ErrSecondServerOnDataDir: a second server on the same data dir used to start,
// warn about an unclean stop and run a second replicator on the same replica.
func TestServe_ErrSecondServerOnDataDir(t *testing.T) {
	t.Parallel()
	srv := startServer(t, nil)
	getenv := func(k string) string {
		return map[string]string{"DATA_DIR": srv.DataDir, "HOST": "127.0.0.1", "PORT": "0"}[k]
	}
	ctx, cancel := testContext(t) // bounds the pre-fix hang
	defer cancel()
	var logs bytes.Buffer
	err := run(ctx, []string{"metalpro", "serve"}, getenv, &logs)
	require.Error(t, err, "a second server must refuse to start")
	require.ErrorContains(t, err, "pid "+strconv.Itoa(os.Getpid()), "the message names the running server")
	require.NotContains(t, logs.String(), "did not stop cleanly")
	t.Log(err)

	t.Run("ErrRestoreOverRunningServer", func(t *testing.T) {
		err := run(context.Background(), []string{"metalpro", "restore"}, getenv, io.Discard)
		require.ErrorContains(t, err, "pid "+strconv.Itoa(os.Getpid()))
		t.Log(err)
	})
	t.Run("UserCreateBesideRunningServer", func(t *testing.T) {
		stdin = strings.NewReader("operator-parola-2026\n")
		t.Cleanup(func() { stdin = nil })
		var out strings.Builder
		err := run(context.Background(), []string{"metalpro", "user", "create", "-data-dir", srv.DataDir,
			"-email", "ops@metalpro.ro", "-name", "Ops Pop", "-role", "ADMIN"}, getenv, &out)
		require.NoError(t, err)
		require.Contains(t, out.String(), "created ADMIN account ops@metalpro.ro")
		status, _ := postJSON(t, srv.URL+"/api/auth/login", `{"email":"ops@metalpro.ro","password":"operator-parola-2026"}`)
		require.Equal(t, http.StatusOK, status, "the running server sees the new account")
	})
	require.NoError(t, srv.Stop())
	t.Run("StartsAgainAfterTheFirstStopped", func(t *testing.T) {
		again := startServer(t, map[string]string{"DATA_DIR": srv.DataDir})
		require.NoError(t, again.Stop())
	})
}

func postJSON(t *testing.T, url, body string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	m["retryAfter"] = resp.Header.Get("Retry-After")
	return resp.StatusCode, m
}

// TestServe_HeldWriteLockAnswers503: another process holding BEGIN IMMEDIATE used to turn
// six concurrent writes into 500s after 10, 20, 30, 40 s.
func TestServe_HeldWriteLockAnswers503(t *testing.T) {
	t.Parallel()
	const wait = 2 * time.Second
	srv := startServer(t, map[string]string{"DB_WRITE_WAIT": wait.String(),
		// Six new guests from 127.0.0.1: past the per-IP budget of new guest carts.
		"RATE_LIMIT_NEW_GUESTS": "1000/1m", "RATE_LIMIT_NEW_GUESTS_PER_IP": "1000/1m"})
	resp, err := http.Get(srv.URL + "/api/products?limit=1")
	require.NoError(t, err)
	var list struct{ Products []struct{ ID string } }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&list))
	resp.Body.Close()
	require.NotEmpty(t, list.Products)
	body := fmt.Sprintf(`{"productId":%q,"quantity":1,"unit":"pcs"}`, list.Products[0].ID)

	other, err := sql.Open("sqlite3", "file:"+filepath.Join(srv.DataDir, "metalpro.db"))
	require.NoError(t, err)
	defer other.Close()
	lock, err := other.Conn(context.Background())
	require.NoError(t, err)
	_, err = lock.ExecContext(context.Background(), "BEGIN IMMEDIATE")
	require.NoError(t, err)
	defer lock.ExecContext(context.Background(), "ROLLBACK") //nolint:errcheck

	const writes = 6
	type answer struct {
		status int
		body   map[string]any
		took   time.Duration
	}
	answers := make([]answer, writes)
	var wg sync.WaitGroup
	for i := range writes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/cart/items", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				answers[i] = answer{status: -1, body: map[string]any{"err": err.Error()}}
				return
			}
			defer resp.Body.Close()
			var m map[string]any
			_ = json.NewDecoder(resp.Body).Decode(&m)
			if m != nil {
				m["retryAfter"] = resp.Header.Get("Retry-After")
			}
			answers[i] = answer{status: resp.StatusCode, body: m, took: time.Since(start)}
		}()
	}
	wg.Wait()
	var slowest time.Duration
	for i, a := range answers {
		require.Equal(t, http.StatusServiceUnavailable, a.status, "write %d: %v", i, a.body)
		require.Equal(t, "unavailable", a.body["code"])
		require.NotEmpty(t, a.body["retryAfter"], "503 carries Retry-After")
		slowest = max(slowest, a.took)
	}
	t.Logf("held write lock: six concurrent writes all answered 503, the slowest after %s (DB_WRITE_WAIT=%s)", slowest, wait)
	// Queued, the last write would wait out every wait before it: at least writes × wait
	// however fast the machine. Side by side each takes one wait plus the machine's delay,
	// which on a loaded machine can be seconds, so the bound is the queue's, not a guess.
	assert.Less(t, slowest, writes*wait, "not a queue of waits")

	hreq, _ := http.NewRequest(http.MethodGet, srv.URL+"/health", nil)
	hresp, err := http.DefaultClient.Do(hreq)
	require.NoError(t, err)
	raw, _ := io.ReadAll(hresp.Body)
	hresp.Body.Close()
	require.Equal(t, http.StatusServiceUnavailable, hresp.StatusCode, string(raw))
	require.Contains(t, string(raw), "write lock", "/health says why")
}

// TestServe_ErrReadOnlyDataDir: a read-only data dir used to say "remove
// .metalpro.db-clean-stop", naming a symptom instead of the problem.
func TestServe_ErrReadOnlyDataDir(t *testing.T) {
	t.Parallel()
	dir := readOnlyDataDir(t)
	getenv := func(k string) string {
		return map[string]string{"DATA_DIR": dir, "HOST": "127.0.0.1", "PORT": "0"}[k]
	}
	ctx, cancel := testContext(t)
	defer cancel()
	err := run(ctx, []string{"metalpro", "serve"}, getenv, io.Discard)
	require.Error(t, err)
	require.ErrorContains(t, err, "not writable")
	require.ErrorContains(t, err, dir)
	require.NotContains(t, err.Error(), "clean-stop")
	t.Log(err)
}

// readOnlyDataDir returns a data dir holding a cleanly stopped server's database that this
// process cannot write to: a read-only mount when running as root (root ignores file
// modes), a mode 0555 folder otherwise.
func readOnlyDataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if os.Geteuid() == 0 {
		if exec.Command("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", dir).Run() != nil {
			t.Skip("running as root without the right to mount: cannot make a read-only folder")
		}
		// Lazy: a server that failed to stop may still hold files there; never leave a mount behind.
		t.Cleanup(func() { _ = exec.Command("umount", "-l", dir).Run() })
	}
	srv := startServer(t, map[string]string{"DATA_DIR": dir})
	require.NoError(t, srv.Stop())
	if os.Geteuid() == 0 {
		require.NoError(t, exec.Command("mount", "-o", "remount,ro", dir).Run())
	} else {
		require.NoError(t, os.Chmod(dir, 0o555))
		t.Cleanup(func() { _ = os.Chmod(dir, 0o755) })
	}
	return dir
}
