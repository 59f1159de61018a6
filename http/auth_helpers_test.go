package apphttp_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/http/apitest"
	"github.com/metalpro/backend/internal/testclock"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// apiEnv is the real API over a real database file, served on 127.0.0.1.
type apiEnv struct {
	t     testing.TB
	URL   string
	DB    *store.DB
	Clock *testclock.Clock
}

// MustStartAPI starts the API with a fixed clock and a cheap bcrypt cost (cost 12 takes
// seconds per hash under the race detector; BenchmarkLogin measures the real cost).
func MustStartAPI(tb testing.TB, mutate func(*apphttp.Config), deps apphttp.Deps) *apiEnv {
	tb.Helper()
	return mustStartAPI(tb, bcrypt.MinCost, mutate, deps)
}

func mustStartAPI(tb testing.TB, passwordCost int, mutate func(*apphttp.Config), deps apphttp.Deps) *apiEnv {
	tb.Helper()
	clock := testclock.New(time.Now().UTC().Truncate(time.Millisecond))
	db := storetest.MustOpenWith(tb, store.Options{Now: clock.Now, PasswordCost: passwordCost})
	cfg := apphttp.Config{Env: "development", FrontendURL: "http://localhost:8080",
		CORSOrigins: []string{"http://localhost:8080"}, JWTSecret: "test-secret-test-secret-test-secret!"}
	// Many visitors come from 127.0.0.1 within a minute: the new-guest budget is off
	// unless a test sets it (guest_budget_test.go).
	cfg.RateLimits.NewGuests, cfg.RateLimits.NewGuestsPerIP = apphttp.Limit{Window: time.Minute}, apphttp.Limit{Window: time.Minute}
	if mutate != nil {
		mutate(&cfg)
	}
	srv := httptest.NewServer(apphttp.NewServer(db, cfg, deps).Handler())
	tb.Cleanup(srv.Close)
	return &apiEnv{t: tb, URL: srv.URL, DB: db, Clock: clock}
}

// apiResponse is a response with its body read.
type apiResponse struct {
	*http.Response
	Body []byte
}

// JSON decodes the body into a map.
func (r apiResponse) JSON(tb testing.TB) map[string]any {
	tb.Helper()
	var m map[string]any
	require.NoError(tb, json.Unmarshal(r.Body, &m), "body: %s", r.Body)
	return m
}

// Err decodes an error body.
func (r apiResponse) Err(tb testing.TB) apiError {
	tb.Helper()
	var e apiError
	require.NoError(tb, json.Unmarshal(r.Body, &e), "body: %s", r.Body)
	return e
}

type apiError struct {
	Error   string `json:"error"`
	Code    string `json:"code"`
	Details []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"details"`
}

// Fields lists the fields named in the error's details.
func (e apiError) Fields() []string {
	var out []string
	for _, d := range e.Details {
		out = append(out, d.Field)
	}
	return out
}

// Do sends a request (body marshalled to JSON unless it is a string) with an optional
// bearer token, and checks the response against the OpenAPI document.
func (e *apiEnv) Do(method, path string, body any, token string, headers ...string) apiResponse {
	e.t.Helper()
	req, resp, b := sendJSON(e.t, http.DefaultClient, method, e.URL+path, body, token, headers...)
	apitest.Check(e.t, req, resp, b)
	return apiResponse{Response: resp, Body: b}
}

// session is a signed-in user as the storefront keeps it.
type session struct {
	UserID, Email, Access, Refresh string
}

func sessionFrom(tb testing.TB, r apiResponse) session {
	tb.Helper()
	var body struct {
		User struct {
			ID    string `json:"id"`
			Email string `json:"email"`
		} `json:"user"`
		Tokens struct {
			AccessToken  string `json:"accessToken"`
			RefreshToken string `json:"refreshToken"`
		} `json:"tokens"`
	}
	require.NoError(tb, json.Unmarshal(r.Body, &body), "body: %s", r.Body)
	require.NotEmpty(tb, body.Tokens.AccessToken)
	require.NotEmpty(tb, body.Tokens.RefreshToken)
	return session{UserID: body.User.ID, Email: body.User.Email, Access: body.Tokens.AccessToken, Refresh: body.Tokens.RefreshToken}
}

const testPassword = "bare-de-otel-2026"

// MustSignup creates an individual account and returns its session.
func (e *apiEnv) MustSignup(email string) session {
	e.t.Helper()
	r := e.Do(http.MethodPost, "/api/auth/signup", map[string]any{
		"email": email, "password": testPassword, "name": "Ion Popescu", "role": "INDIVIDUAL",
	}, "")
	require.Equal(e.t, http.StatusCreated, r.StatusCode, "body: %s", r.Body)
	return sessionFrom(e.t, r)
}

// MustLogin signs in and returns the session.
func (e *apiEnv) MustLogin(email, password string) session {
	e.t.Helper()
	r := e.Do(http.MethodPost, "/api/auth/login", map[string]any{"email": email, "password": password}, "")
	require.Equal(e.t, http.StatusOK, r.StatusCode, "body: %s", r.Body)
	return sessionFrom(e.t, r)
}

// LastEmail returns the newest outbox email of template to addr (its Data), or nil.
func (e *apiEnv) LastEmail(template, to string) map[string]any {
	e.t.Helper()
	var data string
	err := e.DB.ReadDB().QueryRow(`SELECT data FROM email_outbox WHERE template = ? AND to_addr = ?
		ORDER BY created_at DESC, rowid DESC LIMIT 1`, template, strings.ToLower(to)).Scan(&data)
	if err != nil {
		return nil
	}
	var m map[string]any
	require.NoError(e.t, json.Unmarshal([]byte(data), &m))
	return m
}

// EmailToken is the token of the newest outbox email of template to addr.
func (e *apiEnv) EmailToken(template, to string) string {
	e.t.Helper()
	m := e.LastEmail(template, to)
	require.NotNil(e.t, m, "no %s email to %s in the outbox", template, to)
	tok, _ := m["token"].(string)
	require.NotEmpty(e.t, tok)
	return tok
}
