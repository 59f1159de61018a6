package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/metalpro/backend/store"
)

// seedCatalog loads the catalog: always for `metalpro seed` (an idempotent upsert), and
// on first start when the catalog is empty.
func seedCatalog(ctx context.Context, db *store.DB, logger *slog.Logger, always bool) error {
	start := time.Now()
	res, err := db.SeedCatalog(ctx, always)
	if err != nil {
		return fmt.Errorf("seed catalog: %w", err)
	}
	if res.Seeded {
		logger.Info("catalog seeded", "categories", res.Categories, "products", res.Products,
			"duration_ms", time.Since(start).Milliseconds())
	}
	return nil
}
