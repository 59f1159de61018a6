package store_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

func TestCatalog_Seed(t *testing.T) {
	db := storetest.MustOpenSeeded(t)
	ctx := context.Background()

	t.Run("SecondStartDoesNothing", func(t *testing.T) {
		res, err := db.SeedCatalog(ctx, false)
		require.NoError(t, err)
		require.False(t, res.Seeded)
	})
	t.Run("ForcedSeedIsIdempotent", func(t *testing.T) {
		before, _ := db.GetProduct(ctx, "HEA-200-S235")
		res, err := db.SeedCatalog(ctx, true)
		require.NoError(t, err)
		require.True(t, res.Seeded)
		require.GreaterOrEqual(t, res.Products, 3000)
		after, err := db.GetProduct(ctx, "HEA-200-S235")
		require.NoError(t, err)
		require.Equal(t, before.ID, after.ID)
		require.Equal(t, store.CatalogSeedID("product", "HEA-200-S235"), after.ID)
		_, total, _, err := db.ListProducts(ctx, store.ProductFilter{})
		require.NoError(t, err)
		require.Equal(t, res.Products, total)
	})
	t.Run("CategoriesCountActiveProducts", func(t *testing.T) {
		cats, err := db.ListCategories(ctx)
		require.NoError(t, err)
		sum := 0
		for _, c := range cats {
			sum += c.ProductCount
		}
		_, total, _, err := db.ListProducts(ctx, store.ProductFilter{})
		require.NoError(t, err)
		require.Equal(t, total, sum)
	})
}

// TestCatalog_ProductWrittenOutsideSeed: a product another part of the program inserts
// is listed and searchable at once (trigger), and fully normalised after IndexProduct.
func TestCatalog_ProductWrittenOutsideSeed(t *testing.T) {
	db := storetest.MustOpenSeeded(t)
	ctx := context.Background()
	id := store.NewID()
	require.NoError(t, db.WriteCatalog(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO products(id, category_id, sku, title, grade, standard, dimensions, base_unit,
				price_per_unit, weight, created_at, updated_at)
			VALUES (?, ?, 'SP-TEST-1', 'Țeavă specială ovală 60x30x2 S235JR', 'S235JR', 'EN 10219',
				'60x30x2 mm', 'm', 25.5, 2.1, ?, ?)`,
			id, store.CatalogSeedID("category", "tevi-rectangulare"), store.FormatTime(tx.Now), store.FormatTime(tx.Now))
		return err
	}))
	first := func(q string) string {
		items, _, _, err := db.ListProducts(ctx, store.ProductFilter{Query: q, Limit: 3})
		require.NoError(t, err)
		if len(items) == 0 {
			return ""
		}
		return items[0].SKU
	}
	require.Equal(t, "SP-TEST-1", first("teava ovala"), "diacritics fold in the raw title")
	require.NoError(t, db.WriteCatalog(ctx, func(tx *store.Tx) error { return store.IndexProduct(ctx, tx, id) }))
	require.Equal(t, "SP-TEST-1", first("teava ovala 60 x 30 x 2"))
	require.Equal(t, "SP-TEST-1", first("tub ovala 60x30x2 s235"))
}
