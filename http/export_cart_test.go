package apphttp

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
)

// MustOpenDBAt opens (or reopens) the database file at path with the project's schema.
func MustOpenDBAt(tb testing.TB, path string, now func() time.Time) *store.DB {
	tb.Helper()
	schema, err := os.ReadFile(filepath.Join("..", "schema.sql"))
	require.NoError(tb, err)
	db, err := store.Open(context.Background(), path, string(schema), store.Options{Now: now})
	require.NoError(tb, err)
	tb.Cleanup(func() { db.Close() })
	return db
}

// NewServerOver builds the API over db with development settings.
func NewServerOver(db *store.DB, mutate func(*Config)) *Server {
	cfg := Config{Env: "development", FrontendURL: "http://localhost:8080",
		CORSOrigins: []string{"http://localhost:8080"}, OperatorEmail: "sales@metalpro.ro"}
	if mutate != nil {
		mutate(&cfg)
	}
	return NewServer(db, cfg, Deps{})
}

// TestUserHeader names a test-only header carrying a user id.
const TestUserHeader = "X-Test-User-Id"

// HandlerWithTestUsers serves the API where a request carrying TestUserHeader counts as
// signed in as that user, and POST /test/login merges the session's guest cart into that
// user's cart as a successful login does.
//
// TODO(auth merge): once signup/login and the authenticate middleware are on this branch,
// the cart/RFQ user-flow tests should sign in for real (POST /api/auth/signup, Bearer
// token) instead of using this header.
func (s *Server) HandlerWithTestUsers() http.Handler {
	login := s.sessions.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.mergeGuestCart(r, r.Header.Get(TestUserHeader)); err != nil {
			s.writeError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	api := s.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/test/login" {
			login.ServeHTTP(w, r)
			return
		}
		if id := r.Header.Get(TestUserHeader); id != "" {
			r = r.WithContext(withUser(r.Context(), &store.User{ID: id, Role: store.RoleBusiness}))
		}
		api.ServeHTTP(w, r)
	})
}

// SetRFQCaptcha installs a captcha check for guest RFQs.
func (s *Server) SetRFQCaptcha(f CaptchaFunc) { s.rfqCaptcha = f }
