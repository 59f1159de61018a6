package apphttp_test

import (
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/store"
)

// claimsOf reads a token's claims without checking it (to forge variations of it).
func claimsOf(t *testing.T, token string) jwt.MapClaims {
	c := jwt.MapClaims{}
	_, _, err := jwt.NewParser().ParseUnverified(token, c)
	require.NoError(t, err)
	return c
}

func TestAuth_Tokens(t *testing.T) {
	const secret = "test-secret-test-secret-test-secret!"
	api := MustStartAPI(t, nil, apphttp.Deps{})
	s := api.MustSignup("token@firma.ro")
	me := func(token string) int { return api.Do(http.MethodGet, "/api/users/me", nil, token).StatusCode }
	require.Equal(t, http.StatusOK, me(s.Access))
	claims := claimsOf(t, s.Access)
	require.NotEmpty(t, claims["sid"])
	require.NotEmpty(t, claims["jti"])
	require.Equal(t, s.UserID, claims["sub"])

	t.Run("ErrForged", func(t *testing.T) {
		none, err := jwt.NewWithClaims(jwt.SigningMethodNone, claims).SignedString(jwt.UnsafeAllowNoneSignatureType)
		require.NoError(t, err)
		otherKey, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte("another-secret-another-secret-!!"))
		require.NoError(t, err)
		hs384, err := jwt.NewWithClaims(jwt.SigningMethodHS384, claims).SignedString([]byte(secret))
		require.NoError(t, err)
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		require.NoError(t, err)
		rs256, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(key)
		require.NoError(t, err)
		parts := strings.Split(s.Access, ".")
		tampered := parts[0] + "." + strings.TrimRight(parts[1], "A") + "B." + parts[2]
		for name, tok := range map[string]string{"none": none, "other key": otherKey, "HS384": hs384,
			"RS256": rs256, "tampered": tampered, "garbage": "abc.def.ghi"} {
			r := api.Do(http.MethodGet, "/api/users/me", nil, tok)
			require.Equal(t, http.StatusUnauthorized, r.StatusCode, name)
			require.Equal(t, "unauthorized", r.Err(t).Code, name)
		}
		// With the right key but no session behind it (a leaked secret still needs a session).
		c := jwt.MapClaims{}
		for k, v := range claims {
			c[k] = v
		}
		c["sid"] = "00000000-0000-4000-8000-000000000000"
		noSession, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString([]byte(secret))
		require.NoError(t, err)
		require.Equal(t, http.StatusUnauthorized, me(noSession))
		require.Equal(t, http.StatusOK, me(s.Access), "the real token still works")
	})

	t.Run("ErrWrongTokenType", func(t *testing.T) {
		require.Equal(t, http.StatusUnauthorized, me(s.Refresh), "a refresh token is no access token")
		r := api.Do(http.MethodPost, "/api/auth/refresh", map[string]any{"refreshToken": s.Access}, "")
		require.Equal(t, http.StatusUnauthorized, r.StatusCode, "nor the other way round")
	})

	t.Run("ErrNotBearer", func(t *testing.T) {
		r := api.Do(http.MethodGet, "/api/users/me", nil, "", "Authorization", "Basic dXNlcjpwYXNz")
		require.Equal(t, http.StatusUnauthorized, r.StatusCode)
		r = api.Do(http.MethodGet, "/api/users/me", nil, "")
		require.Equal(t, http.StatusUnauthorized, r.StatusCode)
		require.Equal(t, "Trebuie să fii autentificat pentru această acțiune.", r.Err(t).Error)
	})

	t.Run("RefreshRaceKeepsSession", func(t *testing.T) {
		// Two tabs refresh with the same token at once: the second is refused, but the
		// session the first one renewed lives on.
		s := api.MustLogin("token@firma.ro", testPassword)
		r := api.Do(http.MethodPost, "/api/auth/refresh", map[string]any{"refreshToken": s.Refresh}, "")
		require.Equal(t, http.StatusOK, r.StatusCode)
		next := sessionFrom(t, r)
		r = api.Do(http.MethodPost, "/api/auth/refresh", map[string]any{"refreshToken": s.Refresh}, "")
		require.Equal(t, http.StatusUnauthorized, r.StatusCode)
		require.Equal(t, http.StatusOK, me(next.Access))
		r = api.Do(http.MethodPost, "/api/auth/refresh", map[string]any{"refreshToken": next.Refresh}, "")
		require.Equal(t, http.StatusOK, r.StatusCode)
	})

	t.Run("ErrRefreshReuseEndsSession", func(t *testing.T) {
		s := api.MustLogin("token@firma.ro", testPassword)
		r := api.Do(http.MethodPost, "/api/auth/refresh", map[string]any{"refreshToken": s.Refresh}, "")
		require.Equal(t, http.StatusOK, r.StatusCode)
		next := sessionFrom(t, r)
		api.Clock.Advance(store.RefreshReuseGrace) // past the race window: a replay
		// Someone replays the old refresh token: refused, and the session is over for the
		// legitimate holder too (we cannot tell which of the two is the thief).
		r = api.Do(http.MethodPost, "/api/auth/refresh", map[string]any{"refreshToken": s.Refresh}, "")
		require.Equal(t, http.StatusUnauthorized, r.StatusCode)
		require.Equal(t, http.StatusUnauthorized, me(next.Access))
		r = api.Do(http.MethodPost, "/api/auth/refresh", map[string]any{"refreshToken": next.Refresh}, "")
		require.Equal(t, http.StatusUnauthorized, r.StatusCode)
	})

	t.Run("ErrIdle", func(t *testing.T) {
		s := api.MustLogin("token@firma.ro", testPassword)
		api.Clock.Advance(apphttp.DefaultSessionIdleTimeout - time.Minute)
		require.Equal(t, http.StatusOK, me(s.Access), "activity within the idle limit keeps the session")
		api.Clock.Advance(apphttp.DefaultSessionIdleTimeout - time.Minute)
		require.Equal(t, http.StatusOK, me(s.Access))
		api.Clock.Advance(apphttp.DefaultSessionIdleTimeout + time.Second)
		r := api.Do(http.MethodGet, "/api/users/me", nil, s.Access)
		require.Equal(t, http.StatusUnauthorized, r.StatusCode)
		require.Equal(t, "Sesiunea a expirat. Te rugăm să te autentifici din nou.", r.Err(t).Error)
		r = api.Do(http.MethodPost, "/api/auth/refresh", map[string]any{"refreshToken": s.Refresh}, "")
		require.Equal(t, http.StatusUnauthorized, r.StatusCode, "an idle session cannot be refreshed either")
	})
}

func TestAuth_TokenExpiry(t *testing.T) {
	// No idle limit here, to see the token lifetimes alone.
	api := MustStartAPI(t, func(c *apphttp.Config) { c.SessionIdleTimeout = -1 }, apphttp.Deps{})
	s := api.MustSignup("expira@firma.ro")
	api.Clock.Advance(apphttp.AccessTokenTTL + time.Second)
	require.Equal(t, http.StatusUnauthorized, api.Do(http.MethodGet, "/api/users/me", nil, s.Access).StatusCode)
	r := api.Do(http.MethodPost, "/api/auth/refresh", map[string]any{"refreshToken": s.Refresh}, "")
	require.Equal(t, http.StatusOK, r.StatusCode, "the refresh token outlives the access token")
	s = sessionFrom(t, r)
	require.Equal(t, http.StatusOK, api.Do(http.MethodGet, "/api/users/me", nil, s.Access).StatusCode)
	api.Clock.Advance(apphttp.RefreshTokenTTL + time.Second)
	r = api.Do(http.MethodPost, "/api/auth/refresh", map[string]any{"refreshToken": s.Refresh}, "")
	require.Equal(t, http.StatusUnauthorized, r.StatusCode)
}
