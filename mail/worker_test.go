package mail_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/emails"
	"github.com/metalpro/backend/mail"
	"github.com/metalpro/backend/store"
)

func TestWorker_SendGrid(t *testing.T) {
	ctx := context.Background()
	pdf := []byte("%PDF-1.4 quote for RFQ-2026-00001\n%%EOF")

	t.Run("SendsWhatTheRealClientSends", func(t *testing.T) {
		db, _ := MustOpenTempDB(t)
		sg := newFakeSendGrid(t)
		var loaded []string
		w := NewTestWorker(t, db, mail.NewSendGridSender("SG.test-key", sg.URL, nil), func(c *mail.WorkerConfig) {
			c.Attachments = mail.AttachmentLoaderFunc(func(_ context.Context, url string) (mail.Attachment, error) {
				loaded = append(loaded, url)
				return mail.Attachment{Content: pdf}, nil
			})
		})
		confirm := MustEnqueue(t, db, emails.TemplateRFQConfirmation, "ion@example.ro", "ro")
		quote := MustEnqueue(t, db, emails.TemplateQuoteReady, "ion@example.ro", "en")
		operator := MustEnqueue(t, db, emails.TemplateOperatorNewRFQ, "", "ro")

		n, err := w.RunOnce(ctx)
		require.NoError(t, err)
		require.Equal(t, 3, n)

		byID := map[string]sgRequest{}
		for _, r := range sg.Requests() {
			require.Equal(t, http.MethodPost, r.Method)
			require.Equal(t, "/v3/mail/send", r.Path)
			require.Equal(t, "Bearer SG.test-key", r.Auth)
			require.Equal(t, "application/json", r.ContentType)
			require.Equal(t, "noreply@metalpro.ro", r.Body.From.Email)
			require.Equal(t, "MetalPro", decodeHeader(t, r.Body.From.Name), "names are sent encoded")
			require.Len(t, r.Body.Content, 2)
			require.Equal(t, "text/plain", r.Body.Content[0].Type, "SendGrid wants text before HTML")
			require.Equal(t, "text/html", r.Body.Content[1].Type)
			require.Contains(t, r.Body.Content[1].Value, "<!DOCTYPE html>")
			require.Equal(t, r.Body.CustomArgs["outbox_id"], r.Body.Headers["X-MetalPro-Outbox-ID"])
			byID[r.Body.CustomArgs["outbox_id"]] = r
		}
		require.Len(t, byID, 3)

		c := byID[confirm].Body
		require.Equal(t, "Confirmare cerere de ofertă RFQ-2026-00001 - MetalPro", decodeHeader(t, c.Subject))
		require.Equal(t, []sgAddress{{Email: "ion@example.ro"}}, c.Personalizations[0].To)
		require.Contains(t, c.Content[0].Value, "Total estimat: 1.234,56 RON")
		require.Contains(t, c.Content[1].Value, "&lt;script&gt;")
		require.Equal(t, "sales@metalpro.ro", c.ReplyTo.Email, "replies reach sales, not noreply@")
		require.Equal(t, emails.TemplateRFQConfirmation, c.CustomArgs["template"])
		require.Empty(t, c.Attachments)

		q := byID[quote].Body
		require.Equal(t, "Quote Ready - RFQ-2026-00001", decodeHeader(t, q.Subject))
		require.Len(t, q.Attachments, 1)
		require.Equal(t, "Oferta-RFQ-2026-00001.pdf", q.Attachments[0].Filename)
		require.Equal(t, "application/pdf", q.Attachments[0].Type)
		require.Equal(t, "attachment", q.Attachments[0].Disposition)
		got, err := base64.StdEncoding.DecodeString(q.Attachments[0].Content)
		require.NoError(t, err)
		require.Equal(t, pdf, got)
		require.Equal(t, []string{"https://files.example.ro/q/RFQ-2026-00001.pdf"}, loaded)

		o := byID[operator].Body
		require.Equal(t, "[NOU] RFQ-2026-00001 de la <script>alert(1)</script> SRL", decodeHeader(t, o.Subject))
		require.Equal(t, []sgAddress{{Email: "sales@metalpro.ro"}}, o.Personalizations[0].To, "OPERATOR_EMAIL when To is empty")
		require.Equal(t, "ion@example.ro", o.ReplyTo.Email, "the operator replies to the customer")
		require.Equal(t, "Ion Popescu", decodeHeader(t, o.ReplyTo.Name))

		for _, id := range []string{confirm, quote, operator} {
			row, err := db.GetEmail(ctx, id)
			require.NoError(t, err)
			require.Equal(t, store.OutboxSent, row.Status)
			require.True(t, strings.HasPrefix(row.ProviderMessageID, "sg-msg-"), row.ProviderMessageID)
			require.Equal(t, 1, row.Attempts)
		}
	})

	t.Run("RetriesUntilAcceptedExactlyOnce", func(t *testing.T) {
		db, clock := MustOpenTempDB(t)
		sg := newFakeSendGrid(t, http.StatusServiceUnavailable, http.StatusServiceUnavailable)
		w := NewTestWorker(t, db, mail.NewSendGridSender("SG.k", sg.URL, nil))
		id := MustEnqueue(t, db, emails.TemplateVerifyEmail, "ana@example.ro", "ro")

		for range 10 {
			_, err := w.RunOnce(ctx)
			require.NoError(t, err)
			clock.Advance(time.Hour) // past any backoff
		}
		require.Len(t, sg.Requests(), 3)
		require.Equal(t, 1, sg.Accepted())
		row, err := db.GetEmail(ctx, id)
		require.NoError(t, err)
		require.Equal(t, store.OutboxSent, row.Status)
		require.Equal(t, 3, row.Attempts)
		require.Empty(t, row.LastError)
		e, err := row.Email()
		require.NoError(t, err)
		require.Equal(t, "[removed after send]", e.(emails.VerifyEmail).Token)
	})

	t.Run("BacksOffBetweenAttempts", func(t *testing.T) {
		db, clock := MustOpenTempDB(t)
		sg := newFakeSendGrid(t, http.StatusTooManyRequests)
		w := NewTestWorker(t, db, mail.NewSendGridSender("SG.k", sg.URL, nil))
		id := MustEnqueue(t, db, emails.TemplateVerifyEmail, "ana@example.ro", "ro")
		_, err := w.RunOnce(ctx)
		require.NoError(t, err)
		row, err := db.GetEmail(ctx, id)
		require.NoError(t, err)
		require.Equal(t, store.OutboxPending, row.Status)
		require.Contains(t, row.LastError, "429")
		_, err = w.RunOnce(ctx)
		require.NoError(t, err)
		require.Len(t, sg.Requests(), 1, "not retried before its backoff")
		clock.Advance(time.Minute)
		_, err = w.RunOnce(ctx)
		require.NoError(t, err)
		require.Len(t, sg.Requests(), 2)
	})

	t.Run("ErrRejectedIsNotRetried", func(t *testing.T) {
		db, clock := MustOpenTempDB(t)
		sg := newFakeSendGrid(t, http.StatusBadRequest)
		w := NewTestWorker(t, db, mail.NewSendGridSender("SG.k", sg.URL, nil))
		id := MustEnqueue(t, db, emails.TemplateVerifyEmail, "not-an-address", "ro")
		_, err := w.RunOnce(ctx)
		require.NoError(t, err)
		clock.Advance(24 * time.Hour)
		_, err = w.RunOnce(ctx)
		require.NoError(t, err)
		require.Len(t, sg.Requests(), 1)
		row, err := db.GetEmail(ctx, id)
		require.NoError(t, err)
		require.Equal(t, store.OutboxFailed, row.Status)
		require.Contains(t, row.LastError, "sendgrid answered 400")
	})

	t.Run("ErrBadKeyIsRetried", func(t *testing.T) {
		db, _ := MustOpenTempDB(t)
		sg := newFakeSendGrid(t, http.StatusUnauthorized)
		w := NewTestWorker(t, db, mail.NewSendGridSender("SG.revoked", sg.URL, nil))
		id := MustEnqueue(t, db, emails.TemplateVerifyEmail, "ana@example.ro", "ro")
		_, err := w.RunOnce(ctx)
		require.NoError(t, err)
		row, err := db.GetEmail(ctx, id)
		require.NoError(t, err)
		require.Equal(t, store.OutboxPending, row.Status, "an operator can fix the key; the email waits")
	})

	t.Run("ErrEndpointDown", func(t *testing.T) {
		db, _ := MustOpenTempDB(t)
		// Nothing listens on port 1 of loopback: the connection is refused.
		down := NewTestWorker(t, db, mail.NewSendGridSender("SG.k", "http://127.0.0.1:1", nil))
		id := MustEnqueue(t, db, emails.TemplateVerifyEmail, "ana@example.ro", "ro")
		_, err := down.RunOnce(ctx)
		require.NoError(t, err)
		row, err := db.GetEmail(ctx, id)
		require.NoError(t, err)
		require.Equal(t, store.OutboxPending, row.Status, "network errors are retried")
		require.NotEmpty(t, row.LastError)
	})
}

