package apphttp

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestProfiler_GuardedLikeMetrics: the runtime's profiles are for operators only. A caller
// from outside without the token, with a wrong one, or on loopback but forwarded by a proxy
// gets 401 in the error shape and no profile; loopback and the token get them.
func TestProfiler_GuardedLikeMetrics(t *testing.T) {
	s := MustNewServer(t, func(c *Config) { c.MetricsToken = "ops-token-0123456789" })
	const outside = "203.0.113.7:40000"

	for _, c := range []struct{ name, remote, token, xff string }{
		{"Outside", outside, "", ""},
		{"WrongToken", outside, "wrong-token", ""},
		{"ForwardedThroughALocalProxy", "127.0.0.1:50000", "", "203.0.113.7"},
	} {
		t.Run("Err"+c.name, func(t *testing.T) {
			for _, path := range []string{"/debug/pprof/", "/debug/pprof/goroutine?debug=1", "/debug/pprof/cmdline", "/debug/pprof/profile?seconds=1"} {
				rec := opsRequest(s, path, c.remote, c.token, c.xff)
				require.Equal(t, http.StatusUnauthorized, rec.Code, path)
				var e errorBody
				require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &e), path)
				require.Equal(t, "unauthorized", e.Code, path)
				require.NotContains(t, rec.Body.String(), "goroutine", path)
			}
		})
	}
	t.Run("TokenGetsProfiles", func(t *testing.T) {
		rec := opsRequest(s, "/debug/pprof/goroutine?debug=1", outside, "ops-token-0123456789", "")
		require.Equal(t, http.StatusOK, rec.Code)
		require.Contains(t, rec.Body.String(), "goroutine profile:")
	})
	t.Run("LoopbackGetsProfiles", func(t *testing.T) {
		rec := opsRequest(s, "/debug/pprof/", "127.0.0.1:50000", "", "")
		require.Equal(t, http.StatusOK, rec.Code)
		require.Contains(t, rec.Body.String(), "heap")
		rec = opsRequest(s, "/debug/pprof/cmdline", "[::1]:50000", "", "")
		require.Equal(t, http.StatusOK, rec.Code)
	})
	t.Run("ErrUnknownProfileIs404", func(t *testing.T) {
		rec := opsRequest(s, "/debug/pprof/nope", "127.0.0.1:50000", "", "")
		require.Equal(t, http.StatusNotFound, rec.Code)
	})
}
