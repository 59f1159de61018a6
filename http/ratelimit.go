package apphttp

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/metalpro/backend/store"
)

// Limit is at most Max events per Window for one key (a client IP). Max 0 means unlimited.
type Limit struct {
	Max    int
	Window time.Duration
}

// ParseLimit reads "100/15m" (max/window).
func ParseLimit(s string) (Limit, error) {
	maxStr, winStr, ok := strings.Cut(strings.TrimSpace(s), "/")
	n, err := strconv.Atoi(maxStr)
	if !ok || err != nil || n < 0 {
		return Limit{}, fmt.Errorf("rate limit %q: want MAX/WINDOW such as 100/15m", s)
	}
	w, err := time.ParseDuration(winStr)
	if err != nil || w <= 0 {
		return Limit{}, fmt.Errorf("rate limit %q: want MAX/WINDOW such as 100/15m", s)
	}
	return Limit{Max: n, Window: w}, nil
}

// String is the MAX/WINDOW form.
func (l Limit) String() string { return fmt.Sprintf("%d/%s", l.Max, l.Window) }

// RateLimits are the per-IP limits of the seed, configurable so load tests can raise them.
type RateLimits struct {
	API   Limit // every /api request
	Login Limit // failed logins only: a success does not count
	RFQ   Limit // RFQ submissions
	// Account: signups, password-reset requests and verification resends (each sends an
	// email or creates an account, so a script could use us to spam or fill the database).
	Account Limit
	// NewGuests bounds new guest carts from all clients together, NewGuestsPerIP each
	// address's share (guest_budget.go).
	NewGuests, NewGuestsPerIP Limit
	// Upload: files uploaded (BOMs and attachments), per IP; each costs disk and a sniff.
	Upload Limit
	// PasswordWorkPerIP: password checks (login, signup, password change and reset) one
	// address may have in flight at once; more get 429 (login_limits.go). Not a rate: a cap
	// on concurrent bcrypt work. DefaultPasswordWorkPerIP when zero.
	PasswordWorkPerIP int
}

// DefaultRateLimits: the seed's login (5 failures / 15 min) and RFQ (10 / hour) limits.
// The general limit is 600 / 15 min rather than the seed's 100: a storefront page issues
// several calls (catalog, facets, cart), and a B2B customer's whole office often shares one
// public IP; 100 would lock out a buyer browsing normally.
func DefaultRateLimits() RateLimits {
	return RateLimits{
		API:   Limit{Max: 600, Window: 15 * time.Minute},
		Login: Limit{Max: 5, Window: 15 * time.Minute},
		RFQ:   Limit{Max: 10, Window: time.Hour},
		// 10 an hour: a whole office behind one address signing up, or someone retrying a
		// reset link a few times, stays well inside it.
		Account:        Limit{Max: 10, Window: time.Hour},
		NewGuests:      DefaultNewGuests,
		NewGuestsPerIP: DefaultNewGuestsPerIP,
		// 60 an hour: a buyer attaching a project's drawings one by one stays inside it.
		Upload:            Limit{Max: 60, Window: time.Hour},
		PasswordWorkPerIP: DefaultPasswordWorkPerIP,
	}
}

// limiter counts events per key in fixed windows that start at a key's first event (as
// express-rate-limit does). One process serves all traffic, so memory is the right store.
type limiter struct {
	limit Limit
	mu    sync.Mutex
	keys  map[string]*window
	calls int
}

type window struct {
	start time.Time
	count int
}

func newLimiter(l Limit) *limiter { return &limiter{limit: l, keys: map[string]*window{}} }

// Allow counts one event for key and reports whether it is within the limit; when not, it
// also says how long until the window resets.
func (l *limiter) Allow(key string, now time.Time) (bool, time.Duration) {
	full, retry := l.check(key, now, true)
	return !full, retry
}

// Blocked reports, without counting, whether key has used up its window.
func (l *limiter) Blocked(key string, now time.Time) (bool, time.Duration) {
	return l.check(key, now, false)
}

// check reports whether key's window is used up (and for how long still); when it is not
// and count is set, it counts one event.
func (l *limiter) check(key string, now time.Time, count bool) (bool, time.Duration) {
	if l.limit.Max <= 0 {
		return false, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.current(key, now)
	if w.count >= l.limit.Max {
		return true, w.start.Add(l.limit.Window).Sub(now)
	}
	if count {
		w.count++
	}
	return false, 0
}

// Add counts one event for key without checking (a failed login).
func (l *limiter) Add(key string, now time.Time) {
	if l.limit.Max <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.current(key, now).count++
}

// Refund gives back one event counted for key in its current window: a login counted
// before the password was checked that then succeeded, or a new guest whose write was refused.
func (l *limiter) Refund(key string, now time.Time) {
	if l.limit.Max <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if w, ok := l.keys[key]; ok && now.Sub(w.start) < l.limit.Window && w.count > 0 {
		w.count--
	}
}

// current returns key's live window, starting a new one if the old has expired. Every
// 1,000 calls it drops expired windows so memory stays bounded by active clients.
func (l *limiter) current(key string, now time.Time) *window {
	l.calls++
	if l.calls%1000 == 0 {
		for k, w := range l.keys {
			if now.Sub(w.start) >= l.limit.Window {
				delete(l.keys, k)
			}
		}
	}
	w, ok := l.keys[key]
	if !ok || now.Sub(w.start) >= l.limit.Window {
		w = &window{start: now}
		l.keys[key] = w
	}
	return w
}

// errRateLimited is the 429 answer; msg is the seed's text for the limit that tripped.
func errRateLimited(retry time.Duration, ro, en string) error {
	e := store.Errorf(store.ECodeRateLimited, ro, en)
	e.RetryAfter = retry
	return e
}

// limitAPI applies the general limit to every /api request, per client IP.
func (s *Server) limitAPI(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ok, retry := s.limits.api.Allow(clientIPFrom(r.Context()), time.Now()); !ok {
			s.writeError(w, r, errRateLimited(retry,
				"Prea multe cereri. Te rugăm să încerci mai târziu.",
				"Too many requests. Please try again later."))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// serverLimits are the live limiters of one server.
type serverLimits struct {
	api, login, rfq, account *limiter
}

func newServerLimits(l RateLimits) serverLimits {
	return serverLimits{api: newLimiter(l.API), login: newLimiter(l.Login), rfq: newLimiter(l.RFQ), account: newLimiter(l.Account)}
}
