package apphttp

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/metalpro/backend/store"
)

// Password work one caller may have in flight at once. Every login, signup, password change
// and reset waits for the same few bcrypt slots, so without these caps one address (or many
// addresses guessing one account) could fill the queue and lock everyone else out of
// signing in. Two logins per account covers a double click; three per address covers an
// office behind one public IP where a few people sign in at the same moment. The per-address
// cap is RateLimits.PasswordWorkPerIP (LOGIN_CONCURRENCY_PER_IP), so a load test can raise it
// through the server's environment; DefaultPasswordWorkPerIP when zero.
const (
	// DefaultPasswordWorkPerIP is how many password checks one address may have in flight.
	DefaultPasswordWorkPerIP = 3
	loginsPerAccount         = 2
	inFlightRetryAfter       = time.Second
)

var tooManyAtOnce = store.Text{
	RO: "Prea multe autentificări în curs în același timp. Te rugăm să încerci din nou peste câteva secunde.",
	EN: "Too many sign-ins in progress at once. Please try again in a few seconds.",
}

// inFlight caps how many requests per key (a client IP, an account) run at once.
type inFlight struct {
	max int
	mu  sync.Mutex
	n   map[string]int
}

func newInFlight(max int) *inFlight { return &inFlight{max: max, n: map[string]int{}} }

// acquire takes one place for key; ok is false when key already has max in flight. The
// caller calls release once done.
func (f *inFlight) acquire(key string) (release func(), ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n[key] >= f.max {
		return nil, false
	}
	f.n[key]++
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.n[key]--; f.n[key] <= 0 {
			delete(f.n, key) // memory stays bounded by the callers in flight
		}
	}, true
}

// passwordGates are the caps on password work in flight.
type passwordGates struct {
	perIP, perAccount *inFlight
}

// newPasswordGates caps password work at perIP checks in flight per address
// (DefaultPasswordWorkPerIP when perIP is zero or less) and loginsPerAccount per account.
func newPasswordGates(perIP int) passwordGates {
	if perIP <= 0 {
		perIP = DefaultPasswordWorkPerIP
	}
	return passwordGates{perIP: newInFlight(perIP), perAccount: newInFlight(loginsPerAccount)}
}

// admitPasswordWork takes a place for the client's address in the password work queue, or
// answers 429 when the address already has its share in flight.
func (s *Server) admitPasswordWork(r *http.Request) (release func(), err error) {
	release, ok := s.gates.perIP.acquire(clientIPFrom(r.Context()))
	if !ok {
		return nil, errRateLimited(inFlightRetryAfter, tooManyAtOnce.RO, tooManyAtOnce.EN)
	}
	return release, nil
}

// admitLogin lets one login for email start: a place for the address and one for the
// account, then one attempt counted on the failed-login limit BEFORE the password is
// hashed (counted after, parallel guesses would all pass the check while they queue for
// bcrypt). settle gives the attempt back unless the login failed on its credentials.
func (s *Server) admitLogin(r *http.Request, l *limiter, email string) (settle func(err error), err error) {
	releaseIP, err := s.admitPasswordWork(r)
	if err != nil {
		return nil, err
	}
	account, _ := store.NormalizeEmail(email)
	releaseAccount, ok := s.gates.perAccount.acquire(strings.ToLower(account))
	if !ok {
		releaseIP()
		return nil, errRateLimited(inFlightRetryAfter, tooManyAtOnce.RO, tooManyAtOnce.EN)
	}
	ip := clientIPFrom(r.Context())
	if ok, retry := l.Allow(ip, time.Now()); !ok {
		releaseAccount()
		releaseIP()
		t := tooManyLogins(retry)
		return nil, errRateLimited(retry, t.RO, t.EN)
	}
	return func(err error) {
		releaseAccount()
		releaseIP()
		if !failedCredentials(err) {
			l.Refund(ip, time.Now())
		}
	}, nil
}

// failedCredentials reports whether err is a wrong email or password (what the failed-login
// limit counts), as opposed to success, a busy server or a malformed request.
func failedCredentials(err error) bool {
	return store.ErrorCode(err) == store.ECodeUnauth || hasField(err, "currentPassword")
}
