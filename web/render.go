package web

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/metalpro/backend/store"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages are the parsed templates, one set per page: the layout, the shared partials
// (templates/_*.html) and the page's own file, which defines "content".
type pages map[string]*template.Template

func mustParsePages() pages {
	partials, err := fs.Glob(templateFS, "templates/_*.html")
	if err != nil {
		panic(err)
	}
	all, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	out := pages{}
	for _, file := range all {
		name := strings.TrimSuffix(path.Base(file), ".html")
		if strings.HasPrefix(name, "_") || name == "layout" {
			continue
		}
		files := append([]string{"templates/layout.html"}, partials...)
		t := template.New("layout.html").Funcs(funcs).Funcs(template.FuncMap{"asset": assetURL})
		out[name] = template.Must(t.ParseFS(templateFS, append(files, file)...))
	}
	return out
}

// page is what every template gets: the texts in the request's language, who is signed in,
// the CSRF token for its forms, a one-time message, and the page's own data.
type page struct {
	Lang  string
	Staff *store.User
	CSRF  string
	Flash string
	Title string
	Nav   string // the menu entry to mark as current
	Path  string // this page's path, for the language switch to come back to
	Data  any
}

// T is the text for key in the page's language (see i18n.go).
func (p *page) T(key string, args ...any) string { return translate(p.Lang, key, args...) }

// Count is key's text for n things in the page's language, in the right plural form.
func (p *page) Count(key string, n int) string { return count(p.Lang, key, n) }

// pagerView is templates/_pager.html's data: where the list is, and its neighbours' links.
type pagerView struct {
	Page, Pages               int
	Prev, Next                string
	Label, PrevText, NextText string
}

// Pager is the pager of a list at page cur of total, with the links to the pages around it.
func (p *page) Pager(cur, total int, prev, next string) pagerView {
	return pagerView{Page: cur, Pages: total, Prev: prev, Next: next,
		Label: p.T("pager.of", cur, total), PrevText: p.T("pager.prev"), NextText: p.T("pager.next")}
}

// In picks a store.Text's language (messages that come from the store).
func (p *page) In(t store.Text) string { return t.In(p.Lang) }

// IsAdmin: the signed-in person may use the admin-only pages.
func (p *page) IsAdmin() bool { return p.Staff != nil && p.Staff.Role == store.RoleAdmin }

// Status is an RFQ status's label.
func (p *page) Status(s string) string { return translate(p.Lang, "status."+s) }

// newPage fills the parts every page shares.
func (h *Handler) newPage(w http.ResponseWriter, r *http.Request, nav, titleKey string, data any) *page {
	p := &page{Lang: langOf(r), Staff: staffFrom(r.Context()), Nav: nav, Path: r.URL.RequestURI(), Data: data}
	p.CSRF = h.csrfToken(w, r)
	p.Flash = h.popFlash(r)
	p.Title = p.T(titleKey)
	return p
}

// render writes the page through a buffer, so a template error is a clean 500 and never
// half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t, ok := h.pages[name]
	if !ok {
		h.serverError(w, r, errors.New("web: no template "+name))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		h.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// errorPage is the data of templates/error.html.
type errorPage struct {
	Status  int
	Message string
	Fields  []store.FieldError
}

// statusOf maps a store error's code to the page's HTTP status, as the API does.
func statusOf(err error) int {
	switch store.ErrorCode(err) {
	case store.ECodeInvalid:
		return http.StatusBadRequest
	case store.ECodeUnauth:
		return http.StatusUnauthorized
	case store.ECodeForbidden:
		return http.StatusForbidden
	case store.ECodeNotFound:
		return http.StatusNotFound
	case store.ECodeConflict, store.ECodeInvalidTransition, store.ECodeVersionConflict:
		return http.StatusConflict
	case store.ECodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case store.ECodeUnsupported:
		return http.StatusUnsupportedMediaType
	case store.ECodeRateLimited:
		return http.StatusTooManyRequests
	case store.ECodeUnavailable, store.ECodeStorageFull, store.ECodeGuestBudget:
		return http.StatusServiceUnavailable
	case "":
		return http.StatusOK
	}
	return http.StatusInternalServerError
}

// renderError shows a store error as a page; anything else is a 500.
func (h *Handler) renderError(w http.ResponseWriter, r *http.Request, err error) {
	var se *store.Error
	if !errors.As(err, &se) {
		h.serverError(w, r, err)
		return
	}
	status := statusOf(err)
	p := h.newPage(w, r, "", "error.title", nil)
	p.Data = errorPage{Status: status, Message: se.Message.In(p.Lang), Fields: se.Fields}
	h.render(w, r, status, "error", p)
}

// serverError logs an unexpected error and shows a generic page (no template involved, in
// case the templates are what failed).
func (h *Handler) serverError(w http.ResponseWriter, r *http.Request, err error) {
	h.log.Error("back office: internal error", "path", r.URL.Path, "method", r.Method, "err", err,
		"request_id", requestID(w, r))
	if h.deps.ReportError != nil {
		h.deps.ReportError(r, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	msg := translate(langOf(r), "error.internal")
	_, _ = w.Write([]byte("<!doctype html><meta charset=utf-8><title>500</title><p>" + template.HTMLEscapeString(msg) + "</p>"))
}

// notFound is the back office's 404 page.
func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.renderError(w, r, errPageNotFound)
}

var errPageNotFound = store.ErrNotFound("Pagina nu există.", "This page does not exist.")

// fieldError finds a field's message among a store error's fields, for the form to show
// beside the input.
func fieldError(err error, lang, field string) string {
	var se *store.Error
	if !errors.As(err, &se) {
		return ""
	}
	for _, f := range se.Fields {
		if f.Field == field {
			return f.Message.In(lang)
		}
	}
	return ""
}

// requestID is the id the API's middleware gave this request (it answers with it in
// X-Request-Id), so a back-office log line matches the access log's.
func requestID(w http.ResponseWriter, r *http.Request) string {
	if id := w.Header().Get("X-Request-Id"); id != "" {
		return id
	}
	return r.Header.Get("X-Request-Id")
}
