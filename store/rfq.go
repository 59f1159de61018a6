package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
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
	DeliveryDate     *Date           `json:"deliveryDate"`
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

	UserID *string `json:"-"`
	// The back office's side (rfq_workflow.go): the version a staff change must name, the
	// assigned staff member, the customer's email language.
	Version        int     `json:"-"`
	AssigneeID     *string `json:"-"`
	Language       string  `json:"-"`
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

// RFQSubmission is everything an RFQ submission needs: whose cart, the form, the
// language of the confirmation email, where the operator notification goes, optionally
// the idempotency key, and how to answer.
type RFQSubmission struct {
	Owner         CartOwner // zero when the caller has no session, so no cart
	Input         RFQInput
	Lang          string
	OperatorEmail string
	Idempotency   *Idempotency
	// Respond renders the API's answer to the new RFQ. SubmitRFQ stores it with the
	// idempotency key in the submission's own transaction, so a retry gets the first
	// answer byte for byte; it runs inside that transaction, so it must not block.
	// Required with Idempotency.
	Respond func(*RFQ) (StoredResponse, error)
}

// CheckedRFQ is a submission that passed CheckRFQ: its form is valid and normalised and
// its cart could be submitted. Only CheckRFQ makes one, so SubmitRFQ never validates the
// form again.
type CheckedRFQ struct {
	// Replay is the answer already given for the submission's idempotency key: send it
	// and submit nothing.
	Replay *StoredResponse
	sub    RFQSubmission
}

// SubmittedRFQ is SubmitRFQ's result. Response is what sub.Respond rendered (and what was
// stored with the idempotency key); Replayed says it is the stored answer of an earlier
// submission with the same key that committed after the pre-check. TrackingToken is only
// known on the first submission.
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

// CheckRFQ is the pre-check of a submission, in one read transaction, for the caller to
// run before anything that costs the visitor (a rate-limit slot, a single-use captcha
// token): first the answer already given for the idempotency key (a retry is answered
// even if, say, its delivery date has passed since), then the form, then the cart (not
// empty, every line still for sale).
func (db *DB) CheckRFQ(ctx context.Context, sub RFQSubmission) (*CheckedRFQ, error) {
	hasCart := sub.Owner != CartOwner{}
	if hasCart {
		if err := sub.Owner.check(); err != nil {
			return nil, err
		}
	}
	if sub.Idempotency != nil && (!hasCart || sub.Respond == nil) {
		return nil, errors.New("rfq submission: an idempotency key needs a cart owner and Respond")
	}
	out := &CheckedRFQ{}
	err := db.Read(ctx, func(tx *Tx) error {
		// One snapshot: the key and the emptied cart of an earlier submission commit
		// together, so a retry sees either both or neither.
		if sub.Idempotency != nil {
			prev, err := findIdempotent(ctx, tx, *sub.Idempotency)
			if err != nil || prev != nil {
				out.Replay = prev
				return err
			}
		}
		if err := sub.Input.Validate(tx.Now); err != nil {
			return err
		}
		if !hasCart {
			return ErrEmptyCart
		}
		cart, err := findCart(ctx, tx, sub.Owner)
		if err != nil {
			return err
		}
		if err := checkRFQCart(cart); err != nil {
			return err
		}
		return checkRFQAttachments(ctx, tx, sub.Owner, sub.Input.AttachmentIDs, "")
	})
	if err != nil {
		return nil, err
	}
	out.sub = sub
	return out, nil
}

// checkRFQCart refuses a cart an RFQ cannot be made of.
func checkRFQCart(cart *Cart) error {
	if len(cart.Items) == 0 {
		return ErrEmptyCart
	}
	v := &Validator{}
	for i, it := range cart.Items {
		v.Check(it.Available, fmt.Sprintf("items[%d]", i),
			"Produsul „"+it.Product.Title+"” nu mai este disponibil în unitatea aleasă; scoate-l din coș.",
			"“"+it.Product.Title+"” is no longer available in the chosen unit; remove it from the cart.")
	}
	return v.Err()
}

