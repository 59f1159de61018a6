package apphttp_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/store/storetest"
)

// storefrontSite is the API and the fixture storefront build on one origin, the build
// copied into a folder that also has a secret file beside it and a symlink pointing out.
type storefrontSite struct {
	url   string
	dir   string // the build
	files string // testdata/storefront
}

func startStorefront(t *testing.T) storefrontSite {
	t.Helper()
	parent := t.TempDir()
	dir := filepath.Join(parent, "build")
	require.NoError(t, os.CopyFS(dir, os.DirFS("testdata/storefront")))
	require.NoError(t, os.WriteFile(filepath.Join(parent, "secret.txt"), []byte("outside the build"), 0o600))
	require.NoError(t, os.Symlink(filepath.Join(parent, "secret.txt"), filepath.Join(dir, "leak.txt")))
	require.NoError(t, os.Symlink("../secret.txt", filepath.Join(dir, "assets", "leak-Ab12Cd34.txt")))

	sf, err := apphttp.OpenStorefront(dir)
	require.NoError(t, err)
	t.Cleanup(func() { sf.Close() })
	db := storetest.MustOpen(t)
	srv := apphttp.NewServerWithStorefront(db, sf, nil)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return storefrontSite{url: ts.URL, dir: dir, files: "testdata/storefront"}
}

// get sends a GET with the headers given as name, value pairs, and reads the raw body
// (no transparent decompression: the test sees what travels).
func (s storefrontSite) get(t *testing.T, path string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	return s.do(t, http.MethodGet, path, headers...)
}

func (s storefrontSite) do(t *testing.T, method, path string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, s.url+path, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	hc := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	resp, err := hc.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, body
}

func (s storefrontSite) file(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(s.files, name))
	require.NoError(t, err)
	return b
}

const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

func TestStorefront_FingerprintedAssetsCachedForever(t *testing.T) {
	site := startStorefront(t)
	for _, tc := range []struct{ path, contentType string }{
		{"/assets/index-B7xQ2k9a.js", "text/javascript; charset=utf-8"},
		{"/assets/index-C3p0aZ1x.css", "text/css; charset=utf-8"},
		{"/assets/inter-latin-Qm4TzW7e.woff2", "font/woff2"},
	} {
		resp, body := site.get(t, tc.path)
		require.Equal(t, http.StatusOK, resp.StatusCode, tc.path)
		require.Equal(t, tc.contentType, resp.Header.Get("Content-Type"), tc.path)
		require.Equal(t, "public, max-age=31536000, immutable", resp.Header.Get("Cache-Control"), tc.path)
		require.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"))
		require.Equal(t, site.file(t, strings.TrimPrefix(tc.path, "/")), body, tc.path)
	}
}

func TestStorefront_IndexRevalidatedByETag(t *testing.T) {
	site := startStorefront(t)
	resp, body := site.get(t, "/", "Accept", browserAccept)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
	require.Equal(t, "no-cache", resp.Header.Get("Cache-Control"))
	require.Equal(t, site.file(t, "index.html"), body)
	etag := resp.Header.Get("ETag")
	require.Regexp(t, `^"[0-9a-f]{32}"$`, etag)
	// The page may run scripts (unlike the API's answers), but still not inside a frame.
	require.Contains(t, resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'")
	require.NotContains(t, resp.Header.Get("Content-Security-Policy"), "default-src 'none'")

	resp, body = site.get(t, "/", "Accept", browserAccept, "If-None-Match", etag)
	require.Equal(t, http.StatusNotModified, resp.StatusCode)
	require.Empty(t, body)

	// A new storefront deploy changes index.html: the old ETag no longer matches.
	require.NoError(t, os.WriteFile(filepath.Join(site.dir, "index.html"), []byte("<!doctype html><p>v2</p>"), 0o644))
	resp, body = site.get(t, "/", "Accept", browserAccept, "If-None-Match", etag)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "<!doctype html><p>v2</p>", string(body))
	require.NotEqual(t, etag, resp.Header.Get("ETag"))

	for _, path := range []string{"/robots.txt", "/favicon.svg"} {
		resp, _ := site.get(t, path)
		require.Equal(t, http.StatusOK, resp.StatusCode, path)
		require.Equal(t, "no-cache", resp.Header.Get("Cache-Control"), path)
		require.NotEmpty(t, resp.Header.Get("ETag"), path)
	}
	resp, _ = site.get(t, "/favicon.svg")
	require.Equal(t, "image/svg+xml", resp.Header.Get("Content-Type"))
}

