package main

import (
	"context"
	"log/slog"

	"github.com/metalpro/backend/store"
)

// seedCatalog loads the catalog: always for `metalpro seed`, and on first start when the
// catalog is empty. (The catalog work fills it in.)
func seedCatalog(ctx context.Context, db *store.DB, logger *slog.Logger, always bool) error {
	_, _, _, _ = ctx, db, logger, always
	return nil
}
