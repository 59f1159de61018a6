package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// updateGolden rewrites testdata/api/*.golden from the running code:
//
//	go test -tags sqlite_fts5 -run TestAPI_Golden -update .
//
// Review the diff before committing: the golden files are the API's contract.
var updateGolden = flag.Bool("update", false, "rewrite the golden files of TestAPI_Golden")

// TestAPI_Golden drives a customer's journey through the real program and compares every
// answer (status, the headers clients rely on, body) with testdata/api. It guards
// refactors: the API must answer byte for byte the same, values that change on every run
// (ids, tokens, times, cookies) aside.
func TestAPI_Golden(t *testing.T) {
	t.Parallel()
	srv := startServer(t, map[string]string{"RATE_LIMIT_LOGIN": "3/15m"})
	j := newJourney(t, srv.URL)

	// Catalog.
	j.step("categories", "GET", "/api/categories", nil, nil)
	j.step("products-search-filtered", "GET", "/api/products?q=teava+40x40&grade=S235JR&limit=3", nil, nil)
	j.step("products-page2", "GET", "/api/products?category=tevi-rectangulare&limit=2&page=2&sort=price_asc", nil, nil)
	list := j.step("products-for-cart", "GET", "/api/products?q=IPE+200&limit=1", nil, nil)
	var products struct {
		Products []struct{ ID, SKU string }
	}
	require.NoError(t, json.Unmarshal(list.body, &products))
	require.NotEmpty(t, products.Products, "the seeded catalog has an IPE 200")
	product := products.Products[0]
	etag := j.step("product-by-sku", "GET", "/api/products/"+url.PathEscape(product.SKU), nil, nil).header.Get("ETag")
	j.step("product-not-modified", "GET", "/api/products/"+url.PathEscape(product.SKU), nil, http.Header{"If-None-Match": {etag}})
	j.step("product-unknown", "GET", "/api/products/NU-EXISTA", nil, nil)
	j.step("products-bad-limit", "GET", "/api/products?limit=0", nil, nil)

	// Guest cart.
	j.step("cart-empty", "GET", "/api/cart", nil, nil)
	item := j.step("cart-add", "POST", "/api/cart/items", map[string]any{"productId": product.ID, "quantity": 2, "unit": "pcs"}, nil)
	var cart struct{ Items []struct{ ID string } }
	require.NoError(t, json.Unmarshal(item.body, &cart))
	require.NotEmpty(t, cart.Items, "%s", item.body)
	itemID := cart.Items[0].ID
	j.step("cart-add-second", "POST", "/api/cart/items", map[string]any{"productId": product.ID, "quantity": 3, "unit": "m"}, nil)
	j.step("cart-add-invalid", "POST", "/api/cart/items", map[string]any{"productId": product.ID, "quantity": -1, "unit": "kg"}, nil)
	j.step("cart-update", "PATCH", "/api/cart/items/"+itemID, map[string]any{"quantity": 4}, nil)
	j.step("cart-after-update", "GET", "/api/cart", nil, nil)
	j.step("cart-remove", "DELETE", "/api/cart/items/"+cart.Items[0].ID, nil, nil)
	j.step("cart-add-again", "POST", "/api/cart/items", map[string]any{"productId": product.ID, "quantity": 2, "unit": "pcs"}, nil)
	j.step("cart-remove-unknown", "DELETE", "/api/cart/items/00000000-0000-4000-8000-000000000000", nil, nil)

	// Guest RFQ, with an idempotency key and its replay.
	rfqBody := map[string]any{
		"companyName": "Construcții Test SRL", "contactPerson": "Ana Pop", "email": "ana@example.ro", "phone": "0722123456",
		"cui": "RO14399840", "notes": "Livrare luni, vă rog.",
		"billingAddress":  map[string]any{"street": "Str. A 1", "city": "Cluj-Napoca", "county": "Cluj", "postalCode": "400001"},
		"deliveryAddress": map[string]any{"street": "Str. B 2", "city": "Cluj-Napoca", "county": "Cluj", "postalCode": "400002"},
	}
	j.step("rfq-invalid", "POST", "/api/rfq", map[string]any{"email": "nu-e-email"}, nil)
	idem := http.Header{"Idempotency-Key": {"golden-rfq-1"}}
	created := j.step("rfq-submit", "POST", "/api/rfq", rfqBody, idem)
	j.step("rfq-replay", "POST", "/api/rfq", rfqBody, idem)
	var rfq struct{ ID string }
	require.NoError(t, json.Unmarshal(created.body, &rfq))
	require.NotEmpty(t, rfq.ID, "%s", created.body)
	j.step("cart-after-rfq", "GET", "/api/cart", nil, nil)
	token := trackingToken(t, srv.DataDir, rfq.ID)
	stranger := j.newVisitor() // the tracking link works in any browser
	stranger.step("rfq-by-token", "GET", "/api/rfq/"+rfq.ID+"?token="+url.QueryEscape(token), nil, nil)
	stranger.step("rfq-wrong-token", "GET", "/api/rfq/"+rfq.ID+"?token=gresit", nil, nil)

	// Accounts.
	signup := map[string]any{"email": "ion@firma.ro", "password": "grinda-ipe-200-otel", "name": "Ion Popescu", "role": "INDIVIDUAL"}
	j.step("signup-invalid", "POST", "/api/auth/signup", map[string]any{"email": "ion@firma.ro", "password": "scurt"}, nil)
	j.step("signup", "POST", "/api/auth/signup", signup, nil)
	j.step("signup-duplicate", "POST", "/api/auth/signup", signup, nil)
	login := j.step("login", "POST", "/api/auth/login", map[string]any{"email": "ion@firma.ro", "password": "grinda-ipe-200-otel"}, nil)
	var tokens struct{ Tokens struct{ AccessToken string } }
	require.NoError(t, json.Unmarshal(login.body, &tokens))
	require.NotEmpty(t, tokens.Tokens.AccessToken, "%s", login.body)
	auth := http.Header{"Authorization": {"Bearer " + tokens.Tokens.AccessToken}}
	j.step("me-anonymous", "GET", "/api/users/me", nil, nil)
	j.step("me", "GET", "/api/users/me", nil, auth)
	j.step("me-update", "PATCH", "/api/users/me", map[string]any{"name": "Ion Ș. Popescu", "language": "en"}, auth)

	// Addresses.
	addr := j.step("address-create", "POST", "/api/addresses", map[string]any{"type": "BILLING", "isDefault": true,
		"street": "Str. Fabricii 1", "city": "Cluj-Napoca", "county": "Cluj", "postalCode": "400001"}, auth)
	var address struct{ ID string }
	require.NoError(t, json.Unmarshal(addr.body, &address))
	j.step("address-create-invalid", "POST", "/api/addresses", map[string]any{"type": "ALTUL"}, auth)
	j.step("address-list", "GET", "/api/addresses", nil, auth)
	j.step("address-update", "PATCH", "/api/addresses/"+address.ID, map[string]any{"street": "Calea Turzii 10"}, auth)
	j.step("address-delete", "DELETE", "/api/addresses/"+address.ID, nil, auth)
	j.step("address-delete-again", "DELETE", "/api/addresses/"+address.ID, nil, auth)

	// Projects.
	proj := j.step("project-create", "POST", "/api/projects", map[string]any{"name": "Hală Cluj", "fileName": "hala.xlsx",
		"bomData": []any{map[string]any{"sku": product.SKU, "qty": 4}}}, auth)
	var project struct{ ID string }
	require.NoError(t, json.Unmarshal(proj.body, &project))
	j.step("project-list", "GET", "/api/projects", nil, auth)
	j.step("project-get", "GET", "/api/projects/"+project.ID, nil, auth)
	j.step("project-update", "PATCH", "/api/projects/"+project.ID, map[string]any{"name": "Hală Cluj, etapa 2"}, auth)
	j.step("project-delete", "DELETE", "/api/projects/"+project.ID, nil, auth)
	j.step("project-get-deleted", "GET", "/api/projects/"+project.ID, nil, auth)

	// A signed-in customer's RFQ and the list.
	j.step("cart-add-signed-in", "POST", "/api/cart/items", map[string]any{"productId": product.ID, "quantity": 1, "unit": "pcs"}, auth)
	j.step("rfq-submit-signed-in", "POST", "/api/rfq", rfqBody, auth)
	j.step("rfq-list", "GET", "/api/rfq", nil, auth)
	j.step("rfq-list-bad-page", "GET", "/api/rfq?page=0", nil, auth)
	j.step("rfq-list-anonymous", "GET", "/api/rfq", nil, nil)

	// Errors the router and the limiter answer.
	j.step("not-found", "GET", "/api/nu-exista", nil, nil)
	j.step("method-not-allowed", "POST", "/health", nil, nil)
	j.step("method-not-allowed-api", "PUT", "/api/categories", nil, nil)
	j.step("malformed-json", "POST", "/api/auth/login", json.RawMessage(`{"email":`), nil)
	wrong := map[string]any{"email": "ion@firma.ro", "password": "parola-gresita-1"}
	for i := 1; i <= 3; i++ {
		j.step(fmt.Sprintf("login-wrong-%d", i), "POST", "/api/auth/login", wrong, nil)
	}
	j.step("login-rate-limited", "POST", "/api/auth/login", wrong, nil)
	j.step("logout", "POST", "/api/auth/logout", nil, auth)
	j.step("me-after-logout", "GET", "/api/users/me", nil, auth)

	j.checkNoStaleGoldens()
}

