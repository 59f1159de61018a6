package store_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/catalog/search"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// longQuery is the shape of search: many tokens that no product has together, so
// the old any-token fallback matched most of the catalog (1,500–3,100 products).
const longQuery = "teava rectangulara patrata rotunda 40x20x2 s235jr s355j2 zincata neagra inox aluminiu otel laminat profil tabla bara cornier hea ipe upn"

// TestCatalog_SearchCost: a many-token search is capped in tokens and in what its
// fallback may match, while the usual queries keep their answers (TestCatalog_Search).
func TestCatalog_SearchCost(t *testing.T) {
	require.LessOrEqual(t, len(search.ParseQuery(longQuery).Tokens), 8, "tokens are capped")

	db := storetest.MustOpenSeeded(t)
	items, total, _, err := db.ListProducts(context.Background(), store.ProductFilter{Query: longQuery, Page: 1, Limit: 24})
	require.NoError(t, err)
	require.Less(t, total, 200, "the fallback must not fall back to most of the catalog")
	require.LessOrEqual(t, len(items), 24)
}

// BenchmarkSearch_ManyTokens measures the many-token search against the seeded catalog
// (the store alone: no HTTP, no cache).
func BenchmarkSearch_ManyTokens(b *testing.B) {
	db := storetest.MustOpenSeeded(b)
	ctx := context.Background()
	for _, c := range []struct{ name, q string }{
		{"Long", longQuery},
		{"Typical", "teava 40x20x2 s355"},
	} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, _, _, err := db.ListProducts(ctx, store.ProductFilter{Query: c.q, Page: 1, Limit: 24}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
