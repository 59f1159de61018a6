package apphttp

import (
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/rs/cors"
)

// maxWarnedOrigins bounds the refused origins remembered for warnings: Origin is whatever
// a client sends, so an unbounded set would be memory anyone can fill.
const maxWarnedOrigins = 256

// refusedOrigins remembers which refused origins were logged, so each is logged once.
type refusedOrigins struct {
	mu   sync.Mutex
	seen map[string]struct{}
}

// first reports whether origin is refused for the first time (and there is room to say so).
func (o *refusedOrigins) first(origin string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, ok := o.seen[origin]; ok || len(o.seen) >= maxWarnedOrigins {
		return false
	}
	if o.seen == nil {
		o.seen = map[string]struct{}{}
	}
	o.seen[origin] = struct{}{}
	return true
}

// sameHost: the request comes from this server's own pages (the back office's forms send
// their Origin too): not a cross-origin call, nothing for CORS_ORIGINS to allow.
func sameHost(origin string, r *http.Request) bool {
	u, err := url.Parse(origin)
	return err == nil && u.Host != "" && u.Host == r.Host
}

// warnRefusedOrigins logs one warning per origin the CORS policy refuses: a browser shows
// the storefront's developer only a console error, while the fix is a server setting.
func (s *Server) warnRefusedOrigins(c *cors.Cors, next http.Handler) http.Handler {
	var warned refusedOrigins
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if origin := r.Header.Get("Origin"); origin != "" && !sameHost(origin, r) && !c.OriginAllowed(r) && warned.first(origin) {
			s.logger.Warn("CORS: origin refused; to let a storefront there call the API, add it to CORS_ORIGINS",
				"origin", origin, "cors_origins", strings.Join(s.cfg.CORSOrigins, ","))
		}
		next.ServeHTTP(w, r)
	})
}
