package mail_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/emails"
	"github.com/metalpro/backend/mail"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// The crash tests run a child process (this test binary again) that commits an RFQ-like
// change with its email and is then killed with SIGKILL, at two moments: right after the
// commit, and in the middle of the send. The parent then "restarts": it opens the same
// database and runs a worker, which must deliver the email exactly once.

const crashEnv = "METALPRO_MAIL_CRASH_CHILD" // "after-commit" | "mid-send"

// TestCrashChild is the child's body; it does nothing in a normal run.
func TestCrashChild(t *testing.T) {
	moment := os.Getenv(crashEnv)
	if moment == "" {
		t.Skip("only runs as the child of TestOutbox_SurvivesCrash")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, os.Getenv(crashEnv+"_DB"), store.Schema, store.Options{})
	require.NoError(t, err)

	// The change and its email, in one transaction, as the RFQ handler does.
	require.NoError(t, db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO server_settings (key, value, created_at)
			VALUES ('rfq-like', 'RFQ-2026-00001', ?)`, store.FormatTime(tx.Now)); err != nil {
			return err
		}
		_, err := store.EnqueueEmail(ctx, tx, store.OutboxEmail{
			To: "ion@example.ro", Email: sampleData()[emails.TemplateRFQConfirmation]})
		return err
	}))
	if moment == "after-commit" {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // SIGKILL cannot be caught; wait for it to land
	}
	// mid-send: the sender is reached (the row is claimed, 'sending'), then the process dies
	// before the provider answers.
	killer := &recordingSender{fail: func(*mail.Message) error {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // never returns
	}}
	w := NewTestWorker(t, db, killer)
	w.RunOnce(ctx)
	t.Fatal("the child should have died")
}

func TestOutbox_CrashLoopGivesUp(t *testing.T) {
	ctx := context.Background()
	db, clock := MustOpenTempDB(t)
	s := newRecordingSender()
	w := NewTestWorker(t, db, s) // 5 attempts
	id := MustEnqueue(t, db, emails.TemplateVerifyEmail, "a@example.ro", "ro")
	for range 5 { // the process dies during each attempt: claimed, never recorded
		rows, err := db.ClaimDueEmails(ctx, 1, time.Minute)
		require.NoError(t, err)
		require.Len(t, rows, 1)
		clock.Advance(time.Minute)
	}
	_, err := w.RunOnce(ctx)
	require.NoError(t, err)
	require.Empty(t, s.Sent())
	row, err := db.GetEmail(ctx, id)
	require.NoError(t, err)
	require.Equal(t, store.OutboxFailed, row.Status)
	require.Contains(t, row.LastError, "stopped during each of the last 5 attempts")
}

func TestOutbox_SurvivesCrash(t *testing.T) {
	for _, moment := range []string{"after-commit", "mid-send"} {
		t.Run(moment, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "app.db")

			cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), crashEnv+"="+moment, crashEnv+"_DB="+path)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			require.True(t, errors.As(err, &exit), "child: %v\n%s", err, out)
			ws, _ := exit.Sys().(syscall.WaitStatus)
			require.True(t, ws.Signaled() && ws.Signal() == syscall.SIGKILL, "the child was killed, not failed:\n%s", out)

			// Restart, with a clock past any lease the dead process held.
			later := func() time.Time { return time.Now().Add(10 * time.Minute) }
			db := storetest.MustOpenAt(t, path, store.Options{Now: later})
			var cause string
			require.NoError(t, db.ReadDB().QueryRow(`SELECT value FROM server_settings WHERE key = 'rfq-like'`).Scan(&cause))
			require.Equal(t, "RFQ-2026-00001", cause)

			sg := newFakeSendGrid(t)
			w := NewTestWorker(t, db, mail.NewSendGridSender("SG.k", sg.URL, nil))
			n, err := w.RunOnce(ctx)
			require.NoError(t, err)
			require.Equal(t, 1, n)
			require.NoError(t, db.Close())

			// And once more after another restart: nothing is sent twice.
			db = storetest.MustOpenAt(t, path, store.Options{Now: later})
			w = NewTestWorker(t, db, mail.NewSendGridSender("SG.k", sg.URL, nil))
			n, err = w.RunOnce(ctx)
			require.NoError(t, err)
			require.Zero(t, n)

			require.Equal(t, 1, sg.Accepted())
			reqs := sg.Requests()
			require.Len(t, reqs, 1)
			require.Equal(t, "Confirmare cerere de ofertă RFQ-2026-00001 - MetalPro", decodeHeader(t, reqs[0].Body.Subject))
			rows, total, err := db.ListEmails(ctx, store.OutboxFilter{})
			require.NoError(t, err)
			require.Equal(t, 1, total)
			require.Equal(t, store.OutboxSent, rows[0].Status)
			wantAttempts := map[string]int{"after-commit": 1, "mid-send": 2}[moment]
			require.Equal(t, wantAttempts, rows[0].Attempts)
		})
	}
}
