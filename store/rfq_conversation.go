package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/metalpro/backend/emails"
)

// Around an RFQ: internal notes (staff only) and the conversation with the customer
// (messages both sides see; each one emails the other side through the outbox).

// Limits of notes and messages. A message is an email to someone, so each side of an
// RFQ's conversation may send MaxRFQMessagesPerHour an hour: enough for a real exchange,
// too few to turn the form into a way of flooding sales' (or a customer's) inbox.
const (
	MaxRFQTextLen         = 4000
	MaxRFQMessagesPerHour = 20
)

// Message authors.
const (
	RFQMessageByStaff    = "STAFF"
	RFQMessageByCustomer = "CUSTOMER"
)

// RFQNote is an internal note on an RFQ.
type RFQNote struct {
	ID        string    `json:"id"`
	Author    string    `json:"author"` // the staff member's name
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"createdAt"`
}

// RFQMessage is one message of the conversation about an RFQ.
type RFQMessage struct {
	ID         string    `json:"id"`
	AuthorKind string    `json:"authorKind"` // STAFF or CUSTOMER
	Author     string    `json:"author"`     // the staff member's name, or the RFQ's contact person
	Text       string    `json:"text"`
	CreatedAt  time.Time `json:"createdAt"`
}

var errRFQTooManyMessages = &Error{Code: ECodeRateLimited,
	Message: Text{
		RO: fmt.Sprintf("S-au trimis deja %d de mesaje despre această cerere în ultima oră. Încearcă mai târziu.", MaxRFQMessagesPerHour),
		EN: fmt.Sprintf("%d messages about this request were already sent in the last hour. Please try again later.", MaxRFQMessagesPerHour),
	}}

func checkRFQText(text string) (string, error) {
	text = strings.TrimSpace(text)
	v := &Validator{}
	v.Check(text != "", "text", "Scrie un text.", "Write some text.")
	v.Check(len([]rune(text)) <= MaxRFQTextLen, "text",
		fmt.Sprintf("Textul poate avea cel mult %d de caractere.", MaxRFQTextLen),
		fmt.Sprintf("The text may have at most %d characters.", MaxRFQTextLen))
	return text, v.Err()
}

// AddRFQNote adds an internal note as the staff actor in ctx.
func (db *DB) AddRFQNote(ctx context.Context, rfqID, text string) (*RFQNote, error) {
	text, err := checkRFQText(text)
	if err != nil {
		return nil, err
	}
	actor, _ := ActorFrom(ctx)
	var note *RFQNote
	err = db.Write(ctx, func(tx *Tx) error {
		rfq, err := rfqForChange(ctx, tx, rfqID, 0)
		if err != nil {
			return err
		}
		note = &RFQNote{ID: NewID(), Author: staffName(ctx, tx, actor), Text: text, CreatedAt: tx.Now}
		if _, err := tx.ExecContext(ctx, `INSERT INTO rfq_notes (id, rfq_id, author_id, author_label, text, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, note.ID, rfq.ID, nullIfEmpty(actor.UserID), note.Author, text, FormatTime(tx.Now)); err != nil {
			return err
		}
		return Audit(ctx, tx, "rfq.note", "rfq", rfq.ID, nil, map[string]string{"noteId": note.ID, "text": text})
	})
	return note, err
}

// AddStaffRFQMessage writes to the customer as the staff actor in ctx; the customer is
// emailed in the RFQ's language.
func (db *DB) AddStaffRFQMessage(ctx context.Context, rfqID, text string) (*RFQMessage, error) {
	text, err := checkRFQText(text)
	if err != nil {
		return nil, err
	}
	actor, _ := ActorFrom(ctx)
	var msg *RFQMessage
	err = db.Write(ctx, func(tx *Tx) error {
		rfq, err := rfqForChange(ctx, tx, rfqID, 0)
		if err != nil {
			return err
		}
		if msg, err = insertRFQMessage(ctx, tx, rfq.ID, RFQMessageByStaff, actor.UserID, staffName(ctx, tx, actor), text); err != nil {
			return err
		}
		if _, err := EnqueueEmail(ctx, tx, OutboxEmail{To: rfq.Email, Lang: rfq.Language, Email: emails.RFQMessage{
			RFQID: rfq.ID, ReferenceNumber: rfq.ReferenceNumber, ContactPerson: rfq.ContactPerson, Author: msg.Author, Text: text,
		}}); err != nil {
			return err
		}
		return Audit(ctx, tx, "rfq.message", "rfq", rfq.ID, nil, map[string]string{"messageId": msg.ID, "text": text})
	})
	return msg, err
}

