package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"time"
)

// GuestSessionStore keeps guest sessions (github.com/alexedwards/scs/v2) in the sessions table.
// It reads on the read pool, so looking up a guest's cookie on every request never queues
// behind the single writer; and it writes through db.Write only when something changed
// (see CommitCtx), so a guest's read-only request does not wait for the writer either.
type GuestSessionStore struct{ db *DB }

// GuestSessionStore returns the scs store backed by this database.
func (db *DB) GuestSessionStore() *GuestSessionStore { return &GuestSessionStore{db: db} }

// FindCtx returns the session data for token, if it exists and has not expired.
func (s *GuestSessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var data []byte
	err := s.db.read.QueryRowContext(ctx,
		`SELECT data FROM sessions WHERE token = ? AND expiry > ?`, token, unixSeconds(s.db.Now())).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return data, true, nil
}

// sessionRefreshEvery is how stale a stored idle expiry may get before a request
// refreshes it. The session manager re-commits the session on every request to push the
// idle timeout (30 days) forward; writing that on each read would make every guest page
// view a write. Refreshing at most hourly costs an idle guest under an hour of 30 days.
const sessionRefreshEvery = time.Hour

// CommitCtx stores the session data for token until expiry: in the request's write when
// the session was joined to it (JoinWrite), else in a write of its own, skipped when the
// stored session has the same data and an expiry only a little older (refreshEvery).
func (s *GuestSessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	if tx := joinedTx(ctx); tx != nil {
		return upsertSession(ctx, tx, token, b, expiry)
	}
	if s.unchanged(ctx, token, b, expiry) {
		return nil
	}
	return s.db.Write(ctx, func(tx *Tx) error { return upsertSession(ctx, tx, token, b, expiry) })
}

func upsertSession(ctx context.Context, tx *Tx, token string, b []byte, expiry time.Time) error {
	_, err := tx.ExecContext(ctx,
		`INSERT INTO sessions(token, data, expiry) VALUES (?, ?, ?)
		 ON CONFLICT(token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`,
		token, b, unixSeconds(expiry))
	return err
}

// unchanged reports whether the stored session for token already says what a commit
// would write, up to a fresh-enough expiry. Any doubt (a read error) means "write it".
func (s *GuestSessionStore) unchanged(ctx context.Context, token string, b []byte, expiry time.Time) bool {
	var data []byte
	var stored float64
	err := s.db.read.QueryRowContext(ctx, `SELECT data, expiry FROM sessions WHERE token = ?`, token).Scan(&data, &stored)
	if err != nil || !bytes.Equal(data, b) {
		return false
	}
	behind := unixSeconds(expiry) - stored
	return behind >= 0 && behind < refreshEvery(time.Until(expiry)).Seconds()
}

// refreshEvery is how stale a session's stored expiry may get when the session lives for
// idle more (scs computes expiries from the wall clock): sessionRefreshEvery, or a tenth of the idle time for short-lived sessions (a
// staff session idles out after 2 hours; refreshing it hourly would sign out someone
// still at work after 1 hour of the 2).
func refreshEvery(idle time.Duration) time.Duration {
	return max(min(sessionRefreshEvery, idle/10), 0)
}

// DeleteCtx removes the session for token.
func (s *GuestSessionStore) DeleteCtx(ctx context.Context, token string) error {
	return s.db.Write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token = ?`, token)
		return err
	})
}

// Find is the context-free form scs also requires.
func (s *GuestSessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit is the context-free form scs also requires.
func (s *GuestSessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete is the context-free form scs also requires.
func (s *GuestSessionStore) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}

func unixSeconds(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }
