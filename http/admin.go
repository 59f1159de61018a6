package apphttp

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/metalpro/backend/store"
)

// The back office's API lives under /api/admin (API.md "Back office"). Anonymous callers
// get 401; customers get the same 404 as a path that does not exist, so the back office
// does not exist for them; OPERATOR and ADMIN pass; admin-only calls give operators 403.
// Every request that passes carries its actor (store.WithActor), so each store change it
// makes can write its audit row in its own transaction.

// isStaffRole: operators and admins.
func isStaffRole(role string) bool { return role == store.RoleOperator || role == store.RoleAdmin }

// errNoSuchResource is the answer for a route that does not exist, and for a customer
// asking for the back office.
var errNoSuchResource = store.Errorf(store.ECodeNotFound, "Resursa cerută nu există.", "The requested resource does not exist.")

var errAdminOnly = store.Errorf(store.ECodeForbidden,
	"Doar un administrator poate face această operațiune.", "Only an administrator can do this.")

// adminRouter mounts /admin under the API router and returns it for the back office's routes.
func (s *Server) adminRouter(api *mux.Router) *mux.Router {
	admin := api.PathPrefix("/admin").Subrouter()
	admin.Use(s.requireStaff)
	return admin
}

// requireStaff admits operators and admins and tags the request with its actor.
func (s *Server) requireStaff(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := userFrom(r.Context())
		if u == nil {
			if err, ok := r.Context().Value(ctxAuthError).(error); ok {
				s.writeError(w, r, err)
				return
			}
			s.writeError(w, r, errNotAuthenticated)
			return
		}
		if !isStaffRole(u.Role) {
			s.writeError(w, r, errNoSuchResource)
			return
		}
		ctx := store.WithActor(r.Context(), store.Actor{UserID: u.ID, Label: u.Email, RequestID: requestID(r.Context())})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// adminOnly narrows a back-office handler to ADMIN (catalog and staff management, the
// audit log). It runs inside requireStaff, so the caller is staff.
func (s *Server) adminOnly(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if u := userFrom(r.Context()); u == nil || u.Role != store.RoleAdmin {
			s.writeError(w, r, errAdminOnly)
			return
		}
		h(w, r)
	}
}

// hidesBackOffice: a request under /api/admin from anyone but staff. The router's
// not-found path (a wrong method on a real admin path) must not tell them what exists.
func hidesBackOffice(r *http.Request) bool {
	if !strings.HasPrefix(r.URL.Path, "/api/admin/") && r.URL.Path != "/api/admin" {
		return false
	}
	u := userFrom(r.Context())
	return u == nil || !isStaffRole(u.Role)
}
