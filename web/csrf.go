package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"

	"github.com/metalpro/backend/store"
)

// CSRF: every form carries a token the page was rendered with, and every POST must send it
// back. Signed in, the token lives in the session (rotated at sign-in). Before sign-in
// (the sign-in form, the language switch) there is no session to keep it in: a random
// cookie holds it instead and the form must repeat it (a double-submit), so showing the
// sign-in page never writes to the database. On top of that, a POST whose Origin (or
// Sec-Fetch-Site) says it came from another site is refused outright.

const (
	csrfField      = "csrf"
	csrfCookieName = "metalpro_staff_csrf"
)

var errBadCSRF = store.Errorf(store.ECodeForbidden,
	"Formularul a expirat sau nu a pornit din back office. Reîncarcă pagina și încearcă din nou.",
	"The form expired or did not come from the back office. Reload the page and try again.")

func newToken() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// csrfToken is the token to put in this page's forms, creating it when there is none.
func (h *Handler) csrfToken(w http.ResponseWriter, r *http.Request) string {
	if staffFrom(r.Context()) != nil {
		t := h.sessions.GetString(r.Context(), keyCSRF)
		if t == "" {
			t = newToken()
			h.sessions.Put(r.Context(), keyCSRF, t)
		}
		return t
	}
	if c, err := r.Cookie(csrfCookieName); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	t := newToken()
	http.SetCookie(w, &http.Cookie{Name: csrfCookieName, Value: t, Path: Prefix, HttpOnly: true,
		Secure: h.cfg.Production, SameSite: http.SameSiteStrictMode})
	return t
}

// checkCSRF guards every unsafe request: same-site origin, and the form's token.
func (h *Handler) checkCSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		if !h.admitFormBody(w, r) { // form_limit.go
			return
		}
		if !sameOrigin(r) || !h.validToken(r) {
			h.log.Warn("back office: CSRF check refused a form", "path", r.URL.Path, "origin", r.Header.Get("Origin"))
			h.renderError(w, r, errBadCSRF)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// validToken compares the form's token with the session's (signed in) or the cookie's.
func (h *Handler) validToken(r *http.Request) bool {
	sent := r.PostFormValue(csrfField) // multipart forms too: PostFormValue parses them
	if sent == "" {
		sent = r.Header.Get("X-CSRF-Token") // the page's script (live totals)
	}
	var want string
	if staffFrom(r.Context()) != nil {
		want = h.sessions.GetString(r.Context(), keyCSRF)
	} else if c, err := r.Cookie(csrfCookieName); err == nil {
		want = c.Value
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(sent), []byte(want)) == 1
}

// sameOrigin refuses requests a browser says came from another site. A request without
// either header (an old browser, curl) still needs the token.
func sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "cross-site", "same-site":
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" || origin == "null" {
		return origin == ""
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host
}
