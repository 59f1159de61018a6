package store_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/internal/testclock"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// MustOpenAppDB opens a database with the application's schema and a fixed clock.
func MustOpenAppDB(tb testing.TB) (*store.DB, *testclock.Clock) {
	tb.Helper()
	clock := testclock.New(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	return storetest.MustOpenWith(tb, store.Options{Now: clock.Now}), clock
}

// MustEnqueue commits one email and returns its id.
func MustEnqueue(tb testing.TB, db *store.DB, e store.OutboxEmail) string {
	tb.Helper()
	var id string
	require.NoError(tb, db.Write(context.Background(), func(tx *store.Tx) error {
		var err error
		id, err = store.EnqueueEmail(context.Background(), tx, e)
		return err
	}))
	return id
}

func TestOutbox_Claim(t *testing.T) {
	ctx := context.Background()
	lease := 2 * time.Minute

	t.Run("ClaimsDueEmailsOnce", func(t *testing.T) {
		db, _ := MustOpenAppDB(t)
		a := MustEnqueue(t, db, store.OutboxEmail{Template: "verify_email", To: "a@example.ro", Data: map[string]any{"token": "t"}})
		b := MustEnqueue(t, db, store.OutboxEmail{Template: "verify_email", To: "b@example.ro", Lang: "en", Data: map[string]any{"token": "t"}})

		rows, err := db.ClaimDueEmails(ctx, 10, lease)
		require.NoError(t, err)
		require.Len(t, rows, 2)
		require.Equal(t, []string{a, b}, []string{rows[0].ID, rows[1].ID}, "oldest first")
		require.Equal(t, store.OutboxSending, rows[0].Status)
		require.Equal(t, 1, rows[0].Attempts)
		require.Equal(t, "ro", rows[0].Lang)
		require.Equal(t, "en", rows[1].Lang)
		require.Equal(t, map[string]any{"token": "t"}, rows[0].Data)

		again, err := db.ClaimDueEmails(ctx, 10, lease)
		require.NoError(t, err)
		require.Empty(t, again, "a claimed email is not claimed again while its lease runs")
	})

	t.Run("RespectsLimit", func(t *testing.T) {
		db, _ := MustOpenAppDB(t)
		for range 3 {
			MustEnqueue(t, db, store.OutboxEmail{Template: "verify_email", To: "a@example.ro"})
		}
		rows, err := db.ClaimDueEmails(ctx, 2, lease)
		require.NoError(t, err)
		require.Len(t, rows, 2)
	})

	t.Run("ReclaimsAfterLeaseExpires", func(t *testing.T) {
		db, clock := MustOpenAppDB(t)
		id := MustEnqueue(t, db, store.OutboxEmail{Template: "verify_email", To: "a@example.ro"})
		_, err := db.ClaimDueEmails(ctx, 1, lease)
		require.NoError(t, err)
		// The sender died mid-send: nothing recorded.
		clock.Advance(lease - time.Second)
		rows, err := db.ClaimDueEmails(ctx, 1, lease)
		require.NoError(t, err)
		require.Empty(t, rows)
		clock.Advance(time.Second)
		rows, err = db.ClaimDueEmails(ctx, 1, lease)
		require.NoError(t, err)
		require.Len(t, rows, 1)
		require.Equal(t, id, rows[0].ID)
		require.Equal(t, 2, rows[0].Attempts, "a crashed attempt counts")
	})

	t.Run("NeverReclaimsSent", func(t *testing.T) {
		db, clock := MustOpenAppDB(t)
		id := MustEnqueue(t, db, store.OutboxEmail{Template: "verify_email", To: "a@example.ro"})
		_, err := db.ClaimDueEmails(ctx, 1, lease)
		require.NoError(t, err)
		require.NoError(t, db.MarkEmailSent(ctx, id, "msg-1"))
		clock.Advance(24 * time.Hour)
		rows, err := db.ClaimDueEmails(ctx, 10, lease)
		require.NoError(t, err)
		require.Empty(t, rows)
	})
}

func TestOutbox_MarkSent(t *testing.T) {
	ctx := context.Background()
	db, clock := MustOpenAppDB(t)
	id := MustEnqueue(t, db, store.OutboxEmail{Template: "rfq_confirmation", To: "a@example.ro",
		Data: map[string]any{"referenceNumber": "RFQ-2026-00001", "trackingToken": "secret-1"}})
	_, err := db.ClaimDueEmails(ctx, 1, time.Minute)
	require.NoError(t, err)
	clock.Advance(3 * time.Second)
	require.NoError(t, db.MarkEmailSent(ctx, id, "sg-123"))

	row, err := db.GetEmail(ctx, id)
	require.NoError(t, err)
	require.Equal(t, store.OutboxSent, row.Status)
	require.Equal(t, "sg-123", row.ProviderMessageID)
	require.NotNil(t, row.SentAt)
	require.Equal(t, clock.Now(), *row.SentAt)
	require.Equal(t, "RFQ-2026-00001", row.Data["referenceNumber"])
	require.NotEqual(t, "secret-1", row.Data["trackingToken"], "tokens do not outlive the send")

	require.Equal(t, store.ECodeNotFound, store.ErrorCode(db.MarkEmailSent(ctx, "nope", "")))
}

func TestOutbox_MarkFailed(t *testing.T) {
	ctx := context.Background()
	policy := store.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Minute, MaxDelay: time.Hour}

	t.Run("RetriesWithBackoffThenGivesUp", func(t *testing.T) {
		db, clock := MustOpenAppDB(t)
		id := MustEnqueue(t, db, store.OutboxEmail{Template: "verify_email", To: "a@example.ro"})
		for attempt := 1; attempt <= 3; attempt++ {
			rows, err := db.ClaimDueEmails(ctx, 1, time.Minute)
			require.NoError(t, err)
			require.Len(t, rows, 1, "attempt %d", attempt)
			require.Equal(t, attempt, rows[0].Attempts)

			res, err := db.MarkEmailFailed(ctx, id, errors.New("503 busy"), false, policy)
			require.NoError(t, err)
			row, err := db.GetEmail(ctx, id)
			require.NoError(t, err)
			require.Equal(t, "503 busy", row.LastError)
			if attempt == 3 {
				require.True(t, res.GaveUp)
				require.Equal(t, store.OutboxFailed, row.Status)
				break
			}
			require.False(t, res.GaveUp)
			require.Equal(t, store.OutboxPending, row.Status)
			full := time.Minute << (attempt - 1)
			delay := res.RetryAt.Sub(clock.Now())
			require.GreaterOrEqual(t, delay, full/2, "attempt %d", attempt)
			require.LessOrEqual(t, delay, full)

			rows, err = db.ClaimDueEmails(ctx, 1, time.Minute)
			require.NoError(t, err)
			require.Empty(t, rows, "not due before its backoff")
			clock.Advance(delay)
		}
		clock.Advance(48 * time.Hour)
		rows, err := db.ClaimDueEmails(ctx, 1, time.Minute)
		require.NoError(t, err)
		require.Empty(t, rows, "a failed email is never retried by itself")

		require.NoError(t, db.RetryFailedEmail(ctx, id))
		rows, err = db.ClaimDueEmails(ctx, 1, time.Minute)
		require.NoError(t, err)
		require.Len(t, rows, 1, "an operator can requeue it")
		require.Equal(t, 1, rows[0].Attempts)
	})

	t.Run("PermanentGivesUpAtOnce", func(t *testing.T) {
		db, _ := MustOpenAppDB(t)
		id := MustEnqueue(t, db, store.OutboxEmail{Template: "verify_email", To: "bad"})
		_, err := db.ClaimDueEmails(ctx, 1, time.Minute)
		require.NoError(t, err)
		res, err := db.MarkEmailFailed(ctx, id, errors.New("400 invalid address"), true, policy)
		require.NoError(t, err)
		require.True(t, res.GaveUp)
	})

	t.Run("BackoffIsCapped", func(t *testing.T) {
		p := store.RetryPolicy{BaseDelay: 30 * time.Second, MaxDelay: time.Hour}
		for _, attempts := range []int{1, 5, 8, 30, 1000} {
			d := p.Backoff(attempts)
			require.LessOrEqual(t, d, time.Hour)
			require.Greater(t, d, time.Duration(0))
		}
		require.GreaterOrEqual(t, p.Backoff(1000), 30*time.Minute)
	})
}

