package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"

	"github.com/metalpro/backend/emails"
)

// Purposes of emailed single-use tokens, and how long each stays valid (seed: 24 h to
// verify an email, 1 h to reset a password).
const (
	PurposeVerifyEmail   = "verify_email"
	PurposePasswordReset = "password_reset"

	VerifyEmailTTL   = 24 * time.Hour
	PasswordResetTTL = time.Hour
)

// HashToken is the SHA-256 of a token, hex: what the database keeps instead of the token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// newToken returns 32 random bytes, URL-safe base64 (43 characters).
func newToken() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// issueToken stores a new token for purpose, replacing the user's earlier unused ones
// (only the latest emailed link works), and returns it.
func issueToken(ctx context.Context, tx *Tx, userID, purpose string, ttl time.Duration) (string, error) {
	if _, err := tx.ExecContext(ctx, `DELETE FROM user_tokens WHERE user_id = ? AND purpose = ? AND used_at IS NULL`,
		userID, purpose); err != nil {
		return "", err
	}
	token := newToken()
	_, err := tx.ExecContext(ctx, `INSERT INTO user_tokens (id, user_id, purpose, token_hash, expires_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`,
		NewID(), userID, purpose, HashToken(token), FormatTime(tx.Now.Add(ttl)), FormatTime(tx.Now))
	return token, err
}

var errBadToken = Errorf(ECodeInvalid,
	"Linkul nu este valid sau a expirat. Cere unul nou.",
	"This link is invalid or has expired. Please request a new one.")

// consumeToken marks token used and returns its user, or fails when the token is unknown,
// of another purpose, already used or expired.
func consumeToken(ctx context.Context, tx *Tx, token, purpose string) (string, error) {
	var id, userID, expires string
	err := tx.QueryRowContext(ctx, `SELECT id, user_id, expires_at FROM user_tokens
		WHERE token_hash = ? AND purpose = ? AND used_at IS NULL`, HashToken(token), purpose).Scan(&id, &userID, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return "", errBadToken
	}
	if err != nil {
		return "", err
	}
	if expires <= FormatTime(tx.Now) {
		return "", errBadToken
	}
	if _, err := tx.ExecContext(ctx, `UPDATE user_tokens SET used_at = ? WHERE id = ?`, FormatTime(tx.Now), id); err != nil {
		return "", err
	}
	return userID, nil
}

// queueVerificationEmail issues a verification token and queues its email.
func queueVerificationEmail(ctx context.Context, tx *Tx, u *User) error {
	token, err := issueToken(ctx, tx, u.ID, PurposeVerifyEmail, VerifyEmailTTL)
	if err != nil {
		return err
	}
	_, err = EnqueueEmail(ctx, tx, OutboxEmail{To: u.Email, Lang: u.Language,
		Email: emails.VerifyEmail{Name: u.Name, Token: token}})
	return err
}

// ErrAlreadyVerified answers a resend for an address that is already confirmed.
var ErrAlreadyVerified = Errorf(ECodeConflict, "Adresa de email este deja confirmată.", "This email address is already verified.")

// ResendVerification issues a new verification link (the old one stops working).
func (db *DB) ResendVerification(ctx context.Context, userID string) error {
	return db.Write(ctx, func(tx *Tx) error {
		u, err := getUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		if u.EmailVerified {
			return ErrAlreadyVerified
		}
		return queueVerificationEmail(ctx, tx, u)
	})
}

// VerifyEmail consumes a verification token and marks its user's email verified.
func (db *DB) VerifyEmail(ctx context.Context, token string) (u *User, already bool, err error) {
	err = db.Write(ctx, func(tx *Tx) error {
		userID, err := consumeToken(ctx, tx, token, PurposeVerifyEmail)
		if errors.Is(err, errBadToken) {
			// A second click on the link: its address is confirmed, so say so rather than
			// call the link invalid.
			if userID, ok := verifiedByToken(ctx, tx, token); ok {
				already = true
				u, err = getUser(ctx, tx, userID)
				return err
			}
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET email_verified = 1, updated_at = ? WHERE id = ?`,
			FormatTime(tx.Now), userID); err != nil {
			return err
		}
		// The address is now proven: the RFQs sent with it as a guest join the account.
		if _, err := claimGuestRFQs(ctx, tx, userID, ""); err != nil {
			return err
		}
		u, err = getUser(ctx, tx, userID)
		return err
	})
	return u, already, err
}

// verifiedByToken finds the user whose address a used verification token confirmed.
func verifiedByToken(ctx context.Context, tx *Tx, token string) (string, bool) {
	var userID string
	err := tx.QueryRowContext(ctx, `SELECT t.user_id FROM user_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = ? AND t.purpose = ? AND t.used_at IS NOT NULL AND u.email_verified = 1`,
		HashToken(token), PurposeVerifyEmail).Scan(&userID)
	return userID, err == nil
}

// RequestPasswordReset queues a reset link when email has an account and does nothing
// otherwise: the caller answers the same either way.
func (db *DB) RequestPasswordReset(ctx context.Context, email string) error {
	v := &Validator{}
	if v.CheckEmail("email", &email); v.HasErrors() {
		return v.Err()
	}
	return db.Write(ctx, func(tx *Tx) error {
		u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM `+userTables+` WHERE u.email = ?`, email))
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		token, err := issueToken(ctx, tx, u.ID, PurposePasswordReset, PasswordResetTTL)
		if err != nil {
			return err
		}
		_, err = EnqueueEmail(ctx, tx, OutboxEmail{To: u.Email, Lang: u.Language,
			Email: emails.PasswordReset{Name: u.Name, Token: token}})
		return err
	})
}

// ResetPassword consumes a reset token, sets the new password and ends every session of the
// user. The link reached the user's mailbox, so it also proves the email address.
func (db *DB) ResetPassword(ctx context.Context, token, password string) error {
	v := &Validator{}
	CheckPassword(v, "password", password, "")
	if err := v.Err(); err != nil {
		return err
	}
	// bcrypt is slow, so it runs before the write transaction; a cheap look-up first keeps a
	// flood of made-up tokens from costing a hash each.
	var one int
	err := db.read.QueryRowContext(ctx, `SELECT 1 FROM user_tokens WHERE token_hash = ? AND purpose = ?
		AND used_at IS NULL AND expires_at > ?`, HashToken(token), PurposePasswordReset, FormatTime(db.Now())).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return errBadToken
	}
	if err != nil {
		return err
	}
	hash, err := db.hashPassword(ctx, password)
	if err != nil {
		return err
	}
	return db.Write(ctx, func(tx *Tx) error {
		userID, err := consumeToken(ctx, tx, token, PurposePasswordReset)
		if err != nil {
			return err
		}
		var email string
		if err := tx.QueryRowContext(ctx, `SELECT email FROM users WHERE id = ?`, userID).Scan(&email); err != nil {
			return err
		}
		pv := &Validator{} // the password may not be the email, now that we know it
		CheckPassword(pv, "password", password, email)
		if err := pv.Err(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, email_verified = 1, updated_at = ? WHERE id = ?`,
			hash, FormatTime(tx.Now), userID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM auth_sessions WHERE user_id = ?`, userID)
		return err
	})
}
