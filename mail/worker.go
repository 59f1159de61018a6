package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/metalpro/backend/emails"
	"github.com/metalpro/backend/store"
)

// WorkerConfig configures a Worker; zero durations take the defaults noted.
type WorkerConfig struct {
	DB       *store.DB
	Sender   Sender
	Renderer *Renderer
	Logger   *slog.Logger

	From          Address // e.g. MetalPro <noreply@metalpro.ro>
	OperatorEmail string  // recipient of operator_new_rfq when its To is empty; Reply-To of customer emails

	// Attachments, when set, fetches the quote PDF so quote_ready carries it; without it
	// the email has the download link only.
	Attachments AttachmentLoader

	Concurrency  int           // emails sent at once: 2 (at most 4)
	PollInterval time.Duration // how often to look for due emails without a Notify: 5 s
	SendTimeout  time.Duration // one send's deadline: 30 s
	Lease        time.Duration // how long a claimed email is reserved: 2 min (must exceed SendTimeout)
	FlushTimeout time.Duration // at shutdown, how long to keep sending what is due: 5 s
	Retry        RetryPolicy
	// BacklogLimit: /health reports the outbox unhealthy when an email has waited longer: 15 min.
	BacklogLimit time.Duration
	SenderName   string // for /health: "sendgrid" or "local"
}

// Worker sends the outbox's emails: it wakes on Notify (after a commit that enqueued one)
// or every PollInterval, claims due emails, renders and sends each outside any database
// transaction, and records the outcome.
type Worker struct {
	cfg    WorkerConfig
	logger *slog.Logger
	notify chan struct{}
}

// maxAttachmentBytes bounds an attachment (SendGrid accepts 30 MB per email in total).
const maxAttachmentBytes = 20 << 20

// attachmentAttempts is how many attempts wait for the quote PDF before quote_ready goes
// out with its link only: the customer should not wait hours for a file they can download.
const attachmentAttempts = 3

// NewWorker builds a worker; it does nothing until Run.
func NewWorker(cfg WorkerConfig) *Worker {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 2
	}
	cfg.Concurrency = min(cfg.Concurrency, 4)
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 5 * time.Second
	}
	if cfg.SendTimeout <= 0 {
		cfg.SendTimeout = 30 * time.Second
	}
	if cfg.Lease <= cfg.SendTimeout {
		cfg.Lease = max(2*time.Minute, 2*cfg.SendTimeout)
	}
	if cfg.FlushTimeout <= 0 {
		cfg.FlushTimeout = 5 * time.Second
	}
	if cfg.BacklogLimit <= 0 {
		cfg.BacklogLimit = 15 * time.Minute
	}
	return &Worker{cfg: cfg, logger: cfg.Logger, notify: make(chan struct{}, 1)}
}

// Notify wakes the worker to look for due emails now. It never blocks; pass it to
// store.DB.OnEmailEnqueued.
func (w *Worker) Notify() {
	select {
	case w.notify <- struct{}{}:
	default:
	}
}

// Run sends emails until ctx is cancelled. It then finishes the sends under way, spends at
// most FlushTimeout on emails already due (those queued by the last requests), and
// returns. Whatever is left stays in the outbox for the next start.
func (w *Worker) Run(ctx context.Context) {
	w.logger.Info("mail: worker started", "sender", w.cfg.SenderName, "concurrency", w.cfg.Concurrency)
	t := time.NewTicker(w.cfg.PollInterval)
	defer t.Stop()
	for {
		if _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			w.logger.Error("mail: outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			flush, cancel := context.WithTimeout(context.WithoutCancel(ctx), w.cfg.FlushTimeout)
			n, err := w.RunOnce(flush)
			cancel()
			if err != nil && flush.Err() == nil {
				w.logger.Error("mail: outbox at shutdown", "err", err)
			}
			w.logger.Info("mail: worker stopped", "sent_at_shutdown", n)
			return
		case <-w.notify:
		case <-t.C:
		}
	}
}

