package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/metalpro/backend/store"
)

func TestSweepExpired_AuthSessions(t *testing.T) {
	ctx := context.Background()
	schema, err := os.ReadFile(filepath.Join("..", "schema.sql"))
	require.NoError(t, err)
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"), string(schema),
		store.Options{Now: func() time.Time { return now }, PasswordCost: bcrypt.MinCost})
	require.NoError(t, err)
	defer db.Close()
	u, err := db.CreateUser(ctx, store.Signup{Email: "a@firma.ro", Password: "grinda-ipe-200", Name: "Ion A", Role: store.RoleIndividual})
	require.NoError(t, err)
	for i, exp := range []time.Time{now.Add(-time.Second), now.Add(time.Hour)} {
		require.NoError(t, db.CreateSession(ctx, store.AuthSession{ID: store.NewID(), UserID: u.ID,
			TokenHash: store.HashToken(string(rune('a' + i))), RefreshTokenHash: store.HashToken(string(rune('x' + i))),
			ExpiresAt: exp, RefreshExpiresAt: exp}))
	}
	require.EqualValues(t, 1, mustSweep(t, db)["expired sign-in sessions"], "only the expired session goes")
}
