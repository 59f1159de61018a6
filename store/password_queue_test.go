package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
)

// mustOpenPasswordDB opens a fresh database with one customer, pw@firma.ro.
func mustOpenPasswordDB(tb testing.TB) *DB {
	tb.Helper()
	db, err := Open(context.Background(), filepath.Join(tb.TempDir(), "pw.db"), Schema,
		Options{PasswordCost: bcrypt.MinCost, PasswordQueueWait: 100 * time.Millisecond})
	require.NoError(tb, err)
	tb.Cleanup(func() { db.Close() })
	_, err = db.CreateUser(context.Background(), Signup{Email: "pw@firma.ro", Password: "bare-de-otel-2026",
		Name: "Ion Popescu", Role: RoleIndividual})
	require.NoError(tb, err)
	return db
}

// holdHashSlots takes every bcrypt slot of db, as a flood of logins would, until the test ends.
func holdHashSlots(tb testing.TB, db *DB) {
	tb.Helper()
	for i := 0; i < cap(db.hashing.slots); i++ {
		db.hashing.slots <- struct{}{}
	}
	tb.Cleanup(func() {
		for i := 0; i < cap(db.hashing.slots); i++ {
			<-db.hashing.slots
		}
	})
}

// TestAuthenticate_LongPasswordSamePath: a password no account can have (over 1,024 bytes)
// takes the same path for a registered email and an unknown one. The path is observed by
// counting bcrypt computations, not by timing.
func TestAuthenticate_LongPasswordSamePath(t *testing.T) {
	db := mustOpenPasswordDB(t)
	ctx := context.Background()
	db.WarmPasswordCheck()
	hashes := func(email, pw string) int64 {
		before := db.hashing.started.Load()
		_, err := db.Authenticate(ctx, email, pw)
		require.Equal(t, ECodeUnauth, ErrorCode(err), "%v", err)
		return db.hashing.started.Load() - before
	}
	long := strings.Repeat("p", MaxPasswordLen*4+1)
	require.Equal(t, hashes("nimeni@firma.ro", long), hashes("pw@firma.ro", long), "a long password: unknown vs registered email")
	require.Equal(t, hashes("nimeni@firma.ro", "gresita-1234"), hashes("pw@firma.ro", "gresita-1234"), "a wrong password: unknown vs registered email")
}

// TestHashQueue_BoundedWait: a caller who cannot get a bcrypt slot within a short wait is
// told the server is busy (503 with Retry-After), long before its own context ends.
func TestHashQueue_BoundedWait(t *testing.T) {
	db := mustOpenPasswordDB(t)
	holdHashSlots(t, db)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := db.Authenticate(ctx, "pw@firma.ro", "bare-de-otel-2026")
	require.NoError(t, ctx.Err(), "the wait ended before the caller's own deadline")
	require.Equal(t, ECodeUnavailable, ErrorCode(err))
	var e *Error
	require.ErrorAs(t, err, &e)
	require.Positive(t, e.RetryAfter, "the answer says when to try again")
}

func TestHashQueue_WaitFollowsPace(t *testing.T) {
	q := newHashQueue(1, time.Second)
	require.Equal(t, time.Second, q.maxWait(), "no hash yet: the configured least")
	for range 50 {
		q.record(time.Second)
	}
	require.Equal(t, 4*time.Second, q.maxWait(), "four hashes at a slow machine's pace")
	for range 50 {
		q.record(10 * time.Second)
	}
	require.Equal(t, maxPasswordQueueWait, q.maxWait(), "never more than the cap")
}