// RunOnce sends every email due now, Concurrency at a time, and returns how many it
// attempted. It stops early when ctx is done (sends under way still complete).
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	total := 0
	for ctx.Err() == nil {
		rows, err := w.cfg.DB.ClaimDueEmails(ctx, w.cfg.Concurrency, w.cfg.Lease)
		if err != nil {
			return total, fmt.Errorf("claim emails: %w", err)
		}
		if len(rows) == 0 {
			return total, nil
		}
		total += len(rows)
		var wg sync.WaitGroup
		for _, row := range rows {
			wg.Go(func() { w.process(ctx, row) })
		}
		wg.Wait()
	}
	return total, nil
}

// process sends one claimed email and records the outcome. The send must not be cut
// short by ctx's cancellation (shutdown): an email SendGrid accepted but we did not
// record would go out twice. It has its own deadline instead.
func (w *Worker) process(ctx context.Context, row store.OutboxRow) {
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), w.cfg.SendTimeout)
	defer cancel()
	log := w.logger.With("email_id", row.ID, "template", row.Template, "attempt", row.Attempts)

	var msg *Message
	var err error
	if row.Attempts > w.cfg.Retry.Limit() {
		// Only a process dying during each of its attempts gets here (a failed attempt
		// gives up at the limit): stop before this email takes the server down again.
		err = Permanent(fmt.Errorf("the server stopped during each of the last %d attempts", row.Attempts-1))
	} else {
		msg, err = w.message(sendCtx, row)
	}
	var providerID string
	if err == nil {
		providerID, err = w.cfg.Sender.Send(sendCtx, msg)
	}
	// From here on, record the outcome whatever happens to ctx.
	recordCtx, cancelRecord := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancelRecord()
	if err == nil {
		// The duplicate window: the provider has accepted the email; if the process dies
		// before this write commits, the row stays 'sending', its lease expires and the
		// email is sent again. The window is one short SQLite write (milliseconds);
		// closing it entirely would need the provider to deduplicate, which SendGrid does
		// not. The outbox id travels in the email (custom arg and header) to trace it.
		if markErr := w.markSent(recordCtx, row.ID, providerID); markErr != nil {
			log.Error("mail: sent, but could not record it: it will be sent again when its lease expires",
				"err", markErr, "provider_message_id", providerID)
			return
		}
		log.Info("mail: sent", "provider_message_id", providerID)
		return
	}

	if w.cfg.Retry.GiveUp(row.Attempts, err) {
		if markErr := w.cfg.DB.MarkEmailFailed(recordCtx, row.ID, err); markErr != nil {
			log.Error("mail: gave up on email and could not record it", "err", err, "record_err", markErr)
			return
		}
		log.Error("mail: gave up on email", "to", row.To, "err", err, "permanent", IsPermanent(err))
		return
	}
	retryAt, markErr := w.cfg.DB.RescheduleEmail(recordCtx, row.ID, err, w.cfg.Retry.Backoff(row.Attempts))
	if markErr != nil {
		log.Error("mail: send failed and could not record it", "err", err, "record_err", markErr)
		return
	}
	log.Warn("mail: send failed, will retry", "err", err, "retry_at", retryAt)
}

// markSent records a success, retrying briefly: the write pool may be busy for a moment,
// and every failure here is a future duplicate.
func (w *Worker) markSent(ctx context.Context, id, providerID string) error {
	var err error
	for i := range 5 {
		if err = w.cfg.DB.MarkEmailSent(ctx, id, providerID); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(time.Duration(100*(i+1)) * time.Millisecond):
		}
	}
	return err
}

