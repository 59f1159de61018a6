package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/alexedwards/scs/v2"

	"github.com/metalpro/backend/store"
)

// Staff sessions: an HttpOnly cookie naming a row of the sessions table (the guest
// sessions' table, under other tokens), scoped to /admin. The session holds only the staff
// member's id and the CSRF token; the account is read again on every request, so a
// disabled account or a changed role takes effect at once.

const (
	sessionCookieName = "metalpro_staff"
	keyStaffID        = "staffID"
	keyCSRF           = "csrf"
	keyFlash          = "flash"
)

func newSessionManager(db *store.DB, cfg Config) *scs.SessionManager {
	sm := scs.New()
	sm.Store = db.GuestSessionStore()
	sm.Lifetime = sessionLifetime
	sm.IdleTimeout = cfg.IdleTimeout
	sm.Cookie.Name = sessionCookieName
	sm.Cookie.Path = Prefix
	if cfg.Production {
		// __Host- needs Secure and Path=/; it stops a sibling subdomain from planting a
		// session for us to adopt.
		sm.Cookie.Name = "__Host-" + sessionCookieName
		sm.Cookie.Path = "/"
	}
	sm.Cookie.HttpOnly = true
	// Lax, not Strict: the RFQ link in an operator's email must open the page signed in.
	// Forms are guarded by the CSRF token and the origin check (csrf.go).
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.Production
	sm.Cookie.Persist = false // a browser session: closing the browser signs out
	return sm
}

type ctxKey int

const ctxStaff ctxKey = iota

// staffFrom is the signed-in staff member, or nil.
func staffFrom(ctx context.Context) *store.User {
	u, _ := ctx.Value(ctxStaff).(*store.User)
	return u
}

// loadStaff puts the session's staff member on the request, with their audit actor. A
// session whose account is gone, disabled or no longer staff is ended.
func (h *Handler) loadStaff(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := h.sessions.GetString(r.Context(), keyStaffID)
		if id == "" {
			next.ServeHTTP(w, r)
			return
		}
		u, err := h.db.ActiveStaff(r.Context(), id)
		if store.ErrorCode(err) == store.ECodeNotFound {
			_ = h.sessions.Destroy(r.Context())
			next.ServeHTTP(w, r)
			return
		}
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		ctx := context.WithValue(r.Context(), ctxStaff, u)
		ctx = store.WithActor(ctx, store.Actor{UserID: u.ID, Label: u.Email, RequestID: requestID(w, r)})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// staffOnly sends anyone not signed in to the sign-in page, coming back here afterwards
// (a GET) or to the page the form was on (a POST whose session expired).
func (h *Handler) staffOnly(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if staffFrom(r.Context()) != nil {
			next(w, r)
			return
		}
		back := r.URL.RequestURI()
		if r.Method != http.MethodGet {
			back = sameSiteReferer(r)
		}
		http.Redirect(w, r, Prefix+"/signin?next="+url.QueryEscape(back), http.StatusSeeOther)
	}
}

// adminOnly narrows a page to ADMIN accounts; operators get a 403 page.
func (h *Handler) adminOnly(next http.HandlerFunc) http.HandlerFunc {
	return h.staffOnly(func(w http.ResponseWriter, r *http.Request) {
		if staffFrom(r.Context()).Role != store.RoleAdmin {
			h.renderError(w, r, errAdminOnly)
			return
		}
		next(w, r)
	})
}

var errAdminOnly = store.Errorf(store.ECodeForbidden,
	"Doar un administrator poate deschide această pagină.", "Only an administrator can open this page.")

// safeNext is where to go after signing in: a path inside the back office, never another
// site (an open redirect would make our sign-in page a phishing tool).
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.IsAbs() || u.Host != "" || strings.HasPrefix(next, "//") || strings.Contains(next, `\`) ||
		(u.Path != Prefix && !strings.HasPrefix(u.Path, Prefix+"/")) || strings.HasPrefix(u.Path, Prefix+"/signin") {
		return Prefix + "/"
	}
	return u.RequestURI()
}

// sameSiteReferer is the back-office page a form was posted from, when the browser said.
func sameSiteReferer(r *http.Request) string {
	ref, err := url.Parse(r.Referer())
	if err != nil || ref.Host != r.Host {
		return Prefix + "/"
	}
	return safeNext(ref.RequestURI())
}

// setFlash keeps a one-time message for the next page this session sees.
func (h *Handler) setFlash(r *http.Request, t store.Text) {
	h.sessions.Put(r.Context(), keyFlash, t.In(langOf(r)))
}

// popFlash takes the one-time message, if any.
func (h *Handler) popFlash(r *http.Request) string {
	if staffFrom(r.Context()) == nil {
		return ""
	}
	return h.sessions.PopString(r.Context(), keyFlash)
}
