package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
)

const testSchema = `
-- migration: 1 init
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
-- migration: 2 add_color
ALTER TABLE items ADD COLUMN color TEXT;
`

func TestOpen_Migrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "app.db")

	t.Run("AppliesAllThenIsIdempotent", func(t *testing.T) {
		db, err := store.Open(ctx, path, testSchema, store.Options{})
		require.NoError(t, err)
		v, err := db.SchemaVersion(ctx)
		require.NoError(t, err)
		require.Equal(t, 2, v)
		require.NoError(t, db.Close())

		db, err = store.Open(ctx, path, testSchema, store.Options{})
		require.NoError(t, err)
		defer db.Close()
		v, err = db.SchemaVersion(ctx)
		require.NoError(t, err)
		require.Equal(t, 2, v)
	})

	t.Run("ErrFailingMigrationLeavesDatabaseAsItWas", func(t *testing.T) {
		bad := testSchema + "\n-- migration: 3 broken\nCREATE TABLE other (id INTEGER);\nALTER TABLE nope ADD COLUMN x;\n"
		_, err := store.Open(ctx, path, bad, store.Options{})
		require.ErrorContains(t, err, "migration 3 (broken) failed")

		db, err := store.Open(ctx, path, testSchema, store.Options{})
		require.NoError(t, err)
		defer db.Close()
		v, err := db.SchemaVersion(ctx)
		require.NoError(t, err)
		require.Equal(t, 2, v)
		var n int
		require.NoError(t, db.ReadDB().QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'other'`).Scan(&n))
		require.Zero(t, n, "the failed step's first statement must be rolled back too")
	})

	t.Run("ErrRenumberedMigration", func(t *testing.T) {
		_, err := store.ParseMigrations("-- migration: 1 a\nSELECT 1;\n-- migration: 3 c\nSELECT 1;\n")
		require.ErrorContains(t, err, "migration 3 found where 2 was expected")
	})
}

func TestDB_Write(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "app.db"), testSchema, store.Options{})
	require.NoError(t, err)
	defer db.Close()

	t.Run("ErrorRollsBack", func(t *testing.T) {
		boom := errors.New("boom")
		err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(`INSERT INTO items(name) VALUES ('lost')`)
			require.NoError(t, err)
			return boom
		})
		require.ErrorIs(t, err, boom)
		var n int
		require.NoError(t, db.ReadDB().QueryRow(`SELECT count(*) FROM items`).Scan(&n))
		require.Zero(t, n)
	})

	t.Run("ConcurrentWritersAllCommit", func(t *testing.T) {
		var wg sync.WaitGroup
		errs := make(chan error, 50) // checked here: t.FailNow belongs to the test goroutine
		for i := 0; i < 50; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- db.Write(ctx, func(tx *store.Tx) error {
					var n int
					if err := tx.QueryRow(`SELECT count(*) FROM items`).Scan(&n); err != nil {
						return err
					}
					_, err := tx.Exec(`INSERT INTO items(id, name) VALUES (?, 'x')`, n+1)
					return err
				})
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		var n, maxID int
		require.NoError(t, db.ReadDB().QueryRow(`SELECT count(*), max(id) FROM items`).Scan(&n, &maxID))
		require.Equal(t, 50, n)
		require.Equal(t, 50, maxID, "read-then-write inside one immediate transaction never races")
	})

	t.Run("ErrWriteOnReadPool", func(t *testing.T) {
		err := db.Read(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(`INSERT INTO items(name) VALUES ('no')`)
			return err
		})
		require.Error(t, err)
	})

	t.Run("AfterCommitRunsOnlyOnCommit", func(t *testing.T) {
		ran := 0
		_ = db.Write(ctx, func(tx *store.Tx) error {
			tx.AfterCommit(func() { ran++ })
			return errors.New("rollback")
		})
		require.Zero(t, ran)
		require.NoError(t, db.Write(ctx, func(tx *store.Tx) error {
			tx.AfterCommit(func() { ran++ })
			return nil
		}))
		require.Equal(t, 1, ran)
	})
}
