package apphttp

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestAccessLog_LineAndMetrics pins what operators read: one JSON line per request with
// these keys in this order, the caller's sane X-Request-Id kept (an unsafe one replaced by
// 24 hex digits), and the request counted under its route template.
func TestAccessLog_LineAndMetrics(t *testing.T) {
	var logs bytes.Buffer
	s := MustNewServer(t, nil)
	s.logger = newTestLogger(&logs)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()

	get := func(path, requestID string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		if requestID != "" {
			req.Header.Set("X-Request-Id", requestID)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	resp := get("/api/products/NU-EXISTA", "lb-7f3a.9_X")
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
	require.Equal(t, "lb-7f3a.9_X", resp.Header.Get("X-Request-Id"))

	line := strings.TrimSpace(logs.String())
	require.Regexp(t, `^\{"time":"[^"]+","level":"INFO","msg":"request","request_id":"lb-7f3a\.9_X","method":"GET","path":"/api/products/NU-EXISTA","status":404,"bytes":[1-9][0-9]*,"duration_ms":[0-9.e-]+,"ip":"127\.0\.0\.1"\}$`, line)
	var fields map[string]any
	require.NoError(t, json.Unmarshal([]byte(line), &fields))

	for _, unsafe := range []string{"", "has space", strings.Repeat("a", 65), "ăîș", "a\"b"} {
		id := get("/api/categories", unsafe).Header.Get("X-Request-Id")
		require.Regexp(t, `^[0-9a-f]{24}$`, id, "%q is replaced", unsafe)
		require.NotEqual(t, unsafe, id)
	}
	require.NotEqual(t, get("/api/categories", "").Header.Get("X-Request-Id"), get("/api/categories", "").Header.Get("X-Request-Id"))

	metrics := httptest.NewRecorder()
	mreq := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	mreq.RemoteAddr = "127.0.0.1:40000"
	s.Handler().ServeHTTP(metrics, mreq)
	require.Equal(t, http.StatusOK, metrics.Code)
	require.Contains(t, metrics.Body.String(), `metalpro_http_requests_total{method="GET",route="/api/products/{idOrSku}",status="404"} 1`)
	require.Contains(t, metrics.Body.String(), `metalpro_http_requests_total{method="GET",route="/api/categories",status="200"} 7`)
}
