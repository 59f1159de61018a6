package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

func TestJoinWrite_CommitsWithTheRequestsWriteOrNotAtAll(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	sessions := db.GuestSessionStore()
	expiry := time.Now().Add(24 * time.Hour)
	sessionCount := func() int {
		var n int
		require.NoError(t, db.ReadDB().QueryRow(`SELECT count(*) FROM sessions`).Scan(&n))
		return n
	}
	joinSession := func(token string) context.Context {
		return store.JoinWrite(ctx, func(txCtx context.Context) error {
			return sessions.CommitCtx(txCtx, token, []byte("guest"), expiry)
		})
	}

	refused := errors.New("refused")
	err := db.Write(joinSession("t1"), func(tx *store.Tx) error { return refused })
	require.ErrorIs(t, err, refused)
	require.Zero(t, sessionCount(), "a refused write commits no session")

	before := db.WriteCommits()
	jctx := joinSession("t2")
	require.NoError(t, db.Write(jctx, func(tx *store.Tx) error { return nil }))
	require.Equal(t, int64(1), db.WriteCommits()-before, "the session rode in the request's commit")
	require.Equal(t, 1, sessionCount())
	require.NoError(t, db.Write(jctx, func(tx *store.Tx) error { return nil }))
	require.Equal(t, 1, sessionCount(), "joined work runs once")

	// The session middleware re-saves the same session on every request.
	before = db.WriteCommits()
	require.NoError(t, sessions.CommitCtx(ctx, "t2", []byte("guest"), expiry.Add(time.Minute)))
	require.Equal(t, int64(0), db.WriteCommits()-before, "an unchanged session is not written again")
	require.NoError(t, sessions.CommitCtx(ctx, "t2", []byte("guest, changed"), expiry))
	require.Equal(t, int64(1), db.WriteCommits()-before, "a changed session is written")
	require.NoError(t, sessions.CommitCtx(ctx, "t2", []byte("guest, changed"), expiry.Add(2*time.Hour)))
	require.Equal(t, int64(2), db.WriteCommits()-before, "an idle expiry more than an hour fresher is written")
}

func TestGuestSessionStore_ShortIdleSessionsAreRefreshedSooner(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	sessions := db.GuestSessionStore()
	// A staff session idles out after 2 hours: its expiry must move forward well before an
	// hour has passed, or someone working for an hour is signed out an hour later.
	stored := time.Now().Add(2 * time.Hour)
	require.NoError(t, sessions.CommitCtx(ctx, "staff", []byte("staff"), stored))
	before := db.WriteCommits()
	require.NoError(t, sessions.CommitCtx(ctx, "staff", []byte("staff"), stored.Add(time.Minute)))
	require.Equal(t, int64(0), db.WriteCommits()-before, "a minute fresher is not worth a write")
	require.NoError(t, sessions.CommitCtx(ctx, "staff", []byte("staff"), stored.Add(15*time.Minute)))
	require.Equal(t, int64(1), db.WriteCommits()-before, "15 minutes fresher (over a tenth of 2 h) is written")
}
