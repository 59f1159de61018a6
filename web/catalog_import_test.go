package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/metalpro/backend/store/storetest"
)

const importHeader = "sku,title,category,grade,standard,dimensions,availability,baseUnit,pricePerUnit,weight,lengthM,isActive,metadata\n"

func TestCatalogImport(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	storetest.MustCreateCatalog(t, e.DB)
	b := e.signIn(t, e.Admin)

	t.Run("ErrLinesReportedNothingApplied", func(t *testing.T) {
		b.Get("/admin/catalog/import")
		file := importHeader +
			"PL-40x5,Platbandă 40x5 mm,test,S235JR,,40x5,in_stock,m,\"9,90\",1.57,6,true,\n" +
			"PL-50x5,Platbandă 50x5 mm,nu-exista,,,,in_stock,m,abc,1.96,,true,\n"
		b.Upload("/admin/catalog/import", "file", "platbanda.csv", []byte(file))
		if b.Status != http.StatusBadRequest {
			t.Fatalf("status %d\n%s", b.Status, b.Text())
		}
		b.Sees("Fișierul are erori; nu se poate aplica nimic.", "3 category Categoria nu există.",
			"3 pricePerUnit Trebuie să fie un număr (de exemplu 12,50).")
		b.DoesNotSee("Aplică importul")
		if _, err := e.DB.GetProduct(ctx, "PL-40x5"); err == nil {
			t.Fatal("a rejected file created a product")
		}
	})

	t.Run("CheckThenApply", func(t *testing.T) {
		b.Get("/admin/catalog/import")
		file := importHeader +
			"PL-40x5,Platbandă 40x5 mm,test,S235JR,,40x5,in_stock,m,\"9,90\",1.57,6,true,\n" +
			"SR-6,Sârmă neagră 6 mm,test,,,,in_stock,kg,7.5,1,,true,\n" +
			"TN-2x1000x2000,Tablă neagră 2x1000x2000 mm,test,,,,in_stock,pcs,175.84,31.4,,false,\n"
		b.Upload("/admin/catalog/import", "file", "catalog.csv", []byte(file))
		if b.Status != http.StatusOK {
			t.Fatalf("status %d\n%s", b.Status, b.Text())
		}
		b.Sees("Produse noi 1", "Produse actualizate 1", "Produse retrase 1", "Erori 0", "Nimic nu s-a schimbat încă.")
		if _, err := e.DB.GetProduct(ctx, "PL-40x5"); err == nil {
			t.Fatal("the check created a product")
		}
		b.Submit("/admin/catalog/import", map[string][]string{"apply": {b.HiddenValue("apply")}})
		if b.Status != http.StatusOK || b.At != "/admin/catalog/import" {
			t.Fatalf("apply: %d at %s\n%s", b.Status, b.At, b.Text())
		}
		b.Sees("Importul a fost aplicat: 1 produse noi, 1 actualizate, 1 retrase.")
		if p, err := e.DB.GetProduct(ctx, "PL-40x5"); err != nil || p.PricePerUnit != 9.9 {
			t.Fatalf("imported product: %+v %v", p, err)
		}
		if p, err := e.DB.GetProduct(ctx, "SR-6"); err != nil || p.PricePerUnit != 7.5 {
			t.Fatalf("updated product: %+v %v", p, err)
		}
		if _, err := e.DB.GetProduct(ctx, "TN-2x1000x2000"); err == nil {
			t.Fatal("the sheet is still on sale")
		}

		// The same token cannot apply twice.
		b.Submit("/admin/catalog/import", map[string][]string{"apply": {"a-token-from-before"}})
		if b.Status != http.StatusConflict {
			t.Fatalf("a stale apply: %d", b.Status)
		}
		b.Sees("Fișierul verificat nu mai este disponibil")
	})

	t.Run("ErrNoFile", func(t *testing.T) {
		b.Get("/admin/catalog/import")
		b.Upload("/admin/catalog/import", "file", "gol.csv", nil)
		if b.Status != http.StatusBadRequest {
			t.Fatalf("status %d", b.Status)
		}
		b.Sees("Alege fișierul CSV de verificat.")
	})

	t.Run("ExportImportsCleanly", func(t *testing.T) {
		b.Get("/admin/catalog/export.csv")
		if b.Status != http.StatusOK {
			t.Fatalf("status %d", b.Status)
		}
		if ct, cd := b.Header.Get("Content-Type"), b.Header.Get("Content-Disposition"); ct != "text/csv; charset=utf-8" ||
			!strings.HasPrefix(cd, `attachment; filename="catalog-metalpro-`) {
			t.Fatalf("headers %q %q", ct, cd)
		}
		var api strings.Builder
		if err := e.DB.ExportCatalogCSV(ctx, &api); err != nil {
			t.Fatal(err)
		}
		if b.Page != api.String() {
			t.Fatal("the download is not the API's export")
		}
		export := []byte(b.Page)
		if !strings.Contains(b.Page, "PL-40x5") {
			t.Fatalf("the export lacks the imported product:\n%s", b.Page)
		}
		b.Get("/admin/catalog/import")
		b.Upload("/admin/catalog/import", "file", "export.csv", export)
		if b.Status != http.StatusOK {
			t.Fatalf("status %d\n%s", b.Status, b.Text())
		}
		b.Sees("Erori 0", "Fișierul nu schimbă nimic în catalog.")
	})
}

func TestCatalogImportTooLarge(t *testing.T) {
	e := newTestEnv(t)
	b := e.signIn(t, e.Admin)
	b.Get("/admin/catalog/import")
	big := make([]byte, 21<<20)
	b.Upload("/admin/catalog/import", "file", "mare.csv", big)
	if b.Status != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d\n%s", b.Status, b.Text())
	}
	b.Sees("un fișier de import are cel mult 20 MB")
}