func TestStorefront_PrecompressedSiblings(t *testing.T) {
	site := startStorefront(t)
	const path = "/assets/index-B7xQ2k9a.js"
	for _, tc := range []struct{ accept, encoding, file string }{
		{"gzip, deflate, br, zstd", "br", "assets/index-B7xQ2k9a.js.br"},
		{"gzip, deflate", "gzip", "assets/index-B7xQ2k9a.js.gz"},
		{"gzip, br;q=0", "gzip", "assets/index-B7xQ2k9a.js.gz"},
		{"identity", "", "assets/index-B7xQ2k9a.js"},
	} {
		resp, body := site.get(t, path, "Accept-Encoding", tc.accept)
		require.Equal(t, http.StatusOK, resp.StatusCode, tc.accept)
		require.Equal(t, tc.encoding, resp.Header.Get("Content-Encoding"), tc.accept)
		require.Equal(t, site.file(t, tc.file), body, tc.accept)
		require.Equal(t, "text/javascript; charset=utf-8", resp.Header.Get("Content-Type"), tc.accept)
		require.Contains(t, resp.Header.Values("Vary"), "Accept-Encoding", tc.accept)
		require.Equal(t, "public, max-age=31536000, immutable", resp.Header.Get("Cache-Control"))
	}
	// Each encoding is its own representation: its own validator.
	brResp, _ := site.get(t, path, "Accept-Encoding", "br")
	gzResp, _ := site.get(t, path, "Accept-Encoding", "gzip")
	require.NotEqual(t, brResp.Header.Get("ETag"), gzResp.Header.Get("ETag"))
}

func TestStorefront_CompressedOnTheFlyWithoutSibling(t *testing.T) {
	site := startStorefront(t)
	resp, body := site.get(t, "/assets/vendor-Dx81kq3P.js", "Accept-Encoding", "gzip")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
	zr, err := gzip.NewReader(bytes.NewReader(body))
	require.NoError(t, err)
	plain, err := io.ReadAll(zr)
	require.NoError(t, err)
	require.Equal(t, site.file(t, "assets/vendor-Dx81kq3P.js"), plain)
	require.Less(t, len(body), len(plain))
}

func TestStorefront_SPAFallback(t *testing.T) {
	site := startStorefront(t)
	index := site.file(t, "index.html")

	// The SPA's own routes, nested or not, are index.html for a browser navigating there.
	for _, path := range []string{"/produse", "/produse/tevi/TR-40x40x3", "/cont/comenzi/", "/assets"} {
		resp, body := site.get(t, path, "Accept", browserAccept)
		require.Equal(t, http.StatusOK, resp.StatusCode, path)
		require.Equal(t, index, body, path)
		require.Equal(t, "no-cache", resp.Header.Get("Cache-Control"), path)
		require.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"), path)
	}

	// A missing asset (an old build's chunk) is a 404, not a page the script loader chokes on.
	resp, body := site.get(t, "/assets/index-Old12345.js", "Accept", "*/*")
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
	requireErrorCode(t, body, "not_found")

	// The API's paths never fall back to the page, whatever the client accepts.
	for _, path := range []string{"/api/nu-exista", "/api", "/admin", "/admin/comenzi", "/health/nope", "/metrics/x", "/debug/x"} {
		resp, body := site.get(t, path, "Accept", browserAccept)
		require.Equal(t, http.StatusNotFound, resp.StatusCode, path)
		require.NotEqual(t, index, body, path)
		requireErrorCode(t, body, "not_found")
	}
	resp, body = site.get(t, "/health/live", "Accept", browserAccept)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, resp.Header.Get("Content-Type"), "application/json")
	resp, body = site.get(t, "/api/products?limit=1", "Accept", browserAccept)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	require.Contains(t, resp.Header.Get("Content-Type"), "application/json")

	// Writes are never the storefront's: a POST to a page path is the API's 404.
	resp, body = site.do(t, http.MethodPost, "/produse", "Accept", browserAccept)
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
	requireErrorCode(t, body, "not_found")

	resp, body = site.do(t, http.MethodHead, "/produse/tevi", "Accept", browserAccept)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Empty(t, body)
}

func TestStorefront_NothingOutsideTheBuild(t *testing.T) {
	site := startStorefront(t)
	index := site.file(t, "index.html")
	for _, path := range []string{
		"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt",
		"/leak.txt", "/assets/leak-Ab12Cd34.txt", // symlinks in the build pointing out of it
		"/.env", "/assets/../.env", "/%2eenv",
	} {
		for _, accept := range []string{"*/*", browserAccept} {
			resp, body := site.get(t, path, "Accept", accept)
			require.NotContains(t, string(body), "outside the build", path)
			require.NotContains(t, string(body), "must-never-be-served", path)
			if resp.StatusCode == http.StatusOK {
				require.Equal(t, index, body, "%s: only the SPA page may answer", path)
			} else {
				require.Equal(t, http.StatusNotFound, resp.StatusCode, path)
			}
		}
	}
}

func TestStorefront_RefusesABuildWithoutIndex(t *testing.T) {
	_, err := apphttp.OpenStorefront(t.TempDir())
	require.ErrorContains(t, err, "no index.html")
	_, err = apphttp.OpenStorefront(filepath.Join(t.TempDir(), "missing"))
	require.Error(t, err)
}

func requireErrorCode(t *testing.T, body []byte, code string) {
	t.Helper()
	var e struct {
		Error string `json:"error"`
		Code  string `json:"code"`
	}
	require.NoError(t, json.Unmarshal(body, &e), "body: %s", body)
	require.Equal(t, code, e.Code)
	require.NotEmpty(t, e.Error)
}
