package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// SessionStore keeps guest sessions (github.com/alexedwards/scs/v2) in the sessions table.
// It reads on the read pool and writes on the write pool, so looking up a guest's cookie on
// every request never queues behind the single writer.
type SessionStore struct{ db *DB }

// SessionStore returns the scs store backed by this database.
func (db *DB) SessionStore() *SessionStore { return &SessionStore{db: db} }

// FindCtx returns the session data for token, if it exists and has not expired.
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
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

// CommitCtx stores the session data for token until expiry.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	_, err := s.db.write.ExecContext(ctx,
		`INSERT INTO sessions(token, data, expiry) VALUES (?, ?, ?)
		 ON CONFLICT(token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`,
		token, b, unixSeconds(expiry))
	return err
}

// DeleteCtx removes the session for token.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	_, err := s.db.write.ExecContext(ctx, `DELETE FROM sessions WHERE token = ?`, token)
	return err
}

// Find is the context-free form scs also requires.
func (s *SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit is the context-free form scs also requires.
func (s *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete is the context-free form scs also requires.
func (s *SessionStore) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}

func unixSeconds(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }
