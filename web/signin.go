package web

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/metalpro/backend/store"
)

// Sign-in and sign-out. Only OPERATOR and ADMIN accounts get in; a customer's right
// password is told plainly that this is not their door.

type signInForm struct {
	Email string
	Next  string
	Error string
}

// handleSignInPage serves GET /admin/signin (already signed in: straight on).
func (h *Handler) handleSignInPage(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if staffFrom(r.Context()) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	h.render(w, r, http.StatusOK, "signin", h.newPage(w, r, "", "signin.title", signInForm{Next: next}))
}

var errNotStaff = store.Errorf(store.ECodeForbidden,
	"Acest cont nu are acces la back office. Clienții intră în contul lor din magazin.",
	"This account has no access to the back office. Customers sign in on the storefront.")

// handleSignIn serves POST /admin/signin: email and password, under the API's limits on
// password guessing.
func (h *Handler) handleSignIn(w http.ResponseWriter, r *http.Request) {
	form := signInForm{Email: strings.TrimSpace(r.PostFormValue("email")), Next: safeNext(r.PostFormValue("next"))}
	u, err := h.authenticate(r, form.Email, r.PostFormValue("password"))
	if err == nil && u.Role != store.RoleOperator && u.Role != store.RoleAdmin {
		err = errNotStaff
	}
	var se *store.Error
	if err != nil && !errors.As(err, &se) {
		h.serverError(w, r, err)
		return
	}
	if err != nil {
		if se.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(se.RetryAfter.Seconds()))))
		}
		p := h.newPage(w, r, "", "signin.title", nil)
		form.Error = se.Message.In(p.Lang)
		p.Data = form
		h.render(w, r, statusOf(err), "signin", p)
		return
	}
	// A new session token at sign-in: a token planted before it is worth nothing after.
	if err := h.sessions.RenewToken(r.Context()); err != nil {
		h.serverError(w, r, err)
		return
	}
	h.sessions.Put(r.Context(), keyStaffID, u.ID)
	h.sessions.Put(r.Context(), keyCSRF, newToken())
	h.log.Info("back office: signed in", "user_id", u.ID, "role", u.Role)
	http.Redirect(w, r, form.Next, http.StatusSeeOther)
}

// authenticate checks the password under the sign-in guard.
func (h *Handler) authenticate(r *http.Request, email, password string) (_ *store.User, err error) {
	if email == "" || password == "" {
		return nil, store.Errorf(store.ECodeInvalid, "Completează e-mailul și parola.", "Enter your email and password.")
	}
	settle, err := h.deps.Guard.AdmitSignIn(r, email)
	if err != nil {
		return nil, err
	}
	defer func() { settle(err) }()
	return h.db.Authenticate(r.Context(), email, password)
}

// handleSignOut serves POST /admin/signout: the session row goes, the cookie with it.
func (h *Handler) handleSignOut(w http.ResponseWriter, r *http.Request) {
	if err := h.sessions.Destroy(r.Context()); err != nil {
		h.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, Prefix+"/signin", http.StatusSeeOther)
}
