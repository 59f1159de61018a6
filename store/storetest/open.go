// Package storetest is the test foundation: real SQLite files migrated with store.Schema,
// a catalog seeded once per test binary and copied per test, and the shared fixtures.
// Tests of every package open their databases here, never their own way.
package storetest

import (
	"context"
	"path/filepath"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/metalpro/backend/store"
)

// MustOpen opens a fresh, migrated database file in tb.TempDir(), closed by tb.Cleanup.
// Passwords are hashed at bcrypt's lowest cost (cost 12 takes seconds per hash under the
// race detector); tests that measure the real cost set Options.PasswordCost.
func MustOpen(tb testing.TB) *store.DB {
	tb.Helper()
	return MustOpenWith(tb, store.Options{})
}

// MustOpenWith is MustOpen with options (a test clock, a logger, a password cost).
func MustOpenWith(tb testing.TB, opt store.Options) *store.DB {
	tb.Helper()
	return MustOpenAt(tb, filepath.Join(tb.TempDir(), "test.db"), opt)
}

// MustOpenAt opens (or reopens) the database file at path, migrating it first. Tests that
// restart a server or a worker over the same file use it.
func MustOpenAt(tb testing.TB, path string, opt store.Options) *store.DB {
	tb.Helper()
	if opt.PasswordCost == 0 {
		opt.PasswordCost = bcrypt.MinCost
	}
	db, err := store.Open(context.Background(), path, store.Schema, opt)
	if err != nil {
		tb.Fatalf("open test database %s: %v", path, err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	return db
}