func TestWorker_Failures(t *testing.T) {
	ctx := context.Background()

	t.Run("ErrMissingDataGivesUpWithoutSending", func(t *testing.T) {
		db, _ := MustOpenTempDB(t)
		s := newRecordingSender()
		w := NewTestWorker(t, db, s)
		var id string
		require.NoError(t, db.Write(ctx, func(tx *store.Tx) error {
			var err error
			id, err = store.EnqueueEmail(ctx, tx, store.OutboxEmail{
				To: "a@example.ro", Email: emails.PasswordReset{Name: "Ana"}})
			return err
		}))
		_, err := w.RunOnce(ctx)
		require.NoError(t, err)
		require.Empty(t, s.Sent())
		row, err := db.GetEmail(ctx, id)
		require.NoError(t, err)
		require.Equal(t, store.OutboxFailed, row.Status)
		require.Contains(t, row.LastError, "missing data keys: token")
	})

	t.Run("GivesUpAfterMaxAttempts", func(t *testing.T) {
		db, clock := MustOpenTempDB(t)
		s := newRecordingSender()
		s.fail = func(*mail.Message) error { return errors.New("connection reset") }
		w := NewTestWorker(t, db, s)
		id := MustEnqueue(t, db, emails.TemplateVerifyEmail, "a@example.ro", "ro")
		for range 20 {
			_, err := w.RunOnce(ctx)
			require.NoError(t, err)
			clock.Advance(2 * time.Hour)
		}
		row, err := db.GetEmail(ctx, id)
		require.NoError(t, err)
		require.Equal(t, store.OutboxFailed, row.Status)
		require.Equal(t, 5, row.Attempts)
		require.Equal(t, "connection reset", row.LastError)
	})

	t.Run("QuoteWithoutPDFStillGoesOut", func(t *testing.T) {
		db, clock := MustOpenTempDB(t)
		s := newRecordingSender()
		w := NewTestWorker(t, db, s, func(c *mail.WorkerConfig) {
			c.Attachments = mail.AttachmentLoaderFunc(func(context.Context, string) (mail.Attachment, error) {
				return mail.Attachment{}, errors.New("blob store unavailable")
			})
		})
		id := MustEnqueue(t, db, emails.TemplateQuoteReady, "a@example.ro", "ro")
		for range 5 {
			_, err := w.RunOnce(ctx)
			require.NoError(t, err)
			clock.Advance(2 * time.Hour)
		}
		sent := s.Sent()
		require.Len(t, sent, 1)
		require.Empty(t, sent[0].Attachments)
		require.Contains(t, sent[0].Text, "https://files.example.ro/q/RFQ-2026-00001.pdf", "the link is there")
		row, err := db.GetEmail(ctx, id)
		require.NoError(t, err)
		require.Equal(t, 3, row.Attempts)
	})
}

