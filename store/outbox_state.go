package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/metalpro/backend/emails"
)

// The outbox's state machine. The mail worker drives it and owns the delivery policy
// (which errors are retried, how often, after how long: mail.RetryPolicy); this file only
// moves rows between states:
//
//	pending --ClaimDueEmails--> sending --MarkEmailSent--> sent
//	   ^                           |
//	   +------RescheduleEmail------+--MarkEmailFailed--> failed --RetryFailedEmail--> pending
//
// A row in 'sending' carries a lease in next_attempt_at: if the process dies mid-send, the
// row becomes claimable again once the lease expires. attempts counts claims (sends
// started), so a message that crashes the process every time still runs out of attempts.
// For a 'failed' row next_attempt_at records when it gave up.

// OutboxRow is one email in the outbox.
type OutboxRow struct {
	ID                string
	Template          string
	To                string
	Lang              string
	Data              json.RawMessage // the payload as stored; Email decodes it
	Status            string          // pending | sending | sent | failed
	Attempts          int
	NextAttemptAt     time.Time // for 'sending': the lease's end; for 'failed': when it gave up
	LastError         string
	ProviderMessageID string
	CreatedAt         time.Time
	SentAt            *time.Time
}

// Email decodes the row's payload into its type (emails.Decode, by template name).
func (r OutboxRow) Email() (emails.Email, error) { return emails.Decode(r.Template, r.Data) }

// Outbox statuses.
const (
	OutboxPending = "pending"
	OutboxSending = "sending"
	OutboxSent    = "sent"
	OutboxFailed  = "failed"
)

// OnEmailEnqueued registers fn to run after every commit of a transaction that enqueued an
// email (the mail worker's Notify), so enqueuers need not wake the worker themselves. fn
// must not block.
func (db *DB) OnEmailEnqueued(fn func()) { db.emailHook.Store(&fn) }

// notifyEmailHook schedules the enqueue hook, if any, after tx commits.
func notifyEmailHook(tx *Tx) {
	if tx.db == nil {
		return
	}
	if fn := tx.db.emailHook.Load(); fn != nil && *fn != nil {
		tx.AfterCommit(*fn)
	}
}

const outboxColumns = `id, template, to_addr, lang, data, status, attempts, next_attempt_at,
	COALESCE(last_error, ''), COALESCE(provider_message_id, ''), created_at, sent_at`

// ClaimDueEmails moves up to limit due emails to 'sending' and returns them: pending rows
// whose next attempt is due, and 'sending' rows whose lease expired (their sender died
// mid-send). Each claim counts as an attempt. The lease must outlast a send's timeout, so
// that a live sender never sees its email claimed twice.
func (db *DB) ClaimDueEmails(ctx context.Context, limit int, lease time.Duration) ([]OutboxRow, error) {
	if limit <= 0 {
		limit = 1
	}
	var rows []OutboxRow
	err := db.Write(ctx, func(tx *Tx) error {
		now := FormatTime(tx.Now)
		r, err := tx.QueryContext(ctx, `SELECT `+outboxColumns+` FROM email_outbox
			WHERE status IN ('pending', 'sending') AND next_attempt_at <= ?
			ORDER BY next_attempt_at, created_at LIMIT ?`, now, limit)
		if err != nil {
			return fmt.Errorf("select due emails: %w", err)
		}
		rows, err = scanOutboxRows(r)
		if err != nil {
			return err
		}
		leaseEnd := tx.Now.Add(lease)
		for i := range rows {
			rows[i].Status = OutboxSending
			rows[i].Attempts++
			rows[i].NextAttemptAt = leaseEnd
			if _, err := tx.ExecContext(ctx, `UPDATE email_outbox
				SET status = 'sending', attempts = attempts + 1, next_attempt_at = ?
				WHERE id = ?`, FormatTime(leaseEnd), rows[i].ID); err != nil {
				return fmt.Errorf("claim email: %w", err)
			}
		}
		return nil
	})
	return rows, err
}

// secretDataKeys are Data keys holding credentials (one-time tokens) that MarkEmailSent
// removes once the email is out: a copy of the database should not hold live reset links.
var secretDataKeys = []string{"token", "trackingToken"}

