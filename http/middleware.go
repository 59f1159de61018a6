package apphttp

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strings"
	"time"

	"github.com/klauspost/compress/gzhttp"
	"github.com/rs/cors"
)

type ctxKey int

const (
	ctxRequest ctxKey = iota // *requestInfo: the request's id, client address, route, response
	ctxUser
	ctxSession
)

// middleware wraps the routes, outermost first: request id and access log see everything,
// panics become 500s, then CORS, security headers, compression, the storefront (when
// STATIC_DIR is set), the cross-site request check (CROSS_SITE_COOKIES) and guest sessions
// (skipped on the public catalog's reads, guestSessions).
//
// Every request pays for this chain, cached catalog hits included (BenchmarkCachedListChain):
// the outer three share one requestInfo, so a request gets one context value, not three.
func (s *Server) middleware(h http.Handler) http.Handler {
	h = s.authenticate(h)
	h = s.guestSessions(h)
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

// requestInfo is what the outer middleware learns about a request, in one context value
// (one allocation, where a value per fact made the context chain longer on every request).
type requestInfo struct {
	id    string         // withRequestID
	ip    string         // withClientIP
	route routeHolder    // the route template, filled inside the router (recordRoute)
	rec   statusRecorder // the access log's view of the response
}

// requestScope returns r's requestInfo, adding one when r has none yet (a middleware used
// on its own, as tests do).
func requestScope(r *http.Request) (*requestInfo, *http.Request) {
	if info, ok := r.Context().Value(ctxRequest).(*requestInfo); ok {
		return info, r
	}
	info := &requestInfo{}
	return info, r.WithContext(context.WithValue(r.Context(), ctxRequest, info))
}

func requestInfoFrom(ctx context.Context) *requestInfo {
	info, _ := ctx.Value(ctxRequest).(*requestInfo)
	return info
}

// validRequestID reports whether a caller's X-Request-Id is safe to adopt and log: 1 to 64
// of A-Z a-z 0-9 . _ - (a byte loop: the regular expression it replaces allocated on
// every request).
func validRequestID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// newRequestID is 24 random hex digits. An id only ties log lines together and guards
// nothing, so it comes from the runtime's per-thread generator (seeded from the system's),
// which unlike crypto/rand neither locks nor allocates.
func newRequestID() string {
	const digits = "0123456789abcdef"
	var b [24]byte
	var n uint64
	for i := range b {
		if i%12 == 0 { // 12 digits use 48 of a draw's 64 bits
			n = rand.Uint64()
		}
		b[i] = digits[n&15]
		n >>= 4
	}
	return string(b[:])
}

// withRequestID takes the caller's X-Request-Id when it is sane (a load balancer's id
// ties our log line to theirs), or makes one, and echoes it in the response.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !validRequestID(id) {
			id = newRequestID()
		}
		w.Header()["X-Request-Id"] = []string{id}
		info, r := requestScope(r)
		info.id = id
		next.ServeHTTP(w, r)
	})
}

// RequestID is the id of the request ctx belongs to ("" outside a request).
func RequestID(ctx context.Context) string { return requestID(ctx) }

func requestID(ctx context.Context) string {
	if info := requestInfoFrom(ctx); info != nil {
		return info.id
	}
	return ""
}

// withClientIP resolves the client's address once. X-Forwarded-For is believed only when
// the direct peer is a trusted proxy, and then only its right-most untrusted entry across
// all its header lines: the left part is whatever the client chose to send.
func (s *Server) withClientIP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info, r := requestScope(r)
		info.ip = s.clientIP(r)
		next.ServeHTTP(w, r)
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
	if info := requestInfoFrom(ctx); info != nil {
		return info.ip
	}
	return ""
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
		info, r := requestScope(r)
		rec := &info.rec
		if rec.ResponseWriter != nil {
			rec = &statusRecorder{} // the chain served twice for one request: its own view
		}
		*rec = statusRecorder{ResponseWriter: w}
		info.route = routeHolder{}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		d := time.Since(start)
		s.metrics.observe(r, info.route.template, rec.status, d)
		if r.URL.Path == "/health/live" || r.URL.Path == "/health/ready" || r.URL.Path == "/metrics" {
			return // probes every few seconds would drown the log
		}
		// LogAttrs with typed values: the same line as Info(msg, key, value, ...) without
		// boxing each number into an interface.
		s.logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("request_id", info.id),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.status),
			slog.Int("bytes", rec.bytes),
			slog.Float64("duration_ms", float64(d.Microseconds())/1000),
			slog.String("ip", info.ip),
		)
	})
}

// recoverer turns a panicking handler into a 500 in the error shape and a log line with
// the stack, so one bad request never takes the process down.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Whether the response has started is what the access log's recorder already knows
		// when it is the writer handed in (it is, in middleware); otherwise a recorder of its own.
		var rec *statusRecorder
		if info := requestInfoFrom(r.Context()); info != nil && w == http.ResponseWriter(&info.rec) {
			rec = &info.rec
		} else {
			rec = &statusRecorder{ResponseWriter: w}
			w = rec
		}
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
				s.writeError(w, r, errInternal)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets what a JSON API should always say. The API serves no HTML, so the
// CSP forbids everything; HSTS only in production (it would pin localhost to https).
// The values are slices built once and assigned, not Set: Set allocates a slice per header
// per request. Sharing them is safe: Set replaces a slice, Add appends to a full one
// (which copies), and nothing writes into a header's slice in place.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	fixed := []struct {
		key   string
		value []string
	}{
		{"X-Content-Type-Options", []string{"nosniff"}},
		{"X-Frame-Options", []string{"DENY"}},
		{"Content-Security-Policy", []string{"default-src 'none'; frame-ancestors 'none'"}},
		{"Referrer-Policy", []string{"strict-origin-when-cross-origin"}},
		{"Cross-Origin-Opener-Policy", []string{"same-origin"}},
	}
	if s.cfg.Production() {
		fixed = append(fixed, struct {
			key   string
			value []string
		}{"Strict-Transport-Security", []string{"max-age=31536000; includeSubDomains; preload"}})
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, f := range fixed {
			h[f.key] = f.value[:1:1] // capacity 1: an Add copies instead of writing into the shared array
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