// AddCustomerRFQMessage writes to sales about an RFQ the viewer may see (the rules of
// RFQForViewer); the assigned staff member is emailed, or operatorEmail when nobody is
// assigned (empty: the mail worker's OPERATOR_EMAIL).
func (db *DB) AddCustomerRFQMessage(ctx context.Context, rfqID string, viewer RFQViewer, text, operatorEmail string) (*RFQMessage, error) {
	rfq, err := db.RFQForViewer(ctx, rfqID, viewer)
	if err != nil {
		return nil, err
	}
	text, err = checkRFQText(text)
	if err != nil {
		return nil, err
	}
	var msg *RFQMessage
	err = db.Write(ctx, func(tx *Tx) error {
		if msg, err = insertRFQMessage(ctx, tx, rfq.ID, RFQMessageByCustomer, deref(rfq.UserID), rfq.ContactPerson, text); err != nil {
			return err
		}
		to := operatorEmail
		var assigneeID *string
		if err := tx.QueryRowContext(ctx, `SELECT assignee_id FROM rfqs WHERE id = ?`, rfq.ID).Scan(&assigneeID); err != nil {
			return err
		}
		if assigneeID != nil {
			var email string
			if tx.QueryRowContext(ctx, `SELECT email FROM users WHERE id = ? AND disabled_at IS NULL`, *assigneeID).Scan(&email) == nil {
				to = email
			}
		}
		_, err := EnqueueEmail(ctx, tx, OutboxEmail{To: to, Lang: "ro", Email: emails.OperatorRFQMessage{
			RFQID: rfq.ID, ReferenceNumber: rfq.ReferenceNumber, CompanyName: rfq.CompanyName,
			ContactPerson: rfq.ContactPerson, Email: rfq.Email, Text: text,
		}})
		return err
	})
	return msg, err
}

// insertRFQMessage stores a message, refusing it when this side already sent its hourly
// share about this RFQ (counted in the same write transaction, so parallel sends cannot
// overrun it).
func insertRFQMessage(ctx context.Context, tx *Tx, rfqID, kind, authorID, author, text string) (*RFQMessage, error) {
	var recent int
	var oldest *string
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), MIN(created_at) FROM rfq_messages
		WHERE rfq_id = ? AND author_kind = ? AND created_at > ?`, rfqID, kind, FormatTime(tx.Now.Add(-time.Hour))).
		Scan(&recent, &oldest); err != nil {
		return nil, err
	}
	if recent >= MaxRFQMessagesPerHour {
		e := *errRFQTooManyMessages
		e.RetryAfter = time.Minute
		if oldest != nil {
			if t, err := ParseTime(*oldest); err == nil && t.Add(time.Hour).After(tx.Now) {
				e.RetryAfter = t.Add(time.Hour).Sub(tx.Now)
			}
		}
		return nil, &e
	}
	m := &RFQMessage{ID: NewID(), AuthorKind: kind, Author: author, Text: text, CreatedAt: tx.Now}
	_, err := tx.ExecContext(ctx, `INSERT INTO rfq_messages (id, rfq_id, author_kind, author_id, author_label, text, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, m.ID, rfqID, kind, nullIfEmpty(authorID), author, text, FormatTime(tx.Now))
	return m, err
}

// staffName is the actor's name as a note or message shows it (the label when the actor
// has no account, as the command line).
func staffName(ctx context.Context, tx *Tx, a Actor) string {
	var name string
	if a.UserID != "" && tx.QueryRowContext(ctx, `SELECT name FROM users WHERE id = ?`, a.UserID).Scan(&name) == nil && name != "" {
		return name
	}
	return a.Label
}

// RFQMessages returns the conversation about an RFQ, oldest first (the caller checked the
// reader may see it).
func (db *DB) RFQMessages(ctx context.Context, rfqID string) ([]RFQMessage, error) {
	var out []RFQMessage
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		out, err = rfqMessages(ctx, tx, rfqID)
		return err
	})
	return out, err
}

func rfqMessages(ctx context.Context, tx *Tx, rfqID string) ([]RFQMessage, error) {
	out := []RFQMessage{}
	rows, err := tx.QueryContext(ctx, `SELECT id, author_kind, author_label, text, created_at FROM rfq_messages
		WHERE rfq_id = ? ORDER BY created_at, rowid`, rfqID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var m RFQMessage
		var at string
		if err := rows.Scan(&m.ID, &m.AuthorKind, &m.Author, &m.Text, &at); err != nil {
			return nil, err
		}
		m.CreatedAt, _ = ParseTime(at)
		out = append(out, m)
	}
	return out, rows.Err()
}

func rfqNotes(ctx context.Context, tx *Tx, rfqID string) ([]RFQNote, error) {
	out := []RFQNote{}
	rows, err := tx.QueryContext(ctx, `SELECT id, author_label, text, created_at FROM rfq_notes
		WHERE rfq_id = ? ORDER BY created_at, rowid`, rfqID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var n RFQNote
		var at string
		if err := rows.Scan(&n.ID, &n.Author, &n.Text, &at); err != nil {
			return nil, err
		}
		n.CreatedAt, _ = ParseTime(at)
		out = append(out, n)
	}
	return out, rows.Err()
}
