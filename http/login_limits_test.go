package apphttp

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store/storetest"
)

func TestInFlight(t *testing.T) {
	f := newInFlight(2)
	r1, ok := f.acquire("1.2.3.4")
	require.True(t, ok)
	r2, ok := f.acquire("1.2.3.4")
	require.True(t, ok)
	_, ok = f.acquire("1.2.3.4")
	require.False(t, ok, "a third at once is refused")
	r3, ok := f.acquire("5.6.7.8")
	require.True(t, ok, "other keys are not affected")
	r1()
	r4, ok := f.acquire("1.2.3.4")
	require.True(t, ok, "a released place is free again")
	r2()
	r3()
	r4()
	require.Empty(t, f.n, "no key is kept once nothing is in flight")
}

// TestPasswordWork_PerAddressCap: an address that already has its share of password checks
// in flight (a flood queued on the bcrypt slots) gets 429 at once on login, signup, password
// reset and password change, instead of queueing more work ahead of everyone else.
func TestPasswordWork_PerAddressCap(t *testing.T) {
	s := MustNewServer(t, nil)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	for range DefaultPasswordWorkPerIP {
		release, ok := s.gates.perIP.acquire("127.0.0.1")
		require.True(t, ok)
		defer release()
	}
	for _, c := range []struct{ path, body string }{
		{"/api/auth/login", `{"email":"ana@firma.ro","password":"bare-de-otel-2026"}`},
		{"/api/auth/signup", `{"email":"ana@firma.ro","password":"bare-de-otel-2026","name":"Ana Pop","role":"INDIVIDUAL"}`},
		{"/api/auth/reset-password/confirm", `{"token":"x","password":"bare-de-otel-2026"}`},
	} {
		resp, err := http.Post(srv.URL+c.path, "application/json", strings.NewReader(c.body))
		require.NoError(t, err)
		var e errorBody
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&e))
		resp.Body.Close()
		require.Equal(t, http.StatusTooManyRequests, resp.StatusCode, c.path)
		require.Equal(t, "1", resp.Header.Get("Retry-After"), c.path)
		require.Equal(t, "rate_limited", e.Code, c.path)
	}
}

// TestSessionCookie_HostPrefixInProduction: in production the guest cookie carries the
// __Host- prefix (Secure, host-only, Path=/), so no subdomain can plant one.
func TestSessionCookie_HostPrefixInProduction(t *testing.T) {
	prod := newSessionManager(storetest.MustOpen(t), Config{Env: "production"})
	require.Equal(t, "__Host-metalpro_session", prod.Cookie.Name)
	require.True(t, prod.Cookie.Secure)
	require.Equal(t, "/", prod.Cookie.Path)
	require.Empty(t, prod.Cookie.Domain)
	dev := newSessionManager(storetest.MustOpen(t), Config{Env: "development"})
	require.Equal(t, "metalpro_session", dev.Cookie.Name, "browsers refuse __Host- without https")
}
