package apphttp

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/metalpro/backend/store"
)

// routeMethods are the methods a route may take; OPTIONS is CORS's and HEAD follows GET.
var routeMethods = []string{http.MethodDelete, http.MethodGet, http.MethodPatch, http.MethodPost, http.MethodPut}

// methodNotAllowed answers 405 in the error shape with the Allow header RFC 9110 requires,
// so a client that used the wrong method learns which ones the path takes.
func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	if hidesBackOffice(r) {
		s.writeError(w, r, errNoSuchResource) // a 405 would tell a customer the path exists
		return
	}
	allow := strings.Join(s.allowedMethods(r), ", ")
	w.Header().Set("Allow", allow)
	writeJSON(w, http.StatusMethodNotAllowed, errorBody{
		Error: store.Text{
			RO: "Metoda " + r.Method + " nu este permisă pentru această resursă; sunt permise: " + allow + ".",
			EN: "Method " + r.Method + " is not allowed for this resource; allowed: " + allow + ".",
		}.In(lang(r)),
		Code: "method_not_allowed",
	})
}

// allowedMethods asks the router which methods would match r's path, in alphabetical order.
func (s *Server) allowedMethods(r *http.Request) []string {
	var allowed []string
	for _, m := range routeMethods {
		probe := r.Clone(r.Context())
		probe.Method = m
		var match mux.RouteMatch
		if s.router.Match(probe, &match) && match.MatchErr == nil {
			allowed = append(allowed, m)
		}
	}
	return allowed
}
