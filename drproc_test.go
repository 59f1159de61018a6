package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/replica"
)

// The real server binary as a process, for the DR tests.

var (
	buildOnce sync.Once
	buildDir  string
	buildPath string
	buildErr  error
)

// mustBuildBinary builds the program once per test run (with the race
// detector when the tests use it, so the build cache is shared).
func mustBuildBinary(tb testing.TB) string {
	tb.Helper()
	buildOnce.Do(func() {
		if buildDir, buildErr = os.MkdirTemp("", "metalpro-dr-"); buildErr != nil {
			return
		}
		buildPath = filepath.Join(buildDir, "metalpro")
		// Built without -race even under `make test`: the server's code is race-tested in
		// process (startServer); here the race detector would only slow the server 5-10x
		// and measure the detector's recovery point instead of the product's.
		out, err := exec.Command("go", "build", "-tags", "sqlite_fts5", "-o", buildPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	require.NoError(tb, buildErr)
	return buildPath
}

// cleanupBuiltBinary removes the binary after the tests (called by TestMain).
func cleanupBuiltBinary() {
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
}

// process is the real server running as its own process group.
type process struct {
	cmd        *exec.Cmd
	URL        string
	dataDir    string
	readyAfter time.Duration
	mu         sync.Mutex
	logs       bytes.Buffer
	exited     chan struct{}
}

// DBPath is the server's database file.
func (p *process) DBPath() string { return filepath.Join(p.dataDir, "metalpro.db") }

// mustStartProcess starts bin serve in a new process group and waits until
// /health/ready answers 200.
func mustStartProcess(tb testing.TB, bin, dataDir string, extra map[string]string) *process {
	tb.Helper()
	env := []string{}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "LITESTREAM_") || strings.HasPrefix(k, "REPLICA_") || strings.HasPrefix(k, "AWS_ACCESS") ||
			strings.HasPrefix(k, "AWS_SECRET") || k == "DATA_DIR" || k == "PORT" || k == "APP_ENV" {
			continue
		}
		env = append(env, kv) // AWS_CA_BUNDLE stays: the server must cope with it
	}
	env = append(env, "HOST=127.0.0.1", "PORT=0", "DATA_DIR="+dataDir, "APP_ENV=development", "LOG_LEVEL=info",
		"LITESTREAM_MONITOR_INTERVAL="+drRPO.String(), "LITESTREAM_SYNC_INTERVAL="+drRPO.String(),
		// One test client sends hundreds of RFQs from one address.
		"RATE_LIMIT_API=1000000/1m", "RATE_LIMIT_RFQ=1000000/1m", "RATE_LIMIT_ACCOUNT=1000000/1m",
		"RATE_LIMIT_NEW_GUESTS=1000000/1m", "RATE_LIMIT_NEW_GUESTS_PER_IP=1000000/1m")
	for k, v := range extra {
		env = append(env, k+"="+v)
	}
	p := &process{dataDir: dataDir, exited: make(chan struct{})}
	p.cmd = exec.Command(bin, "serve")
	p.cmd.Env = env
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // kill(-pgid) reaches the replicator too
	stdout, err := p.cmd.StdoutPipe()
	require.NoError(tb, err)
	p.cmd.Stderr = &lockedWriter{p: p}
	start := time.Now()
	require.NoError(tb, p.cmd.Start())
	tb.Cleanup(func() {
		syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.exited
		if tb.Failed() {
			tb.Logf("server logs:\n%s", p.logText())
		}
	})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.logs.WriteString(line + "\n")
			p.mu.Unlock()
			var m map[string]any
			if json.Unmarshal([]byte(line), &m) == nil && m["msg"] == "listening" {
				addr <- m["addr"].(string)
			}
		}
		p.cmd.Wait()
		close(p.exited)
	}()
	waitCtx, cancel := testContext(tb)
	defer cancel()
	select {
	case a := <-addr:
		p.URL = "http://" + a
	case <-p.exited:
		tb.Fatalf("server exited before listening:\n%s", p.logText())
	case <-waitCtx.Done():
		tb.Fatalf("server did not listen before the test's deadline:\n%s", p.logText())
	}
	for {
		resp, err := http.Get(p.URL + "/health/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case <-p.exited:
			tb.Fatalf("server exited before ready:\n%s", p.logText())
		case <-time.After(10 * time.Millisecond):
		}
	}
	p.readyAfter = time.Since(start)
	return p
}

type lockedWriter struct{ p *process }

func (w *lockedWriter) Write(b []byte) (int, error) {
	w.p.mu.Lock()
	defer w.p.mu.Unlock()
	return w.p.logs.Write(b)
}

func (p *process) logText() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.logs.String()
}

// killGroup SIGKILLs the server's whole process group and waits for it.
func (p *process) killGroup(tb testing.TB) {
	tb.Helper()
	require.NoError(tb, syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL))
	<-p.exited
}

// stop sends SIGTERM (a graceful stop, final sync included) and waits.
func (p *process) stop(tb testing.TB) {
	tb.Helper()
	require.NoError(tb, p.cmd.Process.Signal(syscall.SIGTERM))
	waitCtx, cancel := testContext(tb)
	defer cancel()
	select {
	case <-p.exited:
	case <-waitCtx.Done():
		tb.Fatalf("server did not stop before the test's deadline:\n%s", p.logText())
	}
	require.True(tb, p.cmd.ProcessState.Success(), "clean exit:\n%s", p.logText())
}

// restoreTook reads the restore duration from the server's log.
func (p *process) restoreTook(tb testing.TB) string {
	for _, line := range strings.Split(p.logText(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil && m["msg"] == "database restored from replica" {
			took, _ := m["took"].(string) // durations are logged as text ("123ms")
			return took
		}
	}
	tb.Fatalf("the server did not restore from the replica:\n%s", p.logText())
	return ""
}

// replication reads the replication check of /health.
func (p *process) replication(tb testing.TB) replica.Status {
	tb.Helper()
	resp, err := http.Get(p.URL + "/health")
	require.NoError(tb, err)
	defer resp.Body.Close()
	// Other checks' details may be plain strings (a database check that timed out under
	// load says so in words): decode only the replication one.
	var h struct {
		Checks map[string]struct {
			Status string
			Detail json.RawMessage
		}
	}
	require.NoError(tb, json.NewDecoder(resp.Body).Decode(&h))
	var st replica.Status
	require.NoError(tb, json.Unmarshal(h.Checks["replication"].Detail, &st), "%s", h.Checks["replication"].Detail)
	require.Equal(tb, replica.StateReplicating, st.State, "%+v", st)
	return st
}

// replicatorPID reads the child's pid from /health.
func (p *process) replicatorPID(tb testing.TB) int {
	tb.Helper()
	pid := p.replication(tb).PID
	require.NotZero(tb, pid)
	return pid
}

// waitGone waits until pid has exited (gone, or a zombie nobody reaps).
func waitGone(tb testing.TB, pid int) {
	tb.Helper()
	waitUntil(tb, fmt.Sprintf("replicator %d exits after the server died", pid), func() bool {
		raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			return true
		}
		f := strings.Fields(string(raw))
		return len(f) > 2 && f[2] == "Z"
	})
}
