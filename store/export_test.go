package store

import "database/sql"

// WriteDB is the single-connection write pool, for tests that set up rows with plain SQL.
func (db *DB) WriteDB() *sql.DB { return db.write }
