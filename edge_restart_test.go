package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store/storetest"
)

// restartClients is the steady load during the restarts: a few shoppers, each one request
// after another, as fast as the server answers (bounded: loopback, no more in flight).
const restartClients = 4

// The real server restarted twice, the way systemd restarts a socket-activated service
// (SIGTERM, wait for the exit, start the next process on the same socket), under a steady
// load of shoppers browsing and adding to their carts: no request fails, every write the
// server acknowledged is in the carts afterwards. The longest request delay is logged.
func TestRestart_SocketActivationLosesNothing(t *testing.T) {
	t.Parallel()
	bin := mustBuildBinary(t)
	dataDir := t.TempDir()
	storetest.MustCopySeeded(t, filepath.Join(dataDir, "metalpro.db"))

	// The test plays systemd: it owns the listening socket and passes it to each process.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	sock, err := ln.(*net.TCPListener).File()
	require.NoError(t, err)
	defer sock.Close()
	ln.Close() // the duplicate in sock keeps the socket open
	base := "http://" + ln.Addr().String()

	p := startActivated(t, bin, dataDir, sock)
	waitReady(t, base)

	product, unit := firstProduct(t, base)
	ctx, stopLoad := context.WithCancel(context.Background())
	var (
		wg       sync.WaitGroup
		done     atomic.Int64 // requests answered
		mu       sync.Mutex
		failures []string
		slowest  time.Duration
	)
	acked := make([]int, restartClients)
	visitors := make([]*http.Client, restartClients)
	for i := range restartClients {
		jar, err := cookiejar.New(nil)
		require.NoError(t, err)
		visitors[i] = &http.Client{Jar: jar, Transport: &http.Transport{}}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ctx.Err() == nil; n++ {
				var req *http.Request
				if n%2 == 0 {
					req, _ = http.NewRequest(http.MethodGet, base+"/api/products?limit=5&page="+fmt.Sprint(1+n%7), nil)
				} else {
					req, _ = http.NewRequest(http.MethodPost, base+"/api/cart/items",
						strings.NewReader(`{"productId":"`+product+`","quantity":1,"unit":"`+unit+`"}`))
					req.Header.Set("Content-Type", "application/json")
					// What a careful client sends with a write: it lets the HTTP client resend
					// the request when a kept-alive connection was closed before it was read.
					req.Header.Set("Idempotency-Key", fmt.Sprintf("c%d-%d", i, n))
				}
				start := time.Now()
				resp, err := visitors[i].Do(req)
				took := time.Since(start)
				mu.Lock()
				slowest = max(slowest, took)
				switch {
				case err != nil:
					failures = append(failures, fmt.Sprintf("%s %s: %v", req.Method, req.URL.Path, err))
				case resp.StatusCode >= 300:
					body, _ := io.ReadAll(resp.Body)
					failures = append(failures, fmt.Sprintf("%s %s: %d %s", req.Method, req.URL.Path, resp.StatusCode, body))
				case req.Method == http.MethodPost:
					acked[i]++
				}
				mu.Unlock()
				if resp != nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				done.Add(1)
			}
		}()
	}
	// Load before each restart and after the last one: at least this many answers each time.
	const between = 40
	waitAnswers := func(what string) {
		target := done.Load() + between
		waitUntil(t, what, func() bool { return done.Load() >= target })
	}

	waitAnswers("load before the first restart")
	for restart := 1; restart <= 2; restart++ {
		p.stop(t) // SIGTERM: drain, final sync, exit (systemctl restart's stop)
		p = startActivated(t, bin, dataDir, sock)
		waitAnswers(fmt.Sprintf("load after restart %d", restart))
	}
	stopLoad()
	wg.Wait()

	mu.Lock()
	defer mu.Unlock()
	require.Empty(t, failures, "requests that failed across the restarts")
	total := 0
	for i, hc := range visitors {
		resp, err := hc.Get(base + "/api/cart")
		require.NoError(t, err)
		var cart struct {
			Items []struct {
				ProductID string  `json:"productId"`
				Quantity  float64 `json:"quantity"`
			} `json:"items"`
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&cart))
		resp.Body.Close()
		require.Len(t, cart.Items, 1, "visitor %d", i)
		require.Equal(t, float64(acked[i]), cart.Items[0].Quantity, "visitor %d: every acknowledged add is in the cart", i)
		total += acked[i]
	}
	// One replicator at a time handed over twice: the last one replicates the same
	// database (a second writer or a foreign replica would make /health degraded).
	resp, err := http.Get(base + "/health")
	require.NoError(t, err)
	var health struct {
		Status string
		Checks map[string]struct{ Status string }
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&health))
	resp.Body.Close()
	require.Equal(t, "ok", health.Status, "%+v", health)
	require.Equal(t, "ok", health.Checks["replication"].Status, "%+v", health)

	t.Logf("2 restarts under %d clients: %d requests answered, %d acknowledged writes, 0 failed; longest request %v",
		restartClients, done.Load(), total, slowest.Round(time.Millisecond))
}

