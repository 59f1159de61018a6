package apphttp

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCORS(t *testing.T) {
	var logs bytes.Buffer
	s := MustNewServer(t, nil)
	s.logger = newTestLogger(&logs)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	get := func(origin string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/health/live", nil)
		req.Header.Set("Origin", origin)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}

	t.Run("ExposesTheHeadersTheStorefrontReads", func(t *testing.T) {
		exposed := get("http://localhost:8080").Header.Get("Access-Control-Expose-Headers")
		for _, h := range []string{"Idempotent-Replayed", "Retry-After", "X-Request-Id", "Etag", "Location"} {
			require.Contains(t, strings.ToLower(exposed), strings.ToLower(h))
		}
	})

	t.Run("OneWarningPerRefusedOrigin", func(t *testing.T) {
		for i := 0; i < 3; i++ {
			get("https://shop.example")
			get("https://other.example")
		}
		get("http://localhost:8080")
		lines := strings.Count(logs.String(), "CORS: origin refused")
		require.Equal(t, 2, lines, "logs: %s", logs.String())
		require.Contains(t, logs.String(), "CORS_ORIGINS")
		require.Contains(t, logs.String(), `"origin":"https://shop.example"`)
		require.NotContains(t, logs.String(), `"origin":"http://localhost:8080"`)
	})

	t.Run("NoWarningForItsOwnPages", func(t *testing.T) {
		get(srv.URL) // the back office's forms post with their own Origin
		require.NotContains(t, logs.String(), `"origin":"`+srv.URL+`"`)
	})
}
