package main

import (
	"fmt"
	"log/slog"
	"net/mail"
	"path/filepath"

	appmail "github.com/metalpro/backend/mail"
	"github.com/metalpro/backend/store"
)

// newMailWorker builds the outbox worker: SendGrid when SENDGRID_API_KEY is set, otherwise
// the local sender, which writes every email to DATA_DIR/mail (see docs/EMAIL.md). It also
// has the store wake the worker after every commit that enqueued an email.
// Quote PDFs travel with quote_ready through attachments (the file store's loader).
func newMailWorker(cfg config, db *store.DB, logger *slog.Logger, attachments appmail.AttachmentLoader) (*appmail.Worker, error) {
	renderer, err := appmail.NewRenderer(cfg.FrontendURL, cfg.BackofficeURL)
	if err != nil {
		return nil, err
	}
	from, err := mail.ParseAddress(cfg.FromEmail)
	if err != nil {
		return nil, fmt.Errorf("FROM_EMAIL %q is not an email address: %w", cfg.FromEmail, err)
	}
	if from.Name == "" {
		from.Name = "MetalPro"
	}
	var sender appmail.Sender
	senderName := "sendgrid"
	if cfg.SendGridAPIKey != "" {
		sender = appmail.NewSendGridSender(cfg.SendGridAPIKey, cfg.SendGridURL, nil)
	} else {
		senderName = "local"
		dir := filepath.Join(cfg.DataDir, "mail")
		sender = appmail.NewLocalSender(dir, logger)
		logger.Info("SENDGRID_API_KEY not set: emails are written to files, not sent", "dir", dir)
	}
	w := appmail.NewWorker(appmail.WorkerConfig{
		DB:            db,
		Sender:        sender,
		Renderer:      renderer,
		Logger:        logger,
		From:          appmail.Address{Name: from.Name, Email: from.Address},
		OperatorEmail: cfg.OperatorEmail,
		SenderName:    senderName,
		Attachments:   attachments,
	})
	db.OnEmailEnqueued(w.Notify)
	return w, nil
}