// MarkEmailSent records a successful send: status 'sent', sent_at, the provider's message
// id, and the Data without its tokens. Call it right after the provider accepted the
// email, in its own short transaction, so that the window in which a crash would cause a
// second send is as short as possible.
func (db *DB) MarkEmailSent(ctx context.Context, id, providerMessageID string) error {
	return db.Write(ctx, func(tx *Tx) error {
		var raw string
		err := tx.QueryRowContext(ctx, `SELECT data FROM email_outbox WHERE id = ?`, id).Scan(&raw)
		if errors.Is(err, sql.ErrNoRows) {
			return Errorf(ECodeNotFound, "Emailul nu există.", "The email does not exist.")
		}
		if err != nil {
			return err
		}
		scrubbed := raw
		var data map[string]any
		if json.Unmarshal([]byte(raw), &data) == nil && data != nil {
			for _, k := range secretDataKeys {
				if _, ok := data[k]; ok {
					data[k] = "[removed after send]"
				}
			}
			if b, err := json.Marshal(data); err == nil {
				scrubbed = string(b)
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE email_outbox
			SET status = 'sent', sent_at = ?, provider_message_id = ?, last_error = NULL, data = ?
			WHERE id = ?`, FormatTime(tx.Now), nullIfEmpty(providerMessageID), scrubbed, id)
		return err
	})
}

// MarkEmailFailed records that the mail worker gave up on id after sendErr: status
// 'failed', and next_attempt_at says when. Whether an error is worth retrying is the
// worker's decision (mail.RetryPolicy), not the outbox's.
func (db *DB) MarkEmailFailed(ctx context.Context, id string, sendErr error) error {
	return db.Write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE email_outbox
			SET status = 'failed', last_error = ?, next_attempt_at = ? WHERE id = ?`,
			outboxErrorText(sendErr), FormatTime(tx.Now), id)
		return outboxUpdated(res, err)
	})
}

// RescheduleEmail records a failed attempt and puts id back to 'pending', due after delay
// (the worker's backoff). It returns when the email is due again.
func (db *DB) RescheduleEmail(ctx context.Context, id string, sendErr error, delay time.Duration) (time.Time, error) {
	var retryAt time.Time
	err := db.Write(ctx, func(tx *Tx) error {
		retryAt = tx.Now.Add(max(delay, 0))
		res, err := tx.ExecContext(ctx, `UPDATE email_outbox
			SET status = 'pending', last_error = ?, next_attempt_at = ? WHERE id = ?`,
			outboxErrorText(sendErr), FormatTime(retryAt), id)
		return outboxUpdated(res, err)
	})
	return retryAt, err
}

// outboxErrorText is what last_error keeps of a send error: bounded, since a provider's
// answer can be long.
func outboxErrorText(err error) string {
	msg := "unknown error"
	if err != nil {
		msg = err.Error()
	}
	if len(msg) > 2000 {
		msg = msg[:2000]
	}
	return msg
}

// outboxUpdated turns an UPDATE of one outbox row that matched nothing into not_found.
func outboxUpdated(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Errorf(ECodeNotFound, "Emailul nu există.", "The email does not exist.")
	}
	return nil
}

