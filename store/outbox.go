package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/metalpro/backend/emails"
)

// OutboxEmail is an email to send after the transaction that caused it commits.
type OutboxEmail struct {
	To    string // empty for emails the worker addresses itself (operator_new_rfq)
	Lang  string // "ro" or "en"
	Email emails.Email
}

// EnqueueEmail writes e to the outbox inside tx: the email exists if and only if the change
// that caused it committed.
func EnqueueEmail(ctx context.Context, tx *Tx, e OutboxEmail) (string, error) {
	if e.Lang != "en" {
		e.Lang = "ro"
	}
	if e.Email == nil {
		return "", errors.New("enqueue email: no payload")
	}
	data, err := json.Marshal(e.Email)
	if err != nil {
		return "", fmt.Errorf("outbox data: %w", err)
	}
	id := NewID()
	_, err = tx.ExecContext(ctx, `INSERT INTO email_outbox
		(id, template, to_addr, lang, data, status, attempts, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
		id, e.Email.Template(), e.To, e.Lang, string(data), FormatTime(tx.Now), FormatTime(tx.Now))
	if err != nil {
		return "", fmt.Errorf("enqueue email: %w", err)
	}
	notifyEmailHook(tx)
	return id, nil
}