// trackingToken reads the guest's tracking token from the confirmation email the local
// sender wrote (the outbox forgets tokens once sent, and the link reaches the customer only
// by email). It waits for the email as long as the test may run.
func trackingToken(t *testing.T, dataDir, rfqID string) string {
	t.Helper()
	link := regexp.MustCompile(`/rfq/` + rfqID + `\?token=([A-Za-z0-9_-]+)`)
	var token string
	waitUntil(t, "the confirmation email with the tracking link", func() bool {
		for _, f := range emailFiles(t, dataDir) {
			raw, err := os.ReadFile(f)
			require.NoError(t, err)
			// Undo quoted-printable's soft line breaks and its escaped "=".
			text := strings.NewReplacer("=\r\n", "", "=\n", "", "=3D", "=").Replace(string(raw))
			if m := link.FindStringSubmatch(text); m != nil {
				token = m[1]
				return true
			}
		}
		return false
	})
	return token
}

// journey is one visitor (one cookie jar) talking to the server, step by step.
type journey struct {
	t       *testing.T
	base    string
	client  *http.Client
	norm    *normaliser
	visited map[string]bool
}

func newJourney(t *testing.T, base string) *journey {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	// No compression: the body compared is the one the handler wrote.
	client := &http.Client{Jar: jar, Transport: &http.Transport{DisableCompression: true}}
	return &journey{t: t, base: base, client: client, norm: newNormaliser(), visited: map[string]bool{}}
}

