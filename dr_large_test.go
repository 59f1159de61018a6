package main

import (
	"errors"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/replica/replicatest"
)

// TestDR_LargeAPIDatabase is the issue-10 drill's large case: a database of DR_API_RFQS
// RFQs (e.g. 50000) built through the API by six guests, then a machine lost while one
// guest keeps writing, and a new machine restoring it at boot. It asserts the RPO, that no
// reference number is issued twice after the restore, and logs the time to serve again.
// Building 50,000 RFQs through the API takes 7–10 minutes on a 2-core machine, so
// `make test` (CI) runs the same drill over 2,000 and `make drill` sets DR_API_RFQS=50000.
func TestDR_LargeAPIDatabase(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("a whole-program drill")
	}
	n, _ := strconv.Atoi(os.Getenv("DR_API_RFQS"))
	if n <= 0 {
		n = 2000
	}
	bin := mustBuildBinary(t)
	s3 := replicatest.StartS3(t)
	env := s3.Env("dr-drill-large")
	refs := issuedRefs{}

	srv := mustStartProcess(t, bin, t.TempDir(), env)
	start := time.Now()
	refs.add(t, mustBuildThroughAPI(t, srv, n, 6))
	t.Logf("%d RFQs through the API in %s", n, time.Since(start).Round(time.Second))

	w := newRFQWriter(t, srv)
	w.writeFor(1500*time.Millisecond + drRPO)
	refs.add(t, w.acks)
	killedAt := time.Now()
	srv.killGroup(t) // the machine is lost
	crashed := mustReadRFQs(t, srv.DBPath())
	fi, err := os.Stat(srv.DBPath())
	require.NoError(t, err)

	restored := mustStartProcess(t, bin, t.TempDir(), env)
	t.Logf("%d RFQs (%.0f MB) built through the API: restore %s, process start to ready %s",
		len(crashed), float64(fi.Size())/1e6, restored.restoreTook(t), restored.readyAfter.Round(time.Millisecond))
	mustSurviveVMLoss(t, w, crashed, mustReadRFQs(t, restored.DBPath()), killedAt, "large database")
	after := newRFQWriter(t, restored)
	after.writeFor(500 * time.Millisecond)
	refs.add(t, after.acks) // fails if a lost RFQ's number was handed out again
	restored.stop(t)
}

// mustBuildThroughAPI has `guests` guests submit n RFQs in all, concurrently, and returns
// every acknowledgement. Each guest stops at its first error; the test then fails.
func mustBuildThroughAPI(tb testing.TB, srv *process, n, guests int) []rfqAck {
	tb.Helper()
	var next atomic.Int64
	writers := make([]*rfqWriter, guests)
	errs := make([]error, guests)
	for g := range writers {
		writers[g] = newRFQWriter(tb, srv)
	}
	var wg sync.WaitGroup
	for g, w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1); i <= int64(n); i = next.Add(1) {
				ack, ok, err := w.submit(int(i))
				if err == nil && !ok {
					err = errNotAcknowledged
				}
				if err != nil {
					errs[g] = err
					return
				}
				w.acks = append(w.acks, ack)
			}
		}()
	}
	wg.Wait()
	var acks []rfqAck
	for g, w := range writers {
		require.NoError(tb, errs[g], "guest %d", g)
		acks = append(acks, w.acks...)
	}
	return acks
}

// errNotAcknowledged: the server answered without acknowledging the RFQ.
var errNotAcknowledged = errors.New("RFQ not acknowledged")
