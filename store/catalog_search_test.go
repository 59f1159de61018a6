package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// TestCatalog_Search is the table that keeps search honest: each query with the SKU it
// must put first.
func TestCatalog_Search(t *testing.T) {
	db := storetest.MustOpenSeeded(t)
	ctx := context.Background()
	cases := []struct {
		q     string
		first string
	}{
		// the examples
		{"teava 40x20x2", "TR-40x20x2-S235"},
		{"țeavă 40 x 20 x 2", "TR-40x20x2-S235"},
		{"Teava rect 40X20X2", "TR-40x20x2-S235"},
		{"hea200", "HEA-200-S235"},
		{"HEA 200", "HEA-200-S235"},
		{"HE 200 A", "HEA-200-S235"},
		{"tabla inox 2mm 304", "TX-2x1000x2000-304-2B"},
		{"tabla inox 2 mm 304", "TX-2x1000x2000-304-2B"},
		// diacritics: comma-below, legacy cedilla, none, upper case
		{"Țeavă rectangulară 40x20x2 S235JR", "TR-40x20x2-S235"},
		{"ţeavă rectangulară 40x20x2", "TR-40x20x2-S235"},
		{"TEAVA RECTANGULARA 40X20X2", "TR-40x20x2-S235"},
		{"ţeavă pătrată 40x40x3", "TP-40x40x3-S235"},
		{"teava patrata 40*40*3", "TP-40x40x3-S235"},
		{"țeavă 40×20×2", "TR-40x20x2-S235"},
		{"teava 40x20x1,5", "TR-40x20x1.5-S235"},
		{"teava 40x20x1.5", "TR-40x20x1.5-S235"},
		// grades and materials
		{"teava 40x20x2 s355", "TR-40x20x2-S235"}, // S355J2 starts at 3 mm: the any-token fallback still puts the exact size first
		{"teava 40x20 s355", "TR-40x20x3-S355"},
		{"profil 200 s275", "HEA-200-S275"},
		{"S355J2 HEA 300", "HEA-300-S355"},
		{"HEB 300 S275", "HEB-300-S275"},
		{"teava zincata 40x20x2", "TRZ-40x20x2"},
		{"teava inox 316l 40x20x2", "TIX-40x20x2-316L"},
		{"tabla inox 1.4404 2mm", "TX-2x1000x2000-316L-2B"},
		{"tabla aluminiu 5754 2mm", "TAL-2x1000x2000-5754"},
		{"aluminiu 5754 2 mm", "TAL-2x1000x2000-5754"},
		{"tabla zincata 0,5", "TZ-0.5x1000x2000-DX51"},
		{"tabla 2mm", "TN-2x1000x2000-S235"},
		{"tabla neagra 3 mm S355", "TN-3x1000x2000-S355"},
		{"tabla striata", "TALS-1.5x1000x2000-5754"},
		// profiles written many ways
		{"IPE 200", "IPE-200-S235"},
		{"upn 200", "UPN-200-S235"},
		{"unp200", "UPN-200-S235"},
		{"heb 300", "HEB-300-S235"},
		{"profil hea 1000", "HEA-1000-S235"},
		// bars, angles, flats, mesh, pipes
		{"cornier 50x50x5", "CE-50x50x5-S235"},
		{"cornier 50x5", "CE-50x50x5-S235"},
		{"cornier neegal 80x40x6", "CN-80x40x6-S235"},
		{"platbanda 40x4", "PL-40x4-S235"},
		{"platbandă 40 x 4", "PL-40x4-S235"},
		{"bara rotunda 20", "BR-20-S235"},
		{"bară rotundă Ø20", "BR-20-S235"},
		{"otel rotund d20", "BR-20-S235"},
		{"bara patrata 20", "BP-20-S235"},
		{"6061 bara 30", "BR-30-6061"},
		{"plasa sudata", "PS-4-100x100-2x6"},
		{"plasă sudată 6 150x150", "PS-6-150x150-2x6"},
		{"teava rotunda 48,3x3,2", "TRO-48.3x3.2-S235"},
		{"teava apa dn25", "TAN-DN25-M"},
		{"teava fara sudura 114,3x5", "TFS-114.3x5-S355"},
		// a SKU typed into the search box
		{"tr-40x20x2-s235", "TR-40x20x2-S235"},
	}
	for _, c := range cases {
		t.Run(c.q, func(t *testing.T) {
			items, total, _, err := db.ListProducts(ctx, store.ProductFilter{Query: c.q, Limit: 5})
			require.NoError(t, err)
			require.NotZero(t, total)
			skus := make([]string, len(items))
			for i, p := range items {
				skus[i] = p.SKU
			}
			require.Equal(t, c.first, items[0].SKU, "results: %v", skus)
		})
	}

	t.Run("TwoNeverMatchesTwenty", func(t *testing.T) {
		items, total, _, err := db.ListProducts(ctx, store.ProductFilter{Query: "teava rectangulara 2", Limit: 100})
		require.NoError(t, err)
		require.NotZero(t, total)
		for _, p := range items {
			dims := strings.Split(strings.Split(p.SKU, "-")[1], "x") // TR-40x20x2-S235 -> 40 20 2
			require.Contains(t, dims, "2", "%s has no dimension equal to 2", p.SKU)
		}
	})

	t.Run("Lists every wall thickness of 40x20", func(t *testing.T) {
		items, total, _, err := db.ListProducts(ctx, store.ProductFilter{Query: "teava 40x20", Limit: 100})
		require.NoError(t, err)
		walls := map[string]bool{}
		for _, p := range items {
			require.Contains(t, p.SKU, "-40x20x")
			if strings.HasPrefix(p.SKU, "TR-") && strings.HasSuffix(p.SKU, "-S235") {
				walls[strings.TrimSuffix(strings.TrimPrefix(p.SKU, "TR-40x20x"), "-S235")] = true
			}
		}
		require.Equal(t, map[string]bool{"1.2": true, "1.5": true, "2": true, "2.5": true, "3": true, "4": true}, walls)
		require.Equal(t, total, len(items))
	})

	t.Run("NothingSearchable", func(t *testing.T) {
		items, total, _, err := db.ListProducts(ctx, store.ProductFilter{Query: "!!! ,,,", Limit: 10})
		require.NoError(t, err)
		require.Zero(t, total)
		require.Empty(t, items)
	})
}
