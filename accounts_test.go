package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRun_Accounts drives the wiring of accounts through the real program: the captcha is
// on when HCAPTCHA_SECRET is set, and sessions survive a restart (the development JWT
// secret is kept in the database).
func TestRun_Accounts(t *testing.T) {
	t.Parallel()
	verify := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		_ = json.NewEncoder(w).Encode(map[string]any{"success": r.PostForm.Get("response") == "ok-token"})
	}))
	defer verify.Close()
	dataDir := t.TempDir()
	env := map[string]string{"DATA_DIR": dataDir, "HCAPTCHA_SECRET": "s3cret", "HCAPTCHA_VERIFY_URL": verify.URL}
	srv := startServer(t, env)

	post := func(base, path string, body map[string]any, token string) (int, map[string]any) {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(http.MethodPost, base+path, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		return resp.StatusCode, m
	}
	signup := map[string]any{"email": "e2e@firma.ro", "password": "grinda-ipe-200-otel", "name": "Ion E2E", "role": "INDIVIDUAL"}
	code, _ := post(srv.URL, "/api/auth/signup", signup, "")
	require.Equal(t, http.StatusBadRequest, code, "the captcha is required when configured")
	signup["hcaptchaToken"] = "ok-token"
	code, body := post(srv.URL, "/api/auth/signup", signup, "")
	require.Equal(t, http.StatusCreated, code, "%v", body)
	access := body["tokens"].(map[string]any)["accessToken"].(string)
	require.NoError(t, srv.Stop())

	srv = startServer(t, env)
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/users/me", nil)
	req.Header.Set("Authorization", "Bearer "+access)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "a restart keeps sessions")
	code, _ = post(srv.URL, "/api/auth/logout", nil, access)
	require.Equal(t, http.StatusNoContent, code)
}

func TestRun_AccountConfig(t *testing.T) {
	t.Parallel()
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	_, err := loadConfig("serve", nil, env(map[string]string{"SESSION_IDLE_TIMEOUT": "soon"}), io.Discard)
	require.ErrorContains(t, err, "SESSION_IDLE_TIMEOUT")
	_, err = loadConfig("serve", nil, env(map[string]string{"RATE_LIMIT_ACCOUNT": "ten"}), io.Discard)
	require.ErrorContains(t, err, "RATE_LIMIT_ACCOUNT")
	c, err := loadConfig("serve", nil, env(map[string]string{"SESSION_IDLE_TIMEOUT": "0", "RATE_LIMIT_ACCOUNT": "3/1h"}), io.Discard)
	require.NoError(t, err)
	require.Negative(t, int64(c.SessionIdleTimeout), "0 turns the idle limit off")
	require.Equal(t, 3, c.RateLimits.Account.Max)
	c, err = loadConfig("serve", nil, env(nil), io.Discard)
	require.NoError(t, err)
	require.Equal(t, "12h0m0s", c.SessionIdleTimeout.String())
}
