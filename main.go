// Command metalpro is MetalPro's whole backend: the REST API, the SQLite store, the email
// outbox worker and the replication supervisor, in one binary.
//
//	metalpro [serve]   run the server (default)
//	metalpro migrate   apply database migrations and exit
//	metalpro seed      load the catalog (idempotent) and exit
//	metalpro user create -email E -name N -role OPERATOR|ADMIN   create a staff account (password on stdin)
//	metalpro emails    list the email outbox (failed, pending); `emails retry <id>` requeues one
//	metalpro restore   restore the database from its replica (-o, -timestamp)
//	metalpro version   print the version
package main

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/metalpro/backend/bom"
	"github.com/metalpro/backend/files"
	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/store"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "metalpro:", err)
		os.Exit(1)
	}
}

// run is the whole program, callable from tests: args as in os.Args, the environment
// through getenv, logs to stdout. It returns when ctx is cancelled (after a graceful
// shutdown) or on a fatal error.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	return runWithSchema(ctx, store.Schema, args, getenv, stdout)
}

// runWithSchema is run with the database schema given: a test gives it an upgrade that
// fails, to prove a failed migration leaves nothing behind.
func runWithSchema(ctx context.Context, schema string, args []string, getenv func(string) string, stdout io.Writer) error {
	cmd, rest := "serve", args[1:]
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		cmd, rest = rest[0], rest[1:]
	}
	switch cmd {
	case "version":
		fmt.Fprintln(stdout, "metalpro", version)
		return nil
	case "serve", "migrate", "seed", "emails", "restore":
	case "user":
		return runUser(ctx, rest, getenv, stdout)
	case "loadtest":
		return runLoadtest(ctx, rest, stdout)
	case "replicate": // internal: the replicator child that serve starts
		return runReplicate(ctx)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, "usage: metalpro [serve|migrate|seed|emails|user|restore|loadtest|version] [flags]")
		return nil
	default:
		return fmt.Errorf("unknown command %q (try: serve, migrate, seed, emails, user, restore, loadtest, version)", cmd)
	}

	cfg, err := loadConfig(cmd, rest, getenv, stdout)
	if err != nil {
		return err
	}
	// The replicator child logs where the program does. A real stdout is handed to it as a
	// file (so it keeps logging after a killed server); any other writer gets the child's
	// output copied in from another goroutine, so writes to it are serialised.
	if _, isFile := stdout.(*os.File); !isFile {
		stdout = &serialWriter{w: stdout}
	}
	cfg.schema, cfg.logs = schema, stdout
	logger := newLogger(stdout, cfg.LogLevel)
	if cmd == "migrate" || cmd == "seed" || cmd == "emails" {
		// Restore a missing database first, and never write to one its replica disowns.
		if err := prepareReplica(ctx, cfg, logger); err != nil {
			return err
		}
	}

	switch cmd {
	case "restore":
		return runRestore(ctx, cfg, stdout, logger)
	case "migrate":
		db, err := openStore(ctx, cfg, logger)
		if err != nil {
			return err
		}
		v, _ := db.SchemaVersion(ctx)
		logger.Info("database migrated", "path", cfg.DBPath, "version", v)
		return db.Close()
	case "seed":
		db, err := openStore(ctx, cfg, logger)
		if err != nil {
			return err
		}
		defer db.Close()
		return seedCatalog(ctx, db, logger, true)
	case "emails":
		db, err := openStore(ctx, cfg, logger)
		if err != nil {
			return err
		}
		defer db.Close()
		return emailsCommand(ctx, db, cfg.Args, stdout)
	default:
		return serve(ctx, cfg, logger)
	}
}

// passwordCost is the bcrypt cost of new password hashes; zero means
// store.DefaultPasswordCost. Only the test binary changes it (password_cost_test.go):
// whole-program tests check sign-up and login, not bcrypt's price, and one hash at cost
// 12 under -race on a loaded machine takes seconds.
var passwordCost int

func openStore(ctx context.Context, cfg config, logger *slog.Logger) (*store.DB, error) {
	schema := cfg.schema
	if schema == "" { // subcommands other than run's own (user) use the program's schema
		schema = store.Schema
	}
	db, err := store.Open(ctx, cfg.DBPath, schema, store.Options{Logger: logger, WriteWait: cfg.WriteWait, PasswordCost: passwordCost})
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", cfg.DBPath, err)
	}
	return db, nil
}

