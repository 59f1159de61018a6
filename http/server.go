// Package apphttp is MetalPro's REST API: routes, handlers, middleware and the mapping of
// store errors to HTTP statuses. Import it as apphttp.
package apphttp

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/gorilla/mux"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/metalpro/backend/files"
	"github.com/metalpro/backend/quotepdf"
	"github.com/metalpro/backend/store"
)

// Config is what the API needs to know about its deployment.
type Config struct {
	Env            string   // "development" or "production"
	Version        string   // build version, reported by /health
	FrontendURL    string   // the storefront, for links in emails and CORS
	BackofficeURL  string   // the back office, for links in operator emails
	CORSOrigins    []string // origins allowed to call the API with credentials
	TrustedProxies []netip.Prefix
	// MaxBodyBytes bounds JSON request bodies (uploads have their own limit).
	MaxBodyBytes int64
	// RateLimits per client IP; zero values take DefaultRateLimits.
	RateLimits RateLimits
	// OperatorEmail receives the new-RFQ notifications (OPERATOR_EMAIL).
	OperatorEmail string
	// JWTSecret signs access and refresh tokens (HS256). A random per-process key when empty
	// (tests); main always passes one.
	JWTSecret string
	// SessionIdleTimeout ends a sign-in session unused for this long; DefaultSessionIdleTimeout
	// when zero, no idle limit when negative.
	SessionIdleTimeout time.Duration
	// StaffSessionIdleTimeout is the same for OPERATOR and ADMIN accounts;
	// DefaultStaffSessionIdleTimeout when zero, no idle limit when negative.
	StaffSessionIdleTimeout time.Duration
	// MetricsToken (METRICS_TOKEN) opens /metrics and the detailed /health to a caller that
	// sends it as a Bearer token; without it only loopback callers get them.
	MetricsToken string
	// MinFreeBytes is the free disk space under which /health reports the storage as
	// failing; DefaultMinFreeBytes when zero.
	MinFreeBytes uint64

	// Files (files.go). APIURL (API_URL) is the API's public address, for the file links in
	// operator emails; UploadTempDir holds uploads while they are judged ("" = the system's).
	APIURL        string
	UploadTempDir string
	// CrossSiteCookies (CROSS_SITE_COOKIES) is for a storefront on another site than the API:
	// the guest session cookie becomes SameSite=None; Secure (browsers send a Lax cookie only
	// within one site), and unsafe requests from origins outside CORSOrigins are refused
	// (CSRF), since the cookie now travels with requests from anywhere.
	CrossSiteCookies bool

	// Quotes (issue 12). VATRateBP is the default VAT rate in basis points (VAT_RATE;
	// store.DefaultVATRateBP when zero); Company is MetalPro's data on the quote PDF
	// (quotepdf.DefaultCompany when zero).
	VATRateBP int64
	Company   quotepdf.Company
}

// Production reports whether the server runs in production (Secure cookies, HSTS).
func (c Config) Production() bool { return c.Env == "production" }

// HealthCheck reports on one dependency for /health.
type HealthCheck interface {
	Health(ctx context.Context) (ok bool, detail any)
}

// HealthFunc adapts a function to HealthCheck.
type HealthFunc func(ctx context.Context) (bool, any)

// Health calls f.
func (f HealthFunc) Health(ctx context.Context) (bool, any) { return f(ctx) }

// Deps are the server's collaborators other than the database.
type Deps struct {
	Logger       *slog.Logger
	HealthChecks map[string]HealthCheck
	// Captcha checks hCaptcha tokens on signup, password reset and guest RFQs; nil turns the
	// check off (development, or no HCAPTCHA_SECRET).
	Captcha Captcha
	// ReportError sends an unexpected error to the error tracker (Sentry), if any.
	ReportError func(r *http.Request, err error)
	// Metrics are extra Prometheus collectors served on /metrics (replication lag, outbox).
	Metrics []prometheus.Collector
	// Files keeps uploaded files; nil answers uploads and downloads with 503.
	Files files.Blobs
	// BOMMapper maps uploaded BOMs to the catalog; nil answers POST /api/upload/bom with 503.
	BOMMapper BOMMapper
	// Storefront serves the storefront's build beside the API (STATIC_DIR); nil: API only.
	Storefront *Storefront
	// BackOffice builds the back office served at /admin (package web); nil: none.
	BackOffice BackOfficeFactory
}

// Server holds the API's dependencies; its Handler serves every route.
type Server struct {
	db       *store.DB
	cfg      Config
	logger   *slog.Logger
	health   map[string]HealthCheck
	report   func(r *http.Request, err error)
	sessions *scs.SessionManager
	started  time.Time
	metrics  *metrics
	limits   serverLimits
	guests   *guestBudget  // new guest carts per minute (guest_budget.go)
	gates    passwordGates // password work in flight per address and account (login_limits.go)
	handler  http.Handler
	router   *mux.Router // the routes, asked for the Allow header of a 405
	jwtKey   []byte
	captcha  Captcha
	// catalog caches rendered catalog responses, cleared by the store after every catalog
	// write commits (catalog_cache.go).
	catalog *catalogCache
	files   fileService // uploads and downloads (files.go)
	// storefront is the storefront build served outside the API's paths, or nil.
	storefront *Storefront
	// backOffice serves /admin (backoffice.go), or nil.
	backOffice http.Handler
}

