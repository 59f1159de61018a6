package apphttp

import (
	"net/http"

	"github.com/metalpro/backend/store"
)

// withCrossOriginCheck refuses unsafe requests (POST, PATCH, DELETE…) that a browser sends
// from an origin outside CORSOrigins, when the guest cookie is SameSite=None
// (CrossSiteCookies): without it any site could fill or submit a visitor's cart. With the
// default Lax cookie the browser itself keeps the cookie off cross-site requests, and the
// check is not installed.
func (s *Server) withCrossOriginCheck(next http.Handler) http.Handler {
	if !s.cfg.CrossSiteCookies {
		return next
	}
	check := http.NewCrossOriginProtection()
	for _, o := range s.cfg.CORSOrigins {
		if err := check.AddTrustedOrigin(o); err != nil {
			s.logger.Error("CORS origin not usable as a trusted origin for the cross-site check", "origin", o, "err", err)
		}
	}
	check.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, store.Errorf(store.ECodeForbidden,
			"Cererea vine de pe un site care nu are voie să modifice date aici.",
			"The request comes from a site that may not change data here."))
	}))
	return check.Handler(next)
}
