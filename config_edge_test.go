package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/store/storetest"
)

// The supported layouts of storefront and API, and the one production refuses.
func TestConfig_SiteLayouts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		env     map[string]string
		problem string // "" = starts
	}{
		{"OneOrigin", map[string]string{"STATIC_DIR": "/srv/storefront"}, ""},
		{"OneOriginExplicit", map[string]string{"API_URL": "https://metalpro.ro/"}, ""},
		{"APISubdomain", map[string]string{"API_URL": "https://api.metalpro.ro"}, ""},
		{"WwwAndAPI", map[string]string{"FRONTEND_URL": "https://www.metalpro.ro", "API_URL": "https://api.metalpro.ro"}, ""},
		{"CrossSiteRefused", map[string]string{"API_URL": "https://metalpro.fly.dev"}, "different sites"},
		{"PublicSuffixIsNotASite", map[string]string{"FRONTEND_URL": "https://metalpro.github.io", "API_URL": "https://api.github.io"}, "different sites"},
		{"CrossSiteConfigured", map[string]string{"API_URL": "https://metalpro.fly.dev", "CROSS_SITE_COOKIES": "true"}, ""},
		{"PlainHTTPAPI", map[string]string{"API_URL": "http://api.metalpro.ro"}, "API_URL must be the API's public https:// address"},
		{"BadFlag", map[string]string{"CROSS_SITE_COOKIES": "maybe"}, "CROSS_SITE_COOKIES must be true or false"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := loadProduction(t, tc.env)
			if tc.problem == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tc.problem)
		})
	}
	t.Run("DevelopmentNotChecked", func(t *testing.T) {
		_, err := loadConfig("serve", nil, func(k string) string {
			return map[string]string{"API_URL": "http://127.0.0.1:3000"}[k]
		}, io.Discard)
		require.NoError(t, err)
	})
}

// The guest cart cookie as a browser receives it in each accepted production layout, and
// the cross-origin check that SameSite=None needs.
func TestCookieLayouts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		env       map[string]string
		origin    string // the storefront's origin, from which the browser calls the API
		fetchSite string // Sec-Fetch-Site the browser sends with that call
		sameSite  string
	}{
		{"OneOrigin", map[string]string{"STATIC_DIR": "/srv/storefront"}, "https://metalpro.ro", "same-origin", "Lax"},
		{"APISubdomain", map[string]string{"API_URL": "https://api.metalpro.ro"}, "https://metalpro.ro", "same-site", "Lax"},
		{"CrossSite", map[string]string{"API_URL": "https://metalpro.fly.dev", "CROSS_SITE_COOKIES": "true"}, "https://metalpro.ro", "cross-site", "None"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := loadConfig("serve", nil, productionEnv(tc.env), io.Discard)
			require.NoError(t, err)
			db := storetest.MustOpen(t)
			cat := storetest.MustCreateCatalog(t, db)
			// The settings serve passes for the cookie and the origins.
			srv := apphttp.NewServer(db, apphttp.Config{Env: cfg.Env, FrontendURL: cfg.FrontendURL,
				CORSOrigins: cfg.CORSOrigins, CrossSiteCookies: cfg.CrossSiteCookies, JWTSecret: cfg.JWTSecret}, apphttp.Deps{})
			ts := httptest.NewServer(srv.Handler())
			t.Cleanup(ts.Close)
			t.Cleanup(srv.Close)

			addToCart := func(origin, fetchSite string) *http.Response {
				req, err := http.NewRequest(http.MethodPost, ts.URL+"/api/cart/items",
					strings.NewReader(`{"productId":"`+cat.Sheet+`","quantity":1,"unit":"pcs"}`))
				require.NoError(t, err)
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Origin", origin)
				req.Header.Set("Sec-Fetch-Site", fetchSite)
				resp, err := http.DefaultClient.Do(req)
				require.NoError(t, err)
				resp.Body.Close()
				return resp
			}
			resp := addToCart(tc.origin, tc.fetchSite)
			require.Equal(t, http.StatusCreated, resp.StatusCode)
			cookies := resp.Cookies()
			require.Len(t, cookies, 1)
			c := cookies[0]
			require.Equal(t, "__Host-metalpro_session", c.Name)
			require.True(t, c.Secure, "Secure")
			require.True(t, c.HttpOnly, "HttpOnly")
			require.Equal(t, "/", c.Path)
			require.Empty(t, c.Domain, "host-only: no sibling subdomain receives it")
			raw := resp.Header.Get("Set-Cookie")
			require.Contains(t, raw, "SameSite="+tc.sameSite)

			if tc.sameSite == "None" {
				// The cookie now travels with requests from any site: another site's write is refused.
				resp := addToCart("https://rau.example", "cross-site")
				require.Equal(t, http.StatusForbidden, resp.StatusCode)
				require.Empty(t, resp.Cookies())
			}
		})
	}
}

func TestConfig_TLS(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		env     map[string]string
		problem string
	}{
		{"ACME", map[string]string{"TLS_DOMAINS": "metalpro.ro, www.metalpro.ro"}, ""},
		{"OwnCertificate", map[string]string{"TLS_CERT_FILE": "/etc/ssl/metalpro.pem", "TLS_KEY_FILE": "/etc/ssl/metalpro.key"}, ""},
		{"Both", map[string]string{"TLS_DOMAINS": "metalpro.ro", "TLS_CERT_FILE": "/c", "TLS_KEY_FILE": "/k"}, "choose one"},
		{"CertWithoutKey", map[string]string{"TLS_CERT_FILE": "/c"}, "TLS_CERT_FILE and TLS_KEY_FILE go together"},
		{"BadPort", map[string]string{"TLS_DOMAINS": "metalpro.ro", "HTTPS_PORT": "https"}, "HTTPS_PORT must be a port number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := loadConfig("serve", nil, productionEnv(tc.env), io.Discard)
			if tc.problem != "" {
				require.ErrorContains(t, err, tc.problem)
				return
			}
			require.NoError(t, err)
			require.True(t, cfg.tlsOn())
			require.Equal(t, "0.0.0.0:443", cfg.listenAddr(), "TLS listens on HTTPS_PORT, not PORT")
			require.Equal(t, 80, cfg.HTTPPort)
		})
	}
	cfg, err := loadConfig("serve", nil, productionEnv(nil), io.Discard)
	require.NoError(t, err)
	require.False(t, cfg.tlsOn(), "off unless asked: behind a proxy TLS ends there")
	require.Equal(t, "0.0.0.0:3000", cfg.listenAddr())
	require.Equal(t, []string{"metalpro.ro", "www.metalpro.ro"}, mustLoad(t, map[string]string{"TLS_DOMAINS": "metalpro.ro, www.metalpro.ro"}).TLSDomains)
}

func mustLoad(t *testing.T, env map[string]string) config {
	t.Helper()
	cfg, err := loadConfig("serve", nil, productionEnv(env), io.Discard)
	require.NoError(t, err)
	return cfg
}
