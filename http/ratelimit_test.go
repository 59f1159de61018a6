package apphttp

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	l := newLimiter(Limit{Max: 3, Window: time.Minute})
	for i := 0; i < 3; i++ {
		ok, _ := l.Allow("1.2.3.4", now)
		require.True(t, ok)
	}
	ok, retry := l.Allow("1.2.3.4", now.Add(10*time.Second))
	require.False(t, ok)
	require.Equal(t, 50*time.Second, retry)
	ok, _ = l.Allow("5.6.7.8", now)
	require.True(t, ok, "other clients are not affected")
	ok, _ = l.Allow("1.2.3.4", now.Add(time.Minute))
	require.True(t, ok, "a new window starts once the old one ends")

	t.Run("BlockedDoesNotCount", func(t *testing.T) {
		l := newLimiter(Limit{Max: 1, Window: time.Minute})
		for i := 0; i < 5; i++ {
			blocked, _ := l.Blocked("k", now)
			require.False(t, blocked)
		}
		l.Add("k", now)
		blocked, _ := l.Blocked("k", now)
		require.True(t, blocked)
	})

	t.Run("ParseLimit", func(t *testing.T) {
		got, err := ParseLimit("10/1h")
		require.NoError(t, err)
		require.Equal(t, Limit{Max: 10, Window: time.Hour}, got)
		for _, bad := range []string{"", "10", "x/1h", "10/x", "-1/1h", "10/0s"} {
			_, err := ParseLimit(bad)
			require.Error(t, err, bad)
		}
	})
}

func TestLimitAPI(t *testing.T) {
	s := MustNewServer(t, func(c *Config) { c.RateLimits.API = Limit{Max: 2, Window: time.Hour} })
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	get := func(path string) *http.Response {
		resp, err := http.Get(srv.URL + path)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	require.Equal(t, http.StatusOK, get("/api/openapi.json").StatusCode)
	require.Equal(t, http.StatusOK, get("/api/openapi.json").StatusCode)
	resp, err := http.Get(srv.URL + "/api/openapi.json")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	require.NotEmpty(t, resp.Header.Get("Retry-After"))
	var e errorBody
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&e))
	require.Equal(t, "rate_limited", e.Code)
	require.Equal(t, "Prea multe cereri. Te rugăm să încerci mai târziu.", e.Error)
	require.Equal(t, http.StatusOK, get("/health").StatusCode, "health checks are never limited")
}

func TestLimiter_Refund(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	l := newLimiter(Limit{Max: 1, Window: time.Minute})
	ok, _ := l.Allow("k", now)
	require.True(t, ok)
	l.Refund("k", now)
	ok, _ = l.Allow("k", now)
	require.True(t, ok, "a refunded attempt is free again")
	ok, _ = l.Allow("k", now)
	require.False(t, ok)
	l.Refund("other", now) // nothing counted: nothing to give back
	l.Refund("k", now)
	l.Refund("k", now)
	ok, _ = l.Allow("k", now)
	require.True(t, ok)
	ok, _ = l.Allow("k", now)
	require.False(t, ok, "refunds never go below zero")
}