// message decodes row's payload and renders it into a Message. Decoding and rendering
// errors are permanent: the same data will not render better next time.
func (w *Worker) message(ctx context.Context, row store.OutboxRow) (*Message, error) {
	if w.cfg.Renderer == nil {
		return nil, errors.New("mail: no renderer configured")
	}
	e, err := row.Email()
	if err != nil {
		return nil, Permanent(err)
	}
	out, err := w.cfg.Renderer.Render(e, row.Lang)
	if err != nil {
		return nil, Permanent(err)
	}
	to := row.To
	if isOperatorEmail(e) && to == "" {
		to = w.cfg.OperatorEmail
	}
	if to == "" {
		return nil, Permanent(errors.New("email has no recipient"))
	}
	m := &Message{
		ID: row.ID, Template: row.Template,
		From: w.cfg.From, To: Address{Email: to},
		Subject: out.Subject, Text: out.Text, HTML: out.HTML,
	}
	switch e := e.(type) {
	case emails.RFQConfirmation, emails.RFQStatusChanged, emails.RFQMessage:
		m.ReplyTo = w.salesReplyTo()
	case emails.OperatorRFQMessage:
		m.ReplyTo = &Address{Name: e.ContactPerson, Email: e.Email}
	case emails.QuoteReady:
		m.ReplyTo = w.salesReplyTo()
		if w.cfg.Attachments != nil {
			if err := w.attachQuote(ctx, row, e, m); err != nil {
				return nil, err
			}
		}
	case emails.OperatorNewRFQ:
		// The operator's reply goes to the customer.
		if e.Email != "" {
			m.ReplyTo = &Address{Name: e.ContactPerson, Email: e.Email}
		}
	case emails.OperatorQuoteAnswer:
		if e.Email != "" {
			m.ReplyTo = &Address{Name: e.ContactPerson, Email: e.Email}
		}
	}
	return m, nil
}

// salesReplyTo is the Reply-To of customer emails: "reply to this email" should reach
// sales, not noreply@.
func (w *Worker) salesReplyTo() *Address {
	if w.cfg.OperatorEmail == "" {
		return nil
	}
	return &Address{Name: "MetalPro", Email: w.cfg.OperatorEmail}
}

// attachQuote attaches Oferta-<ref>.pdf. A failure is retried a few times; after that the
// email goes out with its link only (logged), rather than not at all.
func (w *Worker) attachQuote(ctx context.Context, row store.OutboxRow, e emails.QuoteReady, m *Message) error {
	a, err := w.cfg.Attachments.LoadAttachment(ctx, e.PDFURL)
	if err == nil && len(a.Content) > maxAttachmentBytes {
		err = fmt.Errorf("quote PDF is %d bytes, more than %d", len(a.Content), maxAttachmentBytes)
	}
	if err != nil {
		if row.Attempts < attachmentAttempts {
			return fmt.Errorf("load quote PDF: %w", err)
		}
		w.logger.Warn("mail: quote PDF unavailable, sending the link only", "email_id", row.ID, "err", err)
		return nil
	}
	a.Filename = "Oferta-" + unsafeFileChars.ReplaceAllString(e.ReferenceNumber, "_") + ".pdf"
	if a.ContentType == "" {
		a.ContentType = "application/pdf"
	}
	m.Attachments = append(m.Attachments, a)
	return nil
}

// Health reports the outbox for /health: unhealthy when an email has waited longer than
// BacklogLimit (emails are not going out). Emails given up on are reported, not counted
// as unhealthy: each was logged at error level, and one bad address must not mark the
// whole server down.
func (w *Worker) Health(ctx context.Context) (bool, any) {
	s, err := w.cfg.DB.OutboxStats(ctx)
	if err != nil {
		return false, map[string]any{"error": "outbox unavailable"}
	}
	ok := s.OldestPending <= w.cfg.BacklogLimit
	return ok, map[string]any{
		"sender":               w.cfg.SenderName,
		"pending":              s.Pending,
		"sending":              s.Sending,
		"failed":               s.Failed,
		"failedLast24h":        s.FailedLast24h,
		"oldestPendingSeconds": int(s.OldestPending.Seconds()),
		"backlogLimitSeconds":  int(w.cfg.BacklogLimit.Seconds()),
	}
}

// isOperatorEmail: an email for sales, sent to OPERATOR_EMAIL when queued without a recipient.
func isOperatorEmail(e emails.Email) bool {
	switch e.(type) {
	case emails.OperatorNewRFQ, emails.OperatorRFQMessage, emails.OperatorQuoteAnswer:
		return true
	}
	return false
}
