package apphttp_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCatalogCache_ServesTheSameAnswerGzippedOrPlain: a cached catalog page goes out
// gzipped to a client that accepts it (compressed once, when cached) and plain to one that
// does not, with the same content and the same ETag.
func TestCatalogCache_ServesTheSameAnswerGzippedOrPlain(t *testing.T) {
	s := MustStartShop(t, nil)
	get := func(acceptEncoding string) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, s.URL+"/api/products?limit=24", nil)
		require.NoError(t, err)
		if acceptEncoding != "" {
			req.Header.Set("Accept-Encoding", acceptEncoding)
		}
		resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
		return resp, body
	}
	plain, plainBody := get("")
	require.Empty(t, plain.Header.Get("Content-Encoding"))
	require.Greater(t, len(plainBody), 1024, "a page big enough to be compressed")

	for _, accept := range []string{"gzip, deflate, br", "gzip", "*"} {
		for range 2 { // the miss that caches it, then a hit
			zipped, zippedBody := get(accept)
			require.Equal(t, "gzip", zipped.Header.Get("Content-Encoding"), "Accept-Encoding: %s", accept)
			require.Contains(t, zipped.Header.Values("Vary"), "Accept-Encoding")
			require.Equal(t, plain.Header.Get("ETag"), zipped.Header.Get("ETag"))
			zr, err := gzip.NewReader(bytes.NewReader(zippedBody))
			require.NoError(t, err)
			unzipped, err := io.ReadAll(zr)
			require.NoError(t, err)
			require.JSONEq(t, string(plainBody), string(unzipped))
		}
	}
	for _, refused := range []string{"gzip;q=0", "identity", "gzip;q=0, *"} {
		resp, body := get(refused)
		require.Empty(t, resp.Header.Get("Content-Encoding"), "Accept-Encoding: %s", refused)
		require.JSONEq(t, string(plainBody), string(body))
	}
}
