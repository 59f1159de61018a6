package apphttp

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

// A wrong method on a known path is 405 in the error shape, with the methods the path
// takes in Allow, under /api and outside it; an unknown path stays 404.
func TestWrongMethodIs405WithAllow(t *testing.T) {
	s := MustNewServer(t, nil)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()

	for _, tc := range []struct{ method, path, allow string }{
		{http.MethodPut, "/api/cart", "DELETE, GET"},
		{http.MethodGet, "/api/auth/login", "POST"},
		{http.MethodPost, "/api/projects/abc", "DELETE, GET, PATCH"},
		{http.MethodPost, "/health", "GET"},
	} {
		req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		req.Header.Set("Accept-Language", "en")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		var e errorBody
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&e))
		resp.Body.Close()
		require.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode, "%s %s", tc.method, tc.path)
		require.Equal(t, tc.allow, resp.Header.Get("Allow"), "%s %s", tc.method, tc.path)
		require.Equal(t, "method_not_allowed", e.Code)
		require.Contains(t, e.Error, tc.allow, "the message names the methods the path takes")
	}

	resp, err := http.Post(srv.URL+"/api/nope", "application/json", nil)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
}
