package web_test

import (
	"bytes"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"golang.org/x/crypto/bcrypt"

	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
	"github.com/metalpro/backend/web"
)

// The catalog pages' test helpers: a back office over the whole seeded catalog (the
// storefront's search needs real products to rank), and a file upload as a browser sends it.

// newSeededTestEnv is newTestEnv over a private copy of the seeded catalog.
func newSeededTestEnv(t *testing.T) *testEnv {
	t.Helper()
	return startBackOffice(t, storetest.MustOpenSeededWith(t, store.Options{PasswordCost: bcrypt.MinCost}))
}

// startBackOffice serves the API with its back office over db on loopback, with an
// operator and an admin (benchmarks use it too, hence testing.TB).
func startBackOffice(tb testing.TB, db *store.DB) *testEnv {
	tb.Helper()
	e := &testEnv{DB: db}
	e.Operator = storetest.MustCreateStaff(tb, db, "operator@metalpro.ro", "Ana Operator", store.RoleOperator, staffPassword)
	e.Admin = storetest.MustCreateStaff(tb, db, "admin@metalpro.ro", "Radu Admin", store.RoleAdmin, staffPassword)
	api := apphttp.NewServer(db, apphttp.Config{Env: "development"}, apphttp.Deps{
		Logger: slog.New(slog.DiscardHandler),
		BackOffice: func(g apphttp.SignInGuard) http.Handler {
			return web.New(db, web.Config{}, web.Deps{Guard: g})
		},
	})
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

// Upload posts a multipart form with one file, as the import page's form does: the
// current page's CSRF token, the back office's origin.
func (b *browser) Upload(path, field, fileName string, content []byte) {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if err := mw.WriteField("csrf", b.CSRF()); err != nil {
		b.t.Fatal(err)
	}
	fw, err := mw.CreateFormFile(field, fileName)
	if err != nil {
		b.t.Fatal(err)
	}
	if _, err := fw.Write(content); err != nil {
		b.t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		b.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, b.base+path, &body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", b.base)
	b.do(req)
}

// HiddenValue is the value of the current page's hidden input name (the first one).
func (b *browser) HiddenValue(name string) string {
	b.t.Helper()
	m := regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `" value="([^"]*)"`).FindStringSubmatch(b.Page)
	if m == nil {
		b.t.Fatalf("no input %q on the page at %s:\n%s", name, b.At, b.Text())
	}
	return m[1]
}
