//go:build linux || darwin || freebsd

package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// dataDirLock is an exclusive lock on the data dir, held by serve for its whole life: two
// servers on one database would each run a replicator onto the same replica, and each
// would take the other's files for the leftovers of a crash.
type dataDirLock struct{ f *os.File }

// lockFileName is the lock file inside the data dir; it holds the owner's pid.
const lockFileName = ".metalpro.lock"

// errDataDirInUse means another process holds the data dir's lock.
var errDataDirInUse = errors.New("data dir in use")

// lockDataDir takes the data dir's lock without waiting. Before that it checks the folder
// is writable, so a read-only volume is named as such instead of surfacing later as a
// file the server cannot remove.
func lockDataDir(dir string) (*dataDirLock, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, notWritable(dir, err)
	}
	probe, err := os.CreateTemp(dir, ".metalpro-write-check-*")
	if err != nil {
		return nil, notWritable(dir, err)
	}
	probe.Close()
	os.Remove(probe.Name())

	path := filepath.Join(dir, lockFileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, notWritable(dir, err)
	}
	// flock, not a pid file alone: the kernel drops the lock when the holder dies, even by
	// kill -9, so a crash never leaves a lock someone must remove by hand.
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		raw, _ := os.ReadFile(path)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: another metalpro process (%s) is using %s; stop it first, "+
				"or give this one its own DATA_DIR", errDataDirInUse, owner(raw), dir)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &dataDirLock{f: f}, nil
}

// owner describes the lock holder from the lock file's content.
func owner(raw []byte) string {
	if pid, err := strconv.Atoi(strings.TrimSpace(string(raw))); err == nil && pid > 0 {
		return "pid " + strconv.Itoa(pid)
	}
	return "pid unknown"
}

// Unlock releases the lock; the file stays (removing it would race with a new owner).
func (l *dataDirLock) Unlock() {
	if l == nil || l.f == nil {
		return
	}
	_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	l.f.Close()
}

// notWritable names the real problem with a data dir the server cannot write to.
func notWritable(dir string, err error) error {
	reason := err.Error()
	switch {
	case errors.Is(err, syscall.EROFS):
		reason = "it is on a read-only filesystem (check the volume mount)"
	case errors.Is(err, fs.ErrPermission):
		reason = fmt.Sprintf("permission denied for user id %d (check the folder's owner and mode)", os.Geteuid())
	}
	return fmt.Errorf("data dir %s is not writable: %s; the server keeps its database, "+
		"its lock and local emails there (DATA_DIR)", dir, reason)
}
