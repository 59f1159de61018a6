package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/replica"
	"github.com/metalpro/backend/store"
)

// config is everything the program reads from its environment and flags. Names follow the
// seed's environment variables where it has one.
type config struct {
	Env     string // APP_ENV: development | production
	Host    string // HOST: 127.0.0.1 in development, 0.0.0.0 in production
	Port    int    // PORT: 3000
	DataDir string // DATA_DIR: ./data
	DBPath  string // DATABASE_PATH: DATA_DIR/metalpro.db

	JWTSecret string // JWT_SECRET: required (≥ 32 chars) in production; generated in development
	// SESSION_IDLE_TIMEOUT: a sign-in session unused this long ends (default 12h; 0 = never).
	SessionIdleTimeout time.Duration
	// STAFF_SESSION_IDLE_TIMEOUT: the same for OPERATOR and ADMIN accounts (default 2h; 0 = never).
	StaffSessionIdleTimeout time.Duration

	FrontendURL    string         // FRONTEND_URL
	BackofficeURL  string         // BACKOFFICE_URL
	CORSOrigins    []string       // CORS_ORIGINS (comma-separated); FRONTEND_URL when unset
	TrustedProxies []netip.Prefix // TRUSTED_PROXIES (comma-separated CIDRs or addresses)

	SendGridAPIKey string // SENDGRID_API_KEY: emails go to files under DATA_DIR/mail without it
	SendGridURL    string // SENDGRID_API_URL: override for tests
	FromEmail      string // FROM_EMAIL
	OperatorEmail  string // OPERATOR_EMAIL

	HCaptchaSecret string // HCAPTCHA_SECRET: captcha is off without it
	// HCAPTCHA_DISABLED=true: run production without a captcha on purpose (warned at start).
	HCaptchaDisabled  bool
	HCaptchaVerifyURL string // HCAPTCHA_VERIFY_URL: override for tests

	// RATE_LIMIT_API, RATE_LIMIT_LOGIN, RATE_LIMIT_RFQ, RATE_LIMIT_ACCOUNT,
	// RATE_LIMIT_NEW_GUESTS, RATE_LIMIT_NEW_GUESTS_PER_IP, RATE_LIMIT_UPLOAD as MAX/WINDOW ("600/15m");
	// LOGIN_CONCURRENCY_PER_IP: password checks one address may have in flight (default 3).
	RateLimits apphttp.RateLimits

	SentryDSN string // SENTRY_DSN
	LogLevel  slog.Level

	ShutdownTimeout time.Duration // SHUTDOWN_TIMEOUT: how long in-flight requests may finish

	// DB_WRITE_WAIT: how long a write waits for the database before answering 503.
	WriteWait time.Duration
	// METRICS_TOKEN: Bearer token for /metrics and the detailed /health (loopback needs none).
	MetricsToken string
	// DISK_MIN_FREE_MB: /health fails under this much free space on the database's disk.
	MinFreeBytes uint64
	// MAX_CONNS_PER_IP: open connections one client IP may hold (trusted proxies exempt; 0 = no cap).
	MaxConnsPerIP int
	// IDLE_TIMEOUT: a client's idle keep-alive connection is closed after this (trusted proxies: 2 min).
	IdleTimeout time.Duration

	// Replica: REPLICA_URL, litestream.yml, LITESTREAM_S3_* (see replica.LoadConfig).
	Replica replica.Config
	// ReplicaReset (REPLICA_RESET=true): start even though the replica holds
	// another database, deleting that replica.
	ReplicaReset bool

	// Files: where uploads live (config_files.go).
	Files filesConfig
	// Quotes: VAT_RATE and MetalPro's COMPANY_* data on the quote PDF (config_quote.go).
	Quote quoteConfig

	// restore's flags.
	RestoreOutput          string
	RestoreTimestamp       string
	RestoreIfReplicaExists bool

	Args []string // positional arguments after the flags (e.g. `emails retry <id>`)

	// The edge (issue 15): the storefront, the sites cookies travel between, HTTPS.
	// STATIC_DIR: the storefront's build, served beside the API (unset: API only).
	StaticDir string
	// API_URL: the address browsers call the API at; FRONTEND_URL when unset (one origin).
	APIURL string
	// CROSS_SITE_COOKIES=true: accept an API_URL on another site than FRONTEND_URL (guest
	// cookie SameSite=None; Secure, with a cross-origin check on unsafe requests).
	CrossSiteCookies bool
	// TLS_DOMAINS: certificates over ACME for these names; listen on HTTPS_PORT and HTTP_PORT.
	TLSDomains []string
	// TLS_CERT_FILE, TLS_KEY_FILE: a certificate you bring (read again when the file changes).
	TLSCertFile, TLSKeyFile string
	// HTTPS_PORT (443), HTTP_PORT (80): the ports when TLS is on (PORT is then unused).
	HTTPSPort, HTTPPort int
	// ACME_DIRECTORY_URL (Let's Encrypt), ACME_EMAIL (expiry notices), ACME_CA_FILE (a
	// private ACME server's root, for its own https).
	ACMEDirectoryURL, ACMEEmail, ACMECAFile string
	// LISTEN_PID, LISTEN_FDS, LISTEN_FDNAMES: sockets systemd passed (deploy/metalpro.socket).
	Activation activationEnv

	// Set by run, not read from the environment.
	schema string    // the migrations to apply: store.Schema, or a test's broken upgrade
	logs   io.Writer // run's stdout: the program's logs and the replicator child's
}

