package store

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

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
	Status string // one of RFQStatuses, or "" for all
	Page   int    // from 1
	Limit  int    // 1–100
}

// ListRFQs returns one page of userID's RFQs and how many there are in all.
func (db *DB) ListRFQs(ctx context.Context, userID string, f RFQFilter) ([]*RFQ, int, error) {
	if f.Status != "" {
		ok := false
		for _, s := range RFQStatuses {
			ok = ok || s == f.Status
		}
		if !ok {
			v := &Validator{}
			v.Add("status", "Status necunoscut.", "Unknown status.")
			return nil, 0, v.Err()
		}
	}
	if f.Page < 1 {
		f.Page = 1
	}
	if f.Limit < 1 || f.Limit > 100 {
		f.Limit = 24
	}
	where, args := "user_id = ?", []any{userID}
	if f.Status != "" {
		where += " AND status = ?"
		args = append(args, f.Status)
	}
	var list []*RFQ
	var total int
	err := db.Read(ctx, func(tx *Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM rfqs WHERE `+where, args...).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id FROM rfqs WHERE `+where+`
			ORDER BY submitted_at DESC, reference_number DESC LIMIT ? OFFSET ?`,
			append(args, f.Limit, (f.Page-1)*f.Limit)...)
		if err != nil {
			return err
		}
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		list = make([]*RFQ, 0, len(ids))
		for _, id := range ids {
			r, err := loadRFQ(ctx, tx, id)
			if err != nil {
				return err
			}
			if r != nil {
				list = append(list, r)
			}
		}
		return nil
	})
	return list, total, err
}

// loadRFQ reads one RFQ with its items and attachments; nil when it does not exist.
func loadRFQ(ctx context.Context, tx *Tx, id string) (*RFQ, error) {
	r := &RFQ{}
	var billing, delivery string
	var quotedAt sql.NullString
	var submitted, created, updated string
	err := tx.QueryRowContext(ctx, `SELECT id, user_id, guest_session_id, tracking_token_hash, reference_number,
			status, company_name, cui, contact_person, email, phone, billing_address, delivery_address,
			incoterm, delivery_date, notes, estimated_total, final_quote_amount, final_quote_pdf_url,
			quoted_at, submitted_at, created_at, updated_at
		FROM rfqs WHERE id = ?`, id).Scan(&r.ID, &r.UserID, &r.guestSessionID, &r.tokenHash, &r.ReferenceNumber,
		&r.Status, &r.CompanyName, &r.CUI, &r.ContactPerson, &r.Email, &r.Phone, &billing, &delivery,
		&r.Incoterm, &r.DeliveryDate, &r.Notes, &r.EstimatedTotal, &r.FinalQuoteAmount, &r.FinalQuotePdfURL,
		&quotedAt, &submitted, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(billing), &r.BillingAddress); err != nil {
		return nil, fmt.Errorf("rfq %s billing address: %w", id, err)
	}
	if err := json.Unmarshal([]byte(delivery), &r.DeliveryAddress); err != nil {
		return nil, fmt.Errorf("rfq %s delivery address: %w", id, err)
	}
	r.QuotedAt = parseNullTime(quotedAt)
	r.SubmittedAt, _ = ParseTime(submitted)
	r.CreatedAt, _ = ParseTime(created)
	r.UpdatedAt, _ = ParseTime(updated)

	rows, err := tx.QueryContext(ctx, `SELECT id, product_id, product_sku, product_name, quantity, unit, specs,
			unit_price, gross_price, final_price
		FROM rfq_items WHERE rfq_id = ? ORDER BY created_at, rowid`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	r.Items = []RFQItem{}
	for rows.Next() {
		var it RFQItem
		var specs sql.NullString
		if err := rows.Scan(&it.ID, &it.ProductID, &it.ProductSKU, &it.ProductName, &it.Quantity, &it.Unit,
			&specs, &it.UnitPrice, &it.GrossPrice, &it.FinalPrice); err != nil {
			return nil, err
		}
		it.Specs = specsJSON(&specs.String)
		r.Items = append(r.Items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()

	arows, err := tx.QueryContext(ctx, `SELECT id, file_name, file_size, mime_type FROM attachments
		WHERE rfq_id = ? ORDER BY uploaded_at, id`, id)
	if err != nil {
		return nil, err
	}
	defer arows.Close()
	r.Attachments = []RFQAttachment{}
	for arows.Next() {
		var a RFQAttachment
		if err := arows.Scan(&a.ID, &a.FileName, &a.FileSize, &a.MimeType); err != nil {
			return nil, err
		}
		r.Attachments = append(r.Attachments, a)
	}
	return r, arows.Err()
}
