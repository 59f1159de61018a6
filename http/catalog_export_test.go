package apphttp

import (
	"context"
	"testing"

	"github.com/metalpro/backend/store"
)

// MustCatalogServerForTest builds a server over a fresh database with the seeded catalog.
func MustCatalogServerForTest(tb testing.TB) (*Server, *store.DB) {
	tb.Helper()
	db := MustOpenDB(tb)
	if _, err := db.SeedCatalog(context.Background(), true); err != nil {
		tb.Fatalf("seed catalog: %v", err)
	}
	return NewServer(db, Config{Env: "development", FrontendURL: "http://localhost:8080"}, Deps{}), db
}
