package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// StaffAccount is an OPERATOR or ADMIN account as `metalpro user list` shows it.
type StaffAccount struct {
	ID         string
	Email      string
	Name       string
	Role       string
	CreatedAt  time.Time
	DisabledAt *time.Time
}

// ListStaff returns every staff account, enabled ones first, then by email.
func (db *DB) ListStaff(ctx context.Context) ([]StaffAccount, error) {
	var out []StaffAccount
	err := db.Read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, email, name, role, created_at, disabled_at FROM users
			WHERE role IN (?, ?) ORDER BY disabled_at IS NOT NULL, email`, RoleOperator, RoleAdmin)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var a StaffAccount
			var created string
			var disabled sql.NullString
			if err := rows.Scan(&a.ID, &a.Email, &a.Name, &a.Role, &created, &disabled); err != nil {
				return err
			}
			a.CreatedAt, _ = ParseTime(created)
			a.DisabledAt = parseNullTime(disabled)
			out = append(out, a)
		}
		return rows.Err()
	})
	return out, err
}

// IsActiveStaff reports whether userID is an OPERATOR or ADMIN account that is not disabled
// (an RFQ can be assigned only to one).
func isActiveStaff(ctx context.Context, tx *Tx, userID string) bool {
	return exists(ctx, tx, `SELECT 1 FROM users WHERE id = ? AND role IN (?, ?) AND disabled_at IS NULL`,
		userID, RoleOperator, RoleAdmin)
}

// DisableUser disables the account with this email: it can no longer sign in, and its
// sessions end at once (their rows go, so the next request with its tokens is 401). The
// account and its history stay. The change is audited under the actor in ctx. Disabling a
// disabled account changes nothing and is not an error; it reports how many sessions ended.
func (db *DB) DisableUser(ctx context.Context, email string) (ended int, err error) {
	email, _ = NormalizeEmail(email)
	err = db.Write(ctx, func(tx *Tx) error {
		var id, role string
		var disabled sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT id, role, disabled_at FROM users WHERE email = ?`, email).Scan(&id, &role, &disabled)
		if errors.Is(err, sql.ErrNoRows) {
			return errUserNotFound
		}
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM auth_sessions WHERE user_id = ?`, id)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		ended = int(n)
		if disabled.Valid {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled_at = ?, updated_at = ? WHERE id = ?`,
			FormatTime(tx.Now), FormatTime(tx.Now), id); err != nil {
			return err
		}
		type state struct {
			Email      string  `json:"email"`
			Role       string  `json:"role"`
			DisabledAt *string `json:"disabledAt"`
		}
		at := FormatTime(tx.Now)
		return Audit(ctx, tx, "user.disable", "user", id, state{email, role, nil}, state{email, role, &at})
	})
	return ended, err
}

// ActiveStaff returns the OPERATOR or ADMIN account with this id, or ErrNotFound when there
// is none or it was disabled: the back office asks on every request, so disabling an
// account locks it out at once, whatever sessions it still has.
func (db *DB) ActiveStaff(ctx context.Context, id string) (*User, error) {
	var u *User
	err := db.Read(ctx, func(tx *Tx) error {
		if !isActiveStaff(ctx, tx, id) {
			return errUserNotFound
		}
		var err error
		u, err = getUser(ctx, tx, id)
		return err
	})
	return u, err
}
