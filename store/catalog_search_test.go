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
		match string // store.MatchPartial for the fallback's closest matches; "" = every word matched
	}{
		// the examples
		{q: "teava 40x20x2", first: "TR-40x20x2-S235"},
		{q: "țeavă 40 x 20 x 2", first: "TR-40x20x2-S235"},
		{q: "Teava rect 40X20X2", first: "TR-40x20x2-S235"},
		{q: "hea200", first: "HEA-200-S235"},
		{q: "HEA 200", first: "HEA-200-S235"},
		{q: "HE 200 A", first: "HEA-200-S235"},
		{q: "tabla inox 2mm 304", first: "TX-2x1000x2000-304-2B"},
		{q: "tabla inox 2 mm 304", first: "TX-2x1000x2000-304-2B"},
		// diacritics: comma-below, legacy cedilla, none, upper case
		{q: "Țeavă rectangulară 40x20x2 S235JR", first: "TR-40x20x2-S235"},
		{q: "ţeavă rectangulară 40x20x2", first: "TR-40x20x2-S235"},
		{q: "TEAVA RECTANGULARA 40X20X2", first: "TR-40x20x2-S235"},
		{q: "ţeavă pătrată 40x40x3", first: "TP-40x40x3-S235"},
		{q: "teava patrata 40*40*3", first: "TP-40x40x3-S235"},
		{q: "țeavă 40×20×2", first: "TR-40x20x2-S235"},
		{q: "teava 40x20x1,5", first: "TR-40x20x1.5-S235"},
		{q: "teava 40x20x1.5", first: "TR-40x20x1.5-S235"},
		// grades and materials
		{q: "teava 40x20x2 s355", first: "TR-40x20x2-S235", match: store.MatchPartial}, // S355J2 starts at 3 mm: the fallback still puts the exact size first
		{q: "teava 40x20 s355", first: "TR-40x20x3-S355"},
		{q: "profil 200 s275", first: "HEA-200-S275"},
		{q: "S355J2 HEA 300", first: "HEA-300-S355"},
		{q: "HEB 300 S275", first: "HEB-300-S275"},
		{q: "teava zincata 40x20x2", first: "TRZ-40x20x2"},
		{q: "teava inox 316l 40x20x2", first: "TIX-40x20x2-316L"},
		{q: "tabla inox 1.4404 2mm", first: "TX-2x1000x2000-316L-2B"},
		{q: "tabla aluminiu 5754 2mm", first: "TAL-2x1000x2000-5754"},
		{q: "aluminiu 5754 2 mm", first: "TAL-2x1000x2000-5754"},
		{q: "tabla zincata 0,5", first: "TZ-0.5x1000x2000-DX51"},
		{q: "tabla 2mm", first: "TN-2x1000x2000-S235"},
		{q: "tabla neagra 3 mm S355", first: "TN-3x1000x2000-S355"},
		{q: "tabla striata", first: "TALS-1.5x1000x2000-5754"},
		// profiles written many ways
		{q: "IPE 200", first: "IPE-200-S235"},
		{q: "upn 200", first: "UPN-200-S235"},
		{q: "unp200", first: "UPN-200-S235"},
		{q: "heb 300", first: "HEB-300-S235"},
		{q: "profil hea 1000", first: "HEA-1000-S235"},
		// bars, angles, flats, mesh, pipes
		{q: "cornier 50x50x5", first: "CE-50x50x5-S235"},
		{q: "cornier 50x5", first: "CE-50x50x5-S235"},
		{q: "cornier neegal 80x40x6", first: "CN-80x40x6-S235"},
		{q: "platbanda 40x4", first: "PL-40x4-S235"},
		{q: "platbandă 40 x 4", first: "PL-40x4-S235"},
		{q: "bara rotunda 20", first: "BR-20-S235"},
		{q: "bară rotundă Ø20", first: "BR-20-S235"},
		{q: "otel rotund d20", first: "BR-20-S235"},
		{q: "bara patrata 20", first: "BP-20-S235"},
		{q: "6061 bara 30", first: "BR-30-6061"},
		{q: "plasa sudata", first: "PS-4-100x100-2x6"},
		{q: "plasă sudată 6 150x150", first: "PS-6-150x150-2x6"},
		{q: "teava rotunda 48,3x3,2", first: "TRO-48.3x3.2-S235"},
		{q: "teava apa dn25", first: "TAN-DN25-M"},
		{q: "teava fara sudura 114,3x5", first: "TFS-114.3x5-S355"},
		// a SKU typed into the search box
		{q: "tr-40x20x2-s235", first: "TR-40x20x2-S235"},
		// How buyers write (issue 16): nominal pipe sizes, profile letters, sheet formats,
		// trade names and abbreviations, exclusions, typos, the ranked fallback.
		{q: "profil u 100", first: "UPN-100-S235"},
		{q: "profil u100", first: "UPN-100-S235"},
		{q: "teava rotunda 60", first: "TRO-60.3x2-S235"},
		{q: "teava 3/4", first: "TAN-DN20-M"},
		{q: "teava apa 3/4", first: "TAN-DN20-M"},
		{q: "teava 1/2", first: "TAN-DN15-M"},
		{q: "tabla 1500x3000", first: "TN-0.5x1500x3000-S235"},
		{q: "tabla zincata 0.5 1250x2500", first: "TZ-0.5x1250x2500-DX51"},
		{q: "tabla neagra 2 1500x3000", first: "TN-2x1500x3000-S235"},
		{q: "teava rectangulra 40x20x2", first: "TR-40x20x2-S235"},
		{q: "tabla 2x1500x3000", first: "TN-2x1500x3000-S235"},
		{q: "tabla 1500x3000x2", first: "TN-2x1500x3000-S235"},
		{q: "rhs 40x20x2", first: "TR-40x20x2-S235"},
		{q: "shs 40x40x3", first: "TP-40x40x3-S235"},
		{q: "chs 48.3x3.2", first: "TRO-48.3x3.2-S235"},
		{q: "t.rect. 40x20x2", first: "TR-40x20x2-S235"},
		{q: "tv rect 40x20x2", first: "TR-40x20x2-S235"},
		{q: "pl. 40x4", first: "PL-40x4-S235"},
		{q: "cor. 50x5", first: "CE-50x50x5-S235"},
		{q: "cornier l 50x5", first: "CE-50x50x5-S235"},
		{q: "l 50x50x5", first: "CE-50x50x5-S235"},
		{q: "teava 40/20/2", first: "TR-40x20x2-S235"},
		{q: "teava 40x20x2 6m", first: "TR-40x20x2-S235"},
		{q: "otel inoxidabil bara 20", first: "BR-20-304"},
		{q: "tabla decapata 1", first: "TN-1x1000x2000-S235"},
		{q: "teava apa 1 1/4", first: "TAN-DN32-M"},
		{q: "teava dn 20", first: "TAN-DN20-M"},
		{q: "teava apa zincata 1\"", first: "TAZ-DN25-M"},
		{q: "profil h 200", first: "HEA-200-S235"},
		{q: "profil i 200", first: "IPE-200-S235"},
		{q: "upn100", first: "UPN-100-S235"},
		{q: "ipe 200 s355", first: "IPE-200-S355"},
		{q: "hea 200 s355", first: "HEA-200-S355"},
		{q: "he a 200", first: "HEA-200-S235"},
		{q: "teava patrata 40x40x3 zincata", first: "TPZ-40x40x3"},
		{q: "teava rotunda zincata 48", first: "TAZ-DN40-M"},
		{q: "teava rotunda 60x3", first: "TIR-60.3x3-304"},
		{q: "teava rotunda 48x3.2", first: "TRO-48.3x3.2-S235"},
		{q: "teava 33,7x2", first: "TRO-33.7x2-S235"},
		{q: "teava 42", first: "TRO-42.4x2-S235"},
		{q: "teava rotunda 42", first: "TRO-42.4x2-S235"},
		{q: "tabla aluminiu 2 1500x3000", first: "TAL-2x1500x3000-5754"},
		{q: "tabla inox 304 1x1000x2000", first: "TX-1x1000x2000-304-2B"},
		{q: "tabla inox 1500x3000 2mm", first: "TX-2x1500x3000-304-2B"},
		{q: "tabla striata 2", first: "TALS-2x1000x2000-5754"},
		{q: "platbanda 50x5 -inox", first: "PL-50x5-S235"},
		{q: "bara rotunda 30 -aluminiu", first: "BR-30-S235"},
		{q: "teava zincata 40x40x2", first: "TPZ-40x40x2"},
		{q: "teava galvanizata 40x40x2", first: "TPZ-40x40x2"},
		{q: "tabla galvanizata 1 mm", first: "TZ-1x1000x2000-DX51"},
		{q: "cornier 40x4", first: "CE-40x40x4-S235"},
		{q: "corniera egala 50x50x5 s355", first: "CE-50x50x5-S355"},
		{q: "bara patrata 20 s355", first: "BP-20-S355"},
		{q: "teava rectangulara 60x40x3 s355", first: "TR-60x40x3-S355"},
		{q: "teava inox 304 40x40x2", first: "TIP-40x40x2-304"},
		{q: "tub rotund inox 42,4x2", first: "TIR-42.4x2-304"},
		{q: "teava inox rotunda 48.3", first: "TIR-48.3x1.5-304"},
		{q: "teava 40x20 neagra", first: "TR-40x20x1.2-S235"},
		{q: "tabla neagra 3mm 2000x6000", first: "TN-3x2000x6000-S235"},
		{q: "teava rectanguara 40x20x2", first: "TR-40x20x2-S235"},
		{q: "platbnda 40x4", first: "PL-40x4-S235"},
		{q: "coriner 50x5", first: "CE-50x50x5-S235"},
		{q: "tabal neagra 2mm", first: "TN-2x1000x2000-S235"},
		{q: "teava zincta 40x20x2", first: "TRZ-40x20x2"},
		{q: "tabla 2x1000x2000 5754", first: "TAL-2x1000x2000-5754"},
		{q: "teava rotunda 76,1x3", first: "TRO-76.1x3-S235"},
		{q: "teava 88,9x4", first: "TRO-88.9x4-S235"},
		{q: "teava fara sudura 60", first: "TFS-60.3x2-S355"},
		{q: "teava apa 2\"", first: "TAN-DN50-M"},
		{q: "teava apa 3/4 zincata", first: "TAZ-DN20-M"},
		{q: "teava apa neagra 1/2", first: "TAN-DN15-M"},
		{q: "teava rectangulara 50x50x4", first: "TP-50x50x4-S235", match: store.MatchPartial},
		{q: "teava patrata 45x45x2 zincata 304", first: "TPZ-45x45x2", match: store.MatchPartial},
		{q: "cornier 50x50x5 zincat", first: "CE-50x50x5-S235", match: store.MatchPartial},
		{q: "teava neagra 3/4", first: "TAN-DN20-M"},
		{q: "teava 1/2 zincata", first: "TAZ-DN15-M"},
		{q: "teava apa 1/2 inch", first: "TAN-DN15-M"},
		{q: "teava apa 1/2 toli", first: "TAN-DN15-M"},
		{q: "teava 3/4\"", first: "TAN-DN20-M"},
		{q: "dn15", first: "TAN-DN15-M"},
		{q: "dn 50", first: "TAN-DN50-M"},
		{q: "DN100", first: "TAN-DN100-M"},
		{q: "tabla inox 2b 1,5", first: "TX-1.5x1000x2000-304-2B"},
		{q: "tabla inox satinata 1", first: "TX-1x1000x2000-304-satinat"},
		{q: "tabla inox 1d 5", first: "TX-5x1000x2000-304-1D"},
		{q: "tabla 3 2000x6000 s355", first: "TN-3x2000x6000-S355"},
		{q: "tabla 0,5x1250x2500 zincata", first: "TZ-0.5x1250x2500-DX51"},
		{q: "tabla 1250 x 2500 x 0,5", first: "TN-0.5x1250x2500-S235"},
		{q: "tabla 2mm 1500*3000", first: "TN-2x1500x3000-S235"},
		{q: "tabla 2/1500/3000", first: "TN-2x1500x3000-S235"},
		{q: "t.patr. 40x40x2", first: "TP-40x40x2-S235"},
		{q: "t.rot. 48,3x3,2", first: "TRO-48.3x3.2-S235"},
		{q: "teava rot 60x3,2", first: "TRO-60.3x3.2-S235"},
		{q: "tv.rect 40x20x2", first: "TR-40x20x2-S235"},
		{q: "tbl. neagra 2mm", first: "TN-2x1000x2000-S235"},
		{q: "bara rotunda fi 20", first: "BR-20-S235"},
		{q: "otel rotund fi20", first: "BR-20-S235"},
		{q: "rotund 20mm", first: "BR-20-S235"},
		{q: "platbanda 40 x 4 mm", first: "PL-40x4-S235"},
		{q: "lama 30x3", first: "PL-30x3-S235"},
		{q: "bara plata 40x4", first: "PL-40x4-S235"},
		{q: "plasa sudata fi 8 100x100", first: "PS-8-100x100-2x6"},
		{q: "cornier 50 x 50 x 5", first: "CE-50x50x5-S235"},
		{q: "L50x50x5", first: "CE-50x50x5-S235"},
		{q: "corniera 40x40x4 inox", first: "CE-40x40x4-304"},
		{q: "cornier neegal 100x50x8", first: "CN-100x50x8-S235"},
		{q: "profil u 200 s355", first: "UPN-200-S355"},
		{q: "UPN 120", first: "UPN-120-S235"},
		{q: "u 80", first: "UPN-80-S235"},
		{q: "I 100", first: "IPE-100-S235"},
		{q: "IPE80", first: "IPE-80-S235"},
		{q: "profil i 300", first: "IPE-300-S235"},
		{q: "heb 200", first: "HEB-200-S235"},
		{q: "he 300 b", first: "HEB-300-S235"},
		{q: "H 300", first: "HEA-300-S235"},
		{q: "profil h200 s355", first: "HEA-200-S355"},
		{q: "HEB-200", first: "HEB-200-S235"},
		{q: "teava inox 304 25x2", first: "TIR-25x2-304"},
		{q: "teava inox 316 40x20x2", first: "TIX-40x20x2-316L"},
		{q: "tabla aluminiu 5754 3", first: "TAL-3x1000x2000-5754"},
		{q: "tabla al 2mm", first: "TAL-2x1000x2000-5754"},
		{q: "tabla inox 316l 3mm 1500x3000", first: "TX-3x1500x3000-316L-2B"},
		{q: "tabla inox 304 1mm 1250x2500", first: "TX-1x1250x2500-304-2B"},
		{q: "teava 40x20x2 -s235", first: "TRZ-40x20x2"},
		{q: "teava rectangulara 40x20x2mm", first: "TR-40x20x2-S235"},
		{q: "teava rectangulara 40x20x2,0", first: "TR-40x20x2-S235"},
		{q: "teava 80x40x3", first: "TR-80x40x3-S235"},
		{q: "teava 100x100x4", first: "TP-100x100x4-S235"},
		{q: "teava 120x80x5 s355", first: "TR-120x80x5-S355"},
		{q: "teava fara sudura 114,3x6,3", first: "TFS-114.3x6.3-S355"},
		{q: "teava constructii 114,3", first: "TRO-114.3x3-S235"},
		{q: "teava 114", first: "TRO-114.3x3-S235"},
		{q: "teava 2 1/2", first: "TAN-DN65-M"},
		{q: "teava apa 2 1/2\"", first: "TAN-DN65-M"},
		{q: "teava rotunda 76", first: "TRO-76.1x3-S235"},
		{q: "teava 89x4", first: "TRO-88.9x4-S235"},
		{q: "teava rotunda 168x5", first: "TRO-168.3x5-S235"},
		{q: "teava rotunda 219x6,3", first: "TRO-219.1x6.3-S235"},
		{q: "țeavă zincată 1/2\"", first: "TAZ-DN15-M"},
		{q: "ţeavă rectangulară 40×20×2", first: "TR-40x20x2-S235"},
		{q: "TEAVA PATRATA 40X40X3", first: "TP-40x40x3-S235"},
		{q: "teava 40x40x3 s355j2h", first: "TP-40x40x3-S355"},
		{q: "cornier 50x5 S275", first: "CE-50x50x5-S275"},
		{q: "tabla inox 1.4301 2mm 1250x2500", first: "TX-2x1250x2500-304-2B"},
		{q: "platbanda inox 40x4", first: "PL-40x4-304"},
		{q: "bara rotunda inox 316 20", first: "BR-20-316L"},
		{q: "bara rotunda aluminiu 20", first: "BR-20-6061"},
		{q: "tabla decapata 2", first: "TN-2x1000x2000-S235"},
		{q: "tabla decapata 1", first: "TN-1x1000x2000-S235"},
		{q: "tabla laminata la cald 3", first: "TN-3x1000x2000-S235"},
		{q: "tabla neagra laminata la rece 1", first: "TN-1x1000x2000-S235"},
		{q: "plasa 150x150 fi 6", first: "PS-6-150x150-2x6"},
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
			l, err := db.SearchProducts(ctx, store.ProductFilter{Query: c.q, Limit: 1})
			require.NoError(t, err)
			want := c.match
			if want == "" {
				want = store.MatchAll
			}
			require.Equal(t, want, l.Match, "every word matched?")
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

	t.Run("Exclusions", func(t *testing.T) {
		all, err := db.SearchProducts(ctx, store.ProductFilter{Query: "teava", Limit: 1})
		require.NoError(t, err)
		l, err := db.SearchProducts(ctx, store.ProductFilter{Query: "țeavă -zincată", Limit: 100})
		require.NoError(t, err)
		require.NotZero(t, l.Total)
		require.Less(t, l.Total, all.Total, "the galvanised pipes are gone")
		for _, p := range l.Items {
			require.NotContains(t, p.Title, "zincat", p.SKU)
		}
		// A synonym excludes its canonical word: -galvanizata = -zincata.
		g, err := db.SearchProducts(ctx, store.ProductFilter{Query: "teava -galvanizata", Limit: 1})
		require.NoError(t, err)
		require.Equal(t, l.Total, g.Total)
		// Only exclusions: nothing searchable.
		none, err := db.SearchProducts(ctx, store.ProductFilter{Query: "-zincata", Limit: 1})
		require.NoError(t, err)
		require.Zero(t, none.Total)
	})

	t.Run("Sheet format is matched and ranked", func(t *testing.T) {
		for q, format := range map[string]string{"tabla 1500x3000": "1500x3000", "tabla 3000x1500 inox": "1500x3000", "tabla zincata 1250x2500": "1250x2500"} {
			items, total, _, err := db.ListProducts(ctx, store.ProductFilter{Query: q, Limit: 100})
			require.NoError(t, err)
			require.NotZero(t, total, q)
			for _, p := range items {
				require.Contains(t, p.SKU, "x"+format+"-", "%q: %s has another format", q, p.SKU)
				require.Contains(t, string(p.Metadata), `"format":"`+format+`"`, p.SKU)
			}
		}
	})

	t.Run("Fallback ranks dimensions before common words", func(t *testing.T) {
		// No rectangular 50x50x4 tube: the square one with the size comes before the
		// hundreds of rectangular tubes that only share "teava rectangulara".
		l, err := db.SearchProducts(ctx, store.ProductFilter{Query: "teava rectangulara 50x50x4", Limit: 3, Explain: true})
		require.NoError(t, err)
		require.Equal(t, store.MatchPartial, l.Match)
		require.Equal(t, "TP-50x50x4-S235", l.Items[0].SKU)
		require.Len(t, l.Scores, len(l.Items))
		require.Equal(t, "dimensionWords", l.Scores[0].Parts[0].Name)
		require.Equal(t, 1.0, l.Scores[0].Parts[0].Value)
	})

	t.Run("NothingSearchable", func(t *testing.T) {
		items, total, _, err := db.ListProducts(ctx, store.ProductFilter{Query: "!!! ,,,", Limit: 10})
		require.NoError(t, err)
		require.Zero(t, total)
		require.Empty(t, items)
	})
}
