package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// AuthSession is one signed-in device: the row behind a pair of access and refresh tokens.
// Only the SHA-256 hashes of the tokens are stored.
type AuthSession struct {
	ID               string
	UserID           string
	TokenHash        string    // SHA-256 of the current access token
	RefreshTokenHash string    // SHA-256 of the current refresh token
	ExpiresAt        time.Time // the access token's expiry
	RefreshExpiresAt time.Time // the refresh token's expiry
	LastSeenAt       time.Time // last authenticated request, for the idle timeout
	IPAddress        string
	UserAgent        string
	CreatedAt        time.Time
}

// ErrSessionEnded is the answer to a token whose session is gone, expired or idle.
var ErrSessionEnded = Errorf(ECodeUnauth,
	"Sesiunea a expirat. Te rugăm să te autentifici din nou.",
	"Your session has ended. Please sign in again.")

// CreateSession stores a new session (the caller made its id and tokens).
func (db *DB) CreateSession(ctx context.Context, s AuthSession) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO auth_sessions
			(id, user_id, token_hash, refresh_token_hash, expires_at, refresh_expires_at, last_seen_at, ip_address, user_agent, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			s.ID, s.UserID, s.TokenHash, s.RefreshTokenHash, FormatTime(s.ExpiresAt), FormatTime(s.RefreshExpiresAt),
			FormatTime(tx.Now), truncate(s.IPAddress, 64), truncate(s.UserAgent, 256), FormatTime(tx.Now))
		return err
	})
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

const authSessionColumns = `id, user_id, token_hash, refresh_token_hash, expires_at, refresh_expires_at, last_seen_at, created_at`

func scanAuthSession(row rowScanner) (*AuthSession, error) {
	var s AuthSession
	var refresh, refreshExp, lastSeen sql.NullString
	var exp, created string
	if err := row.Scan(&s.ID, &s.UserID, &s.TokenHash, &refresh, &exp, &refreshExp, &lastSeen, &created); err != nil {
		return nil, err
	}
	s.RefreshTokenHash = refresh.String
	s.ExpiresAt, _ = ParseTime(exp)
	if t := parseNullTime(refreshExp); t != nil {
		s.RefreshExpiresAt = *t
	}
	if t := parseNullTime(lastSeen); t != nil {
		s.LastSeenAt = *t
	}
	s.CreatedAt, _ = ParseTime(created)
	return &s, nil
}

// touchEvery bounds how often a request writes last_seen_at: the idle timeout is hours, so
// minute precision is plenty, and most requests then need no write at all.
const touchEvery = time.Minute

// IdleLimits are how long a session may stay unused before it ends, by kind of account
// (0: no idle limit). Staff sessions open the back office, so they end sooner.
type IdleLimits struct {
	Customer, Staff time.Duration
}

// For returns the idle limit of an account with this role.
func (l IdleLimits) For(role string) time.Duration {
	if role == RoleOperator || role == RoleAdmin {
		return l.Staff
	}
	return l.Customer
}

// SessionUser checks an access token's session: it must exist, hold this token (tokenHash),
// not be expired and not have been idle longer than its user's idle limit. It records the
// activity and returns the session and its user.
func (db *DB) SessionUser(ctx context.Context, sessionID, tokenHash string, idle IdleLimits) (*AuthSession, *User, error) {
	var sess *AuthSession
	var u *User
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		sess, err = scanAuthSession(tx.QueryRowContext(ctx, `SELECT `+authSessionColumns+` FROM auth_sessions WHERE id = ?`, sessionID))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrSessionEnded
		}
		if err != nil {
			return err
		}
		if sess.TokenHash != tokenHash || !tx.Now.Before(sess.ExpiresAt) {
			return ErrSessionEnded
		}
		if u, err = getUser(ctx, tx, sess.UserID); err != nil {
			return err
		}
		if idleTooLong(sess, tx.Now, idle.For(u.Role)) {
			return ErrSessionEnded
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if now := db.Now(); now.Sub(sess.LastSeenAt) >= touchEvery {
		err = db.Write(ctx, func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE auth_sessions SET last_seen_at = ? WHERE id = ?`, FormatTime(tx.Now), sess.ID)
			return err
		})
	}
	return sess, u, err
}

func idleTooLong(s *AuthSession, now time.Time, idle time.Duration) bool {
	return idle > 0 && !s.LastSeenAt.IsZero() && now.Sub(s.LastSeenAt) >= idle
}

// RefreshReuseGrace is how long after a rotation the replaced refresh token is taken for a
// race (two tabs of one browser refreshing at once: the loser is refused, the session
// lives) rather than a replay by someone else (the session ends).
const RefreshReuseGrace = 30 * time.Second

// ErrRefreshRace answers the loser of a refresh race: the new tokens went to the other tab.
var ErrRefreshRace = Errorf(ECodeUnauth,
	"Sesiunea a fost deja reînnoită în altă fereastră. Reîncarcă pagina.",
	"The session was just renewed in another window. Please reload the page.")

// RotateSession swaps a session's refresh token for a new pair. presentedHash is the hash
// of the refresh token the client sent: when it is not the session's current one, the
// token was used before (stolen, or replayed), so the session ends for everyone holding it.
func (db *DB) RotateSession(ctx context.Context, sessionID, presentedHash string, next AuthSession, idle IdleLimits) (*User, error) {
	var u *User
	var reused, ended bool
	err := db.Write(ctx, func(tx *Tx) error {
		sess, err := scanAuthSession(tx.QueryRowContext(ctx, `SELECT `+authSessionColumns+` FROM auth_sessions WHERE id = ?`, sessionID))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrSessionEnded
		}
		if err != nil {
			return err
		}
		var previous, rotatedAt sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT previous_refresh_hash, rotated_at FROM auth_sessions WHERE id = ?`,
			sessionID).Scan(&previous, &rotatedAt); err != nil {
			return err
		}
		if previous.Valid && previous.String == presentedHash {
			if t := parseNullTime(rotatedAt); t != nil && tx.Now.Sub(*t) < RefreshReuseGrace {
				return ErrRefreshRace
			}
		}
		if u, err = getUser(ctx, tx, sess.UserID); err != nil {
			return err
		}
		reused = sess.RefreshTokenHash != presentedHash
		ended = !tx.Now.Before(sess.RefreshExpiresAt) || idleTooLong(sess, tx.Now, idle.For(u.Role))
		if reused || ended {
			// Commit the deletion and refuse afterwards: returning an error here would roll
			// the deletion back.
			_, err := tx.ExecContext(ctx, `DELETE FROM auth_sessions WHERE id = ?`, sessionID)
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE auth_sessions SET token_hash = ?, refresh_token_hash = ?,
			expires_at = ?, refresh_expires_at = ?, last_seen_at = ?, previous_refresh_hash = ?, rotated_at = ? WHERE id = ?`,
			next.TokenHash, next.RefreshTokenHash, FormatTime(next.ExpiresAt), FormatTime(next.RefreshExpiresAt),
			FormatTime(tx.Now), presentedHash, FormatTime(tx.Now), sessionID); err != nil {
			return err
		}
		return nil
	})
	switch {
	case err != nil:
		return nil, err
	case reused:
		db.logger.Warn("refresh token reused: session ended", "session_id", sessionID)
		return nil, ErrSessionEnded
	case ended:
		return nil, ErrSessionEnded
	}
	return u, nil
}

// EndSession deletes a session (logout).
func (db *DB) EndSession(ctx context.Context, sessionID string) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM auth_sessions WHERE id = ?`, sessionID)
		return err
	})
}
