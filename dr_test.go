package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
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
	"github.com/metalpro/backend/replica/replicatest"
)

// The disaster-recovery proof: the real binary replicates to an S3-protocol
// server on loopback, dies, loses its disk, and a new server restores from
// S3 on boot.
//
// Workload: the API has no write endpoint yet, so the acknowledged writes
// are RFQ rows committed into the server's database file by this test
// process (another SQLite client of the same file, as safe as the server's
// own connections). When the RFQ endpoints land, plug an API workload into
// drWorkload: acknowledged = the server answered 201.

// drRPO is the replication setting under test: Litestream's defaults.
const drRPO = time.Second

// drSlack covers the upload after the sync tick and scheduling on a busy CI
// machine (race detector, 2 cores): a write acknowledged earlier than
// kill-(drRPO+drSlack) must survive.
const drSlack = 500 * time.Millisecond

func TestDR_KillEverything(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real binary")
	}
	bin := mustBuildBinary(t)
	s3 := replicatest.StartS3(t)
	env := s3.Env("dr-kill-all")

	dataDir := t.TempDir()
	srv := mustStartProcess(t, bin, dataDir, env)
	prefill := mustPrefillRFQs(t, srv.DBPath(), 10_000)
	w := newRFQWriter(t, srv.DBPath())
	// A random moment within the sync cycle, as a real crash would be.
	w.writeFor(2*time.Second + rand.N(drRPO))
	killedAt := time.Now()
	srv.killGroup(t) // server and replicator at once, mid-write: the machine died
	w.close()
	require.NoError(t, os.RemoveAll(dataDir))

	restored := mustStartProcess(t, bin, dataDir, env)
	fi, err := os.Stat(restored.DBPath())
	require.NoError(t, err)
	t.Logf("recovery time: %s from process start to ready (restore took %s) for %d RFQs, %.1f MB",
		restored.readyAfter.Round(time.Millisecond), restored.restoreTook(t), prefill+len(w.acks), float64(fi.Size())/1e6)
	restored.stop(t)

	got := mustReadRFQs(t, restored.DBPath())
	lost, newest := w.compare(t, got)
	gap := killedAt.Sub(newest)
	t.Logf("recovery point: %d of %d acknowledged writes lost; newest restored write committed %s before the kill "+
		"(monitor = sync interval = %s)", len(lost), len(w.acks), gap.Round(time.Millisecond), drRPO)
	for _, a := range lost {
		require.True(t, a.at.After(killedAt.Add(-drRPO-drSlack)),
			"write %s acknowledged %s before the kill is lost", a.ref, killedAt.Sub(a.at))
	}
	require.Equal(t, prefill+len(w.acks)-len(lost), len(got), "the restored database holds nothing else")
}

func TestDR_KillServerOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real binary")
	}
	bin := mustBuildBinary(t)
	s3 := replicatest.StartS3(t)
	env := s3.Env("dr-kill-server")

	dataDir := t.TempDir()
	srv := mustStartProcess(t, bin, dataDir, env)
	w := newRFQWriter(t, srv.DBPath())
	w.writeFor(2 * time.Second)
	w.close()
	child := srv.replicatorPID(t)
	require.NoError(t, syscall.Kill(srv.cmd.Process.Pid, syscall.SIGKILL)) // only the server
	<-srv.exited
	waitGone(t, child) // the replicator saw its stdin close, made its final sync and exited
	require.NoError(t, os.RemoveAll(dataDir))

	restored := mustStartProcess(t, bin, dataDir, env)
	restored.stop(t)
	got := mustReadRFQs(t, restored.DBPath())
	lost, _ := w.compare(t, got)
	t.Logf("recovery point: %d of %d acknowledged writes lost when only the server crashed", len(lost), len(w.acks))
	require.Empty(t, lost, "the replicator outlives the server long enough to upload everything")
}

// --- the real binary as a process ---

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
		args := []string{"build", "-tags", "sqlite_fts5", "-o", buildPath}
		if raceEnabled {
			args = append(args, "-race")
		}
		out, err := exec.Command("go", append(args, ".")...).CombinedOutput()
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
		"LITESTREAM_MONITOR_INTERVAL="+drRPO.String(), "LITESTREAM_SYNC_INTERVAL="+drRPO.String())
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
	select {
	case a := <-addr:
		p.URL = "http://" + a
	case <-p.exited:
		tb.Fatalf("server exited before listening:\n%s", p.logText())
	case <-time.After(2 * time.Minute):
		tb.Fatalf("server did not listen within 2 minutes:\n%s", p.logText())
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
	select {
	case <-p.exited:
	case <-time.After(2 * time.Minute):
		tb.Fatalf("server did not stop:\n%s", p.logText())
	}
	require.True(tb, p.cmd.ProcessState.Success(), "clean exit:\n%s", p.logText())
}