func TestWorker_Run(t *testing.T) {
	t.Run("NotifiedAfterCommit", func(t *testing.T) {
		db, _ := MustOpenTempDB(t)
		s := newRecordingSender()
		w := NewTestWorker(t, db, s) // polls hourly: only Notify can wake it in time
		db.OnEmailEnqueued(w.Notify)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { w.Run(ctx); close(done) }()

		MustEnqueue(t, db, emails.TemplateVerifyEmail, "a@example.ro", "ro")
		// The worker polls hourly, so only Notify can deliver it before the test's deadline;
		// a fixed budget here would fail on a loaded machine, not on a missing wake-up.
		deadline := untilDeadline(t)
		select {
		case <-s.got:
		case <-deadline.Done():
			t.Fatal("the worker was not woken by the commit")
		}
		cancel()
		<-done
		require.Len(t, s.Sent(), 1)
	})

	t.Run("SendsWhatIsDueBeforeStopping", func(t *testing.T) {
		db, _ := MustOpenTempDB(t)
		s := newRecordingSender()
		w := NewTestWorker(t, db, s)
		for range 3 {
			MustEnqueue(t, db, emails.TemplateVerifyEmail, "a@example.ro", "ro")
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // stopped before it started: only the shutdown flush can send
		w.Run(ctx)
		require.Len(t, s.Sent(), 3)
		st, err := db.OutboxStats(context.Background())
		require.NoError(t, err)
		require.Equal(t, 3, st.Sent)
	})
}

func TestWorker_Health(t *testing.T) {
	ctx := context.Background()
	db, clock := MustOpenTempDB(t)
	s := newRecordingSender()
	s.fail = func(*mail.Message) error { return errors.New("down") }
	w := NewTestWorker(t, db, s)

	ok, _ := w.Health(ctx)
	require.True(t, ok)
	MustEnqueue(t, db, emails.TemplateVerifyEmail, "a@example.ro", "ro")
	_, err := w.RunOnce(ctx)
	require.NoError(t, err)
	clock.Advance(14 * time.Minute)
	ok, _ = w.Health(ctx)
	require.True(t, ok, "a young backlog is fine")
	clock.Advance(2 * time.Minute)
	ok, detail := w.Health(ctx)
	require.False(t, ok, "emails stuck for more than 15 minutes")
	d := detail.(map[string]any)
	require.Equal(t, 1, d["pending"])
	require.Equal(t, 16*60, d["oldestPendingSeconds"])
}
