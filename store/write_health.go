package store

import (
	"errors"
	"sync"
	"syscall"
	"time"

	"github.com/mattn/go-sqlite3"
)

// DefaultWriteWait is how long a write waits for the database before it answers
// unavailable. Long enough for the replicator's checkpoint (it holds the write lock
// briefly), short enough that a stuck lock gives quick 503s instead of a queue of timeouts.
const DefaultWriteWait = 5 * time.Second

// Retry hints sent with the errors below: a lock usually clears in seconds, a full disk
// needs someone to free space.
const (
	busyRetryAfter = 5 * time.Second
	fullRetryAfter = time.Minute
)

// errWriteBusy is a write that could not get the database within the write wait.
func errWriteBusy(cause error) *Error {
	return &Error{Code: ECodeUnavailable, RetryAfter: busyRetryAfter, Err: cause, Message: Text{
		RO: "Baza de date este ocupată momentan. Te rugăm să încerci din nou în câteva secunde.",
		EN: "The database is busy right now. Please try again in a few seconds.",
	}}
}

// errStorageFull is a write that failed for lack of disk space.
func errStorageFull(cause error) *Error {
	return &Error{Code: ECodeStorageFull, RetryAfter: fullRetryAfter, Err: cause, Message: Text{
		RO: "Serverul nu mai are spațiu de stocare. Modificarea nu a fost salvată; te rugăm să încerci mai târziu.",
		EN: "The server is out of storage space. The change was not saved; please try again later.",
	}}
}

// Classify turns SQLite's "database is locked" and "disk is full" (and ENOSPC) into the
// store's unavailable and storage_full errors; any other error is returned as it is.
func Classify(err error) error {
	if err == nil {
		return nil
	}
	var se *Error
	if errors.As(err, &se) {
		return err
	}
	var sq sqlite3.Error
	if errors.As(err, &sq) {
		switch sq.Code {
		case sqlite3.ErrBusy, sqlite3.ErrLocked:
			return errWriteBusy(err)
		case sqlite3.ErrFull:
			return errStorageFull(err)
		}
	}
	if errors.Is(err, syscall.ENOSPC) {
		return errStorageFull(err)
	}
	return err
}

// WriteHealth is what /health reports about writes: OK until a write fails for lack of
// the database (lock or space), and again after the next write that succeeds.
type WriteHealth struct {
	OK            bool      `json:"ok"`
	LastErrorCode string    `json:"lastErrorCode,omitempty"`
	LastError     string    `json:"lastError,omitempty"`
	LastErrorAt   time.Time `json:"lastErrorAt,omitzero"`
}

// writeState remembers the last write's outcome for WriteHealth.
type writeState struct {
	mu      sync.Mutex
	failing bool
	code    string
	detail  string
	at      time.Time
}

// record notes a write's outcome; only errors that say the database itself cannot take
// writes count (a validation error or a conflict says nothing about the database).
func (w *writeState) record(err error) {
	code := ErrorCode(err)
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case err == nil:
		w.failing = false
	case code == ECodeStorageFull:
		w.failing, w.code, w.at = true, code, time.Now().UTC().Truncate(time.Millisecond)
		w.detail = "the last write failed: no space left for the database"
	case code == ECodeUnavailable && isBusy(err):
		w.failing, w.code, w.at = true, code, time.Now().UTC().Truncate(time.Millisecond)
		w.detail = "the last write could not get the database write lock (another process holds it)"
	}
}

func isBusy(err error) bool {
	var sq sqlite3.Error
	return errors.As(err, &sq) && (sq.Code == sqlite3.ErrBusy || sq.Code == sqlite3.ErrLocked) ||
		errors.Is(err, errWriteQueueFull)
}

// WriteHealth reports whether the last write failed for lack of the database.
func (db *DB) WriteHealth() WriteHealth {
	db.writes.mu.Lock()
	defer db.writes.mu.Unlock()
	if !db.writes.failing {
		return WriteHealth{OK: true}
	}
	return WriteHealth{LastErrorCode: db.writes.code, LastError: db.writes.detail, LastErrorAt: db.writes.at}
}
