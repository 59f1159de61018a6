package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store/storetest"
)

// testServer is the real program, running in this process on a loopback port.
type testServer struct {
	URL     string
	DataDir string
	logs    *logBuffer
	stop    func() error
}

// Logs returns the JSON log lines the server has written so far.
func (s *testServer) Logs() []map[string]any { return s.logs.lines() }

// Stop cancels the server's context (as SIGTERM does) and returns run's result.
func (s *testServer) Stop() error { return s.stop() }

type logBuffer struct {
	mu      sync.Mutex
	raw     []string
	changed chan struct{} // closed (and replaced) at every new line
}

func newLogBuffer() *logBuffer { return &logBuffer{changed: make(chan struct{})} }

func (b *logBuffer) add(line string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.raw = append(b.raw, line)
	close(b.changed)
	b.changed = make(chan struct{})
}

// waitFor waits until a log line satisfies match, for as long as the test may run.
func (b *logBuffer) waitFor(tb testing.TB, what string, match func(line map[string]any) bool) {
	tb.Helper()
	ctx, cancel := testContext(tb)
	defer cancel()
	for {
		b.mu.Lock()
		changed := b.changed
		b.mu.Unlock()
		for _, l := range b.lines() {
			if match(l) {
				return
			}
		}
		select {
		case <-changed:
		case <-ctx.Done():
			tb.Fatalf("no log line %s before the test's deadline", what)
		}
	}
}

// waitUntil checks cond every few milliseconds for as long as the test may run: for
// effects the program leaves outside this process's signals (files it writes).
func waitUntil(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	ctx, cancel := testContext(tb)
	defer cancel()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			tb.Fatalf("%s: not before the test's deadline", what)
		case <-tick.C:
		}
	}
}

// emailFiles lists the emails the local sender has finished writing under dataDir/mail.
// Its temporary files (".tmp-*.eml", renamed when complete) also match "*.eml", and
// reading one of those is reading a half-written email.
func emailFiles(tb testing.TB, dataDir string) []string {
	tb.Helper()
	all, err := filepath.Glob(filepath.Join(dataDir, "mail", "*.eml"))
	if err != nil {
		tb.Fatal(err)
	}
	var done []string
	for _, f := range all {
		if !strings.HasPrefix(filepath.Base(f), ".") {
			done = append(done, f)
		}
	}
	return done
}

func (b *logBuffer) dump(tb testing.TB) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, line := range b.raw {
		tb.Log(line)
	}
}

func (b *logBuffer) lines() []map[string]any {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, l := range b.raw {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

// startServer boots the whole program (run) on 127.0.0.1 with a temporary data dir and the
// given extra environment, and waits until /health/ready answers 200.
// freshDatabase in startServer's env (any value) boots on an empty data dir, so the program
// creates and seeds its database itself.
const freshDatabase = "TEST_FRESH_DATABASE"

// patientWriteWait is startServer's DB_WRITE_WAIT, and the write wait of databases a
// whole-program test opens beside the server: long enough for any loaded machine.
const patientWriteWait = "10m"

func startServer(tb testing.TB, env map[string]string) *testServer {
	tb.Helper()
	dataDir := tb.TempDir()
	if d, ok := env["DATA_DIR"]; ok {
		dataDir = d
	} else if env[freshDatabase] == "" {
		// A seeded copy spares each test the catalog seed (about 14 s under -race).
		storetest.MustCopySeeded(tb, filepath.Join(dataDir, "metalpro.db"))
	}
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		switch k {
		case "HOST":
			return "127.0.0.1"
		case "PORT":
			return "0"
		case "DATA_DIR":
			return dataDir
		case "LOG_LEVEL":
			return "debug"
		case "DB_WRITE_WAIT":
			// The 5 s default is a promise to real clients (a quick 503 rather than a queue);
			// on a loaded machine under -race the program's own writers (workers, replicator
			// checkpoints) hold the lock longer, and a journey got 503 "database busy". Tests
			// of that 503 set their own wait.
			return patientWriteWait
		}
		return ""
	}

	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	logs := newLogBuffer()
	addrCh := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			logs.add(line)
			var m map[string]any
			if json.Unmarshal([]byte(line), &m) == nil && m["msg"] == "listening" {
				addrCh <- m["addr"].(string)
			}
		}
	}()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"metalpro", "serve"}, getenv, pw)
		pw.Close()
		done <- err
	}()

	// The program reports its address in its "listening" log line once the socket is
	// bound. Wait for that signal as long as the test itself may run: a fixed budget fails
	// on a loaded machine, where seeding the catalog under -race can take minutes.
	waitCtx, stopWaiting := testContext(tb)
	defer stopWaiting()
	var addr string
	select {
	case addr = <-addrCh:
	case err := <-done:
		cancel()
		tb.Fatalf("server exited before listening: %v", err)
	case <-waitCtx.Done():
		cancel()
		tb.Fatal("server did not start listening before the test's deadline")
	}
	s := &testServer{URL: "http://" + addr, DataDir: dataDir, logs: logs}
	var once sync.Once
	var stopErr error
	s.stop = func() error {
		once.Do(func() {
			cancel()
			stopErr = <-done
		})
		return stopErr
	}
	tb.Cleanup(func() {
		_ = s.Stop()
		// The server's logs (and the replicator's) are shown only when they can explain a
		// failure; a passing test prints nothing.
		if tb.Failed() {
			logs.dump(tb)
		}
	})

	// The socket is bound before the log line, so requests wait in the listen backlog
	// until the server accepts them. /health/ready may still answer 503 while a loaded
	// machine keeps the database from answering within its 2 s: ask again until it is 200.
	waitUntil(tb, "/health/ready answers 200", func() bool {
		req, err := http.NewRequestWithContext(waitCtx, http.MethodGet, s.URL+"/health/ready", nil)
		if err != nil {
			tb.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return s
}

// testContext is cancelled at the test's deadline (go test -timeout), minus a margin to
// report the failure, or never when the test has no deadline.
func testContext(tb testing.TB) (context.Context, context.CancelFunc) {
	if d, ok := tb.(interface{ Deadline() (time.Time, bool) }); ok {
		if deadline, ok := d.Deadline(); ok {
			return context.WithDeadline(context.Background(), deadline.Add(-5*time.Second))
		}
	}
	return context.WithCancel(context.Background())
}

// testDeadline is testContext's deadline as a time, for net.Conn.SetDeadline: the zero
// time (no deadline) when the test has none.
func testDeadline(tb testing.TB) time.Time {
	ctx, cancel := testContext(tb)
	defer cancel()
	deadline, _ := ctx.Deadline()
	return deadline
}

func TestRun_Serve(t *testing.T) {
	t.Parallel()
	srv := startServer(t, nil)

	t.Run("HealthReportsDatabase", func(t *testing.T) {
		resp, err := http.Get(srv.URL + "/health")
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
		var h struct {
			Status string
			Checks map[string]struct{ Status string }
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&h))
		require.Equal(t, "ok", h.Status)
		require.Equal(t, "ok", h.Checks["database"].Status)
	})

	t.Run("RequestIDEchoedAndLogged", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/health", nil)
		req.Header.Set("X-Request-Id", "trace-abc-123")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, "trace-abc-123", resp.Header.Get("X-Request-Id"))
		srv.logs.waitFor(t, "for request trace-abc-123", func(l map[string]any) bool {
			return l["msg"] == "request" && l["request_id"] == "trace-abc-123" && l["status"] == float64(200)
		})
	})

	t.Run("MetricsForOnCall", func(t *testing.T) {
		resp, err := http.Get(srv.URL + "/metrics")
		require.NoError(t, err)
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		body := string(raw)
		require.Contains(t, body, "metalpro_replication_up 1", "the test server replicates to a folder")
		require.Contains(t, body, "metalpro_replication_lag_seconds ")
		require.Contains(t, body, `metalpro_email_outbox_emails{status="pending"} 0`)
		require.Contains(t, body, `metalpro_http_requests_total{method="GET",route="/health",status="200"}`,
			"requests are counted by route template")
	})

	t.Run("GracefulStop", func(t *testing.T) {
		require.NoError(t, srv.Stop())
		var stopped bool
		for _, l := range srv.Logs() {
			stopped = stopped || l["msg"] == "stopped"
		}
		require.True(t, stopped, "a clean stop is logged")
	})
}

