package store_test

import (
	"context"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// Rollback safety: the previous release must run on the schema the new release migrated
// to (deploy/release.sh rollback keeps the database). Migrations after the first are
// therefore additive — new tables, indexes, triggers, nullable or defaulted columns, data —
// so every query the previous release's code makes still finds what it names. A migration
// that has to break that says so on a line "-- forward-compat: breaking (why)"; the
// rollback across it is then a restore (docs/RUNBOOK.md, "Rollback").
var breaking = []struct {
	re   *regexp.Regexp
	what string
}{
	{regexp.MustCompile(`(?i)\bDROP\s+(TABLE|VIEW|INDEX|TRIGGER|COLUMN)\b`), "drops something"},
	{regexp.MustCompile(`(?i)\bRENAME\b`), "renames something"},
	{regexp.MustCompile(`(?i)\bALTER\s+TABLE\s+\S+\s+(?:DROP|RENAME)`), "alters a table other than by adding a column"},
}

// addColumn is one ALTER TABLE … ADD COLUMN clause, up to its semicolon.
var addColumn = regexp.MustCompile(`(?i)\bADD\s+(?:COLUMN\s+)?[^;]*;`)

// breakingSQL says how code (comments removed) would break the previous release, or "".
func breakingSQL(code string) string {
	for _, b := range breaking {
		if m := b.re.FindString(code); m != "" {
			return b.what + ": " + m
		}
	}
	for _, clause := range addColumn.FindAllString(code, -1) {
		up := strings.ToUpper(clause)
		if strings.Contains(up, "NOT NULL") && !strings.Contains(up, "DEFAULT") {
			return "adds a NOT NULL column without a DEFAULT (the previous release's INSERTs would fail): " + clause
		}
	}
	return ""
}

var sqlComment = regexp.MustCompile(`(?m)--.*$`)

func TestSchema_MigrationsAreForwardCompatible(t *testing.T) {
	migrations, err := store.ParseMigrations(store.Schema)
	require.NoError(t, err)
	for _, m := range migrations[1:] {
		if strings.Contains(m.SQL, "-- forward-compat: breaking") {
			t.Logf("migration %d %s is marked breaking: a rollback across it is a restore", m.Version, m.Name)
			continue
		}
		problem := breakingSQL(sqlComment.ReplaceAllString(m.SQL, ""))
		require.Emptyf(t, problem, "migration %d %s %s\nmake it additive, or mark it "+
			"\"-- forward-compat: breaking (why)\" and plan the rollback as a restore", m.Version, m.Name, problem)
	}
}

// The checker refuses what it should (so a pass above means something).
func TestSchema_ForwardCompatCheckerCatchesBreakingSQL(t *testing.T) {
	for _, sql := range []string{
		"DROP TABLE carts;",
		"ALTER TABLE users RENAME COLUMN name TO full_name;",
		"ALTER TABLE users DROP COLUMN phone;",
		"ALTER TABLE users ADD COLUMN tier TEXT NOT NULL;",
		"DROP INDEX products_sku;",
	} {
		require.NotEmpty(t, breakingSQL(sql), sql)
	}
	for _, sql := range []string{
		"ALTER TABLE users ADD COLUMN tier TEXT NOT NULL DEFAULT 'standard';",
		"ALTER TABLE users ADD COLUMN phone TEXT;",
		"CREATE TABLE files (id TEXT PRIMARY KEY, name TEXT NOT NULL);",
	} {
		require.Empty(t, breakingSQL(sql), sql)
	}
}

// A binary that knows one migration fewer opens the newest database (it logs that the
// database is newer and serves) and reads and writes through it.
func TestSchema_PreviousMigrationSetOpensNewestDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "metalpro.db")
	newest := storetest.MustOpenAt(t, path, store.Options{})
	require.NoError(t, newest.Close())

	migrations, err := store.ParseMigrations(store.Schema)
	require.NoError(t, err)
	last := migrations[len(migrations)-1]
	previous := store.Schema[:strings.Index(store.Schema, "-- migration: "+strconv.Itoa(last.Version)+" ")]
	db, err := store.Open(ctx, path, previous, store.Options{})
	require.NoError(t, err)
	defer db.Close()
	v, err := db.SchemaVersion(ctx)
	require.NoError(t, err)
	require.Equal(t, last.Version, v, "the database keeps its newer version")
	storetest.MustCreateCatalog(t, db) // writes through the catalog path
	userID := storetest.MustCreateUser(t, db, "rollback@metalpro.test")
	require.NotEmpty(t, userID)
}
