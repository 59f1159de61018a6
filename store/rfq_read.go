package store

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// Reading RFQs: one for its owner, and a customer's list.

// RFQViewer is who asks to read an RFQ: a user, a guest session, and/or a tracking token.
type RFQViewer struct {
	UserID  string
	GuestID string
	Token   string
}

// RFQForViewer returns the RFQ if the viewer may see it: its user, the guest session that
// sent it (a guest RFQ only), or anyone holding its tracking token. Everyone else gets
// not found, exactly as for an id that does not exist.
func (db *DB) RFQForViewer(ctx context.Context, id string, v RFQViewer) (*RFQ, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, errRFQNotFound
	}
	var rfq *RFQ
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		rfq, err = loadRFQ(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	if rfq == nil || !rfq.visibleTo(v) {
		return nil, errRFQNotFound
	}
	return rfq, nil
}

func (r *RFQ) visibleTo(v RFQViewer) bool {
	switch {
	case v.UserID != "" && r.UserID != nil && *r.UserID == v.UserID:
		return true
	case v.GuestID != "" && r.UserID == nil && r.guestSessionID.Valid && r.guestSessionID.String == v.GuestID:
		return true
	case v.Token != "" && r.tokenHash.Valid:
		return subtle.ConstantTimeCompare([]byte(HashToken(v.Token)), []byte(r.tokenHash.String)) == 1
	}
	return false
}

// RFQFilter selects a user's RFQs, newest first.
type RFQFilter struct {
	UserID string
	Status string // one of RFQStatuses, or "" for all
	Page   int    // from 1
	Limit  int    // 1–MaxPageLimit
}

// FindRFQs returns one page of the user's RFQs with their items and attachments, and how
// many there are in all: one query for the page, one for all its items, one for all its
// attachments.
func (db *DB) FindRFQs(ctx context.Context, f RFQFilter) ([]*RFQ, int, error) {
	if f.Status != "" {
		v := &Validator{}
		v.Check(slices.Contains(RFQStatuses, f.Status), "status", "Status necunoscut.", "Unknown status.")
		if err := v.Err(); err != nil {
			return nil, 0, err
		}
	}
	limit, offset, err := pageBounds(f.Page, f.Limit)
	if err != nil {
		return nil, 0, err
	}
	where, args := "user_id = ?", []any{f.UserID}
	if f.Status != "" {
		where += " AND status = ?"
		args = append(args, f.Status)
	}
	list := []*RFQ{}
	var total int
	err = db.Read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+rfqColumns+`, COUNT(*) OVER() FROM rfqs WHERE `+where+`
			ORDER BY submitted_at DESC, reference_number DESC LIMIT ? OFFSET ?`,
			append(args, limit, offset)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanRFQ(withTotal(rows, &total))
			if err != nil {
				return err
			}
			list = append(list, r)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		if len(list) == 0 {
			total, err = totalPastEnd(ctx, tx, offset, `SELECT COUNT(*) FROM rfqs WHERE `+where, args...)
			return err
		}
		return loadRFQLines(ctx, tx, list)
	})
	if err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

// existingRFQ is loadRFQ for a caller that needs the RFQ to exist: not found is an error.
func existingRFQ(ctx context.Context, tx *Tx, id string) (*RFQ, error) {
	rfq, err := loadRFQ(ctx, tx, id)
	if err == nil && rfq == nil {
		err = errRFQNotFound
	}
	return rfq, err
}

// loadRFQ reads one RFQ with its items and attachments; nil when it does not exist.
func loadRFQ(ctx context.Context, tx *Tx, id string) (*RFQ, error) {
	r, err := scanRFQ(tx.QueryRowContext(ctx, `SELECT `+rfqColumns+` FROM rfqs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return r, loadRFQLines(ctx, tx, []*RFQ{r})
}

const rfqColumns = `id, user_id, guest_session_id, tracking_token_hash, reference_number,
	status, company_name, cui, contact_person, email, phone, billing_address, delivery_address,
	incoterm, delivery_date, notes, estimated_total, final_quote_amount, final_quote_pdf_url,
	quoted_at, submitted_at, created_at, updated_at, version, assignee_id, language`

func scanRFQ(row rowScanner) (*RFQ, error) {
	r := &RFQ{}
	var billing, delivery string
	var quotedAt sql.NullString
	var submitted, created, updated string
	if err := row.Scan(&r.ID, &r.UserID, &r.guestSessionID, &r.tokenHash, &r.ReferenceNumber,
		&r.Status, &r.CompanyName, &r.CUI, &r.ContactPerson, &r.Email, &r.Phone, &billing, &delivery,
		&r.Incoterm, &r.DeliveryDate, &r.Notes, &r.EstimatedTotal, &r.FinalQuoteAmount, &r.FinalQuotePdfURL,
		&quotedAt, &submitted, &created, &updated, &r.Version, &r.AssigneeID, &r.Language); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(billing), &r.BillingAddress); err != nil {
		return nil, fmt.Errorf("rfq %s billing address: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(delivery), &r.DeliveryAddress); err != nil {
		return nil, fmt.Errorf("rfq %s delivery address: %w", r.ID, err)
	}
	r.QuotedAt = parseNullTime(quotedAt)
	r.SubmittedAt, _ = ParseTime(submitted)
	r.CreatedAt, _ = ParseTime(created)
	r.UpdatedAt, _ = ParseTime(updated)
	r.Items, r.Attachments = []RFQItem{}, []RFQAttachment{}
	return r, nil
}

// loadRFQLines fills the items and attachments of rfqs with one query each, whatever
// the number of RFQs.
func loadRFQLines(ctx context.Context, tx *Tx, rfqs []*RFQ) error {
	byID := make(map[string]*RFQ, len(rfqs))
	ids := make([]any, len(rfqs))
	for i, r := range rfqs {
		byID[r.ID], ids[i] = r, r.ID
	}
	in := "(?" + strings.Repeat(", ?", len(ids)-1) + ")"

	rows, err := tx.QueryContext(ctx, `SELECT rfq_id, id, product_id, product_sku, product_name, quantity, unit, specs,
			unit_price, gross_price, final_price
		FROM rfq_items WHERE rfq_id IN `+in+` ORDER BY created_at, rowid`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var rfqID string
		var it RFQItem
		var specs sql.NullString
		if err := rows.Scan(&rfqID, &it.ID, &it.ProductID, &it.ProductSKU, &it.ProductName, &it.Quantity, &it.Unit,
			&specs, &it.UnitPrice, &it.GrossPrice, &it.FinalPrice); err != nil {
			return err
		}
		it.Specs = specsJSON(&specs.String)
		byID[rfqID].Items = append(byID[rfqID].Items, it)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()

	// A sent quote's PDF is linked to its RFQ too (so its owner may download it), but it is
	// the quote's, not one of the customer's attachments.
	arows, err := tx.QueryContext(ctx, `SELECT rfq_id, id, file_name, file_size, mime_type FROM attachments
		WHERE rfq_id IN `+in+` AND NOT EXISTS (SELECT 1 FROM quote_versions q WHERE q.pdf_upload_id = attachments.id)
		ORDER BY uploaded_at, id`, ids...)
	if err != nil {
		return err
	}
	defer arows.Close()
	for arows.Next() {
		var rfqID string
		var a RFQAttachment
		if err := arows.Scan(&rfqID, &a.ID, &a.FileName, &a.FileSize, &a.MimeType); err != nil {
			return err
		}
		byID[rfqID].Attachments = append(byID[rfqID].Attachments, a)
	}
	return arows.Err()
}
