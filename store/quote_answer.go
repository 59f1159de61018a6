package store

import (
	"context"
	"time"

	"github.com/metalpro/backend/emails"
)

// The customer's answer to a sent quote (POST /api/rfq/{id}/accept and /decline), and the
// daily job that marks expired quotes.

// QuoteAnswer is a customer's accept or decline.
type QuoteAnswer struct {
	RFQID         string
	Viewer        RFQViewer
	Accept        bool
	Reason        string // decline only, optional
	OperatorEmail string // where the operator's notification goes
}

var errNoOpenQuote = Errorf(ECodeConflict,
	"Nu există o ofertă trimisă care să aștepte răspunsul tău (a expirat sau a primit deja un răspuns).",
	"There is no sent quote waiting for your answer (it expired or was already answered).")

// quoteDay is the calendar day of now in Romania: a quote is valid through its validUntil day, on Romania's calendar.
func quoteDay(now time.Time) string { return now.In(Bucharest).Format(time.DateOnly) }

// AnswerQuote records the customer's answer to the RFQ's last sent quote, while it is
// QUOTED and the quote unexpired (409 otherwise): accept completes the RFQ, decline
// cancels it; the operator is emailed; all in one transaction with its audit rows (the
// actor is the customer).
func (db *DB) AnswerQuote(ctx context.Context, a QuoteAnswer) (*RFQ, error) {
	v := &Validator{}
	reason := v.Text("reason", a.Reason, 0, 1000, "Motivul are cel mult 1000 de caractere.", "The reason has at most 1000 characters.")
	if err := v.Err(); err != nil {
		return nil, err
	}
	rfq, err := db.RFQForViewer(ctx, a.RFQID, a.Viewer)
	if err != nil {
		return nil, err
	}
	label := "customer:" + rfq.Email
	ctx = WithActor(ctx, Actor{UserID: a.Viewer.UserID, Label: label, RequestID: requestIDOf(ctx)})
	var out *RFQ
	err = db.Write(ctx, func(tx *Tx) error {
		rfq, err := existingRFQ(ctx, tx, a.RFQID)
		if err != nil {
			return err
		}
		q, err := findQuote(ctx, tx, rfq.ID, `status != 'draft'`)
		if err != nil {
			return err
		}
		if rfq.Status != RFQQuoted || q == nil || q.Status != QuoteSent || q.Answer != nil ||
			q.ValidUntil < quoteDay(tx.Now) {
			return errNoOpenQuote
		}
		answer, action, to := "declined", "quote.decline", RFQCancelled
		if a.Accept {
			answer, action, to, reason = "accepted", "quote.accept", RFQCompleted, ""
		}
		now := FormatTime(tx.Now)
		if _, err := tx.ExecContext(ctx, `UPDATE quote_versions SET answer = ?, answer_reason = ?, answered_at = ?,
				updated_at = ? WHERE id = ?`, answer, nullIfEmpty(reason), now, now, q.ID); err != nil {
			return err
		}
		if err := moveRFQ(ctx, tx, rfq, to); err != nil {
			return err
		}
		if err := Audit(ctx, tx, action, "rfq", rfq.ID, nil,
			map[string]any{"version": q.Version, "answer": answer, "reason": nullIfEmpty(reason)}); err != nil {
			return err
		}
		if out, err = loadRFQ(ctx, tx, rfq.ID); err != nil {
			return err
		}
		var why *string
		if reason != "" {
			why = &reason
		}
		_, err = EnqueueEmail(ctx, tx, OutboxEmail{To: a.OperatorEmail, Lang: "ro", Email: emails.OperatorQuoteAnswer{
			RFQID: rfq.ID, ReferenceNumber: rfq.ReferenceNumber, CompanyName: rfq.CompanyName,
			ContactPerson: rfq.ContactPerson, Email: rfq.Email, Accepted: a.Accept, Reason: why,
			FinalQuoteAmount: Lei(q.Totals.Gross), Version: q.Version,
		}})
		return err
	})
	return out, err
}

// requestIDOf is the request id an actor already in ctx carries, if any.
func requestIDOf(ctx context.Context) string {
	a, _ := ActorFrom(ctx)
	return a.RequestID
}

// ExpireQuotes marks every sent, unanswered quote whose last valid day has passed as
// expired (the daily job), with an audit row each; it returns how many.
func (db *DB) ExpireQuotes(ctx context.Context) (int, error) {
	ctx = WithActor(ctx, Actor{Label: "system"})
	n := 0
	err := db.Write(ctx, func(tx *Tx) error {
		n = 0
		rows, err := tx.QueryContext(ctx, `SELECT id, rfq_id, version, valid_until FROM quote_versions
			WHERE status = 'sent' AND answer IS NULL AND valid_until < ?`, quoteDay(tx.Now))
		if err != nil {
			return err
		}
		type expiring struct {
			id, rfqID, valid string
			version          int
		}
		var list []expiring
		for rows.Next() {
			var e expiring
			if err := rows.Scan(&e.id, &e.rfqID, &e.version, &e.valid); err != nil {
				rows.Close()
				return err
			}
			list = append(list, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, e := range list {
			if _, err := tx.ExecContext(ctx, `UPDATE quote_versions SET status = 'expired', updated_at = ? WHERE id = ?`,
				FormatTime(tx.Now), e.id); err != nil {
				return err
			}
			if err := Audit(ctx, tx, "quote.expire", "rfq", e.rfqID, map[string]any{"version": e.version, "status": QuoteSent},
				map[string]any{"version": e.version, "status": QuoteExpired, "validUntil": e.valid}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