// NewServer builds the API over db.
func NewServer(db *store.DB, cfg Config, deps Deps) *Server {
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	def := DefaultRateLimits()
	if cfg.RateLimits.API == (Limit{}) {
		cfg.RateLimits.API = def.API
	}
	if cfg.RateLimits.Login == (Limit{}) {
		cfg.RateLimits.Login = def.Login
	}
	if cfg.RateLimits.RFQ == (Limit{}) {
		cfg.RateLimits.RFQ = def.RFQ
	}
	if cfg.RateLimits.Account == (Limit{}) {
		cfg.RateLimits.Account = def.Account
	}
	if cfg.MinFreeBytes == 0 {
		cfg.MinFreeBytes = DefaultMinFreeBytes
	}
	if cfg.RateLimits.NewGuests == (Limit{}) {
		cfg.RateLimits.NewGuests = def.NewGuests
	}
	if cfg.RateLimits.NewGuestsPerIP == (Limit{}) {
		cfg.RateLimits.NewGuestsPerIP = def.NewGuestsPerIP
	}
	switch {
	case cfg.SessionIdleTimeout == 0:
		cfg.SessionIdleTimeout = DefaultSessionIdleTimeout
	case cfg.SessionIdleTimeout < 0:
		cfg.SessionIdleTimeout = 0
	}
	switch {
	case cfg.StaffSessionIdleTimeout == 0:
		cfg.StaffSessionIdleTimeout = DefaultStaffSessionIdleTimeout
	case cfg.StaffSessionIdleTimeout < 0:
		cfg.StaffSessionIdleTimeout = 0
	}
	s := &Server{
		db:      db,
		cfg:     cfg,
		logger:  deps.Logger,
		health:  deps.HealthChecks,
		report:  deps.ReportError,
		started: time.Now(),
		metrics: newMetrics(append(deps.Metrics, diskGauges(db)...)...),
		limits:  newServerLimits(cfg.RateLimits),
		guests:  newGuestBudget(cfg.RateLimits.NewGuests, cfg.RateLimits.NewGuestsPerIP),
		gates:   newPasswordGates(cfg.RateLimits.PasswordWorkPerIP),
		jwtKey:  jwtKey(cfg.JWTSecret),
		captcha: deps.Captcha,
		catalog: &catalogCache{},

		storefront: deps.Storefront,
	}
	s.files = newFileService(s, deps.Files, deps.BOMMapper)
	db.OnCatalogChanged(s.catalog.invalidate)
	s.sessions = newSessionManager(db, cfg)
	// A session that cannot be saved (write lock held, disk full) answers like any other
	// failed write: 503 with Retry-After, not scs's bare 500.
	s.sessions.ErrorFunc = s.writeError
	if deps.BackOffice != nil {
		s.backOffice = deps.BackOffice(s)
	}
	s.handler = s.middleware(s.routes())
	return s
}

// Handler is the whole HTTP surface, middleware included.
func (s *Server) Handler() http.Handler { return s.handler }

// Close releases the catalog cache (its background goroutines). Call it once the HTTP
// server has stopped serving Handler.
func (s *Server) Close() { s.catalog.close() }

// sessionCookieName names the guest session cookie (with the __Host- prefix in production).
const sessionCookieName = "metalpro_session"

// newSessionManager configures guest sessions: an HttpOnly cookie naming a row in SQLite,
// so a guest's cart survives restarts and deploys.
func newSessionManager(db *store.DB, cfg Config) *scs.SessionManager {
	sm := scs.New()
	sm.Store = db.GuestSessionStore()
	sm.Lifetime = 90 * 24 * time.Hour
	sm.IdleTimeout = 30 * 24 * time.Hour // as long as a guest cart lives after its last change
	sm.Cookie.Name = sessionCookieName
	if cfg.Production() {
		// __Host-: the browser keeps it only if Secure, host-only and Path=/, so neither a
		// sibling subdomain nor a plain-http response can plant a value for us to adopt
		// (session fixation). Not in development: browsers refuse it without https.
		sm.Cookie.Name = "__Host-" + sessionCookieName
	}
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.Production()
	if cfg.CrossSiteCookies {
		// Browsers accept SameSite=None only with Secure; CSRF is then withCrossOriginCheck's job.
		sm.Cookie.SameSite, sm.Cookie.Secure = http.SameSiteNoneMode, true
	}
	sm.Cookie.Path = "/"
	sm.Cookie.Persist = true
	return sm
}
