package apphttp

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestHealth(t *testing.T) {
	get := func(t *testing.T, s *Server, path string) (int, healthReport) {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.RemoteAddr = "127.0.0.1:40000" // an operator on the machine sees the checks
		s.Handler().ServeHTTP(rec, req)
		var h healthReport
		_ = json.Unmarshal(rec.Body.Bytes(), &h)
		return rec.Code, h
	}

	t.Run("DegradedDependencyIs503", func(t *testing.T) {
		s := MustNewServer(t, nil)
		s.health = map[string]HealthCheck{
			"replication": HealthFunc(func(context.Context) (bool, any) { return false, "replicator restarting" }),
		}
		code, h := get(t, s, "/health")
		require.Equal(t, http.StatusServiceUnavailable, code)
		require.Equal(t, "degraded", h.Status)
		require.Equal(t, "ok", h.Checks["database"].(map[string]any)["status"])
		require.Equal(t, "error", h.Checks["replication"].(map[string]any)["status"])
		code, _ = get(t, s, "/health/live")
		require.Equal(t, http.StatusOK, code, "liveness does not depend on other services")
	})

	t.Run("DatabaseDownIs503", func(t *testing.T) {
		s := MustNewServer(t, nil)
		require.NoError(t, s.db.Close())
		code, h := get(t, s, "/health")
		require.Equal(t, http.StatusServiceUnavailable, code)
		require.Equal(t, "error", h.Checks["database"].(map[string]any)["status"])
		code, _ = get(t, s, "/health/ready")
		require.Equal(t, http.StatusServiceUnavailable, code, "not ready without a database")
	})
}