func (c config) production() bool { return c.Env == "production" }

// addr is the listen address.
func (c config) addr() string { return c.Host + ":" + strconv.Itoa(c.Port) }

// loadConfig reads the environment, then the subcommand's flags (flags win).
func loadConfig(cmd string, args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	env := func(key, def string) string {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			return v
		}
		return def
	}
	c := config{
		Env:               env("APP_ENV", "development"),
		DataDir:           env("DATA_DIR", "./data"),
		JWTSecret:         getenv("JWT_SECRET"),
		FrontendURL:       strings.TrimRight(env("FRONTEND_URL", "http://localhost:8080"), "/"),
		BackofficeURL:     strings.TrimRight(getenv("BACKOFFICE_URL"), "/"), // defaulted by defaultAPIURL
		SendGridAPIKey:    getenv("SENDGRID_API_KEY"),
		SendGridURL:       env("SENDGRID_API_URL", "https://api.sendgrid.com"),
		FromEmail:         env("FROM_EMAIL", "noreply@metalpro.ro"),
		OperatorEmail:     env("OPERATOR_EMAIL", "sales@metalpro.ro"),
		HCaptchaSecret:    getenv("HCAPTCHA_SECRET"),
		HCaptchaVerifyURL: env("HCAPTCHA_VERIFY_URL", "https://api.hcaptcha.com/siteverify"),
		SentryDSN:         getenv("SENTRY_DSN"),
		MetricsToken:      strings.TrimSpace(getenv("METRICS_TOKEN")),
	}
	var errs []string
	if c.Env != "development" && c.Env != "production" {
		errs = append(errs, fmt.Sprintf("APP_ENV must be development or production, not %q", c.Env))
	}
	defaultHost := "127.0.0.1" // a developer's server is not reachable from the network
	if c.production() {
		defaultHost = "0.0.0.0"
	}
	c.Host = env("HOST", defaultHost)
	port, err := strconv.Atoi(env("PORT", "3000"))
	if err != nil || port < 0 || port > 65535 {
		errs = append(errs, fmt.Sprintf("PORT must be a port number, not %q", getenv("PORT")))
	}
	c.Port = port
	shutdown, err := time.ParseDuration(env("SHUTDOWN_TIMEOUT", "25s"))
	if err != nil {
		errs = append(errs, "SHUTDOWN_TIMEOUT must be a duration such as 25s")
	}
	c.ShutdownTimeout = shutdown
	writeWait, err := time.ParseDuration(env("DB_WRITE_WAIT", store.DefaultWriteWait.String()))
	if err != nil || writeWait <= 0 {
		errs = append(errs, "DB_WRITE_WAIT must be a positive duration such as 5s")
	}
	c.WriteWait = writeWait
	minFree, err := strconv.ParseUint(env("DISK_MIN_FREE_MB", strconv.Itoa(apphttp.DefaultMinFreeBytes>>20)), 10, 32)
	if err != nil {
		errs = append(errs, "DISK_MIN_FREE_MB must be a whole number of megabytes such as 100")
	}
	c.MinFreeBytes = minFree << 20
	idle, err := time.ParseDuration(env("SESSION_IDLE_TIMEOUT", apphttp.DefaultSessionIdleTimeout.String()))
	if err != nil || idle < 0 {
		errs = append(errs, "SESSION_IDLE_TIMEOUT must be a duration such as 12h (0 for no idle limit)")
	}
	c.SessionIdleTimeout = idle
	if idle == 0 {
		c.SessionIdleTimeout = -1 // apphttp: negative means no idle limit
	}
	staffIdle, err := time.ParseDuration(env("STAFF_SESSION_IDLE_TIMEOUT", apphttp.DefaultStaffSessionIdleTimeout.String()))
	if err != nil || staffIdle < 0 {
		errs = append(errs, "STAFF_SESSION_IDLE_TIMEOUT must be a duration such as 2h (0 for no idle limit)")
	}
	c.StaffSessionIdleTimeout = staffIdle
	if staffIdle == 0 {
		c.StaffSessionIdleTimeout = -1
	}
	c.MaxConnsPerIP, err = strconv.Atoi(env("MAX_CONNS_PER_IP", strconv.Itoa(apphttp.DefaultMaxConnsPerIP)))
	if err != nil || c.MaxConnsPerIP < 0 {
		errs = append(errs, fmt.Sprintf("MAX_CONNS_PER_IP must be a number of connections (0 for no cap), not %q", getenv("MAX_CONNS_PER_IP")))
	}
	c.IdleTimeout, err = time.ParseDuration(env("IDLE_TIMEOUT", apphttp.DefaultIdleTimeout.String()))
	if err != nil || c.IdleTimeout <= 0 {
		errs = append(errs, fmt.Sprintf("IDLE_TIMEOUT must be a positive duration such as 15s, not %q", getenv("IDLE_TIMEOUT")))
	}
	if err := c.LogLevel.UnmarshalText([]byte(env("LOG_LEVEL", "info"))); err != nil {
		errs = append(errs, "LOG_LEVEL must be debug, info, warn or error")
	}
	c.RateLimits = apphttp.DefaultRateLimits()
	for key, dst := range map[string]*apphttp.Limit{
		"RATE_LIMIT_API": &c.RateLimits.API, "RATE_LIMIT_LOGIN": &c.RateLimits.Login, "RATE_LIMIT_RFQ": &c.RateLimits.RFQ,
		"RATE_LIMIT_ACCOUNT": &c.RateLimits.Account, "RATE_LIMIT_NEW_GUESTS": &c.RateLimits.NewGuests,
		"RATE_LIMIT_NEW_GUESTS_PER_IP": &c.RateLimits.NewGuestsPerIP, "RATE_LIMIT_UPLOAD": &c.RateLimits.Upload,
	} {
		if v := getenv(key); v != "" {
			l, err := apphttp.ParseLimit(v)
			if err != nil {
				errs = append(errs, key+": "+err.Error())
				continue
			}
			*dst = l
		}
	}
	// Issue 14: the per-address cap on password checks in flight, raised by load tests only.
	if v := getenv("LOGIN_CONCURRENCY_PER_IP"); v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n <= 0 {
			errs = append(errs, fmt.Sprintf("LOGIN_CONCURRENCY_PER_IP must be a whole number of password checks at once, 1 or more (default %d), not %q", apphttp.DefaultPasswordWorkPerIP, v))
		} else {
			c.RateLimits.PasswordWorkPerIP = n
		}
	}
	for _, o := range splitList(getenv("CORS_ORIGINS")) {
		c.CORSOrigins = append(c.CORSOrigins, strings.TrimRight(o, "/"))
	}
	if len(c.CORSOrigins) == 0 {
		c.CORSOrigins = []string{c.FrontendURL}
	}
	if v := getenv("HCAPTCHA_DISABLED"); v != "" {
		if c.HCaptchaDisabled, err = strconv.ParseBool(v); err != nil {
			errs = append(errs, fmt.Sprintf("HCAPTCHA_DISABLED must be true or false, not %q", v))
		}
	}
	if c.HCaptchaDisabled && c.HCaptchaSecret != "" {
		errs = append(errs, "HCAPTCHA_DISABLED=true and HCAPTCHA_SECRET are both set: remove one")
	}
	for _, p := range splitList(getenv("TRUSTED_PROXIES")) {
		prefix, err := parsePrefix(p)
		if err != nil {
			errs = append(errs, fmt.Sprintf("TRUSTED_PROXIES: %q is not an address or CIDR", p))
			continue
		}
		c.TrustedProxies = append(c.TrustedProxies, prefix)
	}

	errs = append(errs, c.loadEdge(getenv)...)

	fs := flag.NewFlagSet("metalpro "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.DataDir, "data-dir", c.DataDir, "data folder (DATA_DIR)")
	fs.StringVar(&c.DBPath, "db", getenv("DATABASE_PATH"), "database file (DATABASE_PATH; default DATA_DIR/metalpro.db)")
	if cmd == "serve" {
		fs.IntVar(&c.Port, "port", c.Port, "listen port (PORT)")
		fs.StringVar(&c.Host, "host", c.Host, "listen address (HOST)")
	}
	if cmd == "restore" {
		restoreFlags(fs, &c)
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	c.Args = fs.Args()
	if c.DBPath == "" {
		c.DBPath = filepath.Join(c.DataDir, "metalpro.db")
	}
	c.ReplicaReset, _ = strconv.ParseBool(getenv("REPLICA_RESET"))
	if c.Replica, err = replica.LoadConfig(getenv, c.DataDir); err != nil {
		errs = append(errs, err.Error())
	}
	var fileErrs []string
	c.defaultAPIURL()
	c.Files, fileErrs = loadFilesConfig(getenv, c.DataDir, c.APIURL, c.Replica)
	errs = append(errs, fileErrs...)
	var quoteErrs []string
	c.Quote, quoteErrs = loadQuoteConfig(getenv)
	errs = append(errs, quoteErrs...)
	if c.production() {
		errs = append(errs, c.productionProblems()...)
		errs = append(errs, c.siteProblems()...)
	}
	if len(errs) > 0 {
		return c, fmt.Errorf("configuration:\n  - %s", strings.Join(errs, "\n  - "))
	}
	return c, nil
}

