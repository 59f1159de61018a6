package apphttp_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/files"
	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/http/apitest"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// fileShop is a shop whose uploads go to blobs, with the temp folder the uploads pass through.
type fileShop struct {
	*shop
	blobs   files.Blobs
	tempDir string
	dir     string // the local store's folder ("" for S3)
}

// startFileShop starts the API with a local file store (or blobs when given) and mapper.
func startFileShop(tb testing.TB, blobs files.Blobs, mapper apphttp.BOMMapper, mutate func(*apphttp.Config)) *fileShop {
	tb.Helper()
	return startFileShopOn(tb, storetest.MustOpen(tb), blobs, mapper, mutate)
}

// startFileShopOn is startFileShop over db.
func startFileShopOn(tb testing.TB, db *store.DB, blobs files.Blobs, mapper apphttp.BOMMapper, mutate func(*apphttp.Config)) *fileShop {
	tb.Helper()
	fs := &fileShop{tempDir: tb.TempDir()}
	if blobs == nil {
		fs.dir = filepath.Join(tb.TempDir(), "uploads")
		l, err := files.NewLocal(fs.dir, apphttp.NewFileURLSigner("files-test-secret-0123456789abcdef"))
		require.NoError(tb, err)
		blobs = l
	}
	fs.blobs = blobs
	srv := apphttp.NewServerWithFiles(db, blobs, mapper, func(c *apphttp.Config) {
		c.UploadTempDir = fs.tempDir
		c.APIURL = "https://api.metalpro.test"
		if mutate != nil {
			mutate(c)
		}
	})
	ts := httptest.NewServer(srv.Handler())
	tb.Cleanup(ts.Close)
	fs.shop = &shop{URL: ts.URL, DB: db, Srv: srv, cat: storetest.MustCreateCatalog(tb, db)}
	return fs
}

// Upload sends content as the multipart field "file" named name to path, streaming it, and
// checks the answer against the OpenAPI document. Extra headers come as name, value pairs.
func (v *shopVisitor) Upload(path, name string, content io.Reader, headers ...string) shopResponse {
	v.tb.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		part, err := mw.CreateFormFile("file", name)
		if err == nil {
			_, err = io.Copy(part, content)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequest(http.MethodPost, v.shop.URL+path, pr)
	require.NoError(v.tb, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if v.token != "" {
		req.Header.Set("Authorization", "Bearer "+v.token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := v.hc.Do(req)
	require.NoError(v.tb, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(v.tb, err)
	req.Body = http.NoBody
	apitest.Check(v.tb, req, resp, body)
	return shopResponse{Response: resp, Body: body}
}

// UploadBytes uploads content.
func (v *shopVisitor) UploadBytes(path, name string, content []byte) shopResponse {
	v.tb.Helper()
	return v.Upload(path, name, bytes.NewReader(content))
}

// GetFile asks for GET /api/files/{id} without following the redirect.
func (v *shopVisitor) GetFile(id string) shopResponse {
	v.tb.Helper()
	hc := *v.hc
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, resp, body := sendJSON(v.tb, &hc, http.MethodGet, v.shop.URL+"/api/files/"+id, nil, v.token)
	apitest.Check(v.tb, req, resp, body)
	return shopResponse{Response: resp, Body: body}
}

// fetch downloads link (relative links against the shop) with a plain client: no cookies,
// no token. Only the signature lets it in.
func (s *fileShop) fetch(tb testing.TB, link string) shopResponse {
	tb.Helper()
	if len(link) > 0 && link[0] == '/' {
		link = s.URL + link
	}
	req, err := http.NewRequest(http.MethodGet, link, nil)
	require.NoError(tb, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(tb, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(tb, err)
	if req.URL.Host == mustHost(tb, s.URL) {
		apitest.Check(tb, req, resp, body)
	}
	return shopResponse{Response: resp, Body: body}
}

func mustHost(tb testing.TB, u string) string {
	tb.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	require.NoError(tb, err)
	return req.URL.Host
}

// uploadCount is how many upload rows there are.
func (s *fileShop) uploadCount(tb testing.TB) int {
	tb.Helper()
	var n int
	require.NoError(tb, s.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM attachments`).Scan(&n))
	return n
}

// storedFiles is every file under the local store's folder.
func (s *fileShop) storedFiles(tb testing.TB) []string {
	tb.Helper()
	var out []string
	require.NoError(tb, filepath.Walk(s.dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			out = append(out, p)
		}
		return err
	}))
	return out
}

// stubMapper maps every BOM to a fixed answer, or fails with err.
type stubMapper struct {
	err  error
	seen []byte
}

func (m *stubMapper) MapBOM(_ context.Context, r io.Reader, mimeType string) (any, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	m.seen = b
	if m.err != nil {
		return nil, m.err
	}
	return map[string]any{"rows": []any{}, "summary": map[string]any{"total": 0, "matched": 0, "ambiguous": 0, "unmatched": 0, "unitMismatch": 0},
		"mimeType": mimeType}, nil
}

// bomReadError is a BOM the reader could not read.
type bomReadError struct{}

func (bomReadError) Error() string        { return "no columns" }
func (bomReadError) BOMErrorCode() string { return "bom_no_columns" }
func (bomReadError) BOMMessage(lang string) string {
	if lang == "en" {
		return "No recognisable columns."
	}
	return "Nu am găsit coloanele Denumire, Cantitate, UM."
}
