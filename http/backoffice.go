package apphttp

import (
	"net/http"
	"time"
)

// The back office's pages (package web) are served by this server at /admin, inside the
// same middleware (request id, client address, access log, security headers), and their
// sign-in shares the API's guard against password guessing: one failed-login budget per
// address and the same caps on password work in flight.

// SignInGuard is what the back office needs from the API's server.
type SignInGuard interface {
	// AdmitSignIn lets one password check for email start, or returns the 429 to show.
	// settle must be called with the check's outcome: a failed check keeps its count on
	// the address's failed-login budget, anything else gives it back.
	AdmitSignIn(r *http.Request, email string) (settle func(err error), err error)
	// ClientIP is the request's client address (X-Forwarded-For only from trusted proxies).
	ClientIP(r *http.Request) string
}

// BackOfficeFactory builds the back office's handler once the server exists.
type BackOfficeFactory func(SignInGuard) http.Handler

// AdmitSignIn implements SignInGuard with the API login's limits (login_limits.go).
func (s *Server) AdmitSignIn(r *http.Request, email string) (settle func(err error), err error) {
	if ok, retry := s.limits.login.Blocked(clientIPFrom(r.Context()), time.Now()); ok {
		t := tooManyLogins(retry)
		return nil, errRateLimited(retry, t.RO, t.EN)
	}
	return s.admitLogin(r, s.limits.login, email)
}

// ClientIP implements SignInGuard.
func (s *Server) ClientIP(r *http.Request) string { return clientIPFrom(r.Context()) }
