package store

import (
	"context"
	"database/sql"
	"errors"
)

// EnsureSetting returns the stored value of key, storing generate()'s result first if the
// key has none. Generated secrets live in the database rather than beside it, so a server
// restored from the replica keeps them (tokens and emailed links stay valid).
func (db *DB) EnsureSetting(ctx context.Context, key string, generate func() (string, error)) (string, error) {
	var value string
	err := db.Write(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT value FROM server_settings WHERE key = ?`, key).Scan(&value)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if value, err = generate(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO server_settings(key, value, created_at) VALUES (?, ?, ?)`,
			key, value, FormatTime(tx.Now))
		return err
	})
	return value, err
}
