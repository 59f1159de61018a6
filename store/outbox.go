package store

import (
	"context"
	"encoding/json"
	"fmt"
)

// OutboxEmail is an email to send after the transaction that caused it commits.
// Template names and the Data keys each one needs are listed in mail/templates.go.
type OutboxEmail struct {
	Template string
	To       string
	Lang     string // "ro" or "en"
	Data     map[string]any
}

// EnqueueEmail writes e to the outbox inside tx: the email exists if and only if the change
// that caused it committed.
func EnqueueEmail(ctx context.Context, tx *Tx, e OutboxEmail) (string, error) {
	if e.Lang != "en" {
		e.Lang = "ro"
	}
	data, err := json.Marshal(e.Data)
	if err != nil {
		return "", fmt.Errorf("outbox data: %w", err)
	}
	id := NewID()
	_, err = tx.ExecContext(ctx, `INSERT INTO email_outbox
		(id, template, to_addr, lang, data, status, attempts, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
		id, e.Template, e.To, e.Lang, string(data), FormatTime(tx.Now), FormatTime(tx.Now))
	if err != nil {
		return "", fmt.Errorf("enqueue email: %w", err)
	}
	notifyEmailHook(tx)
	return id, nil
}
