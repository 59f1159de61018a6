package storetest

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/metalpro/backend/store"
)

// The seeded template is built once per test binary: seeding 3,000 products takes 1.5–2 s
// (much more under the race detector), a file copy a few milliseconds.
var seededTemplate struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// MustOpenSeeded opens a private copy of a database seeded with the full catalog. Each
// test gets its own file, so tests that write to the catalog do not see each other.
func MustOpenSeeded(tb testing.TB) *store.DB {
	tb.Helper()
	return MustOpenSeededWith(tb, store.Options{})
}

// MustOpenSeededWith is MustOpenSeeded with options.
func MustOpenSeededWith(tb testing.TB, opt store.Options) *store.DB {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "seeded.db")
	MustCopySeeded(tb, path)
	return MustOpenAt(tb, path, opt)
}

// MustCopySeeded writes a copy of the seeded template database to path (closed), for tests
// that boot the whole program over a data dir and need not seed the catalog again.
func MustCopySeeded(tb testing.TB, path string) {
	tb.Helper()
	seededTemplate.once.Do(buildSeededTemplate)
	if seededTemplate.err != nil {
		tb.Fatalf("seeded template database: %v", seededTemplate.err)
	}
	// Close normally folds the WAL into the main file; copy a WAL left behind too.
	for _, suffix := range []string{"", "-wal"} {
		if err := copyFile(seededTemplate.path+suffix, path+suffix); err != nil && !(suffix != "" && os.IsNotExist(err)) {
			tb.Fatalf("copy seeded template: %v", err)
		}
	}
}

// Cleanup removes the seeded template; a TestMain calls it after m.Run. Without it the
// template stays in the system's temp dir until it is cleaned.
func Cleanup() {
	if seededTemplate.dir != "" {
		_ = os.RemoveAll(seededTemplate.dir)
	}
}

func buildSeededTemplate() {
	t := &seededTemplate
	t.dir, t.err = os.MkdirTemp("", "storetest-seeded-")
	if t.err != nil {
		return
	}
	t.path = filepath.Join(t.dir, "seeded.db")
	ctx := context.Background()
	db, err := store.Open(ctx, t.path, store.Schema, store.Options{})
	if err != nil {
		t.err = err
		return
	}
	res, err := db.SeedCatalog(ctx, false)
	if err == nil && !res.Seeded {
		err = fmt.Errorf("the catalog was not seeded")
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	t.err = err
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}
