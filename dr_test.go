package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
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
// Workload: guests submit RFQs through the API (add to cart, POST /api/rfq);
// a write is acknowledged when the server answered 201. The database also
// holds 10,000 older RFQs (inserted with SQL, a realistic size for the drill).
// Byte for byte: every restored RFQ row equals, column by column, the row in
// the crashed server's own database file.

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
	before := srv.replication(t).ReplicaTXID
	prefill := mustPrefillRFQs(t, srv.DBPath(), 10_000)
	waitFor(t, "the 10,000 RFQs to be replicated", func() bool {
		st := srv.replication(t)
		return st.ReplicaTXID > before && st.ReplicaTXID == st.LocalTXID
	})
	w := newRFQWriter(t, srv)
	// Stop at a random moment within the sync cycle, as a real crash would.
	w.writeFor(2*time.Second + rand.N(drRPO))
	killedAt := time.Now()
	srv.killGroup(t) // server and replicator at once, mid-write: the machine died
	crashed := mustReadRFQs(t, srv.DBPath())
	require.NoError(t, os.RemoveAll(dataDir))

	restored := mustStartProcess(t, bin, dataDir, env)
	fi, err := os.Stat(restored.DBPath())
	require.NoError(t, err)
	t.Logf("recovery time: %s from process start to ready (restore took %s) for %d RFQs, %.1f MB",
		restored.readyAfter.Round(time.Millisecond), restored.restoreTook(t), len(crashed), float64(fi.Size())/1e6)
	restored.stop(t)

	got := mustReadRFQs(t, restored.DBPath())
	lost, newest := w.compare(t, crashed, got)
	t.Logf("recovery point: %d of %d acknowledged RFQs lost; newest restored one acknowledged %s before the kill "+
		"(monitor = sync interval = %s)", len(lost), len(w.acks), killedAt.Sub(newest).Round(time.Millisecond), drRPO)
	for _, a := range lost {
		require.True(t, a.at.After(killedAt.Add(-drRPO-drSlack)),
			"RFQ %s acknowledged %s before the kill is lost", a.ref, killedAt.Sub(a.at))
	}
	require.GreaterOrEqual(t, len(got), prefill+len(w.acks)-len(lost))
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
	w := newRFQWriter(t, srv)
	child := srv.replicatorPID(t)
	stop := make(chan struct{})
	go func() { time.Sleep(1500 * time.Millisecond); close(stop) }()
	go func() { // kill the server mid-request
		<-stop
		syscall.Kill(srv.cmd.Process.Pid, syscall.SIGKILL) // only the server
	}()
	w.writeUntilError()
	<-srv.exited
	waitGone(t, child) // the replicator saw its stdin close, made its final sync and exited
	crashed := mustReadRFQs(t, srv.DBPath())
	require.NoError(t, os.RemoveAll(dataDir))

	restored := mustStartProcess(t, bin, dataDir, env)
	restored.stop(t)
	got := mustReadRFQs(t, restored.DBPath())
	lost, _ := w.compare(t, crashed, got)
	t.Logf("recovery point: %d of %d acknowledged RFQs lost when only the server crashed", len(lost), len(w.acks))
	require.Empty(t, lost, "the replicator outlives the server long enough to upload everything")
	require.Equal(t, len(crashed), len(got), "not even unacknowledged commits are lost")
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
		"LITESTREAM_MONITOR_INTERVAL="+drRPO.String(), "LITESTREAM_SYNC_INTERVAL="+drRPO.String(),
		// One test client sends hundreds of RFQs from one address.
		"RATE_LIMIT_API=1000000/1m", "RATE_LIMIT_RFQ=1000000/1m", "RATE_LIMIT_ACCOUNT=1000000/1m")
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

// replication reads the replication check of /health.
func (p *process) replication(tb testing.TB) replica.Status {
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
	require.Equal(tb, replica.StateReplicating, st.Detail.State, "%+v", st)
	return st.Detail
}

