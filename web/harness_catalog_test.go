package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"regexp"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// The catalog pages' test helpers: a back office over the whole seeded catalog (the
// storefront's search needs real products to rank), and a file upload as a browser sends it.

// newSeededTestEnv is newTestEnv over a private copy of the seeded catalog.
func newSeededTestEnv(t *testing.T) *testEnv {
	t.Helper()
	return startBackOffice(t, storetest.MustOpenSeededWith(t, store.Options{PasswordCost: bcrypt.MinCost}), envOptions{})
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
