// Package replicatest holds test helpers for replication: an S3-protocol
// server on loopback (gofakes3) with its bucket created up front, that
// records the uploads it receives and can be taken down to simulate an outage.
package replicatest

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// Bucket is the bucket StartS3 creates.
const Bucket = "metalpro-test"

// Test credentials accepted by the fake (it does not check signatures).
const (
	AccessKeyID     = "AKIDTEST"
	SecretAccessKey = "SECRETTEST"
)

// S3 is a running fake S3 server.
type S3 struct {
	// Endpoint is the server's base URL, with scheme (http://127.0.0.1:port).
	Endpoint string
	Backend  *s3mem.Backend

	down atomic.Bool
	mu   sync.Mutex
	puts []Request
	gets []Request
}

// Request is one object request the fake answered successfully.
type Request struct {
	At   time.Time
	Path string
	Size int64
}

// StartS3 starts gofakes3 (in memory) on 127.0.0.1 and creates Bucket; it
// stops with the test.
func StartS3(tb testing.TB) *S3 {
	tb.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket(Bucket); err != nil {
		tb.Fatal(err)
	}
	faker := gofakes3.New(backend, gofakes3.WithLogger(gofakes3.DiscardLog()))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s := &S3{Backend: backend}
	inner := faker.Server()
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.down.Load() {
			// What an unreachable or failing store looks like to the client:
			// every request fails, retries included.
			http.Error(w, "simulated outage", http.StatusServiceUnavailable)
			return
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		inner.ServeHTTP(rec, r)
		if rec.status >= 300 {
			return
		}
		req := Request{At: time.Now(), Path: r.URL.Path, Size: r.ContentLength}
		s.mu.Lock()
		switch r.Method {
		case http.MethodPut, http.MethodPost:
			s.puts = append(s.puts, req)
		case http.MethodGet:
			if r.URL.RawQuery == "" || r.URL.Query().Get("list-type") == "" {
				s.gets = append(s.gets, req)
			}
		}
		s.mu.Unlock()
	})
	srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: handler}}
	srv.Start()
	tb.Cleanup(srv.Close)
	s.Endpoint = srv.URL
	return s
}

// SetDown starts (true) or ends (false) a simulated outage: while down, every
// request is answered 503.
func (s *S3) SetDown(down bool) { s.down.Store(down) }

// Puts returns the uploads (PUT and multipart POST) answered so far, oldest first.
func (s *S3) Puts() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.puts...)
}

// Gets returns the object downloads answered so far (listings excluded).
func (s *S3) Gets() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.gets...)
}

type statusRecorder struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

// WriteHeader passes the first status on; the fake sometimes writes a second one, which
// net/http would only log as superfluous.
func (r *statusRecorder) WriteHeader(code int) {
	if r.wroteHeader {
		return
	}
	r.status, r.wroteHeader = code, true
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wroteHeader = true
	return r.ResponseWriter.Write(b)
}

// Env returns the environment that points the server at this S3 under path.
func (s *S3) Env(path string) map[string]string {
	return map[string]string{
		"LITESTREAM_S3_BUCKET":   Bucket,
		"LITESTREAM_S3_PATH":     path,
		"LITESTREAM_S3_ENDPOINT": s.Endpoint,
		"LITESTREAM_S3_REGION":   "us-east-1",
		"AWS_ACCESS_KEY_ID":      AccessKeyID,
		"AWS_SECRET_ACCESS_KEY":  SecretAccessKey,
	}
}
