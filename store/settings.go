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

// Setting returns key's stored value; ok is false when the key has none.
func (db *DB) Setting(ctx context.Context, key string) (value string, ok bool, err error) {
	err = db.read.QueryRowContext(ctx, `SELECT value FROM server_settings WHERE key = ?`, key).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return value, err == nil, err
}

// PutSetting stores value under key, replacing any value it had.
func (db *DB) PutSetting(ctx context.Context, key, value string) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO server_settings(key, value, created_at) VALUES (?, ?, ?)
			ON CONFLICT(key) DO UPDATE SET value = excluded.value, created_at = excluded.created_at`,
			key, value, FormatTime(tx.Now))
		return err
	})
}

// DeleteSetting removes key (nothing happens when it has no value).
func (db *DB) DeleteSetting(ctx context.Context, key string) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM server_settings WHERE key = ?`, key)
		return err
	})
}
