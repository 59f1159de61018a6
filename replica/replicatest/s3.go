// Package replicatest holds test helpers for replication: an S3-protocol
// server on loopback (gofakes3) with its bucket created up front.
package replicatest

import (
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

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
	srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: faker.Server()}}
	srv.Start()
	tb.Cleanup(srv.Close)
	return &S3{Endpoint: srv.URL, Backend: backend}
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
