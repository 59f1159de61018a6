package main

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestGroupCommit_AcknowledgedRFQSurvivesSIGKILL: guests submit RFQs in parallel, so the
// server commits them in shared batches; the server is SIGKILLed right after the 40th
// 201. Every RFQ it acknowledged, with its items, is in the database after a restart:
// a 201 is sent only once the commit holding the RFQ is on disk.
func TestGroupCommit_AcknowledgedRFQSurvivesSIGKILL(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and kills the real binary")
	}
	bin := mustBuildBinary(t)
	dataDir := t.TempDir()
	srv := mustStartProcess(t, bin, dataDir, nil)

	const guests, killAfter = 8, 40
	writers := make([]*rfqWriter, guests)
	for i := range writers {
		writers[i] = newRFQWriter(t, srv)
	}
	acks := make(chan rfqAck, 10_000)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for g, w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g * 1000; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				ack, ok, err := w.submit(i)
				if err != nil || !ok {
					return // the server died mid-request: not acknowledged
				}
				acks <- ack
			}
		}()
	}
	var acked []rfqAck
	for len(acked) < killAfter {
		acked = append(acked, <-acks)
	}
	srv.killGroup(t) // right after the 201: no graceful stop, no final checkpoint
	close(stop)
	wg.Wait()
	close(acks)
	for a := range acks {
		acked = append(acked, a) // 201s that raced the kill count too
	}

	again := mustStartProcess(t, bin, dataDir, nil)
	again.stop(t)
	got := mustReadRFQs(t, again.DBPath())
	for _, a := range acked {
		require.Contains(t, got, a.id, "acknowledged RFQ %s is there after the restart", a.ref)
		require.Contains(t, got[a.id], writers[0].productID, "RFQ %s kept its items", a.ref)
	}
	t.Logf("%d RFQs acknowledged before the SIGKILL, %d in the database after the restart", len(acked), len(got))
}
