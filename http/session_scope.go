package apphttp

import (
	"net/http"
	"strings"
)

// guestSessions loads and saves the guest session (scs, a row in SQLite) around every
// request except the public catalog's reads. Those answer the same for everyone, from the
// catalog cache, and never look at the session; yet with a guest's cookie, loading it cost a
// read of the sessions table and saving it a second one (to see whether the idle expiry
// needed pushing), and made every catalog response carry a Set-Cookie, which a shared cache
// must not store for others. The guest's idle expiry (30 days) is still pushed by every cart,
// RFQ and account request, which the storefront makes on every page.
func (s *Server) guestSessions(next http.Handler) http.Handler {
	withSession := s.sessions.LoadAndSave(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !publicCatalogRead(r) {
			withSession.ServeHTTP(w, r)
			return
		}
		// What LoadAndSave says on every response, kept so the catalog's headers do not
		// change with this shortcut.
		w.Header().Add("Vary", "Cookie")
		next.ServeHTTP(w, r)
	})
}

// publicCatalogRead reports whether r is a GET or HEAD of the public catalog
// (routes.go: /api/categories, /api/products, /api/products/{idOrSku}) or of the OpenAPI
// document: routes whose handlers never touch the guest session.
func publicCatalogRead(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	switch p := r.URL.Path; p {
	case "/api/products", "/api/categories", "/api/openapi.json":
		return true
	default:
		sku, ok := strings.CutPrefix(p, "/api/products/")
		return ok && sku != "" && !strings.Contains(sku, "/")
	}
}
