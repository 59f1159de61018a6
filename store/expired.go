package store

import (
	"context"
	"time"
)

// SentEmailRetention is how long a sent email stays in the outbox: its content is in the
// provider's logs and the customer's inbox, and the outbox is not an archive.
const SentEmailRetention = 90 * 24 * time.Hour

// expiring is one kind of row that outlives its use: the sweep deletes it.
type expiring struct {
	what   string                  // names the rows in the sweep's report
	delete string                  // a DELETE whose one parameter is the cut-off
	cutoff func(now time.Time) any // the cut-off as the column stores it
}

// expirings is everything the sweep deletes. Expired rows are already ignored by every read;
// deleting them only keeps the tables small.
var expirings = []expiring{
	{"expired guest sessions", `DELETE FROM sessions WHERE expiry <= ?`,
		func(now time.Time) any { return unixSeconds(now) }},
	{"expired sign-in sessions", `DELETE FROM auth_sessions WHERE refresh_expires_at < ?`, formatCutoff(0)},
	// Emailed tokens, used or not, go a day after they expire.
	{"expired emailed tokens", `DELETE FROM user_tokens WHERE expires_at < ?`, formatCutoff(24 * time.Hour)},
	// A cart's lines go with it (ON DELETE CASCADE).
	{"expired carts", `DELETE FROM carts WHERE expires_at <= ?`, formatCutoff(0)},
	{"expired idempotency keys", `DELETE FROM idempotency_keys WHERE expires_at <= ?`, formatCutoff(0)},
	// Failed emails stay until someone looks at them.
	{"sent emails past retention", `DELETE FROM email_outbox WHERE status = 'sent' AND sent_at < ?`,
		formatCutoff(SentEmailRetention)},
}

// formatCutoff is the cut-off for a text time column: rows older than now-keep go.
func formatCutoff(keep time.Duration) func(time.Time) any {
	return func(now time.Time) any { return FormatTime(now.Add(-keep)) }
}

// Swept is what the sweep did to one kind of expired row.
type Swept struct {
	What    string // the rows, for a log line: "expired carts"
	Deleted int64
	Err     error
}

// SweepExpired deletes every kind of expired row, each kind in its own transaction so one
// failure does not keep the others, and reports each kind.
func (db *DB) SweepExpired(ctx context.Context) []Swept {
	out := make([]Swept, 0, len(expirings))
	for _, e := range expirings {
		s := Swept{What: e.what}
		s.Err = db.Write(ctx, func(tx *Tx) error {
			res, err := tx.ExecContext(ctx, e.delete, e.cutoff(tx.Now))
			if err != nil {
				return err
			}
			s.Deleted, err = res.RowsAffected()
			return err
		})
		out = append(out, s)
	}
	return out
}
