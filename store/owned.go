package store

import (
	"context"
	"database/sql"
	"errors"
)

// ownedTable is a table of rows that belong to one user (addresses, projects). Their
// get, update and delete share one shape: every statement names the owner, and another
// user's row is as absent as a missing one (its id reveals nothing).
type ownedTable[T any] struct {
	name     string
	columns  string // what scan reads
	scan     func(rowScanner) (*T, error)
	notFound error
}

// get reads the user's row id.
func (t ownedTable[T]) get(ctx context.Context, tx *Tx, userID, id string) (*T, error) {
	row, err := t.scan(tx.QueryRowContext(ctx, `SELECT `+t.columns+` FROM `+t.name+` WHERE id = ? AND user_id = ?`, id, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, t.notFound
	}
	return row, err
}

// update reads the user's row id and hands it to change, which edits, checks and writes
// it in the same write transaction; it returns the row as changed.
func (t ownedTable[T]) update(ctx context.Context, db *DB, userID, id string, change func(tx *Tx, row *T) error) (*T, error) {
	var row *T
	err := db.Write(ctx, func(tx *Tx) error {
		var err error
		if row, err = t.get(ctx, tx, userID, id); err != nil {
			return err
		}
		return change(tx, row)
	})
	if err != nil {
		return nil, err
	}
	return row, nil
}

// delete removes the user's row id.
func (t ownedTable[T]) delete(ctx context.Context, db *DB, userID, id string) error {
	return db.Write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM `+t.name+` WHERE id = ? AND user_id = ?`, id, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return t.notFound
		}
		return nil
	})
}
