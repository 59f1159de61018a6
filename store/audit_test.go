package store_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// The audit log is append-only: a row can be written with the change it records, and
// nothing (not even code with the database in hand) can edit or delete it.
func TestAudit_AppendOnlyAndNeedsAnActor(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	err := db.Write(ctx, func(tx *store.Tx) error {
		return store.Audit(ctx, tx, "rfq.status", "rfq", "r-1", nil, map[string]string{"status": "ACKNOWLEDGED"})
	})
	require.Error(t, err, "a change nobody made cannot be audited")

	cli := store.WithActor(ctx, store.Actor{Label: "cli"})
	require.NoError(t, db.Write(cli, func(tx *store.Tx) error {
		return store.Audit(cli, tx, "user.disable", "user", "u-1", map[string]bool{"disabled": false}, map[string]bool{"disabled": true})
	}))
	for _, stmt := range []string{`UPDATE audit_log SET action = 'x'`, `DELETE FROM audit_log`} {
		err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, stmt)
			return err
		})
		require.ErrorContains(t, err, "append-only", stmt)
	}
	entries, total, err := db.FindAudit(ctx, store.AuditFilter{Entity: "user"})
	require.NoError(t, err)
	require.Equal(t, 1, total)
	require.Equal(t, "cli", entries[0].Actor.Label)
	require.Nil(t, entries[0].Actor.ID)

	// A change and its audit row commit together: when the change fails, no row stays.
	failed := db.Write(cli, func(tx *store.Tx) error {
		if err := store.Audit(cli, tx, "user.disable", "user", "u-2", nil, nil); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO no_such_table VALUES (1)`)
		return err
	})
	require.Error(t, failed)
	_, total, err = db.FindAudit(ctx, store.AuditFilter{EntityID: "u-2"})
	require.NoError(t, err)
	require.Zero(t, total)
}
