package store_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/emails"
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
		a := MustEnqueue(t, db, store.OutboxEmail{To: "a@example.ro", Email: emails.VerifyEmail{Token: "t"}})
		b := MustEnqueue(t, db, store.OutboxEmail{To: "b@example.ro", Lang: "en", Email: emails.VerifyEmail{Token: "t"}})

		rows, err := db.ClaimDueEmails(ctx, 10, lease)
		require.NoError(t, err)
		require.Len(t, rows, 2)
		require.Equal(t, []string{a, b}, []string{rows[0].ID, rows[1].ID}, "oldest first")
		require.Equal(t, store.OutboxSending, rows[0].Status)
		require.Equal(t, 1, rows[0].Attempts)
		require.Equal(t, "ro", rows[0].Lang)
		require.Equal(t, "en", rows[1].Lang)
		e, err := rows[0].Email()
		require.NoError(t, err)
		require.Equal(t, emails.VerifyEmail{Token: "t"}, e)

		again, err := db.ClaimDueEmails(ctx, 10, lease)
		require.NoError(t, err)
		require.Empty(t, again, "a claimed email is not claimed again while its lease runs")
	})

	t.Run("RespectsLimit", func(t *testing.T) {
		db, _ := MustOpenAppDB(t)
		for range 3 {
			MustEnqueue(t, db, store.OutboxEmail{To: "a@example.ro", Email: emails.VerifyEmail{Token: "t"}})
		}
		rows, err := db.ClaimDueEmails(ctx, 2, lease)
		require.NoError(t, err)
		require.Len(t, rows, 2)
	})

	t.Run("ReclaimsAfterLeaseExpires", func(t *testing.T) {
		db, clock := MustOpenAppDB(t)
		id := MustEnqueue(t, db, store.OutboxEmail{To: "a@example.ro", Email: emails.VerifyEmail{Token: "t"}})
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
		id := MustEnqueue(t, db, store.OutboxEmail{To: "a@example.ro", Email: emails.VerifyEmail{Token: "t"}})
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
	id := MustEnqueue(t, db, store.OutboxEmail{To: "a@example.ro",
		Email: emails.RFQConfirmation{ReferenceNumber: "RFQ-2026-00001", TrackingToken: "secret-1"}})
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
	e, err := row.Email()
	require.NoError(t, err)
	require.Equal(t, "RFQ-2026-00001", e.(emails.RFQConfirmation).ReferenceNumber)
	require.NotEqual(t, "secret-1", e.(emails.RFQConfirmation).TrackingToken, "tokens do not outlive the send")

	require.Equal(t, store.ECodeNotFound, store.ErrorCode(db.MarkEmailSent(ctx, "nope", "")))
}

func TestOutbox_MarkFailed(t *testing.T) {
	ctx := context.Background()

	t.Run("RescheduleThenGiveUp", func(t *testing.T) {
		db, clock := MustOpenAppDB(t)
		id := MustEnqueue(t, db, store.OutboxEmail{To: "a@example.ro", Email: emails.VerifyEmail{Token: "t"}})
		for attempt := 1; attempt <= 2; attempt++ {
			rows, err := db.ClaimDueEmails(ctx, 1, time.Minute)
			require.NoError(t, err)
			require.Len(t, rows, 1, "attempt %d", attempt)
			require.Equal(t, attempt, rows[0].Attempts)

			retryAt, err := db.RescheduleEmail(ctx, id, errors.New("503 busy"), 5*time.Minute)
			require.NoError(t, err)
			require.Equal(t, clock.Now().Add(5*time.Minute), retryAt)
			row, err := db.GetEmail(ctx, id)
			require.NoError(t, err)
			require.Equal(t, store.OutboxPending, row.Status)
			require.Equal(t, "503 busy", row.LastError)

			rows, err = db.ClaimDueEmails(ctx, 1, time.Minute)
			require.NoError(t, err)
			require.Empty(t, rows, "not due before its delay")
			clock.Advance(5 * time.Minute)
		}
		rows, err := db.ClaimDueEmails(ctx, 1, time.Minute)
		require.NoError(t, err)
		require.Len(t, rows, 1)
		require.NoError(t, db.MarkEmailFailed(ctx, id, errors.New("400 invalid address")))
		row, err := db.GetEmail(ctx, id)
		require.NoError(t, err)
		require.Equal(t, store.OutboxFailed, row.Status)
		require.Equal(t, "400 invalid address", row.LastError)

		clock.Advance(48 * time.Hour)
		rows, err = db.ClaimDueEmails(ctx, 1, time.Minute)
		require.NoError(t, err)
		require.Empty(t, rows, "a failed email is never retried by itself")

		require.NoError(t, db.RetryFailedEmail(ctx, id))
		rows, err = db.ClaimDueEmails(ctx, 1, time.Minute)
		require.NoError(t, err)
		require.Len(t, rows, 1, "an operator can requeue it")
		require.Equal(t, 1, rows[0].Attempts)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		db, _ := MustOpenAppDB(t)
		require.Equal(t, store.ECodeNotFound, store.ErrorCode(db.MarkEmailFailed(ctx, "nope", errors.New("x"))))
		_, err := db.RescheduleEmail(ctx, "nope", errors.New("x"), time.Minute)
		require.Equal(t, store.ECodeNotFound, store.ErrorCode(err))
	})
}

func TestOutbox_Stats(t *testing.T) {
	ctx := context.Background()
	db, clock := MustOpenAppDB(t)
	s, err := db.OutboxStats(ctx)
	require.NoError(t, err)
	require.Equal(t, store.OutboxStats{}, s)

	sent := MustEnqueue(t, db, store.OutboxEmail{To: "a@example.ro", Email: emails.VerifyEmail{Token: "t"}})
	failed := MustEnqueue(t, db, store.OutboxEmail{To: "b@example.ro", Email: emails.VerifyEmail{Token: "t"}})
	_, err = db.ClaimDueEmails(ctx, 2, time.Minute)
	require.NoError(t, err)
	require.NoError(t, db.MarkEmailSent(ctx, sent, ""))
	err = db.MarkEmailFailed(ctx, failed, errors.New("rejected"))
	require.NoError(t, err)
	clock.Advance(time.Minute)
	MustEnqueue(t, db, store.OutboxEmail{To: "c@example.ro", Email: emails.VerifyEmail{Token: "t"}})
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

	require.Zero(t, mustSweep(t, db)["sent emails past retention"], "a sent email stays for the retention period")
	clock.Advance(store.SentEmailRetention)
	require.Equal(t, int64(1), mustSweep(t, db)["sent emails past retention"], "only the sent email goes")
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
		_, err := store.EnqueueEmail(ctx, tx, store.OutboxEmail{To: "a@example.ro", Email: emails.VerifyEmail{Token: "t"}})
		require.NoError(t, err)
		require.Zero(t, calls.Load(), "not before commit")
		return errRollback
	})
	require.ErrorIs(t, err, errRollback)
	require.Zero(t, calls.Load(), "a rolled-back email wakes nobody")

	MustEnqueue(t, db, store.OutboxEmail{To: "a@example.ro", Email: emails.VerifyEmail{Token: "t"}})
	require.Equal(t, int32(1), calls.Load())
	s, err := db.OutboxStats(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, s.Pending, "the rolled-back email does not exist")
}
