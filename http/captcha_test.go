package apphttp_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	apphttp "github.com/metalpro/backend/http"
)

// fakeHCaptcha is a local siteverify endpoint: "good-token" passes, anything else fails.
type fakeHCaptcha struct {
	mu    sync.Mutex
	forms []map[string]string
}

func (f *fakeHCaptcha) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	f.mu.Lock()
	f.forms = append(f.forms, map[string]string{"secret": r.PostForm.Get("secret"), "response": r.PostForm.Get("response"),
		"remoteip": r.PostForm.Get("remoteip"), "contentType": r.Header.Get("Content-Type")})
	f.mu.Unlock()
	ok := r.PostForm.Get("response") == "good-token" && r.PostForm.Get("secret") == "captcha-secret"
	resp := map[string]any{"success": ok}
	if !ok {
		resp["error-codes"] = []string{"invalid-input-response"}
	}
	_ = json.NewEncoder(w).Encode(resp)
}

func TestCaptcha_Signup(t *testing.T) {
	fake := &fakeHCaptcha{}
	verify := httptest.NewServer(fake)
	defer verify.Close()
	api := MustStartAPI(t, nil, apphttp.Deps{Captcha: apphttp.NewHCaptcha("captcha-secret", verify.URL)})
	signup := func(email, token string) apiResponse {
		return api.Do(http.MethodPost, "/api/auth/signup", map[string]any{"email": email, "password": testPassword,
			"name": "Ion Robot", "role": "INDIVIDUAL", "hcaptchaToken": token}, "")
	}

	t.Run("ErrMissingToken", func(t *testing.T) {
		r := signup("robot1@firma.ro", "")
		require.Equal(t, http.StatusBadRequest, r.StatusCode)
		require.Equal(t, []string{"hcaptchaToken"}, r.Err(t).Fields())
	})
	t.Run("ErrRejectedToken", func(t *testing.T) {
		r := signup("robot2@firma.ro", "bad-token")
		require.Equal(t, http.StatusBadRequest, r.StatusCode)
		require.Equal(t, []string{"hcaptchaToken"}, r.Err(t).Fields())
	})
	t.Run("OK", func(t *testing.T) {
		r := signup("om@firma.ro", "good-token")
		require.Equal(t, http.StatusCreated, r.StatusCode, "body: %s", r.Body)
		fake.mu.Lock()
		last := fake.forms[len(fake.forms)-1]
		fake.mu.Unlock()
		require.Equal(t, "captcha-secret", last["secret"])
		require.Equal(t, "good-token", last["response"])
		require.Equal(t, "127.0.0.1", last["remoteip"])
		require.Equal(t, "application/x-www-form-urlencoded", last["contentType"])
	})
	t.Run("ResetPasswordToo", func(t *testing.T) {
		r := api.Do(http.MethodPost, "/api/auth/reset-password", map[string]any{"email": "om@firma.ro"}, "")
		require.Equal(t, http.StatusBadRequest, r.StatusCode)
		require.Nil(t, api.LastEmail("password_reset", "om@firma.ro"))
		r = api.Do(http.MethodPost, "/api/auth/reset-password", map[string]any{"email": "om@firma.ro", "hcaptchaToken": "good-token"}, "")
		require.Equal(t, http.StatusAccepted, r.StatusCode)
		require.NotNil(t, api.LastEmail("password_reset", "om@firma.ro"))
	})
}

func TestCaptcha_Unavailable(t *testing.T) {
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusBadGateway)
	}))
	defer down.Close()
	api := MustStartAPI(t, nil, apphttp.Deps{Captcha: apphttp.NewHCaptcha("captcha-secret", down.URL)})
	r := api.Do(http.MethodPost, "/api/auth/signup", map[string]any{"email": "x@firma.ro", "password": testPassword,
		"name": "Ion X", "role": "INDIVIDUAL", "hcaptchaToken": "good-token"}, "")
	require.Equal(t, http.StatusServiceUnavailable, r.StatusCode)
	require.Equal(t, "unavailable", r.Err(t).Code)

	down.Close() // nothing listens any more: a network error
	r = api.Do(http.MethodPost, "/api/auth/signup", map[string]any{"email": "x@firma.ro", "password": testPassword,
		"name": "Ion X", "role": "INDIVIDUAL", "hcaptchaToken": "good-token"}, "")
	require.Equal(t, http.StatusServiceUnavailable, r.StatusCode)
}
