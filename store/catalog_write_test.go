package store_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

func TestOnCatalogChanged(t *testing.T) {
	db := storetest.MustOpenSeeded(t)
	ctx := context.Background()
	var first, second atomic.Int32
	db.OnCatalogChanged(func() { first.Add(1) })
	db.OnCatalogChanged(func() { second.Add(1) })
	setPrice := func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE products SET price_per_unit = 9.99 WHERE sku = 'HEA-200-S235'`)
		return err
	}

	t.Run("EveryHookRunsAfterCommit", func(t *testing.T) {
		require.NoError(t, db.WriteCatalog(ctx, func(tx *store.Tx) error {
			require.NoError(t, setPrice(tx))
			require.Zero(t, first.Load(), "a hook must not run before the commit")
			return nil
		}))
		require.EqualValues(t, 1, first.Load())
		require.EqualValues(t, 1, second.Load())
	})
	t.Run("RollbackRunsNoHook", func(t *testing.T) {
		err := db.WriteCatalog(ctx, func(tx *store.Tx) error {
			require.NoError(t, setPrice(tx))
			return errors.New("abandon")
		})
		require.Error(t, err)
		require.EqualValues(t, 1, first.Load())
	})
	t.Run("SeedWithNothingToDoRunsNoHook", func(t *testing.T) {
		res, err := db.SeedCatalog(ctx, false)
		require.NoError(t, err)
		require.False(t, res.Seeded)
		require.EqualValues(t, 1, first.Load())
	})
}
