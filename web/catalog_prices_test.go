package web_test

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// pricesBySKU is every product's price, withdrawn ones too.
func pricesBySKU(t *testing.T, db *store.DB) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	list, err := db.SearchProducts(context.Background(), store.ProductFilter{IncludeInactive: true, Page: 1, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list.Items {
		out[p.SKU] = p.PricePerUnit
	}
	return out
}

func TestCatalogPrices(t *testing.T) {
	e := newTestEnv(t)
	c := storetest.MustCreateCatalog(t, e.DB)
	staff := store.WithActor(context.Background(), store.Actor{UserID: e.Admin.ID, Label: e.Admin.Email})
	grade := "S235JR"
	for _, id := range []string{c.Pipe, c.Sheet} {
		if _, err := e.DB.UpdateProduct(staff, id, store.ProductPatch{Grade: &grade}); err != nil {
			t.Fatal(err)
		}
	}
	b := e.signIn(t, e.Admin)
	start := pricesBySKU(t, e.DB)

	// The S235JR products of the category: the pipe and the sheet, not the wire.
	b.Get("/admin/catalog/prices?" + url.Values{"category": {"test"}, "grade": {"S235JR"}, "mode": {"percent"}, "value": {"10"}}.Encode())
	if b.Status != http.StatusOK {
		t.Fatalf("preview: %d\n%s", b.Status, b.Text())
	}
	b.Sees("Previzualizare: 2 produse", "Nimic nu s-a schimbat încă.", "51,00 RON / m", "56,10 RON / m", "193,42 RON / buc.")
	b.DoesNotSee("SR-6")
	if got := pricesBySKU(t, e.DB); !maps.Equal(got, start) {
		t.Fatalf("the preview changed prices: %v → %v", start, got)
	}
	previewed := rowSKUs(b.Page)

	b.Submit("/admin/catalog/prices", url.Values{"category": {b.HiddenValue("category")}, "grade": {b.HiddenValue("grade")},
		"standard": {b.HiddenValue("standard")}, "mode": {b.HiddenValue("mode")}, "value": {b.HiddenValue("value")},
		"expect": {b.HiddenValue("expect")}})
	if b.Status != http.StatusOK || b.At != "/admin/catalog/prices" {
		t.Fatalf("apply: %d at %s\n%s", b.Status, b.At, b.Text())
	}
	b.Sees("Prețurile a 2 produse au fost schimbate.")
	after := pricesBySKU(t, e.DB)
	var changed []string
	for sku, p := range after {
		if p != start[sku] {
			changed = append(changed, sku)
		}
	}
	slices.Sort(changed)
	slices.Sort(previewed)
	if !slices.Equal(changed, previewed) {
		t.Fatalf("applied to %v, previewed %v", changed, previewed)
	}
	if after["TR-40x40x3"] != 56.1 || after["TN-2x1000x2000"] != 193.42 || after["SR-6"] != 7.2 {
		t.Fatalf("prices after: %v", after)
	}

	t.Run("ErrBadChange", func(t *testing.T) {
		b.Get("/admin/catalog/prices?" + url.Values{"category": {"test"}, "mode": {"percent"}, "value": {"-95"}}.Encode())
		if b.Status != http.StatusBadRequest {
			t.Fatalf("status %d", b.Status)
		}
		b.Sees("Procentul trebuie să fie între -90 și 500")
		if !strings.Contains(b.Page, `value="-95"`) {
			t.Fatal("the typed value is not kept")
		}
		b.Get("/admin/catalog/prices?" + url.Values{"mode": {"amount"}, "value": {"2"}}.Encode())
		if b.Status != http.StatusBadRequest {
			t.Fatalf("status %d", b.Status)
		}
		b.Sees("Alege categoria, marca sau standardul produselor de schimbat.")
		b.Get("/admin/catalog/prices")
		b.Submit("/admin/catalog/prices", url.Values{"category": {"test"}, "mode": {"amount"}, "value": {"-1000"}, "expect": {"x"}})
		if b.Status != http.StatusBadRequest {
			t.Fatalf("apply a bad change: %d", b.Status)
		}
		b.Sees("Schimbarea ar duce prețul a 4 produse la zero")
		b.Submit("/admin/catalog/prices", url.Values{"category": {"test"}, "mode": {"amount"}, "value": {"1"}})
		if b.Status != http.StatusBadRequest {
			t.Fatalf("apply without a preview: %d", b.Status)
		}
		b.Sees("Previzualizează schimbarea înainte de a o aplica.")
		if got := pricesBySKU(t, e.DB); !maps.Equal(got, after) {
			t.Fatalf("a refused change changed prices: %v", got)
		}
	})
}

// rowSKUs are the data-sku values of the page's table rows.
func rowSKUs(page string) []string {
	var out []string
	for _, part := range strings.Split(page, `<tr data-sku="`)[1:] {
		out = append(out, part[:strings.Index(part, `"`)])
	}
	return out
}

// A change applies only as previewed: if the catalog moved in between, nothing changes and
// the page shows the list as it now is.
func TestCatalogPricesErrMovedSincePreview(t *testing.T) {
	e := newTestEnv(t)
	c := storetest.MustCreateCatalog(t, e.DB)
	b := e.signIn(t, e.Admin)
	b.Get("/admin/catalog/prices?" + url.Values{"category": {"test"}, "mode": {"amount"}, "value": {"1"}}.Encode())
	b.Sees("Previzualizare: 4 produse", "51,00 RON / m", "52,00 RON / m")
	expect := b.HiddenValue("expect")

	staff := store.WithActor(context.Background(), store.Actor{UserID: e.Admin.ID, Label: e.Admin.Email})
	price := 60.0
	if _, err := e.DB.UpdateProduct(staff, c.Pipe, store.ProductPatch{PricePerUnit: &price}); err != nil {
		t.Fatal(err)
	}
	start := pricesBySKU(t, e.DB)
	b.Submit("/admin/catalog/prices", url.Values{"category": {"test"}, "mode": {"amount"}, "value": {"1"}, "expect": {expect}})
	if b.Status != http.StatusConflict {
		t.Fatalf("status %d\n%s", b.Status, b.Text())
	}
	b.Sees("s-au schimbat de la previzualizare; nu s-a aplicat nimic", "60,00 RON / m", "61,00 RON / m")
	if got := pricesBySKU(t, e.DB); !maps.Equal(got, start) {
		t.Fatalf("a stale preview changed prices: %v → %v", start, got)
	}
}
