package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"

	"github.com/metalpro/backend/store"
)

// tlsEdge terminates TLS in the binary itself, for a bare VM with no proxy in front:
// automatic certificates over ACME for TLS_DOMAINS, or the certificate in TLS_CERT_FILE.
// Behind Fly's proxy or a load balancer TLS stays off there, and this is nil.
type tlsEdge struct {
	config *tls.Config
	// plain is HTTP_PORT's handler given the redirect to https: ACME HTTP-01 challenges
	// answered, every other request redirected.
	plain func(redirect http.Handler) http.Handler
}

// newTLSEdge builds the TLS side from the configuration, or returns nil when TLS is off.
func newTLSEdge(cfg config, db *store.DB, logger *slog.Logger) (*tlsEdge, error) {
	switch {
	case len(cfg.TLSDomains) > 0:
		hc := &http.Client{Timeout: time.Minute}
		if cfg.ACMECAFile != "" {
			pool, err := certPool(cfg.ACMECAFile)
			if err != nil {
				return nil, err
			}
			hc.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, Proxy: http.ProxyFromEnvironment}
		}
		m := &autocert.Manager{
			Prompt:     autocert.AcceptTOS,
			HostPolicy: portlessHostPolicy(autocert.HostWhitelist(cfg.TLSDomains...)),
			Cache:      certCache{db: db},
			Email:      cfg.ACMEEmail,
			Client:     &acme.Client{DirectoryURL: cfg.ACMEDirectoryURL, HTTPClient: hc, UserAgent: "metalpro/" + version},
		}
		tc := m.TLSConfig()
		tc.MinVersion = tls.VersionTLS12
		logger.Info("TLS: automatic certificates", "domains", cfg.TLSDomains, "acme_directory", cfg.ACMEDirectoryURL)
		return &tlsEdge{config: tc, plain: m.HTTPHandler}, nil
	case cfg.TLSCertFile != "":
		fc := &fileCert{certFile: cfg.TLSCertFile, keyFile: cfg.TLSKeyFile, logger: logger}
		if _, err := fc.GetCertificate(nil); err != nil {
			return nil, err
		}
		logger.Info("TLS: certificate from files", "cert_file", cfg.TLSCertFile)
		return &tlsEdge{
			config: &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: fc.GetCertificate, NextProtos: []string{"h2", "http/1.1"}},
			plain:  func(redirect http.Handler) http.Handler { return redirect },
		}, nil
	}
	return nil, nil
}

// portlessHostPolicy checks host without its port: the HTTP-01 handler passes the Host
// header as sent, which carries the port when HTTP_PORT is not 80.
func portlessHostPolicy(policy autocert.HostPolicy) autocert.HostPolicy {
	return func(ctx context.Context, host string) error {
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		return policy(ctx, host)
	}
}

// startPlain serves ln (HTTP_PORT) until stop is called (stop drains like the main
// server); httpsPort is the port the main listener got, for the redirects.
func (e *tlsEdge) startPlain(ln net.Listener, httpsPort int, logger *slog.Logger) (stop func(context.Context)) {
	srv := &http.Server{
		Handler:           e.plain(redirectToHTTPS(httpsPort)),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       30 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	logger.Info("listening for http (ACME challenges, redirect to https)", "addr", ln.Addr().String())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("http redirect server", "err", err)
		}
	}()
	return func(ctx context.Context) {
		_ = srv.Shutdown(ctx)
		<-done
	}
}

// redirectToHTTPS sends every plain-http request to the same host and path over https:
// 301 for reads, 308 for anything else (so a POST stays a POST).
func redirectToHTTPS(httpsPort int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		if host == "" {
			http.Error(w, "Host header required", http.StatusBadRequest)
			return
		}
		if httpsPort != 443 {
			host = net.JoinHostPort(host, strconv.Itoa(httpsPort))
		}
		code := http.StatusPermanentRedirect
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			code = http.StatusMovedPermanently
		}
		http.Redirect(w, r, "https://"+host+r.URL.RequestURI(), code)
	})
}

// certCache keeps ACME's account key and certificates in the database: a restart does not
// ask the CA again, and a server restored from the replica has them back (the rate limits
// of Let's Encrypt allow only a few duplicate certificates a week).
type certCache struct{ db *store.DB }

const certCachePrefix = "acme_cache/"

// Get returns the cached data for key, or autocert.ErrCacheMiss.
func (c certCache) Get(ctx context.Context, key string) ([]byte, error) {
	v, ok, err := c.db.Setting(ctx, certCachePrefix+key)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, autocert.ErrCacheMiss
	}
	return base64.StdEncoding.DecodeString(v)
}

// Put stores data under key.
func (c certCache) Put(ctx context.Context, key string, data []byte) error {
	return c.db.PutSetting(ctx, certCachePrefix+key, base64.StdEncoding.EncodeToString(data))
}

// Delete removes key.
func (c certCache) Delete(ctx context.Context, key string) error {
	return c.db.DeleteSetting(ctx, certCachePrefix+key)
}

// fileCert serves the certificate in certFile, read again when the file changes, so a
// renewed certificate (certbot, a company CA) is picked up without a restart.
type fileCert struct {
	certFile, keyFile string
	logger            *slog.Logger

	mu      sync.Mutex
	cert    *tls.Certificate
	modTime time.Time
}

// GetCertificate is tls.Config's GetCertificate.
func (f *fileCert) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	info, err := os.Stat(f.certFile)
	if err == nil && f.cert != nil && info.ModTime().Equal(f.modTime) {
		return f.cert, nil
	}
	cert, loadErr := tls.LoadX509KeyPair(f.certFile, f.keyFile)
	switch {
	case loadErr == nil:
		f.cert, f.modTime = &cert, info.ModTime()
	case f.cert != nil:
		// Half-written files during a renewal: keep serving the previous certificate.
		f.logger.Warn("TLS certificate files unreadable: keeping the previous certificate", "err", loadErr)
	default:
		return nil, fmt.Errorf("TLS_CERT_FILE/TLS_KEY_FILE: %w", loadErr)
	}
	return f.cert, nil
}

// certPool is the system's roots plus the PEM certificates in file.
func certPool(file string) (*x509.CertPool, error) {
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("ACME_CA_FILE: %w", err)
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("ACME_CA_FILE %s holds no PEM certificate", file)
	}
	return pool, nil
}
