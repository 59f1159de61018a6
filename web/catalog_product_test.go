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

// productForm is the edit form of the test catalog's pipe as the page fills it in.
func pipeForm(price string) url.Values {
	return url.Values{"sku": {"TR-40x40x3"}, "title": {"Țeavă rectangulară 40x40x3 mm S235JR"}, "category": {"test"},
		"availability": {"in_stock"}, "baseUnit": {"m"}, "pricePerUnit": {price}, "weight": {"8,5"}, "lengthM": {"6"},
		"isActive": {"1"}}
}

func TestCatalogEditProduct(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	c := storetest.MustCreateCatalog(t, e.DB)
	b := e.signIn(t, e.Admin)

	t.Run("SavesAndTheShopShowsIt", func(t *testing.T) {
		b.Get("/admin/catalog/products/" + c.Pipe)
		if b.Status != http.StatusOK {
			t.Fatalf("status %d\n%s", b.Status, b.Text())
		}
		if !strings.Contains(b.Page, `name="pricePerUnit" value="51"`) || !strings.Contains(b.Page, `value="8,5"`) {
			t.Fatalf("the form does not show the product's values:\n%s", b.Page)
		}
		b.Submit("/admin/catalog/products/"+c.Pipe, pipeForm("53,40"))
		if b.Status != http.StatusOK || b.At != "/admin/catalog/products/"+c.Pipe {
			t.Fatalf("after saving: %d at %s\n%s", b.Status, b.At, b.Text())
		}
		b.Sees("Produsul TR-40x40x3 a fost salvat.")
		shop, err := e.DB.GetProduct(ctx, "TR-40x40x3")
		if err != nil || shop.PricePerUnit != 53.4 {
			t.Fatalf("the storefront's product: %+v %v", shop, err)
		}
		b.Get("/admin/catalog/products/" + c.Pipe)
		b.DoesNotSee("a fost salvat") // the message shows once
	})

	t.Run("ErrBadInputChangesNothing", func(t *testing.T) {
		before, err := e.DB.AdminProduct(ctx, c.Pipe)
		if err != nil {
			t.Fatal(err)
		}
		b.Get("/admin/catalog/products/" + c.Pipe)
		form := pipeForm("12,345")
		form.Set("title", "Țeavă nouă <b>")
		form.Set("weight", "opt virgulă cinci")
		form.Set("metadata", `{"pricePerKg":`)
		b.Submit("/admin/catalog/products/"+c.Pipe, form)
		if b.Status != http.StatusBadRequest {
			t.Fatalf("status %d\n%s", b.Status, b.Text())
		}
		// Every problem at once, each beside its field.
		b.Sees("Produsul nu a fost salvat. Corectează câmpurile marcate.", "Prețul poate avea cel mult 2 zecimale (bani).",
			"Scrie un număr, de exemplu 12,50.", "Specificațiile trebuie să fie un obiect JSON de cel mult 4 KB.")
		if !strings.Contains(b.Page, `value="12,345"`) || !strings.Contains(b.Page, `value="Țeavă nouă &lt;b&gt;"`) {
			t.Fatalf("the typed values are not kept:\n%s", b.Page)
		}
		after, err := e.DB.AdminProduct(ctx, c.Pipe)
		if err != nil || after.PricePerUnit != before.PricePerUnit || after.Title != before.Title || !after.UpdatedAt.Equal(before.UpdatedAt) {
			t.Fatalf("a refused edit changed the product: %+v", after)
		}

		b.Submit("/admin/catalog/products/"+c.Pipe, pipeForm("cincizeci"))
		if b.Status != http.StatusBadRequest {
			t.Fatalf("status %d", b.Status)
		}
		b.Sees("Scrie un număr, de exemplu 12,50.")
		b.DoesNotSee("Prețul trebuie să fie mai mare decât zero") // one message per field

		form = pipeForm("51")
		form.Set("weight", "")
		b.Submit("/admin/catalog/products/"+c.Pipe, form)
		if b.Status != http.StatusBadRequest {
			t.Fatalf("status %d", b.Status)
		}
		b.Sees("Greutatea pe unitatea de bază (kg/m sau kg/buc.) este obligatorie.")

		form = pipeForm("51")
		form.Set("sku", "TN-2x1000x2000")
		b.Submit("/admin/catalog/products/"+c.Pipe, form)
		if b.Status != http.StatusBadRequest {
			t.Fatalf("status %d", b.Status)
		}
		b.Sees("Există deja un produs cu acest cod (SKU).")
	})

	t.Run("NewProduct", func(t *testing.T) {
		b.Get("/admin/catalog/products/new")
		form := url.Values{"sku": {"PL-40x5"}, "title": {"Platbandă 40x5 mm S235JR"}, "category": {"test"},
			"availability": {"on_order"}, "baseUnit": {"m"}, "pricePerUnit": {"9,90"}, "weight": {"1,57"}, "isActive": {"1"}}
		b.Submit("/admin/catalog/products/new", form)
		if b.Status != http.StatusOK || !strings.HasPrefix(b.At, "/admin/catalog/products/") {
			t.Fatalf("after creating: %d at %s\n%s", b.Status, b.At, b.Text())
		}
		b.Sees("Produsul PL-40x5 a fost salvat.")
		p, err := e.DB.GetProduct(ctx, "PL-40x5")
		if err != nil || p.PricePerUnit != 9.9 || p.Availability != "on_order" {
			t.Fatalf("new product: %+v %v", p, err)
		}
	})

	t.Run("ErrUnknownProduct", func(t *testing.T) {
		b.Get("/admin/catalog/products/" + store.NewID())
		if b.Status != http.StatusNotFound {
			t.Fatalf("status %d", b.Status)
		}
	})
}
