// Package web is the back office at /admin: the pages the sales team works in all day,
// rendered on the server with html/template from templates and assets embedded in the
// binary (no build step, no CDN: it works offline and from one file).
//
// It has its own staff sessions (an scs cookie session kept in SQLite beside the guest
// sessions), a CSRF token on every form, and a strict Content-Security-Policy: no inline
// script or style, so every value a customer typed is only ever text. Romanian by default,
// English by the signed-in person's choice.
//
// The pages call the store directly, as the API's handlers do; every change runs under the
// signed-in staff member's actor (store.WithActor), so the store audits it.
package web

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/gorilla/mux"

	"github.com/metalpro/backend/files"
	"github.com/metalpro/backend/quotepdf"
	"github.com/metalpro/backend/store"
)

// Prefix is where the back office is mounted.
const Prefix = "/admin"

// Config is what the back office needs to know about its deployment.
type Config struct {
	// Production: the session cookie is Secure with the __Host- prefix.
	Production bool
	// IdleTimeout signs a staff member out after this long without a request
	// (STAFF_SESSION_IDLE_TIMEOUT); DefaultIdleTimeout when zero.
	IdleTimeout time.Duration
	// VATRateBP is the default VAT rate of a new quote, in basis points (VAT_RATE).
	VATRateBP int64
	// Company is MetalPro's data on the quote PDF.
	Company quotepdf.Company
	// FilesURL is the API's public base (API_URL): the customer's link to a sent quote's PDF.
	FilesURL string
}

// DefaultIdleTimeout is how long a back-office session lives without a request.
const DefaultIdleTimeout = 2 * time.Hour

// sessionLifetime bounds a session however active it is: a working day and then some.
const sessionLifetime = 12 * time.Hour

// SignInGuard lets a password check start (per-address and per-account limits shared
// with the API's login) and tells the client's address.
type SignInGuard interface {
	AdmitSignIn(r *http.Request, email string) (settle func(err error), err error)
	ClientIP(r *http.Request) string
}

// Deps are the back office's collaborators other than the database.
type Deps struct {
	Logger *slog.Logger
	// Guard limits sign-in attempts; required.
	Guard SignInGuard
	// Files keeps the RFQs' attachments; nil: attachments cannot be downloaded (503).
	Files files.Blobs
	// ReportError sends an unexpected error to the error tracker, if any.
	ReportError func(r *http.Request, err error)
}

// Handler serves every back-office page under Prefix.
type Handler struct {
	db       *store.DB
	cfg      Config
	deps     Deps
	log      *slog.Logger
	sessions *scs.SessionManager
	pages    pages
	router   *mux.Router
	handler  http.Handler
	imports  pendingImports // catalog files between the dry run and apply (catalog_import_pending.go)
}

// New builds the back office over db.
func New(db *store.DB, cfg Config, deps Deps) *Handler {
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.VATRateBP <= 0 {
		cfg.VATRateBP = store.DefaultVATRateBP
	}
	h := &Handler{db: db, cfg: cfg, deps: deps, log: deps.Logger, pages: mustParsePages()}
	h.sessions = newSessionManager(db, cfg)
	h.sessions.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) { h.serverError(w, r, err) }
	h.router = h.routes()
	h.handler = h.securityHeaders(h.sessions.LoadAndSave(h.loadStaff(h.router)))
	return h
}

// ServeHTTP serves one back-office request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.handler.ServeHTTP(w, r) }
