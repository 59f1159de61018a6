package apphttp

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// RateLimits.PasswordWorkPerIP (LOGIN_CONCURRENCY_PER_IP) is how many password checks one
// address may have in flight: with 7 configured, a login while 3 are in flight is checked
// (a wrong password: 401), and one while 7 are is refused (429); unset, the cap is 3.
func TestPasswordWork_CapIsASetting(t *testing.T) {
	login := func(t *testing.T, url string) int {
		resp, err := http.Post(url+"/api/auth/login", "application/json",
			strings.NewReader(`{"email":"nimeni@firma.ro","password":"bare-de-otel-2026"}`))
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, c := range []struct {
		name           string
		configured     int
		inFlight, want int
	}{
		{"DefaultRefusesTheFourth", 0, DefaultPasswordWorkPerIP, http.StatusTooManyRequests},
		{"RaisedLetsTheFourthIn", 7, DefaultPasswordWorkPerIP, http.StatusUnauthorized},
		{"RaisedRefusesTheEighth", 7, 7, http.StatusTooManyRequests},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := MustNewServer(t, func(cfg *Config) { cfg.RateLimits.PasswordWorkPerIP = c.configured })
			srv := httptest.NewServer(s.Handler())
			defer srv.Close()
			for range c.inFlight {
				release, ok := s.gates.perIP.acquire("127.0.0.1")
				require.True(t, ok)
				defer release()
			}
			require.Equal(t, c.want, login(t, srv.URL))
		})
	}
}
