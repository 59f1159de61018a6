package store_test

import (
	"context"
	"strings"
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

	t.Run("Any length", func(t *testing.T) {
		// A pasted order list: 40 KB of words, exclusions and sizes. The parse reads at
		// most search.MaxQueryBytes, keeps at most MaxQueryTokens terms with at most three
		// tokens each and MaxExcludeWords exclusions, so the FTS5 expression is short.
		long := strings.Repeat("teava rectangulra -zincata 40x20x2 s355 tabla 1500x3000 3/4 dn20 profil u 100 ", 500)
		q := search.ParseQuery(long)
		require.LessOrEqual(t, len(q.Terms), search.MaxQueryTokens)
		require.LessOrEqual(t, len(q.Exclude), search.MaxExcludeWords)
		for _, term := range q.Terms {
			require.LessOrEqual(t, len(term.Tokens), 3, "term %q", term.Text)
		}
		require.Less(t, len(q.Match()), 400, "FTS5 expression %s", q.Match())

		l, err := db.SearchProducts(context.Background(), store.ProductFilter{Query: long, Page: 1, Limit: 24})
		require.NoError(t, err)
		require.Less(t, l.Total, 200)
	})
}

// slowestQueries are the 20 queries of TestCatalog_Search that took longest on the
// seeded catalog (measured one by one, best of five, on a loaded 2-core machine): the
// fallbacks, the broad formats and nominal sizes that rank hundreds of rows.
var slowestQueries = []string{
	"tabla 1500x3000", "teava 40x20x2 s355", "teava rectangulara 50x50x4", "teava patrata 45x45x2 zincata 304",
	"teava rotunda 60", "otel inoxidabil bara 20", "profil u100", "tv rect 40x20x2", "cornier 50x50x5 zincat",
	"6061 bara 30", "teava 40x40x3 s355j2h", "ţeavă rectangulară 40×20×2", "plasa sudata", "teava apa neagra 1/2",
	"otel rotund d20", "teava neagra 3/4", "teava patrata 40*40*3", "teava apa 3/4 zincata", "l 50x50x5",
	"teava -zincata",
}

// BenchmarkSearch_Slowest20 runs the slowest search queries against the seeded catalog
// (the store alone: no HTTP, no cache). The goal is under 20 ms each.
func BenchmarkSearch_Slowest20(b *testing.B) {
	db := storetest.MustOpenSeeded(b)
	ctx := context.Background()
	for _, q := range slowestQueries {
		b.Run(q, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := db.SearchProducts(ctx, store.ProductFilter{Query: q, Page: 1, Limit: 24}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
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
