package apphttp_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	apphttp "github.com/metalpro/backend/http"
)

// loginsAtOnce is how many logins for one account may run at once (login_limits.go).
const loginsAtOnce = 2

// TestLogin_ParallelGuesses sends 40 logins to one account from one address at once, 39
// wrong and the right one last. Attempts are counted before the password is hashed, so at
// most the limit's 5 wrong guesses reach bcrypt (401) and every other one is refused with 429
// (or, on a machine so loaded that no bcrypt slot frees within the queue's wait, 503).
func TestLogin_ParallelGuesses(t *testing.T) {
	// Cost 8: slow enough that, were attempts counted after hashing, all 40 would pass the
	// check before the first failure is counted.
	api := mustStartAPI(t, 8, nil, apphttp.Deps{})
	api.MustSignup("tinta@firma.ro")

	const n = 40
	statuses := make([]int, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		pw := "parola-gresita-" + string(rune('a'+i%26))
		if i == n-1 {
			pw = testPassword
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses[i] = postStatus(api.URL+"/api/auth/login", `{"email":"tinta@firma.ro","password":"`+pw+`"}`)
		}()
	}
	close(start)
	wg.Wait()

	count := map[int]int{}
	for _, s := range statuses {
		count[s]++
	}
	require.LessOrEqual(t, count[http.StatusUnauthorized], 5, "at most the limit's 5 guesses reach bcrypt: %v", count)
	require.LessOrEqual(t, count[http.StatusOK], 1, "%v", count)
	// The rest are refused before hashing: 429, or 503 for one that found no bcrypt slot
	// within the queue's wait on a loaded machine.
	require.Equal(t, n, count[http.StatusUnauthorized]+count[http.StatusOK]+count[http.StatusTooManyRequests]+
		count[http.StatusServiceUnavailable], "every other attempt is refused: %v", count)
	require.GreaterOrEqual(t, count[http.StatusTooManyRequests], n-5-loginsAtOnce, "%v", count)
	// Only the failures stayed counted: the window has room for exactly the rest of the 5.
	for range 5 - count[http.StatusUnauthorized] {
		r := api.Do(http.MethodPost, "/api/auth/login", map[string]any{"email": "tinta@firma.ro", "password": "inca-o-parola-gresita"}, "")
		require.Equal(t, http.StatusUnauthorized, r.StatusCode, "%s", r.Body)
	}
	r := api.Do(http.MethodPost, "/api/auth/login", map[string]any{"email": "tinta@firma.ro", "password": testPassword}, "")
	require.Equal(t, http.StatusTooManyRequests, r.StatusCode, "the window is used up")
	require.NotEmpty(t, r.Header.Get("Retry-After"))
}

// postStatus posts a JSON body and returns the status, or 0 when the request failed: it
// runs in goroutines, where a test must not stop.
func postStatus(u, body string) int {
	resp, err := http.Post(u, "application/json", strings.NewReader(body))
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// TestLogin_RenewsGuestSession: the guest cookie a visitor had before signing in stops
// working at sign-in (session fixation): whoever planted or copied it cannot add lines
// that later merge into the user's cart.
func TestLogin_RenewsGuestSession(t *testing.T) {
	s := MustStartShop(t, nil)
	owner := s.NewVisitor(t)
	owner.Signup("victima@firma.ro")

	victim := s.NewVisitor(t)
	victim.MustAdd(s.cat.Pipe, 2, "m")
	before := sessionCookie(t, victim, s.URL)
	require.NotEmpty(t, before)

	victim.Login("victima@firma.ro")
	after := sessionCookie(t, victim, s.URL)
	require.NotEmpty(t, after)
	require.NotEqual(t, before, after, "sign-in renews the session token")
	require.Len(t, victim.Cart().Items, 1, "the guest cart joined the account")

	// The attacker holds the old cookie value: it names no session any more.
	attacker := s.NewVisitor(t)
	u, err := url.Parse(s.URL)
	require.NoError(t, err)
	attacker.hc.Jar.SetCookies(u, []*http.Cookie{{Name: "metalpro_session", Value: before, Path: "/"}})
	require.Empty(t, attacker.Cart().Items, "the old token no longer opens the guest session")
	attacker.MustAdd(s.cat.Sheet, 1, "pcs")
	victim.Login("victima@firma.ro")
	require.Len(t, victim.Cart().Items, 1, "the attacker's line did not merge into the victim's cart")
}

// sessionCookie is the visitor's guest session cookie value for the shop at base.
func sessionCookie(tb testing.TB, v *shopVisitor, base string) string {
	tb.Helper()
	u, err := url.Parse(base)
	require.NoError(tb, err)
	for _, c := range v.hc.Jar.(*cookiejar.Jar).Cookies(u) {
		if c.Name == "metalpro_session" {
			return c.Value
		}
	}
	return ""
}
