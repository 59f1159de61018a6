package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Migration is one numbered step of schema.sql.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

var migrationMarker = regexp.MustCompile(`(?m)^-- migration: (\d+) ([a-z0-9_]+)\s*$`)

// ParseMigrations splits schema.sql at its "-- migration: N name" lines. Versions must
// start at 1 and increase by one, so a merge that reuses a number fails at start-up
// instead of silently skipping a step.
func ParseMigrations(schema string) ([]Migration, error) {
	locs := migrationMarker.FindAllStringSubmatchIndex(schema, -1)
	if len(locs) == 0 {
		return nil, fmt.Errorf("schema: no '-- migration: N name' lines")
	}
	var out []Migration
	for i, loc := range locs {
		v, _ := strconv.Atoi(schema[loc[2]:loc[3]])
		end := len(schema)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		if v != i+1 {
			return nil, fmt.Errorf("schema: migration %d found where %d was expected", v, i+1)
		}
		out = append(out, Migration{
			Version: v,
			Name:    schema[loc[4]:loc[5]],
			SQL:     strings.TrimSpace(schema[loc[1]:end]),
		})
	}
	return out, nil
}

// migrate applies the migrations the database has not seen, each in its own transaction:
// a failing step leaves the database exactly as the previous step left it.
func (db *DB) migrate(ctx context.Context, migrations []Migration) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	applied := map[int]string{}
	rows, err := db.write.QueryContext(ctx, `SELECT version, name FROM schema_migrations`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var v int
		var name string
		if err := rows.Scan(&v, &name); err != nil {
			rows.Close()
			return err
		}
		applied[v] = name
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	for _, m := range migrations {
		if name, ok := applied[m.Version]; ok {
			if name != m.Name {
				return fmt.Errorf("schema: migration %d is %q in the database but %q in schema.sql", m.Version, name, m.Name)
			}
			continue
		}
		skipped := false
		err := db.Write(ctx, func(tx *Tx) error {
			// Another process on the same file (serve's first boot and `user create`
			// started together) may have applied this step since the list above was read:
			// under the write lock, the step is looked up again.
			var name string
			switch err := tx.QueryRowContext(ctx, `SELECT name FROM schema_migrations WHERE version = ?`, m.Version).Scan(&name); {
			case err == nil && name == m.Name:
				skipped = true
				return nil
			case err == nil:
				return fmt.Errorf("schema: migration %d is %q in the database but %q in schema.sql", m.Version, name, m.Name)
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
			if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)`,
				m.Version, m.Name, FormatTime(tx.Now))
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %d (%s) failed, database left at the previous version: %w", m.Version, m.Name, err)
		}
		if !skipped {
			db.logger.Info("migration applied", "version", m.Version, "name", m.Name)
		}
	}
	for v := range applied {
		if v > len(migrations) {
			// A rollback to an older binary: its schema is a prefix of ours, so it can run,
			// but whoever is on call should know.
			db.logger.Warn("database has a newer migration than this binary knows", "version", v)
		}
	}
	return nil
}

// SchemaVersion is the highest migration applied.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}