// SubmitRFQ turns a checked submission's cart into an RFQ in one write transaction: the
// reference number, the RFQ with a snapshot of the priced cart and its items, the emptied
// cart, the confirmation and operator emails in the outbox and the idempotency record.
// Either all of it happens or none of it. The key and the cart are looked at again here,
// not trusted from the pre-check: a concurrent retry may have committed in between.
func (db *DB) SubmitRFQ(ctx context.Context, c *CheckedRFQ) (*SubmittedRFQ, error) {
	if c == nil || c.Replay != nil {
		return nil, errors.New("rfq submission: not checked, or already answered")
	}
	sub := c.sub
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
		if err := checkRFQCart(cart); err != nil {
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
		out = &SubmittedRFQ{RFQ: rfq, TrackingToken: token}
		if sub.Respond == nil {
			return nil
		}
		if out.Response, err = sub.Respond(rfq); err != nil {
			return err
		}
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
	token := newToken()
	tokenHash := HashToken(token)
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
			estimated_total, submitted_at, created_at, updated_at, language)
		VALUES (?, ?, ?, ?, ?, 'SUBMITTED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, userID, guestID, tokenHash, ref, in.CompanyName, nullIfEmpty(in.CUI), in.ContactPerson,
		in.Email, in.Phone, string(billing), string(delivery), nullIfEmpty(in.Incoterm),
		nullIfEmpty(in.DeliveryDate), nullIfEmpty(in.Notes), string(snapshot), Lei(total), now, now, now, emailLang(sub.Lang))
	if err != nil {
		return nil, "", fmt.Errorf("insert rfq: %w", err)
	}
	for _, it := range cart.Items {
		_, err := tx.ExecContext(ctx, `INSERT INTO rfq_items (id, rfq_id, product_id, product_sku, product_name,
				quantity, unit, specs, unit_price, gross_price, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			NewID(), id, it.ProductID, it.Product.SKU, it.Product.Title, it.Quantity, it.Unit,
			nullIfEmpty(it.specs), Lei(it.unitBani), Lei(it.totalBani), now)
		if err != nil {
			return nil, "", fmt.Errorf("insert rfq item: %w", err)
		}
	}
	// Claimed in the RFQ's own transaction: a file that is not the caller's refuses the
	// whole submission.
	if err := checkRFQAttachments(ctx, tx, sub.Owner, in.AttachmentIDs, id); err != nil {
		return nil, "", err
	}
	rfq, err := loadRFQ(ctx, tx, id)
	return rfq, token, err
}

// enqueueRFQEmails queues the customer's confirmation and the operator's notification.
// Values are raw text: the mail package escapes when it renders.
func enqueueRFQEmails(ctx context.Context, tx *Tx, sub RFQSubmission, rfq *RFQ, token string) error {
	items := make([]emails.RFQItem, len(rfq.Items))
	for i, it := range rfq.Items {
		items[i] = emails.RFQItem{ProductName: it.ProductName, ProductSKU: it.ProductSKU, Quantity: it.Quantity, Unit: it.Unit}
		if len(it.Specs) > 0 && string(it.Specs) != "null" {
			items[i].Specs = string(it.Specs)
		}
	}
	if _, err := EnqueueEmail(ctx, tx, OutboxEmail{To: rfq.Email, Lang: sub.Lang, Email: emails.RFQConfirmation{
		RFQID:           rfq.ID,
		ReferenceNumber: rfq.ReferenceNumber,
		ContactPerson:   rfq.ContactPerson,
		CompanyName:     rfq.CompanyName,
		EstimatedTotal:  rfq.EstimatedTotal,
		DeliveryDate:    (*string)(rfq.DeliveryDate), // emails write the plain day
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
		Attachments:     fileLinks(rfq.Attachments),
		Items:           items,
		BillingAddress:  rfq.BillingAddress.oneLine(),
		DeliveryAddress: rfq.DeliveryAddress.oneLine(),
		Incoterm:        rfq.Incoterm,
		DeliveryDate:    (*string)(rfq.DeliveryDate),
		Notes:           rfq.Notes,
	}})
	return err
}

// fileLinks name the RFQ's files for the operator email, which links them to the back
// office (the mail renderer knows its address; the store does not).
func fileLinks(files []RFQAttachment) []emails.FileLink {
	var out []emails.FileLink
	for _, f := range files {
		out = append(out, emails.FileLink{FileName: f.FileName, FileSize: f.FileSize, ID: f.ID})
	}
	return out
}

// emailLang is "en" for English and "ro" for anything else: the languages emails exist in.
func emailLang(lang string) string {
	if lang == "en" {
		return "en"
	}
	return "ro"
}
