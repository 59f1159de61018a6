package apphttp

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestClientIP_ForwardedForHeaderLines: a proxy that appends its own X-Forwarded-For line
// (instead of extending the client's) must not let the client's line choose the address.
// Every line and every comma-separated entry is one list, walked from the right.
func TestClientIP_ForwardedForHeaderLines(t *testing.T) {
	s := MustNewServer(t, func(c *Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	})
	for _, tc := range []struct {
		name  string
		lines []string
		want  string
	}{
		{"ClientLineFirst", []string{"6.6.6.6", "198.51.100.7"}, "198.51.100.7"},
		{"ClientListThenProxyLine", []string{"6.6.6.6, 7.7.7.7", "198.51.100.7, 10.0.0.9"}, "198.51.100.7"},
		{"TrustedHopsInLastLine", []string{"198.51.100.7", "10.0.0.8, 10.0.0.9"}, "198.51.100.7"},
		{"EmptyLineIgnored", []string{"198.51.100.7", ""}, "198.51.100.7"},
		{"GarbageStopsTheWalk", []string{"6.6.6.6", "not-an-ip", "10.0.0.9"}, "10.0.0.5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = "10.0.0.5:5000"
			for _, l := range tc.lines {
				r.Header.Add("X-Forwarded-For", l)
			}
			require.Equal(t, tc.want, s.clientIP(r))
		})
	}
}
