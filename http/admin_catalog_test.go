package apphttp_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
)

// backOffice is a shop with one visitor per kind of caller the role checks tell apart.
type backOffice struct {
	*shop
	anonymous, customer, operator, admin, disabled *shopVisitor
}

func startBackOffice(t *testing.T) backOffice {
	t.Helper()
	s := MustStartShop(t, nil)
	ctx := context.Background()
	b := backOffice{shop: s, anonymous: s.NewVisitor(t), customer: s.NewVisitor(t), operator: s.NewVisitor(t),
		admin: s.NewVisitor(t), disabled: s.NewVisitor(t)}
	for _, staff := range []struct {
		email, role string
		v           *shopVisitor
	}{{"operator@metalpro.ro", store.RoleOperator, b.operator}, {"admin@metalpro.ro", store.RoleAdmin, b.admin},
		{"plecat@metalpro.ro", store.RoleAdmin, b.disabled}} {
		_, err := s.DB.CreateStaff(ctx, store.Signup{Email: staff.email, Password: testPassword, Name: "Staff", Role: staff.role})
		require.NoError(t, err)
		staff.v.Login(staff.email)
	}
	b.customer.Signup("client@firma.ro")
	// Disabled as the staff commands do it: the account is marked and its sessions end.
	require.NoError(t, s.DB.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(`UPDATE users SET disabled_at = ? WHERE email = 'plecat@metalpro.ro'`, store.FormatTime(tx.Now)); err != nil {
			return err
		}
		_, err := tx.Exec(`DELETE FROM auth_sessions WHERE user_id = (SELECT id FROM users WHERE email = 'plecat@metalpro.ro')`)
		return err
	}))
	return b
}

// requireAdminOnly checks who may call method path: anonymous 401, customer the back
// office's 404, operator 403, a disabled admin 401; the admin's answer is returned.
func (b backOffice) requireAdminOnly(t *testing.T, method, path string, body any) shopResponse {
	t.Helper()
	for _, c := range []struct {
		who    string
		v      *shopVisitor
		status int
	}{{"anonymous", b.anonymous, 401}, {"customer", b.customer, 404}, {"operator", b.operator, 403}, {"disabled", b.disabled, 401}} {
		r := c.v.Do(method, path, body)
		require.Equal(t, c.status, r.StatusCode, "%s %s as %s: %s", method, path, c.who, r.Body)
	}
	return b.admin.Do(method, path, body)
}

type adminProductJSON struct {
	ID           string   `json:"id"`
	SKU          string   `json:"sku"`
	Title        string   `json:"title"`
	PricePerUnit float64  `json:"pricePerUnit"`
	Weight       *float64 `json:"weight"`
	IsActive     bool     `json:"isActive"`
}

func (b backOffice) storefrontSKUs(t *testing.T, q string) []string {
	t.Helper()
	r := b.anonymous.Do(http.MethodGet, "/api/products?limit=100&q="+url.QueryEscape(q), nil)
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	var list struct{ Products []struct{ SKU string } }
	r.JSON(t, &list)
	var out []string
	for _, p := range list.Products {
		out = append(out, p.SKU)
	}
	return out
}

var newBeam = map[string]any{"sku": "HEA-999-S235", "title": "Profil HEA 999 S235JR", "category": "test", "grade": "S235JR",
	"standard": "EN 10365", "dimensions": "HEA 999", "availability": "on_order", "baseUnit": "m", "pricePerUnit": 450.5,
	"weight": 80.25, "lengthM": 12}