// replicatorPID reads the child's pid from /health.
func (p *process) replicatorPID(tb testing.TB) int {
	tb.Helper()
	pid := p.replication(tb).PID
	require.NotZero(tb, pid)
	return pid
}

// waitFor polls cond (a liveness bound, not a speed assertion).
func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
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

// rfqAck is one acknowledged RFQ: the server answered 201 at `at`.
type rfqAck struct {
	id, ref string
	at      time.Time
}

// rfqWriter is a guest who keeps submitting RFQs through the API.
type rfqWriter struct {
	tb        testing.TB
	base      string
	client    *http.Client
	productID string
	unit      string
	acks      []rfqAck
}

func newRFQWriter(tb testing.TB, srv *process) *rfqWriter {
	tb.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(tb, err)
	w := &rfqWriter{tb: tb, base: srv.URL, client: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
	resp, err := w.client.Get(w.base + "/api/products?limit=1")
	require.NoError(tb, err)
	defer resp.Body.Close()
	var list struct {
		Products []struct{ ID, BaseUnit string }
	}
	require.NoError(tb, json.NewDecoder(resp.Body).Decode(&list))
	require.NotEmpty(tb, list.Products, "the seeded catalog")
	w.productID, w.unit = list.Products[0].ID, list.Products[0].BaseUnit
	return w
}

// submit adds a product to the cart and sends the RFQ; ok is false when the
// server did not acknowledge it (it died mid-request).
func (w *rfqWriter) submit(i int) (rfqAck, bool, error) {
	post := func(path string, body any) (int, []byte, error) {
		raw, _ := json.Marshal(body)
		resp, err := w.client.Post(w.base+path, "application/json", bytes.NewReader(raw))
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, b, err
	}
	status, body, err := post("/api/cart/items", map[string]any{"productId": w.productID, "quantity": i%9 + 1, "unit": w.unit})
	if err != nil {
		return rfqAck{}, false, err
	} else if status != http.StatusCreated {
		return rfqAck{}, false, fmt.Errorf("add to cart: %d %s", status, body)
	}
	address := map[string]any{"street": fmt.Sprintf("Str. Depozitului %d", i), "city": "Cluj-Napoca", "county": "Cluj", "postalCode": "400001"}
	status, body, err = post("/api/rfq", map[string]any{
		"companyName": "SC Oțelul Roșu SRL", "contactPerson": "Ștefan Țăranu", "email": fmt.Sprintf("stefan+%d@example.ro", i),
		"phone": "0722123456", "billingAddress": address, "deliveryAddress": address,
		"notes": strings.Repeat(fmt.Sprintf("livrare %d — țevi și profile; ", i), 1+i%5),
	})
	if err != nil {
		return rfqAck{}, false, err
	} else if status != http.StatusCreated {
		return rfqAck{}, false, fmt.Errorf("submit RFQ: %d %s", status, body)
	}
	at := time.Now()
	var rfq struct{ ID, ReferenceNumber string }
	if err := json.Unmarshal(body, &rfq); err != nil {
		return rfqAck{}, false, err
	}
	return rfqAck{id: rfq.ID, ref: rfq.ReferenceNumber, at: at}, true, nil
}

// writeFor submits RFQs back to back for d; every one must succeed.
func (w *rfqWriter) writeFor(d time.Duration) {
	end := time.Now().Add(d)
	for i := len(w.acks); time.Now().Before(end); i++ {
		ack, ok, err := w.submit(i)
		require.NoError(w.tb, err)
		require.True(w.tb, ok)
		w.acks = append(w.acks, ack)
	}
}

// writeUntilError submits RFQs until the server stops answering.
func (w *rfqWriter) writeUntilError() {
	for i := len(w.acks); ; i++ {
		ack, ok, err := w.submit(i)
		if err != nil || !ok {
			return
		}
		w.acks = append(w.acks, ack)
	}
}

// compare checks that every restored RFQ equals the crashed server's row
// column for column, and that the restored ones are a contiguous prefix of
// the acknowledged ones. It returns the lost acknowledged RFQs and the
// acknowledgement time of the newest restored one.
func (w *rfqWriter) compare(tb testing.TB, crashed, restored map[string]string) (lost []rfqAck, newest time.Time) {
	tb.Helper()
	for id, row := range restored {
		require.Equal(tb, crashed[id], row, "RFQ %s restored byte for byte", id)
	}
	for _, a := range w.acks {
		require.Contains(tb, crashed, a.id, "an acknowledged RFQ is on the server's disk (synchronous=FULL)")
		if _, ok := restored[a.id]; !ok {
			lost = append(lost, a)
			continue
		}
		require.Empty(tb, lost, "restored database has a hole: %s is there but %s is not", a.ref, refOf(lost))
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

const insertRFQ = `INSERT INTO rfqs (id, reference_number, company_name, contact_person, email, phone,
	billing_address, delivery_address, notes, cart_snapshot, estimated_total, submitted_at, created_at, updated_at)
	VALUES (?, ?, 'SC Oțelul Roșu SRL', 'Ștefan Țăranu', 'stefan@example.ro', '0722123456',
	'{"street":"Str. Fabricii 1","city":"Cluj-Napoca"}', '{"street":"Str. Depozitului 2","city":"Cluj-Napoca"}', ?, ?, 1234.5, ?, ?, ?)`

// mustPrefillRFQs commits n older RFQs in one transaction straight into the
// server's database (another SQLite client of the same file, which is safe:
// locks work between processes) and returns n.
func mustPrefillRFQs(tb testing.TB, dbPath string, n int) int {
	tb.Helper()
	db, err := sql.Open("sqlite3", "file:"+dbPath+"?_journal_mode=WAL&_busy_timeout=10000&_synchronous=FULL&_txlock=immediate")
	require.NoError(tb, err)
	defer db.Close()
	tx, err := db.Begin()
	require.NoError(tb, err)
	stmt, err := tx.Prepare(insertRFQ)
	require.NoError(tb, err)
	now := time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	for i := 0; i < n; i++ {
		snapshot := fmt.Sprintf(`{"items":[{"sku":"TEAVA-%d","name":"Țeavă rectangulară 40×40×2 mm","quantity":%d,"unit":"m"}]}`, i, i%97+1)
		notes := strings.Repeat(fmt.Sprintf("livrare PRE-%d; ", i), 1+i%5)
		_, err := stmt.Exec("pre-"+strconv.Itoa(i), fmt.Sprintf("PRE-%07d", i), notes, snapshot, now, now, now)
		require.NoError(tb, err)
	}
	require.NoError(tb, stmt.Close())
	require.NoError(tb, tx.Commit())
	return n
}

// mustReadRFQs checks the database's integrity and returns every RFQ as the
// JSON of all its columns (and its items), by id.
func mustReadRFQs(tb testing.TB, path string) map[string]string {
	tb.Helper()
	db, err := sql.Open("sqlite3", "file:"+path)
	require.NoError(tb, err)
	defer db.Close()
	var check string
	require.NoError(tb, db.QueryRow(`PRAGMA integrity_check`).Scan(&check))
	require.Equal(tb, "ok", check, "%s passes PRAGMA integrity_check", path)
	rows, err := db.QueryContext(context.Background(), `SELECT r.*,
		(SELECT json_group_array(json_array(i.id, i.product_id, i.product_sku, i.product_name, i.quantity, i.unit, i.gross_price))
		   FROM rfq_items i WHERE i.rfq_id = r.id) AS items
		FROM rfqs r`)
	require.NoError(tb, err)
	defer rows.Close()
	cols, err := rows.Columns()
	require.NoError(tb, err)
	out := map[string]string{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(tb, rows.Scan(ptrs...))
		raw, err := json.Marshal(vals)
		require.NoError(tb, err)
		out[fmt.Sprint(vals[0])] = string(raw)
	}
	require.NoError(tb, rows.Err())
	return out
}