// newVisitor is another browser (its own cookies) in the same journey: same placeholders.
func (j *journey) newVisitor() *journey {
	jar, err := cookiejar.New(nil)
	require.NoError(j.t, err)
	v := *j
	v.client = &http.Client{Jar: jar, Transport: j.client.Transport}
	return &v
}

type answer struct {
	header http.Header
	body   []byte
}

// step sends one request and compares the normalised exchange with testdata/api/NAME.golden.
func (j *journey) step(name, method, path string, body any, header http.Header) answer {
	t := j.t
	t.Helper()
	var reqBody io.Reader
	if body != nil {
		raw, ok := body.(json.RawMessage)
		if !ok {
			var err error
			raw, err = json.Marshal(body)
			require.NoError(t, err)
		}
		reqBody = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, j.base+path, reqBody)
	require.NoError(t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := j.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)

	got := j.render(method, path, resp, raw)
	file := filepath.Join("testdata", "api", name+".golden")
	j.visited[name+".golden"] = true
	if *updateGolden {
		require.NoError(t, os.MkdirAll(filepath.Dir(file), 0o755))
		require.NoError(t, os.WriteFile(file, []byte(got), 0o644))
	} else {
		want, err := os.ReadFile(file)
		require.NoError(t, err, "no golden file: run go test -run TestAPI_Golden -update")
		require.Equal(t, string(want), got, "step %s: %s %s", name, method, path)
	}
	return answer{header: resp.Header, body: raw}
}