// productionProblems names every setting production cannot run without, or with as set.
func (c config) productionProblems() []string {
	var p []string
	switch {
	case c.JWTSecret == "":
		p = append(p, "JWT_SECRET is missing (at least 32 random characters, e.g. `openssl rand -base64 48`)")
	case len(c.JWTSecret) < 32:
		p = append(p, "JWT_SECRET is too short (at least 32 characters)")
	case jwtSecretProblem(c.JWTSecret) != "":
		p = append(p, jwtSecretProblem(c.JWTSecret))
	}
	var origins []string
	for _, o := range c.CORSOrigins {
		if o != c.FrontendURL { // FRONTEND_URL's own check already names it
			origins = append(origins, o)
		}
	}
	p = append(p, corsProblems(origins)...)
	if problem := c.captchaProblem(); problem != "" {
		p = append(p, problem)
	}
	if c.SendGridAPIKey == "" {
		p = append(p, "SENDGRID_API_KEY is missing (customers would never receive their emails)")
	}
	if c.Replica.Source == "default" {
		p = append(p, "LITESTREAM_S3_BUCKET is missing (the database would be replicated only to this machine's disk; "+
			"set REPLICA_URL=file:///... or REPLICA_URL=off to accept that)")
	}
	if u, err := url.Parse(c.FrontendURL); err != nil || u.Scheme != "https" {
		p = append(p, "FRONTEND_URL must be the storefront's https:// address")
	}
	return p
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		return netip.ParsePrefix(s)
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}