func TestRun_Config(t *testing.T) {
	t.Parallel()
	env := func(m map[string]string) func(string) string {
		return func(k string) string { return m[k] }
	}

	t.Run("ErrProductionNamesEveryMissingSetting", func(t *testing.T) {
		err := run(context.Background(), []string{"metalpro", "serve"},
			env(map[string]string{"APP_ENV": "production", "JWT_SECRET": "short"}), io.Discard)
		require.Error(t, err)
		for _, want := range []string{"JWT_SECRET is too short", "SENDGRID_API_KEY is missing", "FRONTEND_URL"} {
			require.Contains(t, err.Error(), want)
		}
	})

	t.Run("ErrUnknownCommand", func(t *testing.T) {
		err := run(context.Background(), []string{"metalpro", "frobnicate"}, env(nil), io.Discard)
		require.ErrorContains(t, err, `unknown command "frobnicate"`)
	})

	t.Run("Version", func(t *testing.T) {
		var out strings.Builder
		require.NoError(t, run(context.Background(), []string{"metalpro", "version"}, env(nil), &out))
		require.Contains(t, out.String(), "metalpro")
	})

	t.Run("Migrate", func(t *testing.T) {
		dir := t.TempDir()
		var out strings.Builder
		require.NoError(t, run(context.Background(), []string{"metalpro", "migrate", "-data-dir", dir}, env(nil), &out))
		require.Contains(t, out.String(), `"database migrated"`)
	})
}

// TestRun_ShutdownDrainsInFlightRequests: SIGTERM (here: ctx cancelled) while a customer's
// request is still arriving must not cut it off; the request finishes, then the server stops.
func TestRun_ShutdownDrainsInFlightRequests(t *testing.T) {
	t.Parallel()
	srv := startServer(t, nil)
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	body := `{"email":"nobody@example.ro","password":"wrong-password-1"}`
	// "Expect: 100-continue" makes the server say when the handler starts reading the body:
	// from then on the request is in flight.
	_, err = fmt.Fprintf(conn, "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"+
		"Expect: 100-continue\r\nContent-Length: %d\r\n\r\n", len(body))
	require.NoError(t, err)
	reader := bufio.NewReader(conn)
	status, err := reader.ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "HTTP/1.1 100 Continue\r\n", status)
	blank, err := reader.ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "\r\n", blank)

	stopped := make(chan error, 1)
	go func() { stopped <- srv.Stop() }()
	srv.logs.waitFor(t, "announcing the shutdown", func(l map[string]any) bool {
		return strings.HasPrefix(fmt.Sprint(l["msg"]), "shutting down")
	})
	select {
	case err := <-stopped:
		t.Fatalf("server stopped with a request in flight: %v", err)
	default:
	}

	_, err = conn.Write([]byte(body))
	require.NoError(t, err)
	resp, err := http.ReadResponse(reader, nil)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "the in-flight login got its real answer")
	require.NoError(t, <-stopped)
}
