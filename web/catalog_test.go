package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// The catalog search is the storefront's: the same words find the same products in the
// same order.
func TestCatalogSearch(t *testing.T) {
	e := newSeededTestEnv(t)
	ctx := context.Background()
	b := e.signIn(t, e.Operator)

	t.Run("SameAsStorefront", func(t *testing.T) {
		b.Get("/admin/catalog?q=" + url.QueryEscape("profil u 100"))
		if b.Status != http.StatusOK {
			t.Fatalf("status %d\n%s", b.Status, b.Text())
		}
		shop, err := e.DB.SearchProducts(ctx, store.ProductFilter{Query: "profil u 100", Page: 1, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(shop.Items) == 0 || shop.Items[0].SKU != "UPN-100-S235" {
			t.Fatalf("the storefront's search changed: %v", shop.Items)
		}
		first := strings.Index(b.Page, `data-sku="`)
		if first < 0 || !strings.HasPrefix(b.Page[first:], `data-sku="UPN-100-S235"`) {
			t.Fatalf("the first row is not UPN-100-S235:\n%s", b.Text())
		}
		b.Sees(shop.Items[0].Title, "Profile UPN")
	})

	t.Run("CategoryFilter", func(t *testing.T) {
		b.Get("/admin/catalog?category=profile-upn")
		b.Sees("UPN-100-S235")
		b.DoesNotSee("HEA-200")
		b.Get("/admin/catalog?category=nu-exista")
		if b.Status != http.StatusBadRequest {
			t.Fatalf("unknown category: status %d", b.Status)
		}
		b.Sees("Categoria nu există.")
	})

	t.Run("Pagination", func(t *testing.T) {
		b.Get("/admin/catalog?category=profile-upn")
		if !strings.Contains(b.Page, `rel="next"`) {
			t.Skip("the UPN category fits one page")
		}
		b.Get("/admin/catalog?category=profile-upn&page=2")
		b.Sees("Pagina 2 din")
	})

	t.Run("WithdrawnOnlyForAdmins", func(t *testing.T) {
		staff := store.WithActor(ctx, store.Actor{UserID: e.Admin.ID, Label: e.Admin.Email})
		p, err := e.DB.GetProduct(ctx, "UPN-120-S235")
		if err != nil {
			t.Fatal(err)
		}
		if err := e.DB.DeactivateProduct(staff, p.ID); err != nil {
			t.Fatal(err)
		}
		b.Get("/admin/catalog?category=profile-upn&inactive=1")
		b.DoesNotSee("UPN-120-S235") // an operator's "inactive" is ignored
		a := e.signIn(t, e.Admin)
		a.Get("/admin/catalog?category=profile-upn")
		a.DoesNotSee("UPN-120-S235")
		a.Get("/admin/catalog?category=profile-upn&inactive=1")
		a.Sees("UPN-120-S235", "retras")
	})
}

// Operators read the catalog; every change and the audit log are an admin's.
func TestCatalogOperatorLimits(t *testing.T) {
	e := newTestEnv(t)
	c := storetest.MustCreateCatalog(t, e.DB)
	b := e.signIn(t, e.Operator)
	b.Get("/admin/catalog")
	b.Sees("TR-40x40x3", "51,00 RON / m", "8,5 kg")
	b.DoesNotSee("Export CSV", "Schimbă prețuri")
	for _, path := range []string{"/admin/catalog/products/" + c.Pipe, "/admin/catalog/products/new", "/admin/catalog/prices",
		"/admin/catalog/prices?category=test&mode=percent&value=5", "/admin/catalog/import", "/admin/catalog/export.csv", "/admin/audit"} {
		b.Get(path)
		if b.Status != http.StatusForbidden {
			t.Fatalf("GET %s as an operator: %d", path, b.Status)
		}
		b.Sees("Doar un administrator poate deschide această pagină.")
	}
	b.Get("/admin/catalog")
	b.Submit("/admin/catalog/products/"+c.Pipe, url.Values{"sku": {"TR-40x40x3"}, "title": {"Altceva"}, "pricePerUnit": {"1"}})
	if b.Status != http.StatusForbidden {
		t.Fatalf("POST edit as an operator: %d", b.Status)
	}
	b.Get("/admin/catalog")
	b.Submit("/admin/catalog/prices", url.Values{"category": {"test"}, "mode": {"percent"}, "value": {"50"}})
	if b.Status != http.StatusForbidden {
		t.Fatalf("POST prices as an operator: %d", b.Status)
	}
	p, err := e.DB.AdminProduct(context.Background(), c.Pipe)
	if err != nil || p.PricePerUnit != 51 || p.Title != "Țeavă rectangulară 40x40x3 mm S235JR" {
		t.Fatalf("an operator changed the product: %+v %v", p, err)
	}
}

// The catalog in English, with units and money as the team reads them.
func TestCatalogEnglish(t *testing.T) {
	e := newTestEnv(t)
	storetest.MustCreateCatalog(t, e.DB)
	b := e.signIn(t, e.Admin)
	b.Submit("/admin/lang", url.Values{"lang": {"en"}})
	b.Get("/admin/catalog")
	b.Sees("Price excl. VAT", "3 products", "175,84 RON / buc.", "CSV export")
	b.Get("/admin/catalog/prices")
	b.Sees("Change prices", "percentage (%)")
	b.Get("/admin/catalog/import")
	b.Sees("Check the file")
}
