package apphttp

import (
	"testing"
	"time"

	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// MustCatalogServerForTest builds a server over a fresh database with the seeded catalog.
func MustCatalogServerForTest(tb testing.TB) (*Server, *store.DB) {
	tb.Helper()
	db := storetest.MustOpenSeeded(tb)
	// No per-IP API limit: the benchmarks send tens of thousands of requests from 127.0.0.1.
	cfg := Config{Env: "development", FrontendURL: "http://localhost:8080",
		RateLimits: RateLimits{API: Limit{Max: 0, Window: time.Minute}}}
	s := NewServer(db, cfg, Deps{})
	tb.Cleanup(s.Close)
	return s, db
}

// SetCatalogCache turns the catalog response cache on or off (the benchmarks compare warm
// and cold) and empties it.
func (s *Server) SetCatalogCache(on bool) {
	s.catalog.disabled.Store(!on)
	s.catalog.invalidate()
}
