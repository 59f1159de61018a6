package apphttp

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store/storetest"
)

// MustNewServer builds the API over a fresh database with development settings.
func MustNewServer(tb testing.TB, mutate func(*Config)) *Server {
	tb.Helper()
	cfg := Config{Env: "development", FrontendURL: "http://localhost:8080", CORSOrigins: []string{"http://localhost:8080"}}
	// Many visitors come from 127.0.0.1 within a minute: the new-guest budget is off
	// unless a test sets it (guest_budget_test.go).
	cfg.RateLimits.NewGuests, cfg.RateLimits.NewGuestsPerIP = Limit{Window: time.Minute}, Limit{Window: time.Minute}
	if mutate != nil {
		mutate(&cfg)
	}
	return NewServer(storetest.MustOpen(tb), cfg, Deps{})
}

type echoBody struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

func TestReadJSON(t *testing.T) {
	s := MustNewServer(t, func(c *Config) { c.MaxBodyBytes = 64 })
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b echoBody
		if err := s.readJSON(w, r, &b); err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, b)
	})
	do := func(ct, body string, hdr ...string) (*httptest.ResponseRecorder, errorBody) {
		req := httptest.NewRequest(http.MethodPost, "/x", strings.NewReader(body))
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		if len(hdr) == 2 {
			req.Header.Set(hdr[0], hdr[1])
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var e errorBody
		_ = json.Unmarshal(rec.Body.Bytes(), &e)
		return rec, e
	}

	t.Run("OK", func(t *testing.T) {
		rec, _ := do("application/json; charset=utf-8", `{"name":"Oțel","count":2}`)
		require.Equal(t, http.StatusOK, rec.Code)
		require.JSONEq(t, `{"name":"Oțel","count":2}`, rec.Body.String())
	})
	t.Run("ErrWrongContentType", func(t *testing.T) {
		rec, e := do("text/plain", `{"name":"x"}`)
		require.Equal(t, http.StatusUnsupportedMediaType, rec.Code)
		require.Equal(t, "unsupported_media_type", e.Code)
	})
	t.Run("ErrUnknownField", func(t *testing.T) {
		rec, e := do("application/json", `{"name":"x","price":1}`)
		require.Equal(t, http.StatusBadRequest, rec.Code)
		require.Equal(t, []errorDetail{{Field: "price", Message: "Câmp necunoscut."}}, e.Details)
	})
	t.Run("ErrWrongTypeNamesTheField", func(t *testing.T) {
		rec, e := do("application/json", `{"count":"two"}`, "Accept-Language", "en-GB,en;q=0.9")
		require.Equal(t, http.StatusBadRequest, rec.Code)
		require.Len(t, e.Details, 1)
		require.Equal(t, "count", e.Details[0].Field)
		require.Contains(t, e.Details[0].Message, "Wrong value type")
	})
	t.Run("ErrTwoValues", func(t *testing.T) {
		rec, _ := do("application/json", `{"name":"a"}{"name":"b"}`)
		require.Equal(t, http.StatusBadRequest, rec.Code)
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		rec, e := do("application/json", `{"name":`)
		require.Equal(t, http.StatusBadRequest, rec.Code)
		require.Equal(t, "invalid", e.Code)
	})
	t.Run("ErrInvalidUTF8", func(t *testing.T) {
		rec, _ := do("application/json", "{\"name\":\"\xff\xfe\"}")
		require.Equal(t, http.StatusBadRequest, rec.Code)
	})
	t.Run("ErrTooLarge", func(t *testing.T) {
		rec, e := do("application/json", `{"name":"`+strings.Repeat("a", 100)+`"}`)
		require.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
		require.Equal(t, "too_large", e.Code)
	})
	t.Run("ErrEmpty", func(t *testing.T) {
		rec, _ := do("application/json", ``)
		require.Equal(t, http.StatusBadRequest, rec.Code)
	})
}

func TestLang(t *testing.T) {
	for header, want := range map[string]string{
		"":                        "ro",
		"en":                      "en",
		"en-US,en;q=0.9":          "en",
		"ro-RO,ro;q=0.9,en;q=0.8": "ro",
		"de-DE,en;q=0.5":          "en",
		"fr":                      "ro",
		"en;q=0.3, ro;q=0.7":      "ro",
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Accept-Language", header)
		require.Equal(t, want, lang(r), header)
	}
}

func TestMiddleware(t *testing.T) {
	s := MustNewServer(t, nil)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()

	t.Run("UnknownRouteIs404InErrorShape", func(t *testing.T) {
		resp, err := http.Get(srv.URL + "/api/nope")
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, http.StatusNotFound, resp.StatusCode)
		var e errorBody
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&e))
		require.Equal(t, "not_found", e.Code)
		require.Equal(t, "Resursa cerută nu există.", e.Error)
	})

	t.Run("SecurityHeaders", func(t *testing.T) {
		resp, err := http.Get(srv.URL + "/health/live")
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"))
		require.Contains(t, resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'")
		require.Empty(t, resp.Header.Get("Strict-Transport-Security"), "no HSTS outside production")
		require.NotEmpty(t, resp.Header.Get("X-Request-Id"))
	})

	t.Run("CORSAllowsOnlyConfiguredOrigins", func(t *testing.T) {
		preflight := func(origin string) *http.Response {
			req, _ := http.NewRequest(http.MethodOptions, srv.URL+"/api/openapi.json", nil)
			req.Header.Set("Origin", origin)
			req.Header.Set("Access-Control-Request-Method", "POST")
			req.Header.Set("Access-Control-Request-Headers", "authorization,content-type") // browsers send them sorted
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			return resp
		}
		ok := preflight("http://localhost:8080")
		require.Equal(t, "http://localhost:8080", ok.Header.Get("Access-Control-Allow-Origin"))
		require.Equal(t, "true", ok.Header.Get("Access-Control-Allow-Credentials"))
		bad := preflight("https://evil.example")
		require.Empty(t, bad.Header.Get("Access-Control-Allow-Origin"))
	})

	t.Run("LargeResponsesAreCompressed", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/openapi.json", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := http.DefaultTransport.RoundTrip(req)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
	})
}

func TestRecoverer(t *testing.T) {
	var logs bytes.Buffer
	s := MustNewServer(t, nil)
	s.logger = newTestLogger(&logs)
	h := s.accessLog(s.recoverer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("boom")
	})))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/x", nil))
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	var e errorBody
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &e))
	require.Equal(t, "internal", e.Code)
	require.NotContains(t, rec.Body.String(), "boom", "internals never reach the client")
	require.Contains(t, logs.String(), `"panic":"boom"`)
}

func TestClientIP(t *testing.T) {
	s := MustNewServer(t, func(c *Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	})
	for _, tc := range []struct{ remote, xff, want string }{
		{"203.0.113.9:5000", "1.2.3.4", "203.0.113.9"},             // untrusted peer: header ignored
		{"10.0.0.5:5000", "198.51.100.7", "198.51.100.7"},          // trusted proxy
		{"10.0.0.5:5000", "6.6.6.6, 198.51.100.7", "198.51.100.7"}, // spoofed left part ignored
		{"10.0.0.5:5000", "198.51.100.7, 10.0.0.9", "198.51.100.7"},
		{"10.0.0.5:5000", "", "10.0.0.5"},
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = tc.remote
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		require.Equal(t, tc.want, s.clientIP(r), "%s / %s", tc.remote, tc.xff)
	}
}

var _ = io.Discard