// RetryFailedEmail puts a 'failed' email back in the queue with a fresh set of attempts
// (after the cause, e.g. a bad API key, was fixed).
func (db *DB) RetryFailedEmail(ctx context.Context, id string) error {
	return db.Write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE email_outbox
			SET status = 'pending', attempts = 0, next_attempt_at = ? WHERE id = ? AND status = 'failed'`,
			FormatTime(tx.Now), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Errorf(ECodeNotFound, "Nu există un email eșuat cu acest id.", "There is no failed email with this id.")
		}
		return nil
	})
}

// GetEmail returns one outbox row.
func (db *DB) GetEmail(ctx context.Context, id string) (*OutboxRow, error) {
	var row *OutboxRow
	err := db.Read(ctx, func(tx *Tx) error {
		r, err := tx.QueryContext(ctx, `SELECT `+outboxColumns+` FROM email_outbox WHERE id = ?`, id)
		if err != nil {
			return err
		}
		rows, err := scanOutboxRows(r)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return Errorf(ECodeNotFound, "Emailul nu există.", "The email does not exist.")
		}
		row = &rows[0]
		return nil
	})
	return row, err
}

// OutboxFilter selects outbox rows for ListEmails.
type OutboxFilter struct {
	Status   string // one status, or all when empty
	Template string
	Limit    int // 50 when zero, at most 500
	Offset   int
}

// ListEmails returns outbox rows, newest first, and how many match the filter.
func (db *DB) ListEmails(ctx context.Context, f OutboxFilter) ([]OutboxRow, int, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 500)
	var where []string
	var args []any
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, f.Status)
	}
	if f.Template != "" {
		where, args = append(where, "template = ?"), append(args, f.Template)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var rows []OutboxRow
	var total int
	err := db.Read(ctx, func(tx *Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM email_outbox`+cond, args...).Scan(&total); err != nil {
			return err
		}
		r, err := tx.QueryContext(ctx, `SELECT `+outboxColumns+` FROM email_outbox`+cond+
			` ORDER BY created_at DESC, id LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
		if err != nil {
			return err
		}
		rows, err = scanOutboxRows(r)
		return err
	})
	return rows, total, err
}

// OutboxStats summarises the outbox for /health and operators.
type OutboxStats struct {
	Pending       int           `json:"pending"`       // waiting, including retries
	Sending       int           `json:"sending"`       // claimed by a sender right now (or crashed mid-send)
	Sent          int           `json:"sent"`          // ever
	Failed        int           `json:"failed"`        // gave up, ever
	FailedLast24h int           `json:"failedLast24h"` // gave up in the last 24 hours
	OldestPending time.Duration `json:"-"`             // age of the oldest unsent email (0 when none)
	OldestSeconds float64       `json:"oldestPendingSeconds"`
}

// OutboxStats counts the outbox by status.
func (db *DB) OutboxStats(ctx context.Context) (OutboxStats, error) {
	var s OutboxStats
	err := db.Read(ctx, func(tx *Tx) error {
		r, err := tx.QueryContext(ctx, `SELECT status, count(*) FROM email_outbox GROUP BY status`)
		if err != nil {
			return err
		}
		defer r.Close()
		for r.Next() {
			var status string
			var n int
			if err := r.Scan(&status, &n); err != nil {
				return err
			}
			switch status {
			case OutboxPending:
				s.Pending = n
			case OutboxSending:
				s.Sending = n
			case OutboxSent:
				s.Sent = n
			case OutboxFailed:
				s.Failed = n
			}
		}
		if err := r.Err(); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM email_outbox
			WHERE status = 'failed' AND next_attempt_at >= ?`,
			FormatTime(tx.Now.Add(-24*time.Hour))).Scan(&s.FailedLast24h); err != nil {
			return err
		}
		var oldest sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT min(created_at) FROM email_outbox
			WHERE status IN ('pending', 'sending')`).Scan(&oldest); err != nil {
			return err
		}
		if t := parseNullTime(oldest); t != nil {
			s.OldestPending = max(tx.Now.Sub(*t), 0)
			s.OldestSeconds = s.OldestPending.Seconds()
		}
		return nil
	})
	return s, err
}

func scanOutboxRows(r *sql.Rows) ([]OutboxRow, error) {
	defer r.Close()
	var out []OutboxRow
	for r.Next() {
		var row OutboxRow
		var data, next, created string
		var sent sql.NullString
		if err := r.Scan(&row.ID, &row.Template, &row.To, &row.Lang, &data, &row.Status,
			&row.Attempts, &next, &row.LastError, &row.ProviderMessageID, &created, &sent); err != nil {
			return nil, err
		}
		// Data is decoded by the worker, not here: a row that does not decode is given up
		// on its own, instead of one bad row failing every claim.
		row.Data = json.RawMessage(data)
		row.NextAttemptAt, _ = ParseTime(next)
		row.CreatedAt, _ = ParseTime(created)
		row.SentAt = parseNullTime(sent)
		out = append(out, row)
	}
	return out, r.Err()
}
