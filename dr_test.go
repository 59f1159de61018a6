package main

import (
	"math/rand/v2"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

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
// machine (2 cores, other test packages running beside this one): a write
// acknowledged earlier than kill-(drRPO+drSlack) must survive. Measured lag on
// a quiet machine stays under 1.1 s; 1.6 s was seen once with the CPU saturated.
const drSlack = 1500 * time.Millisecond

func TestDR_KillEverything(t *testing.T) {
	t.Parallel()
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
	waitUntil(t, "the 10,000 RFQs to be replicated", func() bool {
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
	lost, newest, _ := w.compare(t, crashed, got)
	t.Logf("recovery point: %d of %d acknowledged RFQs lost; newest restored one acknowledged %s before the kill "+
		"(monitor = sync interval = %s)", len(lost), len(w.acks), killedAt.Sub(newest).Round(time.Millisecond), drRPO)
	for _, a := range lost {
		require.True(t, a.at.After(killedAt.Add(-drRPO-drSlack)),
			"RFQ %s acknowledged %s before the kill is lost", a.ref, killedAt.Sub(a.at))
	}
	require.GreaterOrEqual(t, len(got), prefill+len(w.acks)-len(lost))
}

func TestDR_KillServerOnly(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and kills the real binary")
	}
	bin := mustBuildBinary(t)
	s3 := replicatest.StartS3(t)
	env := s3.Env("dr-kill-server")

	dataDir := t.TempDir()
	srv := mustStartProcess(t, bin, dataDir, env)
	w := writeUntilServerKilled(t, srv, 1500*time.Millisecond)
	crashed := mustReadRFQs(t, srv.DBPath())
	require.NoError(t, os.RemoveAll(dataDir))

	restored := mustStartProcess(t, bin, dataDir, env)
	restored.stop(t)
	got := mustReadRFQs(t, restored.DBPath())
	lost, _, inFlight := w.compare(t, crashed, got)
	t.Logf("recovery point: %d of %d acknowledged RFQs lost when only the server crashed (%d in-flight commit in the replica only)",
		len(lost), len(w.acks), inFlight)
	require.Empty(t, lost, "the replicator outlives the server long enough to upload everything")
	require.Equal(t, len(crashed), len(got)-inFlight, "not even unacknowledged commits are lost")
}

// TestDR_KillServerThenRestartInPlace is the common production crash: the
// server dies, systemd or Fly restarts it on the same disk, customers go on
// writing, and later the machine is lost. The replica must then hold exactly
// the local database: every RFQ from before and after the crash, nothing the
// local file does not have, no reference number twice.
func TestDR_KillServerThenRestartInPlace(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and kills the real binary")
	}
	bin := mustBuildBinary(t)
	s3 := replicatest.StartS3(t)
	env := s3.Env("dr-restart-in-place")

	dataDir := t.TempDir()
	srv := mustStartProcess(t, bin, dataDir, env)
	before := writeUntilServerKilled(t, srv, time.Second)

	again := mustStartProcess(t, bin, dataDir, env) // same disk: no restore
	after := newRFQWriter(t, again)
	after.writeFor(time.Second)
	again.stop(t) // clean stop: drain, final sync
	local := mustReadRFQs(t, again.DBPath())

	elsewhere := mustStartProcess(t, bin, t.TempDir(), env) // the machine is lost
	elsewhere.stop(t)
	got := mustReadRFQs(t, elsewhere.DBPath())

	require.Equal(t, local, got, "the replica is the local database, row for row")
	for _, a := range append(before.acks, after.acks...) {
		require.Contains(t, got, a.id, "acknowledged RFQ %s", a.ref)
	}
	t.Logf("%d RFQs before the crash, %d after the restart; replica equals the local file", len(before.acks), len(after.acks))
}

// writeUntilServerKilled has a guest submit RFQs while only the server is
// SIGKILLed after d, mid-request, and returns once the replicator has seen its
// stdin close, made its final sync and exited.
func writeUntilServerKilled(t *testing.T, srv *process, d time.Duration) *rfqWriter {
	t.Helper()
	w := newRFQWriter(t, srv)
	child := srv.replicatorPID(t)
	go func() {
		time.Sleep(d)
		syscall.Kill(srv.cmd.Process.Pid, syscall.SIGKILL) // only the server
	}()
	w.writeUntilError()
	<-srv.exited
	waitGone(t, child)
	return w
}
