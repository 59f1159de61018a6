package store_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store/storetest"
)

func TestSettings_PutGetDelete(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)

	_, ok, err := db.Setting(ctx, "acme/metalpro.ro")
	require.NoError(t, err)
	require.False(t, ok)

	require.NoError(t, db.PutSetting(ctx, "acme/metalpro.ro", "v1"))
	require.NoError(t, db.PutSetting(ctx, "acme/metalpro.ro", "v2"))
	v, ok, err := db.Setting(ctx, "acme/metalpro.ro")
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, "v2", v, "a second put replaces the value")

	require.NoError(t, db.DeleteSetting(ctx, "acme/metalpro.ro"))
	require.NoError(t, db.DeleteSetting(ctx, "acme/metalpro.ro"), "deleting nothing is fine")
	_, ok, err = db.Setting(ctx, "acme/metalpro.ro")
	require.NoError(t, err)
	require.False(t, ok)
}
