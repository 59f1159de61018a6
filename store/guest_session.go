package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// GuestSessionStore keeps guest sessions (github.com/alexedwards/scs/v2) in the sessions table.
// It reads on the read pool and writes on the write pool, so looking up a guest's cookie on
// every request never queues behind the single writer.
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

// CommitCtx stores the session data for token until expiry.
func (s *GuestSessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	_, err := s.db.write.ExecContext(ctx,
		`INSERT INTO sessions(token, data, expiry) VALUES (?, ?, ?)
		 ON CONFLICT(token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`,
		token, b, unixSeconds(expiry))
	return err
}

// DeleteCtx removes the session for token.
func (s *GuestSessionStore) DeleteCtx(ctx context.Context, token string) error {
	_, err := s.db.write.ExecContext(ctx, `DELETE FROM sessions WHERE token = ?`, token)
	return err
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
