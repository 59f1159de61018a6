package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/metalpro/backend/emails"
)

// RFQ statuses (the seed's enum).
const (
	RFQSubmitted    = "SUBMITTED"
	RFQAcknowledged = "ACKNOWLEDGED"
	RFQInProgress   = "IN_PROGRESS"
	RFQQuoted       = "QUOTED"
	RFQCompleted    = "COMPLETED"
	RFQCancelled    = "CANCELLED"
)

// RFQStatuses lists every status in workflow order.
var RFQStatuses = []string{RFQSubmitted, RFQAcknowledged, RFQInProgress, RFQQuoted, RFQCompleted, RFQCancelled}

// RFQ is a request for quote as the API shows it.
type RFQ struct {
	ID               string          `json:"id"`
	ReferenceNumber  string          `json:"referenceNumber"`
	Status           string          `json:"status"`
	CompanyName      string          `json:"companyName"`
	CUI              *string         `json:"cui"`
	ContactPerson    string          `json:"contactPerson"`
	Email            string          `json:"email"`
	Phone            string          `json:"phone"`
	BillingAddress   RFQAddress      `json:"billingAddress"`
	DeliveryAddress  RFQAddress      `json:"deliveryAddress"`
	Incoterm         *string         `json:"incoterm"`
	DeliveryDate     *string         `json:"deliveryDate"` // YYYY-MM-DD
	Notes            *string         `json:"notes"`
	Items            []RFQItem       `json:"items"`
	Attachments      []RFQAttachment `json:"attachments"`
	EstimatedTotal   *float64        `json:"estimatedTotal"`
	FinalQuoteAmount *float64        `json:"finalQuoteAmount"`
	FinalQuotePdfURL *string         `json:"finalQuotePdfUrl"`
	QuotedAt         *time.Time      `json:"quotedAt"`
	SubmittedAt      time.Time       `json:"submittedAt"`
	CreatedAt        time.Time       `json:"createdAt"`
	UpdatedAt        time.Time       `json:"updatedAt"`

	UserID         *string `json:"-"`
	guestSessionID sql.NullString
	tokenHash      sql.NullString
}

// RFQItem is one priced line of an RFQ. GrossPrice is the line total (quantity × UnitPrice)
// from the catalog at submission, so the items' gross prices add up to estimatedTotal;
// FinalPrice is the operator's price for the same line.
type RFQItem struct {
	ID          string          `json:"id"`
	ProductID   *string         `json:"productId"`
	ProductSKU  string          `json:"productSku"`
	ProductName string          `json:"productName"`
	Quantity    float64         `json:"quantity"`
	Unit        string          `json:"unit"`
	Specs       json.RawMessage `json:"specs"`
	UnitPrice   *float64        `json:"unitPrice"`
	GrossPrice  float64         `json:"grossPrice"`
	FinalPrice  *float64        `json:"finalPrice"`
}

// RFQAttachment is a file attached to an RFQ.
type RFQAttachment struct {
	ID       string `json:"id"`
	FileName string `json:"fileName"`
	FileSize int64  `json:"fileSize"`
	MimeType string `json:"mimeType"`
}

// RFQSubmission is everything SubmitRFQ needs: whose cart, the form, the language of the
// confirmation email, where the operator notification goes and, optionally, the
// idempotency key.
type RFQSubmission struct {
	Owner         CartOwner
	Input         RFQInput
	Lang          string
	OperatorEmail string
	Idempotency   *Idempotency
}

// SubmittedRFQ is SubmitRFQ's result. Response is the API answer (201 and the RFQ as JSON),
// stored with the idempotency key; Replayed says it is the stored answer of an earlier
// submission with the same key. TrackingToken is only known on the first submission.
type SubmittedRFQ struct {
	RFQ           *RFQ
	TrackingToken string
	Response      StoredResponse
	Replayed      bool
}

// ErrEmptyCart refuses an RFQ for a cart with nothing in it.
var ErrEmptyCart = Errorf(ECodeInvalid,
	"Coșul este gol. Adaugă produse înainte de a trimite cererea de ofertă.",
	"Your cart is empty. Add products before requesting a quote.")

var errRFQNotFound = ErrNotFound("Cererea de ofertă nu a fost găsită.", "Request for quote not found.")

