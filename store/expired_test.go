package store_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
)

// mustSweep runs the expiry sweep and returns how many rows of each kind it deleted.
func mustSweep(tb testing.TB, db *store.DB) map[string]int64 {
	tb.Helper()
	deleted := map[string]int64{}
	for _, s := range db.SweepExpired(context.Background()) {
		require.NoError(tb, s.Err, s.What)
		deleted[s.What] = s.Deleted
	}
	return deleted
}
