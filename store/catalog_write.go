package store

import "context"

// OnCatalogChanged registers fn to run after every commit of a catalog write (SeedCatalog,
// WriteCatalog): the API clears its rendered-response cache there, so store never knows
// about HTTP bodies. Unlike OnEmailEnqueued, every registered fn runs: each API server over
// this database keeps its own cache. fn must not block.
func (db *DB) OnCatalogChanged(fn func()) {
	db.catalogHooksMu.Lock()
	defer db.catalogHooksMu.Unlock()
	db.catalogHooks = append(db.catalogHooks, fn)
}

// catalogChanged runs the catalog hooks; transactions schedule it with AfterCommit, never
// before the commit, so no reader caches data older than what a hook announced.
func (db *DB) catalogChanged() {
	db.catalogHooksMu.Lock()
	hooks := db.catalogHooks
	db.catalogHooksMu.Unlock()
	for _, fn := range hooks {
		fn()
	}
}

// WriteCatalog runs fn in a write transaction and runs the catalog hooks after it commits.
// Catalog writes (back-office edits, imports) go through it.
func (db *DB) WriteCatalog(ctx context.Context, fn func(tx *Tx) error) error {
	return db.Write(ctx, func(tx *Tx) error {
		tx.AfterCommit(db.catalogChanged)
		return fn(tx)
	})
}
