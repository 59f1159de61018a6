package store_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

func exportCSV(t testing.TB, db *store.DB) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, db.ExportCatalogCSV(context.Background(), &buf))
	return buf.String()
}

// The export reads back as it is: the same columns both ways, nothing to change.
func TestCatalogCSV_ExportImportsAsNoChange(t *testing.T) {
	db := storetest.MustOpenSeeded(t)
	ctx := adminCtx(t, db)
	out := exportCSV(t, db)
	require.True(t, strings.HasPrefix(out, "\xef\xbb\xbfsku,title,category,"), "UTF-8 with a BOM for spreadsheets")
	require.Contains(t, out, "Țeavă")
	res, err := db.ImportCatalogCSV(ctx, strings.NewReader(out), false)
	require.NoError(t, err)
	require.Empty(t, res.Errors)
	require.Empty(t, res.Changes)
	require.Equal(t, out, exportCSV(t, db))
}

// A price list saved by a spreadsheet with Romanian settings: ';', decimal commas, no BOM.
func TestCatalogCSV_Import(t *testing.T) {
	db := storetest.MustOpenSeeded(t)
	ctx := adminCtx(t, db)
	lines := strings.Split(strings.TrimPrefix(exportCSV(t, db), "\xef\xbb\xbf"), "\n")
	header := "sku;title;category;grade;standard;dimensions;availability;baseUnit;pricePerUnit;weight;lengthM;isActive;metadata"
	fileOf := func(rows ...string) string { return header + "\n" + strings.Join(rows, "\n") + "\n" }
	newRow := "TR-99x33x3-S235;Țeavă rectangulară 99x33x3 mm S235JR;tevi-rectangulare;S235JR;EN 10219;99x33x3 mm;in_stock;m;21,50;2,5;6;true;"
	require.True(t, strings.HasPrefix(lines[1], "TR-"), lines[1])
	existingSKU := strings.Split(lines[1], ",")[0]
	deactivate := existingSKU + ";Țeavă retrasă;tevi-rectangulare;;;;on_order;m;10;1,5;6;false;"

	t.Run("DryRunChangesNothing", func(t *testing.T) {
		before := exportCSV(t, db)
		res, err := db.ImportCatalogCSV(ctx, strings.NewReader(fileOf(newRow, deactivate)), true)
		require.NoError(t, err)
		require.Empty(t, res.Errors)
		require.Equal(t, 1, res.Created)
		require.Equal(t, 1, res.Deactivated)
		require.Equal(t, []store.ImportChange{
			{Line: 2, SKU: "TR-99x33x3-S235", Action: "create"},
			{Line: 3, SKU: existingSKU, Action: "deactivate", Fields: []string{"title", "grade", "standard", "dimensions", "availability", "pricePerUnit", "weight", "isActive", "metadata"}},
		}, res.Changes)
		require.Equal(t, before, exportCSV(t, db))
	})
	t.Run("AnyErrorAppliesNothing", func(t *testing.T) {
		before := exportCSV(t, db)
		res, err := db.ImportCatalogCSV(ctx, strings.NewReader(fileOf(
			newRow,
			"TR-BAD;Țeavă;nu-exista;;;;in_stock;m;doisprezece;;6;poate;",
			strings.Replace(newRow, "TR-99x33x3-S235", "tr-99X33X3-s235", 1),
			"SR-1;Sârmă;tevi-rectangulare;;;;in_stock;kg;7,2;2;;true;[1]",
		)), false)
		require.NoError(t, err)
		require.Equal(t, []store.ImportError{
			{Line: 3, Field: "pricePerUnit", Message: store.Text{RO: "Trebuie să fie un număr (de exemplu 12,50).", EN: "Must be a number (such as 12.50)."}},
			{Line: 3, Field: "isActive", Message: store.Text{RO: "Trebuie să fie true sau false.", EN: "Must be true or false."}},
		}, res.Errors[:2])
		var where []string
		for _, e := range res.Errors {
			where = append(where, fmt.Sprintf("%d:%s", e.Line, e.Field))
		}
		require.Equal(t, []string{"3:pricePerUnit", "3:isActive", "3:category", "4:sku", "5:weight", "5:metadata"}, where)
		require.Equal(t, before, exportCSV(t, db))
	})
	t.Run("Applied", func(t *testing.T) {
		res, err := db.ImportCatalogCSV(ctx, strings.NewReader("\xef\xbb\xbf"+fileOf(newRow, deactivate)), false)
		require.NoError(t, err)
		require.Empty(t, res.Errors)
		require.Contains(t, searchSKUs(t, db, "teava 99x33x3"), "TR-99x33x3-S235")
		_, err = db.GetProduct(ctx, existingSKU)
		require.Equal(t, store.ECodeNotFound, store.ErrorCode(err), "deactivated")
		p, err := db.GetProduct(ctx, "TR-99x33x3-S235")
		require.NoError(t, err)
		require.Equal(t, 21.5, p.PricePerUnit)
		entries, _, err := db.FindAudit(ctx, store.AuditFilter{Entity: "product", Page: 1, Limit: 10})
		require.NoError(t, err)
		require.Len(t, entries, 2, "one audit row per product changed")
		require.Equal(t, "product.import", entries[0].Action)
	})
	t.Run("BadFiles", func(t *testing.T) {
		for name, file := range map[string]string{
			"MissingColumn": "sku,title\nA,B\n",
			"Empty":         header + "\n",
			"NotUTF8":       header + "\nTR-1;\xe2eav\xe3;x\n",
			"OpenQuote":     fileOf(`TR-1;"Țeavă;x`),
		} {
			res, err := db.ImportCatalogCSV(ctx, strings.NewReader(file), false)
			require.NoError(t, err, name)
			require.NotEmpty(t, res.Errors, name)
		}
	})
}

// BenchmarkCatalogCSV_Import5000 applies a 5,000-row file of new products in one transaction.
func BenchmarkCatalogCSV_Import5000(b *testing.B) {
	header := "sku,title,category,grade,standard,dimensions,availability,baseUnit,pricePerUnit,weight,lengthM,isActive,metadata\n"
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := storetest.MustOpenSeeded(b)
		ctx := adminCtx(b, db)
		var sb strings.Builder
		sb.WriteString(header)
		for n := 0; n < 5000; n++ {
			fmt.Fprintf(&sb, "TR-%dx20x2-S235-%d,Țeavă rectangulară %dx20x2 mm S235JR,tevi-rectangulare,S235JR,EN 10219,%dx20x2 mm,in_stock,m,%d.50,1.5,6,true,\n",
				n+100, i, n+100, n+100, n%90+10)
		}
		b.StartTimer()
		res, err := db.ImportCatalogCSV(ctx, strings.NewReader(sb.String()), false)
		if err != nil || len(res.Errors) > 0 || res.Created != 5000 {
			b.Fatalf("%v %v %d", err, res.Errors, res.Created)
		}
	}
}
