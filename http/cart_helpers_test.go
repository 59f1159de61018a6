package apphttp_test

import (
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/http/apitest"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// shop is a running API over a real database file, with a small catalog.
type shop struct {
	URL string
	DB  *store.DB
	Srv *apphttp.Server
	cat storetest.Catalog
}

// MustStartShop starts the API on 127.0.0.1 over a fresh database with the test catalog.
func MustStartShop(tb testing.TB, mutate func(*apphttp.Config)) *shop {
	tb.Helper()
	db := storetest.MustOpen(tb)
	srv := apphttp.NewServerOver(db, mutate)
	ts := httptest.NewServer(srv.Handler())
	tb.Cleanup(ts.Close)
	return &shop{URL: ts.URL, DB: db, Srv: srv, cat: storetest.MustCreateCatalog(tb, db)}
}

// shopVisitor is one browser: its own cookie jar and, once signed in, a user.
type shopVisitor struct {
	tb    testing.TB
	shop  *shop
	hc    *http.Client
	token string // access token once signed in
}

func (s *shop) NewVisitor(tb testing.TB) *shopVisitor {
	jar, err := cookiejar.New(nil)
	require.NoError(tb, err)
	return &shopVisitor{tb: tb, shop: s, hc: &http.Client{Jar: jar}}
}

// shopResponse is a finished exchange.
type shopResponse struct {
	*http.Response
	Body []byte
}

func (r shopResponse) JSON(tb testing.TB, v any) {
	tb.Helper()
	require.NoError(tb, json.Unmarshal(r.Body, v), "body: %s", r.Body)
}

// shopError is the API's error shape.
type shopError struct {
	Error   string `json:"error"`
	Code    string `json:"code"`
	Details []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"details"`
}

func (r shopResponse) Err(tb testing.TB) shopError {
	tb.Helper()
	var e shopError
	r.JSON(tb, &e)
	return e
}

// Do sends a request (body: a string of raw JSON, or a value to marshal) and checks the
// answer against the OpenAPI document. Extra headers come as name, value pairs.
func (v *shopVisitor) Do(method, path string, body any, headers ...string) shopResponse {
	v.tb.Helper()
	req, resp, raw := sendJSON(v.tb, v.hc, method, v.shop.URL+path, body, v.token, headers...)
	if strings.HasPrefix(path, "/api/") {
		apitest.Check(v.tb, req, resp, raw)
	}
	return shopResponse{Response: resp, Body: raw}
}

// Signup creates an account from this browser (its guest cart joins the account).
func (v *shopVisitor) Signup(email string) {
	v.tb.Helper()
	r := v.Do(http.MethodPost, "/api/auth/signup", map[string]any{
		"email": email, "password": testPassword, "name": "Ion Popescu", "role": "INDIVIDUAL",
	})
	require.Equal(v.tb, http.StatusCreated, r.StatusCode, "%s", r.Body)
	v.token = accessToken(v.tb, r)
}

// Login signs in from this browser (its guest cart joins the account).
func (v *shopVisitor) Login(email string) {
	v.tb.Helper()
	r := v.Do(http.MethodPost, "/api/auth/login", map[string]any{"email": email, "password": testPassword})
	require.Equal(v.tb, http.StatusOK, r.StatusCode, "%s", r.Body)
	v.token = accessToken(v.tb, r)
}

func accessToken(tb testing.TB, r shopResponse) string {
	tb.Helper()
	var body struct {
		Tokens struct {
			AccessToken string `json:"accessToken"`
		} `json:"tokens"`
	}
	r.JSON(tb, &body)
	require.NotEmpty(tb, body.Tokens.AccessToken)
	return body.Tokens.AccessToken
}

// Browse finds a product the way the storefront does: the catalog list, then the product
// page by SKU. It returns the product id.
func (v *shopVisitor) Browse(sku string) string {
	v.tb.Helper()
	r := v.Do(http.MethodGet, "/api/products?limit=100", nil)
	require.Equal(v.tb, http.StatusOK, r.StatusCode, "%s", r.Body)
	var list struct {
		Products []struct {
			ID  string `json:"id"`
			SKU string `json:"sku"`
		} `json:"products"`
	}
	r.JSON(v.tb, &list)
	var listed string
	for _, p := range list.Products {
		if p.SKU == sku {
			listed = p.ID
		}
	}
	require.NotEmpty(v.tb, listed, "%s is listed", sku)
	r = v.Do(http.MethodGet, "/api/products/"+url.PathEscape(sku), nil)
	require.Equal(v.tb, http.StatusOK, r.StatusCode, "%s", r.Body)
	var p struct {
		ID string `json:"id"`
	}
	r.JSON(v.tb, &p)
	require.Equal(v.tb, listed, p.ID)
	return p.ID
}

// cartJSON is the cart as the storefront reads it.
type cartJSON struct {
	ID    *string `json:"id"`
	Items []struct {
		ID        string          `json:"id"`
		ProductID string          `json:"productId"`
		Quantity  float64         `json:"quantity"`
		Unit      string          `json:"unit"`
		Specs     json.RawMessage `json:"specs"`
		UnitPrice *float64        `json:"unitPrice"`
		LineTotal *float64        `json:"lineTotal"`
		Product   struct {
			SKU string `json:"sku"`
		} `json:"product"`
	} `json:"items"`
	ItemCount      int     `json:"itemCount"`
	EstimatedTotal float64 `json:"estimatedTotal"`
	Currency       string  `json:"currency"`
	UpdatedAt      *string `json:"updatedAt"`
	ExpiresAt      *string `json:"expiresAt"`
}

func (v *shopVisitor) Cart() cartJSON {
	v.tb.Helper()
	r := v.Do(http.MethodGet, "/api/cart", nil)
	require.Equal(v.tb, http.StatusOK, r.StatusCode)
	var c cartJSON
	r.JSON(v.tb, &c)
	return c
}

func (v *shopVisitor) MustAdd(productID string, qty any, unit string) cartJSON {
	v.tb.Helper()
	r := v.Do(http.MethodPost, "/api/cart/items", map[string]any{"productId": productID, "quantity": qty, "unit": unit})
	require.Equal(v.tb, http.StatusCreated, r.StatusCode, "%s", r.Body)
	var c cartJSON
	r.JSON(v.tb, &c)
	return c
}

// rfqJSON is the RFQ as the storefront reads it.
type rfqJSON struct {
	ID              string   `json:"id"`
	ReferenceNumber string   `json:"referenceNumber"`
	Status          string   `json:"status"`
	CompanyName     string   `json:"companyName"`
	EstimatedTotal  *float64 `json:"estimatedTotal"`
	Items           []struct {
		ProductSKU string   `json:"productSku"`
		Quantity   float64  `json:"quantity"`
		Unit       string   `json:"unit"`
		UnitPrice  *float64 `json:"unitPrice"`
		GrossPrice float64  `json:"grossPrice"`
	} `json:"items"`
	Attachments []any `json:"attachments"`
}

// rfqForm is a valid RFQ body.
func rfqForm() map[string]any {
	return map[string]any{
		"companyName":   "Construcții Oțel SRL",
		"cui":           "RO14399840",
		"contactPerson": "Ana Popescu",
		"email":         "ana@example.ro",
		"phone":         "+40 722 123 456",
		"billingAddress": map[string]any{
			"street": "Str. Fabricii 12", "city": "Cluj-Napoca", "county": "Cluj", "postalCode": "400001", "country": "Romania",
		},
		"deliveryAddress": map[string]any{
			"street": "Șos. Industriilor 3", "city": "Florești", "county": "Cluj", "postalCode": "407280",
		},
		"incoterm": "DAP",
		"notes":    "Livrare cu macara.",
	}
}

// shopOutboxRow is one queued email.
type shopOutboxRow struct {
	Template, To string
	Data         map[string]any
	RawData      string
}

func shopOutbox(tb testing.TB, db *store.DB) []shopOutboxRow {
	tb.Helper()
	rows, err := db.ReadDB().Query(`SELECT template, to_addr, data FROM email_outbox ORDER BY created_at, rowid`)
	require.NoError(tb, err)
	defer rows.Close()
	var out []shopOutboxRow
	for rows.Next() {
		var r shopOutboxRow
		require.NoError(tb, rows.Scan(&r.Template, &r.To, &r.RawData))
		require.NoError(tb, json.Unmarshal([]byte(r.RawData), &r.Data))
		out = append(out, r)
	}
	return out
}
