package apphttp

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
)

// opsRequest sends GET path to s's handler from remote, with an optional bearer token and
// X-Forwarded-For.
func opsRequest(s *Server, path, remote, token, xff string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.RemoteAddr = remote
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec
}

func TestHealth_PublicAnswerIsStatusOnly(t *testing.T) {
	s := MustNewServer(t, func(c *Config) { c.Version = "v1.2.3"; c.MetricsToken = "ops-token-0123456789" })
	const outside = "203.0.113.7:40000"

	t.Run("PublicHealth", func(t *testing.T) {
		rec := opsRequest(s, "/health", outside, "", "")
		require.Equal(t, http.StatusOK, rec.Code)
		require.JSONEq(t, `{"status":"ok"}`, rec.Body.String(), "no version, replica or pid for strangers")
	})
	t.Run("ErrPublicMetrics", func(t *testing.T) {
		rec := opsRequest(s, "/metrics", outside, "", "")
		require.Equal(t, http.StatusUnauthorized, rec.Code)
		require.NotContains(t, rec.Body.String(), "metalpro_http_requests_total")
		rec = opsRequest(s, "/metrics", outside, "wrong-token", "")
		require.Equal(t, http.StatusUnauthorized, rec.Code)
	})
	t.Run("TokenGetsDetails", func(t *testing.T) {
		rec := opsRequest(s, "/health", outside, "ops-token-0123456789", "")
		require.Equal(t, http.StatusOK, rec.Code)
		require.Contains(t, rec.Body.String(), `"version":"v1.2.3"`)
		rec = opsRequest(s, "/metrics", outside, "ops-token-0123456789", "")
		require.Equal(t, http.StatusOK, rec.Code)
		require.Contains(t, rec.Body.String(), "metalpro_disk_free_bytes")
	})
	t.Run("LoopbackGetsDetails", func(t *testing.T) {
		rec := opsRequest(s, "/health", "127.0.0.1:50000", "", "")
		require.Contains(t, rec.Body.String(), `"version":"v1.2.3"`)
		require.Equal(t, http.StatusOK, opsRequest(s, "/metrics", "[::1]:50000", "", "").Code)
	})
	t.Run("ErrProxiedThroughLoopback", func(t *testing.T) {
		// A reverse proxy on the same machine forwards the whole internet from 127.0.0.1.
		rec := opsRequest(s, "/health", "127.0.0.1:50000", "", "198.51.100.9")
		require.JSONEq(t, `{"status":"ok"}`, rec.Body.String())
		require.Equal(t, http.StatusUnauthorized, opsRequest(s, "/metrics", "127.0.0.1:50000", "", "198.51.100.9").Code)
	})
}

// healthChecks returns /health's status code and checks, asked from loopback.
func healthChecks(t *testing.T, s *Server) (int, map[string]checkResult) {
	t.Helper()
	rec := opsRequest(s, "/health", "127.0.0.1:50000", "", "")
	var body struct{ Checks map[string]checkResult }
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body), rec.Body.String())
	return rec.Code, body.Checks
}

func TestHealth_ReportsStorage(t *testing.T) {
	t.Run("ErrLowFreeSpace", func(t *testing.T) {
		s := MustNewServer(t, func(c *Config) { c.MinFreeBytes = 1 << 62 })
		code, checks := healthChecks(t, s)
		require.Equal(t, http.StatusServiceUnavailable, code)
		require.Equal(t, "error", checks["storage"].Status)
	})
	t.Run("ErrLastWriteFailedForSpace", func(t *testing.T) {
		s := MustNewServer(t, nil)
		code, _ := healthChecks(t, s)
		require.Equal(t, http.StatusOK, code)

		// SQLite's size limit stands in for a full disk (SQLITE_FULL).
		// The write pool is one connection, so a pragma set in a write transaction stays.
		require.NoError(t, s.db.Write(context.Background(), func(tx *store.Tx) error {
			var pages int
			if err := tx.QueryRowContext(context.Background(), `PRAGMA page_count`).Scan(&pages); err != nil {
				return err
			}
			_, err := tx.ExecContext(context.Background(), `PRAGMA max_page_count = `+strconv.Itoa(pages))
			return err
		}))
		err := s.db.Write(context.Background(), func(tx *store.Tx) error {
			_, err := tx.ExecContext(context.Background(), `INSERT INTO server_settings (key, value, created_at) VALUES ('filler', ?, '')`,
				strings.Repeat("x", 256<<10))
			return err
		})
		require.Error(t, err)
		failedAt := time.Now()

		rec := httptest.NewRecorder()
		s.writeError(rec, httptest.NewRequest(http.MethodPost, "/api/cart/items", nil), err)
		require.Equal(t, http.StatusServiceUnavailable, rec.Code)
		require.NotEmpty(t, rec.Header().Get("Retry-After"))
		var e errorBody
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &e))
		require.Equal(t, "storage_full", e.Code)
		require.NotContains(t, e.Error, "neașteptată", "not an unexpected error")

		code, checks := healthChecks(t, s)
		t.Logf("/health reported the full disk %s after the failed write", time.Since(failedAt))
		require.Equal(t, http.StatusServiceUnavailable, code)
		require.Equal(t, "error", checks["storage"].Status)
		require.Contains(t, fmt.Sprint(checks["storage"].Detail), "no space")
	})
}
