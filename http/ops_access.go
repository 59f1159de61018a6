package apphttp

import (
	"crypto/subtle"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/metalpro/backend/store"
)

// opsAllowed reports whether r may see /metrics and the detailed /health: the version,
// the replica's address and the replicator's pid help an attacker more than a customer.
// Allowed are a caller presenting Config.MetricsToken as a Bearer token, and a caller on
// this machine that no proxy forwarded (a reverse proxy on the same host connects from
// loopback on behalf of the whole internet, and says so in X-Forwarded-For or Forwarded).
func (s *Server) opsAllowed(r *http.Request) bool {
	if tok := s.cfg.MetricsToken; tok != "" {
		if got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok &&
			subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(tok)) == 1 {
			return true
		}
	}
	if r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != "" {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	return err == nil && addr.Unmap().IsLoopback()
}

// requireOps answers 401 to callers that may not see operational details.
func (s *Server) requireOps(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.opsAllowed(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metalpro-ops"`)
			s.writeError(w, r, store.Errorf(store.ECodeUnauth,
				"Este nevoie de tokenul de monitorizare (METRICS_TOKEN).",
				"The monitoring token (METRICS_TOKEN) is required."))
			return
		}
		next.ServeHTTP(w, r)
	})
}