// ignoredHeaders differ on every run or describe transport, not the API.
var ignoredHeaders = map[string]bool{"Date": true, "Content-Length": true}

func (j *journey) render(method, path string, resp *http.Response, body []byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n%d\n", method, j.norm.text(path), resp.StatusCode)
	keys := make([]string, 0, len(resp.Header))
	for k := range resp.Header {
		if !ignoredHeaders[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range resp.Header[k] {
			fmt.Fprintf(&b, "%s: %s\n", k, j.norm.header(k, v))
		}
	}
	b.WriteString("\n")
	b.WriteString(j.norm.text(string(body)))
	if len(body) > 0 && body[len(body)-1] != '\n' {
		b.WriteString("\n")
	}
	return b.String()
}

// checkNoStaleGoldens fails when a golden file no step wrote or read is left behind.
func (j *journey) checkNoStaleGoldens() {
	files, err := filepath.Glob(filepath.Join("testdata", "api", "*.golden"))
	require.NoError(j.t, err)
	for _, f := range files {
		if !j.visited[filepath.Base(f)] {
			if *updateGolden {
				require.NoError(j.t, os.Remove(f))
				continue
			}
			j.t.Errorf("%s belongs to no step (run with -update to remove it)", f)
		}
	}
}

// normaliser replaces the values that change on every run with stable placeholders. Each
// distinct id gets its own number, in order of appearance, so the golden files still show
// which answers refer to the same thing.
type normaliser struct {
	ids map[string]string
}

func newNormaliser() *normaliser { return &normaliser{ids: map[string]string{}} }

var (
	uuidPattern      = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	jwtPattern       = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`)
	timePattern      = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})`)
	referencePattern = regexp.MustCompile(`RFQ-\d{4}-(\d{5})`)
	tokenPattern     = regexp.MustCompile(`(token=)[A-Za-z0-9_%-]{20,}`)
	expiresPattern   = regexp.MustCompile(`Expires=[^;]+`)
	// a wait in a message counts down with the wall clock, as Retry-After does
	waitPattern = regexp.MustCompile(`peste \d+ (de )?minute`)
)

func (n *normaliser) text(s string) string {
	s = jwtPattern.ReplaceAllString(s, "<jwt>")
	s = timePattern.ReplaceAllString(s, "<time>")
	s = referencePattern.ReplaceAllString(s, "RFQ-<year>-$1")
	s = tokenPattern.ReplaceAllString(s, "${1}<token>")
	s = waitPattern.ReplaceAllString(s, "peste <n> minute")
	return uuidPattern.ReplaceAllStringFunc(s, func(id string) string {
		if p, ok := n.ids[id]; ok {
			return p
		}
		p := fmt.Sprintf("<id%d>", len(n.ids)+1)
		n.ids[id] = p
		return p
	})
}

func (n *normaliser) header(name, value string) string {
	switch name {
	case "X-Request-Id":
		return "<request-id>"
	case "Set-Cookie":
		// name=<value>; the attributes matter (HttpOnly, SameSite, Max-Age), the value does not.
		if i := strings.Index(value, "="); i > 0 {
			rest := ""
			if k := strings.Index(value, ";"); k > i {
				rest = value[k:]
			}
			return value[:i] + "=<cookie>" + expiresPattern.ReplaceAllString(rest, "Expires=<time>")
		}
	case "Retry-After":
		return "<seconds>"
	}
	return n.text(value)
}
