package web_test

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/metalpro/backend/files"
	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
	"github.com/metalpro/backend/web"
)

// The back office's tests drive it as a browser would, without the browser: real HTTP on
// loopback through the API's whole middleware, a cookie jar, forms posted with the CSRF
// token the page carried. The end-to-end test in a real Chromium lives in the root package.

const staffPassword = "parola-echipei-2026"

// testEnv is a back office over a fresh database with one operator and one admin.
type testEnv struct {
	DB       *store.DB
	URL      string
	Operator *store.User
	Admin    *store.User
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	return startBackOffice(t, storetest.MustOpenWith(t, store.Options{PasswordCost: bcrypt.MinCost}), envOptions{})
}

// envOptions adjust the server a test env starts: the API's and the back office's
// configuration and the file store (none when nil).
type envOptions struct {
	API   apphttp.Config
	Web   web.Config
	Files files.Blobs
}

// startBackOffice serves the API with its back office over db on loopback, with an
// operator and an admin (benchmarks use it too, hence testing.TB).
func startBackOffice(tb testing.TB, db *store.DB, opt envOptions) *testEnv {
	tb.Helper()
	e := &testEnv{DB: db}
	e.Operator = storetest.MustCreateStaff(tb, db, "operator@metalpro.ro", "Ana Operator", store.RoleOperator, staffPassword)
	e.Admin = storetest.MustCreateStaff(tb, db, "admin@metalpro.ro", "Radu Admin", store.RoleAdmin, staffPassword)
	if opt.API.Env == "" {
		opt.API.Env = "development"
	}
	deps := apphttp.Deps{
		Logger: slog.New(slog.DiscardHandler),
		BackOffice: func(g apphttp.SignInGuard) http.Handler {
			return web.New(db, opt.Web, web.Deps{Guard: g, Files: opt.Files})
		},
	}
	if opt.Files != nil { // a nil Blobs in the interface would not read as "no file store"
		deps.Files = opt.Files
	}
	api := apphttp.NewServer(db, opt.API, deps)
	tb.Cleanup(api.Close)
	srv := httptest.NewUnstartedServer(api.Handler())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	srv.Listener = ln
	srv.Start()
	tb.Cleanup(srv.Close)
	e.URL = srv.URL
	return e
}

// browser is one person's cookie jar and the last page it saw.
type browser struct {
	t      *testing.T
	base   string
	client *http.Client
	// Page is the body of the last response; Status its code; At where it ended after
	// redirects.
	Page   string
	Status int
	At     string
	Header http.Header
}

// browser is a new visitor, reporting to t.
func (e *testEnv) browser(t *testing.T) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, base: e.URL, client: &http.Client{Jar: jar}}
}

// signIn opens the sign-in page and signs in; it fails the test unless that lands on the queue.
func (e *testEnv) signIn(t *testing.T, u *store.User) *browser {
	t.Helper()
	b := e.browser(t)
	b.Get("/admin/signin")
	b.Submit("/admin/signin", url.Values{"email": {u.Email}, "password": {staffPassword}})
	if b.Status != http.StatusOK || !strings.HasPrefix(b.At, "/admin") || strings.HasPrefix(b.At, "/admin/signin") {
		t.Fatalf("sign in as %s: %d at %s\n%s", u.Email, b.Status, b.At, b.Text())
	}
	return b
}

func (b *browser) do(req *http.Request) {
	b.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	b.Page, b.Status, b.Header, b.At = string(body), resp.StatusCode, resp.Header, resp.Request.URL.RequestURI()
}

// Get opens a page.
func (b *browser) Get(path string) {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.base+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	b.do(req)
}

// Submit posts a form as the current page would: with its CSRF token (unless the form
// sets "csrf" itself) and the back office's own origin.
func (b *browser) Submit(path string, form url.Values) {
	b.t.Helper()
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", b.CSRF())
	}
	req, err := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.base)
	b.do(req)
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// CSRF is the token in the current page's forms.
func (b *browser) CSRF() string {
	m := csrfInput.FindStringSubmatch(b.Page)
	if m == nil {
		b.t.Fatalf("no CSRF token on the page at %s", b.At)
	}
	return m[1]
}

var tags = regexp.MustCompile(`(?s)<[^>]*>`)
var spaces = regexp.MustCompile(`\s+`)

// Text is the current page as a person reads it: tags gone, entities decoded, spaces squeezed.
func (b *browser) Text() string {
	s := tags.ReplaceAllString(b.Page, " ")
	s = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&quot;", `"`).Replace(s)
	return strings.TrimSpace(spaces.ReplaceAllString(s, " "))
}

// Sees fails the test unless the page shows every text.
func (b *browser) Sees(texts ...string) {
	b.t.Helper()
	page := b.Text()
	for _, s := range texts {
		if !strings.Contains(page, s) {
			b.t.Fatalf("the page at %s (%d) does not show %q:\n%s", b.At, b.Status, s, page)
		}
	}
}

// DoesNotSee fails the test if the page shows any of the texts.
func (b *browser) DoesNotSee(texts ...string) {
	b.t.Helper()
	page := b.Text()
	for _, s := range texts {
		if strings.Contains(page, s) {
			b.t.Fatalf("the page at %s (%d) shows %q:\n%s", b.At, b.Status, s, page)
		}
	}
}
