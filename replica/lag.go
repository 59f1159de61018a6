package replica

import (
	"os"
	"sync"
	"time"
)

// lagTracker measures replication lag as the issue defines it: now minus the
// commit time of the oldest transaction that is not yet in the replica, 0
// when the replica has everything.
//
// The replicator cannot see commits directly, but every commit writes the
// WAL file. An observer samples the WAL's (size, mtime) every sample
// interval: a change seen at sample k was committed after sample k-1, so
// sample k-1's time is a conservative commit time (it overstates the lag by
// at most one interval, never understates it). The sync loop records when
// each conversion of the WAL to LTX started; once an upload that includes
// that conversion succeeds, every change seen before the conversion started
// is in the replica. The observer runs beside the sync loop, so a sync that
// hangs (a write lock it cannot get, an S3 that does not answer) shows as a
// growing lag instead of a frozen 0.
type lagTracker struct {
	walPath string

	mu       sync.Mutex
	lastSig  walSig
	lastAt   time.Time
	pending  []walChange // oldest first; only changes seen after replicated
	covered  time.Time   // every change seen at or before this is replicated
	uploadAt time.Time   // last successful upload
	failing  time.Time   // first failed upload since the last success
	failErr  string
}

type walSig struct {
	size  int64
	mtime time.Time
}

type walChange struct {
	committedBy time.Time // the commit happened after this (the previous sample)
	seenAt      time.Time
}

// newLagTracker starts with one pending change dated now: what the replicator found at
// start (a re-base's snapshot, commits made while it was down) is not in the replica until
// the first upload, so the lag counts from the start until then.
func newLagTracker(walPath string, now time.Time) *lagTracker {
	t := &lagTracker{walPath: walPath}
	t.lastSig, _ = statWAL(walPath)
	t.lastAt, t.covered = now, now.Add(-time.Nanosecond)
	t.pending = []walChange{{committedBy: now, seenAt: now}}
	return t
}

func statWAL(path string) (walSig, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return walSig{}, err
	}
	return walSig{size: fi.Size(), mtime: fi.ModTime()}, nil
}

// sample looks at the WAL once; call it every sample interval.
func (t *lagTracker) sample(now time.Time) {
	sig, err := statWAL(t.walPath)
	t.mu.Lock()
	defer t.mu.Unlock()
	if err == nil && sig != t.lastSig {
		if len(t.pending) >= maxPendingChanges {
			t.pending = coalesce(t.pending)
		}
		t.pending = append(t.pending, walChange{committedBy: t.lastAt, seenAt: now})
		t.lastSig = sig
	}
	t.lastAt = now
}

// uploaded records a successful upload of everything converted by the
// WAL-to-LTX sync that started at convertedFrom.
func (t *lagTracker) uploaded(convertedFrom, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if convertedFrom.After(t.covered) {
		t.covered = convertedFrom
	}
	i := 0
	for i < len(t.pending) && !t.pending[i].seenAt.After(t.covered) {
		i++
	}
	t.pending = t.pending[i:]
	t.uploadAt, t.failing, t.failErr = now, time.Time{}, ""
}

// uploadFailed records a failed upload attempt.
func (t *lagTracker) uploadFailed(err error, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.failing.IsZero() {
		t.failing = now
	}
	t.failErr = err.Error()
}

// lagState is what the tracker reports on the status pipe.
type lagState struct {
	OldestPending time.Time // commit time of the oldest unreplicated transaction; zero when caught up
	LastUploadAt  time.Time
	FailingSince  time.Time
	FailError     string
}

func (t *lagTracker) state() lagState {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := lagState{LastUploadAt: t.uploadAt, FailingSince: t.failing, FailError: t.failErr}
	if len(t.pending) > 0 {
		s.OldestPending = t.pending[0].committedBy
	}
	return s
}

// maxPendingChanges bounds the memory a long outage can take (one entry per
// sample with writes: 10 a second).
const maxPendingChanges = 4096

// coalesce merges neighbouring changes two by two, keeping the earlier commit
// time and the later sighting: the merged change counts as replicated only
// when both were, so the lag can only be overstated, by at most the span of
// the pair.
func coalesce(a []walChange) []walChange {
	out := a[:0]
	for i := 0; i < len(a); i += 2 {
		c := a[i]
		if i+1 < len(a) {
			c.seenAt = a[i+1].seenAt
		}
		out = append(out, c)
	}
	return out
}
