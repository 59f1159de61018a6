package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
)

// MustOpenSeededDB opens a fresh database file with the project's schema and the seeded
// catalog.
func MustOpenSeededDB(tb testing.TB) *store.DB {
	tb.Helper()
	schema, err := os.ReadFile(filepath.Join("..", "schema.sql"))
	require.NoError(tb, err)
	db, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "catalog.db"), string(schema), store.Options{})
	require.NoError(tb, err)
	tb.Cleanup(func() { db.Close() })
	res, err := db.SeedCatalog(context.Background(), false)
	require.NoError(tb, err)
	require.True(tb, res.Seeded)
	return db
}
