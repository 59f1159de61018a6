package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/metalpro/backend/store"
)

// The pages' texts, Romanian first. Each area of the back office keeps its own table
// (messages_*.go) and registers it here; a key defined twice is a programming error caught
// at start (and by TestMessages).

var messages = map[string]store.Text{}

// register adds an area's texts.
func register(table map[string]store.Text) {
	for k, t := range table {
		if _, dup := messages[k]; dup {
			panic("web: text " + k + " defined twice")
		}
		if t.RO == "" || t.EN == "" {
			panic("web: text " + k + " lacks a language")
		}
		messages[k] = t
	}
}

// langCookieName keeps the chosen language (before and after sign-in alike).
const langCookieName = "metalpro_admin_lang"

// langOf is the request's language: "en" when chosen, else Romanian.
func langOf(r *http.Request) string {
	if c, err := r.Cookie(langCookieName); err == nil && c.Value == "en" {
		return "en"
	}
	return "ro"
}

// translate returns key's text in lang, formatted with args (fmt verbs). An unknown key
// shows itself, so a missing text is visible on the page and in the tests.
func translate(lang, key string, args ...any) string {
	t, ok := messages[key]
	if !ok {
		return key
	}
	s := t.In(lang)
	if len(args) > 0 {
		s = fmt.Sprintf(s, args...)
	}
	return s
}

// handleLanguage serves POST /admin/lang: lang=ro|en, then back to the page.
func (h *Handler) handleLanguage(w http.ResponseWriter, r *http.Request) {
	lang := "ro"
	if r.PostFormValue("lang") == "en" {
		lang = "en"
	}
	http.SetCookie(w, &http.Cookie{Name: langCookieName, Value: lang, Path: Prefix, MaxAge: int((365 * 24 * time.Hour).Seconds()),
		HttpOnly: true, Secure: h.cfg.Production, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, sameSiteReferer(r), http.StatusSeeOther)
}

// count is key's text for n things, with Romanian's three plural forms: key+".one" for 1,
// key+".many" where Romanian says "de" (20 de cereri, 100 de cereri, 120 de cereri), and
// key+".few" otherwise (0, 2–19, 101–119: 3 cereri, 105 cereri).
func count(lang, key string, n int) string {
	switch rem := n % 100; {
	case n == 1:
		return translate(lang, key+".one")
	case n > 0 && (rem == 0 || rem >= 20):
		return translate(lang, key+".many", n)
	}
	return translate(lang, key+".few", n)
}