// restoreTook reads the restore duration from the server's log.
func (p *process) restoreTook(tb testing.TB) string {
	for _, line := range strings.Split(p.logText(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil && m["msg"] == "database restored from replica" {
			return fmt.Sprint(time.Duration(m["took"].(float64)))
		}
	}
	tb.Fatalf("the server did not restore from the replica:\n%s", p.logText())
	return ""
}

// replicatorPID reads the child's pid from /health.
func (p *process) replicatorPID(tb testing.TB) int {
	tb.Helper()
	resp, err := http.Get(p.URL + "/health")
	require.NoError(tb, err)
	defer resp.Body.Close()
	var h struct {
		Checks map[string]struct {
			Status string
			Detail replica.Status
		}
	}
	require.NoError(tb, json.NewDecoder(resp.Body).Decode(&h))
	st := h.Checks["replication"]
	require.Equal(tb, "ok", st.Status)
	require.Equal(tb, replica.StateReplicating, st.Detail.State)
	require.NotZero(tb, st.Detail.PID)
	return st.Detail.PID
}

// waitGone waits until pid has exited (gone, or a zombie nobody reaps).
func waitGone(tb testing.TB, pid int) {
	tb.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			return
		}
		if f := strings.Fields(string(raw)); len(f) > 2 && f[2] == "Z" {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	tb.Fatalf("replicator %d still running a minute after the server died", pid)
}

// --- the workload ---

// rfqAck is one acknowledged write: the row as written, and when its commit returned.
type rfqAck struct {
	ref, snapshot, notes string
	at                   time.Time
}

// rfqWriter commits RFQs one transaction each into the server's database.
type rfqWriter struct {
	tb   testing.TB
	db   *sql.DB
	acks []rfqAck
}

func openAppDB(tb testing.TB, path string) *sql.DB {
	tb.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_busy_timeout=10000&_synchronous=FULL&_txlock=immediate")
	require.NoError(tb, err)
	db.SetMaxOpenConns(1)
	return db
}

func newRFQWriter(tb testing.TB, dbPath string) *rfqWriter {
	return &rfqWriter{tb: tb, db: openAppDB(tb, dbPath)}
}

const insertRFQ = `INSERT INTO rfqs (id, reference_number, company_name, contact_person, email, phone,
	billing_address, delivery_address, notes, cart_snapshot, estimated_total, submitted_at, created_at, updated_at)
	VALUES (?, ?, 'SC Oțelul Roșu SRL', 'Ștefan Țăranu', 'stefan@example.ro', '+40 721 000 000',
	'Str. Fabricii 1, Cluj-Napoca', 'Str. Depozitului 2, Cluj-Napoca', ?, ?, 1234.5, ?, ?, ?)`

func rfqRow(ref string, i int) (snapshot, notes string) {
	snapshot = fmt.Sprintf(`{"items":[{"sku":"TEAVA-%d","name":"Țeavă rectangulară 40×40×2 mm","quantity":%d,"unit":"m"}]}`, i, i%97+1)
	notes = strings.Repeat(fmt.Sprintf("livrare %s; ", ref), 1+i%5)
	return
}

// writeFor commits RFQs back to back for d (about 200 a second).
func (w *rfqWriter) writeFor(d time.Duration) {
	end := time.Now().Add(d)
	for i := len(w.acks); time.Now().Before(end); i++ {
		ref := fmt.Sprintf("DR-%07d", i)
		snapshot, notes := rfqRow(ref, i)
		now := time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
		_, err := w.db.Exec(insertRFQ, fmt.Sprintf("dr-%d", i), ref, notes, snapshot, now, now, now)
		require.NoError(w.tb, err)
		w.acks = append(w.acks, rfqAck{ref: ref, snapshot: snapshot, notes: notes, at: time.Now()})
		time.Sleep(5 * time.Millisecond)
	}
}

func (w *rfqWriter) close() { w.db.Close() }

// compare checks the restored rows byte for byte and that they are a
// contiguous prefix of the acknowledged writes; it returns the lost writes
// and the commit time of the newest restored one.
func (w *rfqWriter) compare(tb testing.TB, got map[string][2]string) (lost []rfqAck, newest time.Time) {
	tb.Helper()
	for _, a := range w.acks {
		row, ok := got[a.ref]
		if !ok {
			lost = append(lost, a)
			continue
		}
		require.Empty(tb, lost, "restored database has a hole: %s is there but %s is not", a.ref, refOf(lost))
		require.Equal(tb, [2]string{a.snapshot, a.notes}, row, "RFQ %s restored byte for byte", a.ref)
		newest = a.at
	}
	return lost, newest
}

func refOf(a []rfqAck) string {
	if len(a) == 0 {
		return ""
	}
	return a[0].ref
}

// mustPrefillRFQs commits n RFQs in one transaction (a realistic database
// size for the drill) and returns n.
func mustPrefillRFQs(tb testing.TB, dbPath string, n int) int {
	tb.Helper()
	db := openAppDB(tb, dbPath)
	defer db.Close()
	tx, err := db.Begin()
	require.NoError(tb, err)
	stmt, err := tx.Prepare(insertRFQ)
	require.NoError(tb, err)
	now := time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	for i := 0; i < n; i++ {
		ref := fmt.Sprintf("PRE-%07d", i)
		snapshot, notes := rfqRow(ref, i)
		_, err := stmt.Exec("pre-"+strconv.Itoa(i), ref, notes, snapshot, now, now, now)
		require.NoError(tb, err)
	}
	require.NoError(tb, stmt.Close())
	require.NoError(tb, tx.Commit())
	return n
}

// mustReadRFQs checks the restored database's integrity and returns its
// RFQs by reference: [cart_snapshot, notes].
func mustReadRFQs(tb testing.TB, path string) map[string][2]string {
	tb.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	require.NoError(tb, err)
	defer db.Close()
	var check string
	require.NoError(tb, db.QueryRow(`PRAGMA integrity_check`).Scan(&check))
	require.Equal(tb, "ok", check, "restored database passes PRAGMA integrity_check")
	rows, err := db.QueryContext(context.Background(), `SELECT reference_number, cart_snapshot, notes FROM rfqs`)
	require.NoError(tb, err)
	defer rows.Close()
	out := map[string][2]string{}
	for rows.Next() {
		var ref, snap, notes string
		require.NoError(tb, rows.Scan(&ref, &snap, &notes))
		out[ref] = [2]string{snap, notes}
	}
	require.NoError(tb, rows.Err())
	return out
}
