package replica

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The lag is "now minus the commit time of the oldest transaction not yet in
// the replica": it must grow while uploads do not happen (a stall or an
// outage, which the old measure reported as 0) and return to 0 once an
// upload covers every commit.
func TestLagTracker_OldestUnreplicatedCommit(t *testing.T) {
	wal := filepath.Join(t.TempDir(), "db-wal")
	require.NoError(t, os.WriteFile(wal, []byte("header"), 0o600))
	t0 := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	commit := func(ms int) {
		f, err := os.OpenFile(wal, os.O_APPEND|os.O_WRONLY, 0)
		require.NoError(t, err)
		_, err = f.WriteString("frame")
		require.NoError(t, err)
		require.NoError(t, f.Close())
		require.NoError(t, os.Chtimes(wal, at(ms), at(ms)))
	}
	lagAt := func(tr *lagTracker, now time.Time) time.Duration {
		s := tr.state()
		if s.OldestPending.IsZero() {
			return 0
		}
		return now.Sub(s.OldestPending)
	}

	tr := newLagTracker(wal, at(0))
	tr.sample(at(50))
	require.Equal(t, 50*time.Millisecond, lagAt(tr, at(50)), "nothing is replicated before the first upload")
	tr.uploaded(at(0), at(55))
	require.Zero(t, lagAt(tr, at(60)), "nothing written since: caught up")

	commit(60)
	tr.sample(at(100)) // seen at 100, committed after the sample at 50
	commit(120)
	tr.sample(at(150))
	require.Equal(t, 950*time.Millisecond, lagAt(tr, at(1000)), "the first unreplicated commit counts, conservatively from the sample before it")

	// A conversion that started at 130 and was then uploaded covers what was
	// seen by 100, not what was seen at 150.
	tr.uploaded(at(130), at(400))
	require.Equal(t, 900*time.Millisecond, lagAt(tr, at(1000)))
	require.Equal(t, at(400), tr.state().LastUploadAt)

	// Uploads fail: the lag keeps growing and the failure is reported at once.
	tr.uploadFailed(os.ErrDeadlineExceeded, at(1100))
	tr.uploadFailed(os.ErrDeadlineExceeded, at(2100))
	s := tr.state()
	require.Equal(t, at(1100), s.FailingSince, "the first failure since the last success")
	require.Equal(t, 20*time.Second-100*time.Millisecond, lagAt(tr, at(20000)))

	tr.uploaded(at(20000), at(20300))
	require.Zero(t, lagAt(tr, at(20400)), "everything seen before the conversion started is replicated")
	require.True(t, tr.state().FailingSince.IsZero())
}

// A long outage must not grow memory without bound, and merging must never
// make the lag look smaller.
func TestLagTracker_CoalesceKeepsTheOldestCommit(t *testing.T) {
	wal := filepath.Join(t.TempDir(), "db-wal")
	require.NoError(t, os.WriteFile(wal, nil, 0o600))
	t0 := time.Now()
	tr := newLagTracker(wal, t0)
	tr.uploaded(t0, t0)
	for i := 1; i <= 3*maxPendingChanges; i++ {
		require.NoError(t, os.WriteFile(wal, make([]byte, i), 0o600))
		tr.sample(t0.Add(time.Duration(i) * time.Millisecond))
	}
	require.LessOrEqual(t, len(tr.pending), maxPendingChanges)
	require.Equal(t, t0, tr.state().OldestPending, "the oldest change's commit time survives every merge")
	tr.uploaded(t0.Add(time.Duration(3*maxPendingChanges)*time.Millisecond), t0.Add(time.Hour))
	require.True(t, tr.state().OldestPending.IsZero())
}