// SubmitRFQ turns owner's cart into an RFQ in one write transaction: the reference number,
// the RFQ with a snapshot of the priced cart and its items, the emptied cart, the
// confirmation and operator emails in the outbox and the idempotency record. Either all of
// it happens or none of it.
func (db *DB) SubmitRFQ(ctx context.Context, sub RFQSubmission) (*SubmittedRFQ, error) {
	if err := sub.Owner.check(); err != nil {
		return nil, err
	}
	if err := sub.Input.Validate(db.Now()); err != nil {
		return nil, err
	}
	var out *SubmittedRFQ
	err := db.Write(ctx, func(tx *Tx) error {
		out = nil
		if sub.Idempotency != nil {
			prev, err := findIdempotent(ctx, tx, *sub.Idempotency)
			if err != nil {
				return err
			}
			if prev != nil {
				out = &SubmittedRFQ{Response: *prev, Replayed: true}
				return nil
			}
		}
		cart, err := findCart(ctx, tx, sub.Owner)
		if err != nil {
			return err
		}
		if len(cart.Items) == 0 {
			return ErrEmptyCart
		}
		v := &Validator{}
		for i, it := range cart.Items {
			v.Check(it.Available, fmt.Sprintf("items[%d]", i),
				"Produsul „"+it.Product.Title+"” nu mai este disponibil în unitatea aleasă; scoate-l din coș.",
				"“"+it.Product.Title+"” is no longer available in the chosen unit; remove it from the cart.")
		}
		if err := v.Err(); err != nil {
			return err
		}
		rfq, token, err := insertRFQ(ctx, tx, sub, cart)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM carts WHERE id = ?`, *cart.ID); err != nil {
			return err
		}
		if err := enqueueRFQEmails(ctx, tx, sub, rfq, token); err != nil {
			return err
		}
		var body bytes.Buffer
		enc := json.NewEncoder(&body)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rfq); err != nil {
			return err
		}
		out = &SubmittedRFQ{RFQ: rfq, TrackingToken: token, Response: StoredResponse{Status: 201, Body: body.Bytes()}}
		if sub.Idempotency != nil {
			return saveIdempotent(ctx, tx, *sub.Idempotency, rfq.ID, out.Response)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// insertRFQ writes the RFQ and its items from the priced cart; it returns the RFQ as read
// back and the tracking token (only its hash is stored).
func insertRFQ(ctx context.Context, tx *Tx, sub RFQSubmission, cart *Cart) (*RFQ, string, error) {
	in := sub.Input
	ref, err := nextReferenceNumber(ctx, tx)
	if err != nil {
		return nil, "", err
	}
	token, tokenHash, err := newTrackingToken()
	if err != nil {
		return nil, "", err
	}
	snapshot, err := json.Marshal(cart)
	if err != nil {
		return nil, "", err
	}
	billing, _ := json.Marshal(in.BillingAddress)
	delivery, _ := json.Marshal(in.DeliveryAddress)
	var total int64
	for _, it := range cart.Items {
		total += it.totalBani
	}
	id, now := NewID(), FormatTime(tx.Now)
	var userID, guestID any
	if sub.Owner.UserID != "" {
		userID = sub.Owner.UserID
	} else {
		guestID = sub.Owner.GuestID
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO rfqs (id, user_id, guest_session_id, tracking_token_hash,
			reference_number, status, company_name, cui, contact_person, email, phone,
			billing_address, delivery_address, incoterm, delivery_date, notes, cart_snapshot,
			estimated_total, submitted_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, 'SUBMITTED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, userID, guestID, tokenHash, ref, in.CompanyName, emptyToNull(in.CUI), in.ContactPerson,
		in.Email, in.Phone, string(billing), string(delivery), emptyToNull(in.Incoterm),
		emptyToNull(in.DeliveryDate), emptyToNull(in.Notes), string(snapshot), Lei(total), now, now, now)
	if err != nil {
		return nil, "", fmt.Errorf("insert rfq: %w", err)
	}
	for _, it := range cart.Items {
		_, err := tx.ExecContext(ctx, `INSERT INTO rfq_items (id, rfq_id, product_id, product_sku, product_name,
				quantity, unit, specs, unit_price, gross_price, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			NewID(), id, it.ProductID, it.Product.SKU, it.Product.Title, it.Quantity, it.Unit,
			emptyToNull(it.specs), Lei(it.unitBani), Lei(it.totalBani), now)
		if err != nil {
			return nil, "", fmt.Errorf("insert rfq item: %w", err)
		}
	}
	rfq, err := loadRFQ(ctx, tx, id)
	return rfq, token, err
}

func newTrackingToken() (token, hash string, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", err
	}
	token = base64.RawURLEncoding.EncodeToString(b[:])
	return token, hashToken(token), nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// enqueueRFQEmails queues the customer's confirmation and the operator's notification.
// Values are raw text: the mail package escapes when it renders.
func enqueueRFQEmails(ctx context.Context, tx *Tx, sub RFQSubmission, rfq *RFQ, token string) error {
	items := make([]emails.RFQItem, len(rfq.Items))
	for i, it := range rfq.Items {
		items[i] = emails.RFQItem{ProductName: it.ProductName, Quantity: it.Quantity, Unit: it.Unit}
	}
	if _, err := EnqueueEmail(ctx, tx, OutboxEmail{To: rfq.Email, Lang: sub.Lang, Email: emails.RFQConfirmation{
		RFQID:           rfq.ID,
		ReferenceNumber: rfq.ReferenceNumber,
		ContactPerson:   rfq.ContactPerson,
		CompanyName:     rfq.CompanyName,
		EstimatedTotal:  rfq.EstimatedTotal,
		DeliveryDate:    rfq.DeliveryDate,
		TrackingToken:   token,
		Items:           items,
	}}); err != nil {
		return err
	}
	// An empty To is fine: the mail worker sends operator_new_rfq to OPERATOR_EMAIL.
	_, err := EnqueueEmail(ctx, tx, OutboxEmail{To: sub.OperatorEmail, Lang: "ro", Email: emails.OperatorNewRFQ{
		RFQID:           rfq.ID,
		ReferenceNumber: rfq.ReferenceNumber,
		CompanyName:     rfq.CompanyName,
		CUI:             rfq.CUI,
		ContactPerson:   rfq.ContactPerson,
		Email:           rfq.Email,
		Phone:           rfq.Phone,
		EstimatedTotal:  rfq.EstimatedTotal,
		ItemCount:       len(rfq.Items),
	}})
	return err
}
