package apphttp

import (
	"context"
	"net/http"

	"github.com/metalpro/backend/store"
)

// withUser returns ctx carrying the authenticated user.
func withUser(ctx context.Context, u *store.User) context.Context {
	return context.WithValue(ctx, ctxUser, u)
}

// userFrom is the authenticated user, or nil for a guest.
func userFrom(ctx context.Context) *store.User {
	u, _ := ctx.Value(ctxUser).(*store.User)
	return u
}

var errNotAuthenticated = store.Errorf(store.ECodeUnauth,
	"Trebuie să fii autentificat pentru această acțiune.",
	"You must be signed in to do this.")

// requireUser answers 401 unless the request carries a valid access token.
func (s *Server) requireUser(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if userFrom(r.Context()) == nil {
			if err, ok := r.Context().Value(ctxAuthError).(error); ok {
				s.writeError(w, r, err) // say why the token was refused (expired, ended, forged)
				return
			}
			s.writeError(w, r, errNotAuthenticated)
			return
		}
		h(w, r)
	}
}

// userOrGuest serves a route open to guests and users (cart, RFQ) but answers 401 when the
// request presented a Bearer token that was refused (forged, expired, ended): silently
// serving the guest cart instead would hide the user's own cart and let the storefront
// think it is signed in; a 401 makes it refresh the token or sign in again.
func (s *Server) userOrGuest(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err, ok := r.Context().Value(ctxAuthError).(error); ok {
			s.writeError(w, r, err)
			return
		}
		h(w, r)
	}
}
