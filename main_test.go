package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
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
	mu  sync.Mutex
	raw []string
}

func (b *logBuffer) add(line string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.raw = append(b.raw, line)
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
func startServer(tb testing.TB, env map[string]string) *testServer {
	tb.Helper()
	dataDir := tb.TempDir()
	if d, ok := env["DATA_DIR"]; ok {
		dataDir = d
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
		}
		return ""
	}

	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	logs := &logBuffer{}
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
	tb.Cleanup(func() { _ = s.Stop() })

	// The socket is bound before the log line, so this request waits in the listen
	// backlog until the server accepts it: no polling needed.
	req, err := http.NewRequestWithContext(waitCtx, http.MethodGet, s.URL+"/health/ready", nil)
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("server not ready: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("server not ready: /health/ready answered %d", resp.StatusCode)
	}
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

func TestRun_Serve(t *testing.T) {
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
		require.Eventually(t, func() bool {
			for _, l := range srv.Logs() {
				if l["msg"] == "request" && l["request_id"] == "trace-abc-123" && l["status"] == float64(200) {
					return true
				}
			}
			return false
		}, 5*time.Second, 20*time.Millisecond)
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
	srv := startServer(t, nil)
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	body := `{"email":"nobody@example.ro","password":"wrong-password-1"}`
	half := len(body) / 2
	_, err = fmt.Fprintf(conn, "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body[:half])
	require.NoError(t, err)
	time.Sleep(100 * time.Millisecond) // the server is now reading our body

	stopped := make(chan error, 1)
	go func() { stopped <- srv.Stop() }()
	time.Sleep(200 * time.Millisecond)
	select {
	case err := <-stopped:
		t.Fatalf("server stopped with a request in flight: %v", err)
	default:
	}

	_, err = conn.Write([]byte(body[half:]))
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "the in-flight login got its real answer")
	require.NoError(t, <-stopped)
}
