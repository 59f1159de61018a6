package store

import (
	"context"
	"database/sql"
	"errors"
	"net/url"

	"github.com/metalpro/backend/emails"
)

// QuoteSend is a rendered draft to send: its PDF is already in the file store (the caller
// stored the blob first and removes it if SendQuote fails).
type QuoteSend struct {
	RFQID    string
	Revision int       // the draft revision the PDF was rendered from
	PDF      NewUpload // the stored PDF
	// FilesURL is the API's public base: the email's and the RFQ's PDF link is
	// FilesURL + "/api/files/" + id, which the mail worker's attachment loader reads.
	FilesURL string
}

// ErrQuoteDraftChanged refuses a send of a draft revision that is no longer the current one.
var ErrQuoteDraftChanged = Errorf(ECodeConflict,
	"Oferta a fost modificată între timp de altcineva. Verifică oferta și trimite-o din nou.",
	"The quote was changed meanwhile by someone else. Check it and send it again.")

// SendQuote sends the RFQ's draft quote in one transaction: the PDF's upload row (linked
// to the RFQ), the version frozen as sent, the items' final prices, the RFQ QUOTED with
// quotedAt, finalQuoteAmount (gross) and finalQuotePdfUrl, the quote-ready email in the
// outbox and the audit rows. A draft saved after the PDF was rendered refuses the send
// (409): the customer must get the PDF of what the RFQ says.
func (db *DB) SendQuote(ctx context.Context, s QuoteSend) (*RFQ, error) {
	actor, _ := ActorFrom(ctx)
	var out *RFQ
	err := db.Write(ctx, func(tx *Tx) error {
		rfq, err := existingRFQ(ctx, tx, s.RFQID)
		if err != nil {
			return err
		}
		draft, err := findQuote(ctx, tx, s.RFQID, `status = 'draft'`)
		if err != nil {
			return err
		}
		if draft == nil {
			return errNoQuoteDraft
		}
		if draft.Revision != s.Revision {
			return ErrQuoteDraftChanged
		}
		fileID, now := NewID(), FormatTime(tx.Now)
		if _, err := tx.ExecContext(ctx, `INSERT INTO attachments (id, rfq_id, kind, file_name, file_size, mime_type,
				storage_url, uploaded_at) VALUES (?, ?, 'attachment', ?, ?, ?, ?, ?)`,
			fileID, rfq.ID, s.PDF.FileName, s.PDF.FileSize, s.PDF.MimeType, s.PDF.StorageKey, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE quote_versions SET status = 'sent', pdf_upload_id = ?, sent_at = ?,
				sent_by = ?, updated_at = ? WHERE id = ?`, fileID, now, nullIfEmpty(actor.UserID), now, draft.ID); err != nil {
			return err
		}
		for id, bani := range draft.Totals.ItemPrice {
			if _, err := tx.ExecContext(ctx, `UPDATE rfq_items SET final_price = ? WHERE id = ? AND rfq_id = ?`,
				Lei(bani), id, rfq.ID); err != nil {
				return err
			}
		}
		before := rfqQuoteState(rfq)
		if err := moveRFQ(ctx, tx, rfq, RFQQuoted); err != nil {
			return err
		}
		link := s.FilesURL + "/api/files/" + url.PathEscape(fileID)
		if _, err := tx.ExecContext(ctx, `UPDATE rfqs SET quoted_at = ?, final_quote_amount = ?, final_quote_pdf_url = ?,
				updated_at = ? WHERE id = ?`, now, Lei(draft.Totals.Gross), link, now, rfq.ID); err != nil {
			return err
		}
		if out, err = loadRFQ(ctx, tx, rfq.ID); err != nil {
			return err
		}
		lang, err := rfqLang(ctx, tx, rfq)
		if err != nil {
			return err
		}
		if _, err := EnqueueEmail(ctx, tx, OutboxEmail{To: rfq.Email, Lang: lang, Email: emails.QuoteReady{
			RFQID: rfq.ID, ReferenceNumber: rfq.ReferenceNumber, ContactPerson: rfq.ContactPerson,
			FinalQuoteAmount: Lei(draft.Totals.Gross), PDFURL: link,
		}}); err != nil {
			return err
		}
		after := rfqQuoteState(out)
		after["version"], after["pdfFileId"] = draft.Version, fileID
		return Audit(ctx, tx, "quote.send", "rfq", rfq.ID, before, after)
	})
	return out, err
}

// rfqQuoteState is what the audit log records of an RFQ's quote fields.
func rfqQuoteState(r *RFQ) map[string]any {
	return map[string]any{"status": r.Status, "finalQuoteAmount": r.FinalQuoteAmount, "quotedAt": r.QuotedAt,
		"finalQuotePdfUrl": r.FinalQuotePdfURL}
}

// rfqLang is the language of the RFQ's customer emails: the account's for a user's RFQ,
// Romanian for a guest's (a guest chose no language the server keeps).
func rfqLang(ctx context.Context, tx *Tx, rfq *RFQ) (string, error) {
	if rfq.UserID == nil {
		return "ro", nil
	}
	var lang string
	err := tx.QueryRowContext(ctx, `SELECT language FROM users WHERE id = ?`, *rfq.UserID).Scan(&lang)
	if errors.Is(err, sql.ErrNoRows) {
		return "ro", nil
	}
	return lang, err
}
