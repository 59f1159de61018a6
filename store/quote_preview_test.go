package store_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
)

// The live totals are what a save would store, and computing them stores nothing.
func TestQuoteTotals_PricesWithoutSaving(t *testing.T) {
	ctx, db, rfq := quotedRFQ(t)
	in := quoteInput(rfq, 49)
	in.ExtraLines = []store.QuoteExtra{{Description: "Transport", Amount: 150}}
	got, err := db.QuoteTotals(ctx, rfq.ID, in, store.DefaultVATRateBP)
	require.NoError(t, err)
	require.Equal(t, int64(58800+15000), got.Net, "12 × 49 + 150")
	require.Equal(t, int64(12348+3150), got.VAT)
	versions, err := db.QuoteVersions(ctx, rfq.ID)
	require.NoError(t, err)
	require.Empty(t, versions, "nothing saved")

	saved, err := db.SaveQuoteDraft(ctx, rfq.ID, in, store.DefaultVATRateBP)
	require.NoError(t, err)
	require.Equal(t, saved.Totals.Gross, got.Gross)

	bad := quoteInput(rfq, -1)
	_, err = db.QuoteTotals(ctx, rfq.ID, bad, store.DefaultVATRateBP)
	require.Equal(t, store.ECodeInvalid, store.ErrorCode(err))
}
