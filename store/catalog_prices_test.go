package store_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/catalog"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

func TestChangePrices(t *testing.T) {
	db := storetest.MustOpenSeeded(t)
	ctx := adminCtx(t, db)
	pct := func(v float64) *float64 { return &v }
	hea := store.PriceChange{Category: catalog.CatHBeams, Grade: "S355J2", Percent: pct(5)}

	t.Run("DryRunListsWithoutChanging", func(t *testing.T) {
		c := hea
		c.DryRun = true
		res, err := db.ChangePrices(ctx, c)
		require.NoError(t, err)
		require.NotZero(t, res.Count)
		first := res.Changes[0]
		p, err := db.GetProduct(ctx, first.ID)
		require.NoError(t, err)
		require.Equal(t, "S355J2", *p.Grade)
		require.Equal(t, p.PricePerUnit, first.OldPrice, "nothing applied")
		require.InDelta(t, first.OldPrice*1.05, first.NewPrice, 0.005)
	})
	t.Run("AppliedAndAuditedOnce", func(t *testing.T) {
		res, err := db.ChangePrices(ctx, hea)
		require.NoError(t, err)
		for _, l := range res.Changes {
			p, err := db.GetProduct(ctx, l.ID)
			require.NoError(t, err)
			require.Equal(t, l.NewPrice, p.PricePerUnit, l.SKU)
			require.Contains(t, string(p.Metadata), `"pricePerKg":`, "the specs' RON/kg follows")
		}
		entries, _, err := db.FindAudit(ctx, store.AuditFilter{Entity: "catalog", Page: 1, Limit: 10})
		require.NoError(t, err)
		require.Len(t, entries, 1, "one row for the whole operation")
		require.Equal(t, "catalog.prices", entries[0].Action)
		require.Contains(t, string(entries[0].After), res.Changes[0].SKU)
	})
	t.Run("ByAnAmount", func(t *testing.T) {
		res, err := db.ChangePrices(ctx, store.PriceChange{Standard: "EN 10219", Amount: pct(-0.5), DryRun: true})
		require.NoError(t, err)
		require.NotZero(t, res.Count)
		for _, l := range res.Changes {
			require.InDelta(t, l.OldPrice-0.5, l.NewPrice, 0.001)
		}
	})
	t.Run("RefusedWhole", func(t *testing.T) {
		for _, c := range []struct {
			change store.PriceChange
			field  string
		}{
			{store.PriceChange{Percent: pct(5)}, "category"},
			{store.PriceChange{Category: "nu-exista", Percent: pct(5)}, "category"},
			{store.PriceChange{Grade: "S235JR"}, "percent"},
			{store.PriceChange{Grade: "S235JR", Percent: pct(5), Amount: pct(1)}, "percent"},
			{store.PriceChange{Grade: "S235JR", Percent: pct(-95)}, "percent"},
			{store.PriceChange{Grade: "S235JR", Amount: pct(-100000)}, "amount"},
		} {
			_, err := db.ChangePrices(ctx, c.change)
			require.Equal(t, c.field, fieldOf(t, err), "%+v", c.change)
		}
		entries, _, err := db.FindAudit(ctx, store.AuditFilter{Entity: "catalog", Page: 1, Limit: 10})
		require.NoError(t, err)
		require.Len(t, entries, 1)
	})
}
