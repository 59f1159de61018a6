package store_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// A change applied with the preview's fingerprint changes exactly what the preview showed,
// or nothing.
func TestChangePricesExpect(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := adminCtx(t, db)
	c := storetest.MustCreateCatalog(t, db)
	pct := 10.0
	change := store.PriceChange{Category: "test", Percent: &pct, DryRun: true}
	preview, err := db.ChangePrices(ctx, change)
	require.NoError(t, err)
	require.NotEmpty(t, preview.Fingerprint)

	// Someone changes a price in between: the preview no longer holds.
	price := 60.0
	_, err = db.UpdateProduct(ctx, c.Pipe, store.ProductPatch{PricePerUnit: &price})
	require.NoError(t, err)
	change.DryRun, change.Expect = false, preview.Fingerprint
	_, err = db.ChangePrices(ctx, change)
	require.Equal(t, store.ECodeConflict, store.ErrorCode(err))
	p, err := db.AdminProduct(ctx, c.Sheet)
	require.NoError(t, err)
	require.Equal(t, 175.84, p.PricePerUnit, "nothing applied")

	// A fresh preview applies.
	change.DryRun, change.Expect = true, ""
	preview, err = db.ChangePrices(ctx, change)
	require.NoError(t, err)
	change.DryRun, change.Expect = false, preview.Fingerprint
	res, err := db.ChangePrices(ctx, change)
	require.NoError(t, err)
	require.Equal(t, preview.Changes, res.Changes)
	p, err = db.AdminProduct(ctx, c.Pipe)
	require.NoError(t, err)
	require.Equal(t, 66.0, p.PricePerUnit)
}
