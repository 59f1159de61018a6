package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/replica/replicatest"
)

// switchableS3 is a loopback endpoint that drops every connection while down and passes
// requests to the real fake S3 once up: S3 unreachable, then back.
func switchableS3(t *testing.T, target string) (*httptest.Server, *atomic.Bool) {
	t.Helper()
	u, err := url.Parse(target)
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(u)
	var up atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !up.Load() {
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
			}
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &up
}

// replicationCheck reads /health's replication check (the test asks from loopback).
func replicationCheck(t *testing.T, srv *testServer) (int, string, map[string]any) {
	t.Helper()
	resp, err := http.Get(srv.URL + "/health")
	require.NoError(t, err)
	defer resp.Body.Close()
	var h struct {
		Status string
		Checks map[string]struct {
			Status string
			Detail map[string]any
		}
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&h))
	c := h.Checks["replication"]
	return resp.StatusCode, c.Status, c.Detail
}

// TestServe_ReplicaUnreachableAtBootServesDegraded: with an intact local database, S3
// being unreachable at boot used to be a full outage. The server serves from the local
// file, reports degraded, and starts replicating once S3 answers again.
func TestServe_ReplicaUnreachableAtBootServesDegraded(t *testing.T) {
	t.Parallel()
	s3 := replicatest.StartS3(t)
	env := s3.Env("metalpro")
	first := startServer(t, env)
	require.NoError(t, first.Stop())

	flaky, up := switchableS3(t, s3.Endpoint)
	env = s3.Env("metalpro")
	env["LITESTREAM_S3_ENDPOINT"] = flaky.URL
	env["DATA_DIR"] = first.DataDir
	srv := startServer(t, env) // before: "server exited before listening"

	code, status, detail := replicationCheck(t, srv)
	require.Equal(t, http.StatusServiceUnavailable, code, "degraded while the replica is unreachable")
	require.Equal(t, "error", status)
	require.Equal(t, "unreachable", detail["state"], "%v", detail)
	resp, err := http.Get(srv.URL + "/api/products?limit=1")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "the local database serves")

	up.Store(true)
	// Polling /health, as a load balancer does, until the test's own deadline.
	waitUntil(t, "replication starts after S3 came back", func() bool {
		code, status, detail = replicationCheck(t, srv)
		return status == "ok"
	})
	require.Equal(t, "replicating", detail["state"])
	require.NoError(t, srv.Stop())
}