func TestOutbox_Stats(t *testing.T) {
	ctx := context.Background()
	db, clock := MustOpenAppDB(t)
	s, err := db.OutboxStats(ctx)
	require.NoError(t, err)
	require.Equal(t, store.OutboxStats{}, s)

	sent := MustEnqueue(t, db, store.OutboxEmail{Template: "verify_email", To: "a@example.ro"})
	failed := MustEnqueue(t, db, store.OutboxEmail{Template: "verify_email", To: "b@example.ro"})
	_, err = db.ClaimDueEmails(ctx, 2, time.Minute)
	require.NoError(t, err)
	require.NoError(t, db.MarkEmailSent(ctx, sent, ""))
	_, err = db.MarkEmailFailed(ctx, failed, errors.New("rejected"), true, store.RetryPolicy{})
	require.NoError(t, err)
	clock.Advance(time.Minute)
	MustEnqueue(t, db, store.OutboxEmail{Template: "verify_email", To: "c@example.ro"})
	clock.Advance(10 * time.Minute)

	s, err = db.OutboxStats(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, s.Pending)
	require.Equal(t, 1, s.Sent)
	require.Equal(t, 1, s.Failed)
	require.Equal(t, 1, s.FailedLast24h)
	require.Equal(t, 10*time.Minute, s.OldestPending)

	rows, total, err := db.ListEmails(ctx, store.OutboxFilter{Status: store.OutboxFailed})
	require.NoError(t, err)
	require.Equal(t, 1, total)
	require.Equal(t, failed, rows[0].ID)
	require.Equal(t, "rejected", rows[0].LastError)

	clock.Advance(25 * time.Hour)
	s, err = db.OutboxStats(ctx)
	require.NoError(t, err)
	require.Zero(t, s.FailedLast24h)

	n, err := db.DeleteSentEmailsBefore(ctx, clock.Now())
	require.NoError(t, err)
	require.Equal(t, int64(1), n, "only the sent email goes")
	_, total, err = db.ListEmails(ctx, store.OutboxFilter{})
	require.NoError(t, err)
	require.Equal(t, 2, total)
}

func TestOutbox_EnqueueHook(t *testing.T) {
	ctx := context.Background()
	db, _ := MustOpenAppDB(t)
	var calls atomic.Int32
	db.OnEmailEnqueued(func() { calls.Add(1) })

	errRollback := errors.New("rollback")
	err := db.Write(ctx, func(tx *store.Tx) error {
		_, err := store.EnqueueEmail(ctx, tx, store.OutboxEmail{Template: "verify_email", To: "a@example.ro"})
		require.NoError(t, err)
		require.Zero(t, calls.Load(), "not before commit")
		return errRollback
	})
	require.ErrorIs(t, err, errRollback)
	require.Zero(t, calls.Load(), "a rolled-back email wakes nobody")

	MustEnqueue(t, db, store.OutboxEmail{Template: "verify_email", To: "a@example.ro"})
	require.Equal(t, int32(1), calls.Load())
	s, err := db.OutboxStats(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, s.Pending, "the rolled-back email does not exist")
}