// An admin adds, changes and withdraws a product; each change shows on the storefront's
// list and search at once (the cached list too), and is in the audit log with its actor.
func TestAdminCatalog_ProductLifecycle(t *testing.T) {
	b := startBackOffice(t)
	require.Empty(t, b.storefrontSKUs(t, "HEA 999"), "warms the storefront's cache before the change")

	r := b.requireAdminOnly(t, http.MethodPost, "/api/admin/products", newBeam)
	require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
	var p adminProductJSON
	r.JSON(t, &p)
	require.True(t, p.IsActive)
	require.Equal(t, []string{"HEA-999-S235"}, b.storefrontSKUs(t, "HEA 999"))

	r = b.admin.Do(http.MethodPost, "/api/admin/products", newBeam)
	require.Equal(t, http.StatusBadRequest, r.StatusCode)
	require.Equal(t, "sku", r.Err(t).Details[0].Field)
	bad := map[string]any{"sku": "X", "title": "Profil", "category": "nu-exista", "availability": "azi", "baseUnit": "t", "pricePerUnit": -1}
	r = b.admin.Do(http.MethodPost, "/api/admin/products", bad, "Accept-Language", "en")
	require.Equal(t, http.StatusBadRequest, r.StatusCode)
	var fields []string
	for _, d := range r.Err(t).Details {
		fields = append(fields, d.Field)
	}
	require.ElementsMatch(t, []string{"sku", "category", "availability", "baseUnit", "pricePerUnit", "weight"}, fields)

	path := "/api/admin/products/" + p.ID
	r = b.requireAdminOnly(t, http.MethodPatch, path, map[string]any{"pricePerUnit": 470, "dimensions": nil})
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	r = b.anonymous.Do(http.MethodGet, "/api/products/HEA-999-S235", nil)
	require.Contains(t, string(r.Body), `"pricePerUnit":470`)
	require.Contains(t, string(r.Body), `"dimensions":null`)

	r = b.admin.Do(http.MethodPatch, "/api/admin/products/"+store.NewID(), map[string]any{"pricePerUnit": 1})
	require.Equal(t, http.StatusNotFound, r.StatusCode)

	r = b.requireAdminOnly(t, http.MethodDelete, path, nil)
	require.Equal(t, http.StatusNoContent, r.StatusCode, "%s", r.Body)
	require.Empty(t, b.storefrontSKUs(t, "HEA 999"))
	r = b.anonymous.Do(http.MethodGet, "/api/products/HEA-999-S235", nil)
	require.Equal(t, http.StatusNotFound, r.StatusCode)

	r = b.admin.Do(http.MethodGet, "/api/admin/audit?entity=product&entityId="+p.ID, nil)
	var audit struct {
		Entries []struct {
			Action string
			Actor  struct{ Label string }
		}
	}
	r.JSON(t, &audit)
	require.Len(t, audit.Entries, 3)
	for i, action := range []string{"product.deactivate", "product.update", "product.create"} {
		require.Equal(t, action, audit.Entries[i].Action)
		require.Equal(t, "admin@metalpro.ro", audit.Entries[i].Actor.Label)
	}
}

// A withdrawn product stays in the carts that hold it: the line is shown as unavailable,
// without a price and out of the total, the customer can remove it, and an RFQ cannot be
// sent with it.
func TestAdminCatalog_DeactivatedProductInACart(t *testing.T) {
	b := startBackOffice(t)
	b.customer.MustAdd(b.cat.Pipe, 2, "m")
	b.customer.MustAdd(b.cat.Wire, 10, "kg")
	before := b.customer.Cart()
	require.Equal(t, http.StatusNoContent, b.admin.Do(http.MethodDelete, "/api/admin/products/"+b.cat.Pipe, nil).StatusCode)

	c := b.customer.Cart()
	require.Len(t, c.Items, 2)
	require.Nil(t, c.Items[0].UnitPrice, "no price for a withdrawn product")
	require.Nil(t, c.Items[0].LineTotal)
	require.Less(t, c.EstimatedTotal, before.EstimatedTotal)
	require.Equal(t, 72.0, c.EstimatedTotal, "only the wire: 10 kg × 7,20 lei")

	r := b.customer.Do(http.MethodDelete, "/api/cart/items/"+c.Items[0].ID, nil)
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	require.Len(t, b.customer.Cart().Items, 1)
}

func TestAdminCatalog_Categories(t *testing.T) {
	b := startBackOffice(t)
	r := b.requireAdminOnly(t, http.MethodPost, "/api/admin/categories", map[string]any{"slug": "tevi-cupru", "name": "Țevi cupru", "sortOrder": 170})
	require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
	var c struct{ ID, Slug string }
	r.JSON(t, &c)
	r = b.admin.Do(http.MethodPost, "/api/admin/categories", map[string]any{"slug": "tevi-cupru", "name": "Altele"})
	require.Equal(t, http.StatusBadRequest, r.StatusCode)

	r = b.requireAdminOnly(t, http.MethodPatch, "/api/admin/categories/"+c.ID, map[string]any{"name": "Țevi de cupru", "icon": nil})
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	r = b.anonymous.Do(http.MethodGet, "/api/categories", nil)
	require.Contains(t, string(r.Body), "Țevi de cupru", "the cached category list changed at once")

	beam := map[string]any{}
	for k, v := range newBeam {
		beam[k] = v
	}
	beam["category"] = "tevi-cupru"
	require.Equal(t, http.StatusCreated, b.admin.Do(http.MethodPost, "/api/admin/products", beam).StatusCode)
	r = b.anonymous.Do(http.MethodGet, "/api/products?category=tevi-cupru", nil)
	require.Contains(t, string(r.Body), "HEA-999-S235")
}

