package store

import "database/sql"

// WriteDB is the single-connection write pool, for tests that set up rows with plain SQL.
func (db *DB) WriteDB() *sql.DB { return db.write }

// OnWriteQueued makes every db.Write call fn once its request is in the writer's queue,
// so a test can line writes up behind one it holds.
func (db *DB) OnWriteQueued(fn func()) {
	db.queue.mu.Lock()
	defer db.queue.mu.Unlock()
	db.queue.onPush = fn
}