// serve runs the API until ctx is cancelled, then drains in-flight requests, stops the
// background workers and closes the database, in that order.
func serve(ctx context.Context, cfg config, logger *slog.Logger) error {
	// Before anything touches the data dir (the replicator's clean-stop marker first).
	lock, err := lockDataDir(cfg.DataDir)
	if err != nil {
		return fmt.Errorf("refusing to start: %w", err)
	}
	defer lock.Unlock()
	// The replicator starts first (restoring the database if it is missing) and stops
	// last: its deferred close runs after db.Close, so its final sync sees every commit.
	replicator, err := startReplicator(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer stopReplicator(replicator, logger)
	db, err := openStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	startReplication(ctx, replicator, db)

	if err := seedCatalog(ctx, db, logger, false); err != nil {
		return err
	}
	if cfg.JWTSecret == "" {
		// Development only (production refuses to start without one). Kept in the database,
		// not beside it, so a restored server keeps everyone's sessions and emailed links.
		cfg.JWTSecret, err = db.EnsureSetting(ctx, "dev_jwt_secret", randomSecret)
		if err != nil {
			return fmt.Errorf("development JWT secret: %w", err)
		}
		logger.Warn("JWT_SECRET not set: using a generated development secret kept in the database")
	}

	reportError, flushSentry := setupSentry(cfg, logger)
	defer flushSentry()

	blobs, err := openFiles(ctx, cfg, logger)
	if err != nil {
		return err
	}
	mailWorker, err := newMailWorker(cfg, db, logger, files.AttachmentLoader{Blobs: blobs, Uploads: db})
	if err != nil {
		return err
	}

	go db.WarmPasswordCheck() // ~0.2 s of bcrypt, so the first unknown-email login is not slower

	if cfg.HCaptchaDisabled {
		// Said at every start: an opt-out nobody remembers making is how relays are born.
		logger.Warn("CAPTCHA OFF (HCAPTCHA_DISABLED=true): signups, password resets and guest RFQs "+
			"are not protected against scripts; guest RFQs can make this server email any address", "env", cfg.Env)
	}
	var captcha apphttp.Captcha // off unless a secret is set
	if cfg.HCaptchaSecret != "" {
		captcha = apphttp.NewHCaptcha(cfg.HCaptchaSecret, cfg.HCaptchaVerifyURL)
	}
	storefront, err := openStorefront(cfg, logger)
	if err != nil {
		return err
	}
	if storefront != nil {
		defer storefront.Close()
	}
	api := apphttp.NewServer(db, apphttp.Config{
		Env:                     cfg.Env,
		Version:                 version,
		FrontendURL:             cfg.FrontendURL,
		BackofficeURL:           cfg.BackofficeURL,
		CORSOrigins:             cfg.CORSOrigins,
		TrustedProxies:          cfg.TrustedProxies,
		RateLimits:              cfg.RateLimits,
		JWTSecret:               cfg.JWTSecret,
		SessionIdleTimeout:      cfg.SessionIdleTimeout,
		StaffSessionIdleTimeout: cfg.StaffSessionIdleTimeout,
		OperatorEmail:           cfg.OperatorEmail,
		MetricsToken:            cfg.MetricsToken,
		MinFreeBytes:            cfg.MinFreeBytes,
		APIURL:                  cfg.Files.APIURL,
		CrossSiteCookies:        cfg.CrossSiteCookies,
		VATRateBP:               cfg.Quote.VATRateBP,
		Company:                 cfg.Quote.Company,
	}, apphttp.Deps{Logger: logger, Captcha: captcha, ReportError: reportError, Storefront: storefront,
		Metrics:    operationalMetrics(replicator, db),
		Files:      blobs,
		BOMMapper:  &bom.Mapper{DB: db},
		BackOffice: backOffice(db, cfg, logger, blobs, reportError),
		HealthChecks: map[string]apphttp.HealthCheck{"email": mailWorker, "replication": replicationHealth(replicator),
			"files": filesHealth(blobs)}})
	defer api.Close() // runs before db.Close and after the HTTP server below has drained

	bg, stopBackground := context.WithCancel(context.Background())
	workers := startWorkers(bg, db, blobs, logger)
	// Stopped with the other workers, after the HTTP server drained: it then sends what the
	// last requests queued (for a few seconds); anything left waits in the outbox.
	workers.run(bg, mailWorker.Run)

	edge, err := newTLSEdge(cfg, db, logger) // nil unless TLS_DOMAINS or TLS_CERT_FILE
	if err != nil {
		stopBackground()
		return err
	}
	socks, err := openListeners(cfg) // systemd's sockets when it passed some (edge_listen.go)
	if err != nil {
		stopBackground()
		return err
	}
	ln := socks.main
	checkFileLimit(logger, cfg.MaxConnsPerIP)
	guard := apphttp.NewConnGuard(ln, apphttp.ConnLimits{
		MaxPerIP: cfg.MaxConnsPerIP, IdleTimeout: cfg.IdleTimeout, TrustedProxies: cfg.TrustedProxies})
	srv := &http.Server{
		Handler:           api.Handler(),
		ConnState:         guard.ConnState,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // uploads of up to 50 MB on slow links
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute, // trusted proxies only (clients: IDLE_TIMEOUT): longer than theirs (ALB: 60 s)
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	var front net.Listener = guard
	if edge != nil {
		front = tls.NewListener(guard, edge.config)
		stopPlain := edge.startPlain(socks.plain, socks.httpsPort(cfg), logger)
		defer stopPlain(context.Background()) // after the main server drained, before the database closes
	}
	logger.Info("listening", "addr", ln.Addr().String(), "tls", edge != nil, "socket_activation", socks.inherited, "env", cfg.Env, "version", version,
		"data_dir", cfg.DataDir, "database", cfg.DBPath)

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(front) }()

	select {
	case err := <-serveErr:
		stopBackground()
		workers.wait()
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}

	logger.Info("shutting down: draining in-flight requests", "timeout", cfg.ShutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		logger.Error("shutdown: requests still running at the deadline were cut", "err", err)
	}
	if err := <-serveErr; err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Error("http server", "err", err)
	}
	stopBackground()
	workers.wait()
	logger.Info("stopped")
	return nil
}

// serialWriter serialises writes to w, which the program's logger and the copy of the
// replicator child's output share.
type serialWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *serialWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// randomSecret makes a 48-byte random secret.
func randomSecret() (string, error) {
	var b [48]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}