// An admin exports the catalog, changes a price in a spreadsheet (Romanian settings: ';',
// decimal comma) and imports it back: a dry run first, then for real; a file with an error
// is refused whole, with the line and column of each problem.
func TestAdminCatalog_ExportEditImport(t *testing.T) {
	b := startBackOffice(t)
	r := b.requireAdminOnly(t, http.MethodGet, "/api/admin/catalog/export.csv", nil)
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	require.Equal(t, "text/csv; charset=utf-8", r.Header.Get("Content-Type"))
	require.Contains(t, r.Header.Get("Content-Disposition"), "attachment")
	export := string(r.Body)
	require.Contains(t, export, "TR-40x40x3,Țeavă rectangulară 40x40x3 mm S235JR,test,,,,in_stock,m,51,8.5,6,true,\n")
	require.Contains(t, export, "OLD-1,", "inactive products are exported too")

	edited := strings.ReplaceAll(export, ",", ";")
	edited = strings.Replace(edited, "in_stock;m;51;8.5;6;true;", "in_stock;m;55,90;8,5;6;true;", 1)
	for _, who := range []struct {
		v      *shopVisitor
		status int
	}{{b.anonymous, 401}, {b.customer, 404}, {b.operator, 403}, {b.disabled, 401}} {
		require.Equal(t, who.status, who.v.UploadBytes("/api/admin/catalog/import?dryRun=true", "catalog.csv", []byte(edited)).StatusCode)
	}
	var report struct {
		DryRun                        bool
		Created, Updated, Deactivated int
		Changes                       []struct {
			Line   int
			SKU    string
			Action string
			Fields []string
		}
		Errors []struct {
			Line           int
			Field, Message string
		}
		Code string
	}
	r = b.admin.UploadBytes("/api/admin/catalog/import?dryRun=true", "catalog.csv", []byte(edited))
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	r.JSON(t, &report)
	require.True(t, report.DryRun)
	require.Equal(t, 1, report.Updated)
	require.Equal(t, "TR-40x40x3", report.Changes[0].SKU)
	require.Equal(t, []string{"pricePerUnit"}, report.Changes[0].Fields)
	require.Contains(t, string(b.anonymous.Do(http.MethodGet, "/api/products/TR-40x40x3", nil).Body), `"pricePerUnit":51,`, "a dry run changes nothing")

	broken := edited + "NEW-1;Produs nou;test;;;;in_stock;m;abc;1;;true;\n"
	r = b.admin.UploadBytes("/api/admin/catalog/import?dryRun=false", "catalog.csv", []byte(broken))
	require.Equal(t, http.StatusBadRequest, r.StatusCode, "%s", r.Body)
	r.JSON(t, &report)
	require.Equal(t, "invalid", report.Code)
	require.Len(t, report.Errors, 1)
	require.Equal(t, 6, report.Errors[0].Line, "header, four products, then the broken line")
	require.Equal(t, "pricePerUnit", report.Errors[0].Field)
	require.Contains(t, string(b.anonymous.Do(http.MethodGet, "/api/products/TR-40x40x3", nil).Body), `"pricePerUnit":51,`, "nothing applied")

	r = b.admin.UploadBytes("/api/admin/catalog/import?dryRun=false", "catalog.csv", []byte(edited))
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	require.Contains(t, string(b.anonymous.Do(http.MethodGet, "/api/products/TR-40x40x3", nil).Body), `"pricePerUnit":55.9,`)

	r = b.admin.Do(http.MethodPost, "/api/admin/catalog/import", `{"file":"x"}`)
	require.Equal(t, http.StatusBadRequest, r.StatusCode, "not multipart")
}

// This week's steel price: S235JR up 4 %. The dry run lists the changes, the change shows
// in the storefront's (cached) list at once, and one audit row lists every product.
func TestAdminCatalog_BulkPriceChange(t *testing.T) {
	b := startBackOffice(t)
	r := b.anonymous.Do(http.MethodGet, "/api/products/TR-40x40x3", nil)
	require.Contains(t, string(r.Body), `"pricePerUnit":51,`)
	change := map[string]any{"category": "test", "percent": 4, "dryRun": true}
	r = b.requireAdminOnly(t, http.MethodPost, "/api/admin/catalog/prices", change)
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	var res struct {
		DryRun  bool
		Count   int
		Changes []struct {
			SKU                string
			OldPrice, NewPrice float64
		}
	}
	r.JSON(t, &res)
	require.True(t, res.DryRun)
	require.Equal(t, 4, res.Count, "the test catalog's four products, the withdrawn one too")
	require.Contains(t, string(b.anonymous.Do(http.MethodGet, "/api/products/TR-40x40x3", nil).Body), `"pricePerUnit":51,`)

	change["dryRun"] = false
	r = b.admin.Do(http.MethodPost, "/api/admin/catalog/prices", change)
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	require.Contains(t, string(b.anonymous.Do(http.MethodGet, "/api/products/TR-40x40x3", nil).Body), `"pricePerUnit":53.04,`, "51 lei + 4 %")

	r = b.admin.Do(http.MethodPost, "/api/admin/catalog/prices", map[string]any{"category": "test", "amount": -60})
	require.Equal(t, http.StatusBadRequest, r.StatusCode, "would make prices negative: %s", r.Body)
	require.Equal(t, "amount", r.Err(t).Details[0].Field)

	r = b.admin.Do(http.MethodGet, "/api/admin/audit?entity=catalog", nil)
	var audit struct{ Entries []struct{ Action string } }
	r.JSON(t, &audit)
	require.Len(t, audit.Entries, 1)
	require.Equal(t, "catalog.prices", audit.Entries[0].Action)
}