// activatedProcess is the server binary started with an inherited socket.
type activatedProcess struct {
	cmd    *exec.Cmd
	exited chan struct{}
	logs   *logBuffer
}

// startActivated starts bin serve with sock as its descriptor 3 and LISTEN_FDS=1, as
// systemd does (LISTEN_PID must name the server's own pid: the shell sets it to its own
// and then becomes the server with exec), and waits for its "listening" line.
func startActivated(t *testing.T, bin, dataDir string, sock *os.File) *activatedProcess {
	t.Helper()
	cmd := exec.Command("/bin/sh", "-c", `LISTEN_PID=$$ exec "$0" serve`, bin)
	cmd.Env = append(processEnv(dataDir), "LISTEN_FDS=1", "LISTEN_FDNAMES=api")
	cmd.ExtraFiles = []*os.File{sock}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = cmd.Stdout
	p := &activatedProcess{cmd: cmd, exited: make(chan struct{}), logs: newLogBuffer()}
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-p.exited
		if t.Failed() {
			p.logs.dump(t)
		}
	})
	listening := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		once := sync.Once{}
		for sc.Scan() {
			p.logs.add(sc.Text())
			var m map[string]any
			if json.Unmarshal(sc.Bytes(), &m) == nil && m["msg"] == "listening" {
				once.Do(func() { close(listening) })
			}
		}
		_ = cmd.Wait()
		close(p.exited)
	}()
	ctx, cancel := testContext(t)
	defer cancel()
	select {
	case <-listening:
	case <-p.exited:
		p.logs.dump(t)
		t.Fatal("server exited before listening")
	case <-ctx.Done():
		t.Fatal("server did not listen before the test's deadline")
	}
	return p
}

// stop sends SIGTERM and waits for a clean exit.
func (p *activatedProcess) stop(t *testing.T) {
	t.Helper()
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
	ctx, cancel := testContext(t)
	defer cancel()
	select {
	case <-p.exited:
	case <-ctx.Done():
		t.Fatal("server did not stop before the test's deadline")
	}
	require.True(t, p.cmd.ProcessState.Success(), "clean exit")
}

// processEnv is the environment of a development server in dataDir with limits that one
// test client cannot reach.
func processEnv(dataDir string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "LITESTREAM_") || strings.HasPrefix(k, "REPLICA_") || strings.HasPrefix(k, "LISTEN_") ||
			k == "DATA_DIR" || k == "PORT" || k == "APP_ENV" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "HOST=127.0.0.1", "DATA_DIR="+dataDir, "APP_ENV=development", "LOG_LEVEL=info",
		"RATE_LIMIT_API=1000000/1m", "RATE_LIMIT_NEW_GUESTS=1000000/1m", "RATE_LIMIT_NEW_GUESTS_PER_IP=1000000/1m")
}

func waitReady(t *testing.T, base string) {
	t.Helper()
	waitUntil(t, "/health/ready answers 200", func() bool {
		resp, err := http.Get(base + "/health/ready")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

// firstProduct is a product of the seeded catalog and its base unit.
func firstProduct(t *testing.T, base string) (id, unit string) {
	t.Helper()
	resp, err := http.Get(base + "/api/products?limit=1")
	require.NoError(t, err)
	defer resp.Body.Close()
	var page struct {
		Products []struct {
			ID       string `json:"id"`
			BaseUnit string `json:"baseUnit"`
		} `json:"products"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&page))
	require.NotEmpty(t, page.Products)
	return page.Products[0].ID, page.Products[0].BaseUnit
}
