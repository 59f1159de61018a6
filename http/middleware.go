package apphttp

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/klauspost/compress/gzhttp"
	"github.com/rs/cors"
)

type ctxKey int

const (
	ctxRequestID ctxKey = iota
	ctxClientIP
	ctxUser
	ctxSession
	ctxRoute
)

// middleware wraps the routes, outermost first: request id and access log see everything,
// panics become 500s, then CORS, security headers, compression, the storefront (when
// STATIC_DIR is set), the cross-site request check (CROSS_SITE_COOKIES) and guest sessions.
func (s *Server) middleware(h http.Handler) http.Handler {
	h = s.authenticate(h)
	h = s.sessions.LoadAndSave(h)
	h = s.withCrossOriginCheck(h)
	if s.storefront != nil {
		h = s.withStorefront(h) // outside the session: assets never touch the database
	}
	gz, err := gzhttp.NewWrapper(gzhttp.MinSize(1024))
	if err != nil {
		panic(err)
	}
	h = gz(h)
	h = s.securityHeaders(h)
	c := s.cors()
	h = s.warnRefusedOrigins(c, c.Handler(h))
	h = s.recoverer(h)
	h = s.accessLog(h)
	h = s.withClientIP(h)
	h = withRequestID(h)
	return h
}

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// withRequestID takes the caller's X-Request-Id when it is sane (a load balancer's id
// ties our log line to theirs), or makes one, and echoes it in the response.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !validRequestID.MatchString(id) {
			var b [12]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxRequestID, id)))
	})
}

// RequestID is the id of the request ctx belongs to ("" outside a request).
func RequestID(ctx context.Context) string { return requestID(ctx) }

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(ctxRequestID).(string)
	return id
}

// withClientIP resolves the client's address once. X-Forwarded-For is believed only when
// the direct peer is a trusted proxy, and then only its right-most untrusted entry across
// all its header lines: the left part is whatever the client chose to send.
func (s *Server) withClientIP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip := s.clientIP(r)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxClientIP, ip)))
	})
}

func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !s.trusted(peer) {
		return host
	}
	hops := forwardedFor(r.Header)
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			break
		}
		if !s.trusted(a) {
			return a.Unmap().String()
		}
	}
	return peer.Unmap().String()
}

// forwardedFor is every X-Forwarded-For entry in order: all header lines (a proxy may add
// its own line rather than extend the client's), each split at commas, empty entries dropped.
// Reading only the first line would let the client's own line win.
func forwardedFor(h http.Header) []string {
	var hops []string
	for _, line := range h.Values("X-Forwarded-For") {
		for _, hop := range strings.Split(line, ",") {
			if hop = strings.TrimSpace(hop); hop != "" {
				hops = append(hops, hop)
			}
		}
	}
	return hops
}

func (s *Server) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientIPFrom is the client address resolved by withClientIP.
func clientIPFrom(ctx context.Context) string {
	ip, _ := ctx.Value(ctxClientIP).(string)
	return ip
}

// statusRecorder remembers what a handler wrote, for the access log and the recoverer.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// accessLog writes one JSON line per request and feeds the Prometheus metrics.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		route := &routeHolder{}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), ctxRoute, route)))
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		d := time.Since(start)
		s.metrics.observe(r, route.template, rec.status, d)
		if r.URL.Path == "/health/live" || r.URL.Path == "/health/ready" || r.URL.Path == "/metrics" {
			return // probes every few seconds would drown the log
		}
		s.logger.Info("request",
			"request_id", requestID(r.Context()),
			"method", r.Method,
			"path", r.URL.Path,
			"status", rec.status,
			"bytes", rec.bytes,
			"duration_ms", float64(d.Microseconds())/1000,
			"ip", clientIPFrom(r.Context()),
		)
	})
}

// recoverer turns a panicking handler into a 500 in the error shape and a log line with
// the stack, so one bad request never takes the process down.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if p == http.ErrAbortHandler {
				panic(p)
			}
			s.logger.Error("panic in handler", "panic", fmt.Sprint(p), "request_id", requestID(r.Context()),
				"method", r.Method, "path", r.URL.Path, "stack", string(debug.Stack()))
			if s.report != nil {
				s.report(r, fmt.Errorf("panic: %v", p))
			}
			if rec.status == 0 {
				s.writeError(rec, r, errInternal)
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

// securityHeaders sets what a JSON API should always say. The API serves no HTML, so the
// CSP forbids everything; HSTS only in production (it would pin localhost to https).
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.cfg.Production() {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains; preload")
		}
		next.ServeHTTP(w, r)
	})
}

// cors allows only the configured origins, with credentials (the guest session cookie).
func (s *Server) cors() *cors.Cors {
	return cors.New(cors.Options{
		AllowedOrigins:   s.cfg.CORSOrigins,
		AllowCredentials: true,
		AllowedMethods:   []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete, http.MethodOptions},
		AllowedHeaders:   []string{"Content-Type", "Authorization", "Accept-Language", "Idempotency-Key", "If-None-Match", "X-Request-Id"},
		ExposedHeaders:   []string{"ETag", "Retry-After", "X-Request-Id", "Location", "Idempotent-Replayed"},
		MaxAge:           86400,
	})
}
