package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// The back office's view of RFQs: the queue (FindAdminRFQs) and one RFQ with everything
// around it (AdminRFQDetail).

// AdminRFQ is an RFQ as staff see it: the customer's fields plus who sent it, who works on
// it and the version a change must name.
type AdminRFQ struct {
	*RFQ
	Version  int          `json:"version"`
	Customer *RFQCustomer `json:"customer"` // nil: sent by a guest (the RFQ's own contact fields say who)
	Assignee *StaffRef    `json:"assignee"` // nil: nobody yet
}

// RFQCustomer is the account that sent an RFQ.
type RFQCustomer struct {
	ID          string  `json:"id"`
	Email       string  `json:"email"`
	Name        string  `json:"name"`
	Role        string  `json:"role"`
	CompanyName *string `json:"companyName"`
	CUI         *string `json:"cui"`
}

// StaffRef names a staff member.
type StaffRef struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// AdminRFQDetail is one RFQ with its conversation, internal notes, status history and
// quote versions.
type AdminRFQDetail struct {
	AdminRFQ
	Notes    []RFQNote         `json:"internalNotes"` // not "notes": that is the customer's remark on the RFQ
	Messages []RFQMessage      `json:"messages"`
	History  []RFQHistoryEntry `json:"history"`
	Quotes   []*Quote          `json:"quotes"` // every version, oldest first (quote.go)
}

// RFQHistoryEntry is one status change. The first entry is the submission (from null).
type RFQHistoryEntry struct {
	From   *string   `json:"from"`
	To     string    `json:"to"`
	Reason *string   `json:"reason"`
	Actor  *string   `json:"actor"` // the staff member's email or "cli"; nil for the customer's submission
	At     time.Time `json:"at"`
}

// AdminRFQDetail returns the RFQ with everything staff need to work on it.
func (db *DB) AdminRFQDetail(ctx context.Context, id string) (*AdminRFQDetail, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, errRFQNotFound
	}
	var d *AdminRFQDetail
	err := db.Read(ctx, func(tx *Tx) error {
		a, err := adminRFQ(ctx, tx, id)
		if err != nil {
			return err
		}
		d = &AdminRFQDetail{AdminRFQ: *a}
		if d.Notes, err = rfqNotes(ctx, tx, id); err != nil {
			return err
		}
		if d.Messages, err = rfqMessages(ctx, tx, id); err != nil {
			return err
		}
		if d.History, err = rfqHistory(ctx, tx, a.RFQ); err != nil {
			return err
		}
		d.Quotes, err = quoteVersionsIn(ctx, tx, id)
		return err
	})
	return d, err
}

// adminRFQ loads one RFQ with its customer and assignee.
func adminRFQ(ctx context.Context, tx *Tx, id string) (*AdminRFQ, error) {
	rfq, err := existingRFQ(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	list := []*AdminRFQ{{RFQ: rfq, Version: rfq.Version}}
	return list[0], loadRFQPeople(ctx, tx, list)
}

// loadRFQPeople fills the customer and assignee of each RFQ (one query per RFQ is fine
// here: a page is at most 100 and both are primary-key reads).
func loadRFQPeople(ctx context.Context, tx *Tx, list []*AdminRFQ) error {
	for _, a := range list {
		if a.UserID != nil {
			c := &RFQCustomer{}
			err := tx.QueryRowContext(ctx, `SELECT u.id, u.email, u.name, u.role, c.legal_name, c.cui
				FROM users u LEFT JOIN companies c ON c.user_id = u.id WHERE u.id = ?`, *a.UserID).
				Scan(&c.ID, &c.Email, &c.Name, &c.Role, &c.CompanyName, &c.CUI)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if err == nil {
				a.Customer = c
			}
		}
		if a.AssigneeID != nil {
			s := &StaffRef{}
			err := tx.QueryRowContext(ctx, `SELECT id, name, email FROM users WHERE id = ?`, *a.AssigneeID).Scan(&s.ID, &s.Name, &s.Email)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if err == nil {
				a.Assignee = s
			}
		}
	}
	return nil
}

func rfqHistory(ctx context.Context, tx *Tx, rfq *RFQ) ([]RFQHistoryEntry, error) {
	out := []RFQHistoryEntry{{To: RFQSubmitted, At: rfq.SubmittedAt}}
	rows, err := tx.QueryContext(ctx, `SELECT from_status, to_status, reason, actor_label, at FROM rfq_history
		WHERE rfq_id = ? ORDER BY at, rowid`, rfq.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var h RFQHistoryEntry
		var from, actor, at string
		if err := rows.Scan(&from, &h.To, &h.Reason, &actor, &at); err != nil {
			return nil, err
		}
		h.From, h.Actor = &from, &actor
		h.At, _ = ParseTime(at)
		out = append(out, h)
	}
	return out, rows.Err()
}

// AdminRFQFilter selects the back office's queue. Empty fields do not filter.
type AdminRFQFilter struct {
	Status string
	// Open keeps only RFQs still waiting for something (neither completed nor cancelled):
	// the back office's default view. Status, when set, narrows further.
	Open     bool
	Q        string     // matches reference, company, CUI, email, contact person
	Assignee string     // a staff user id, or "none" for unassigned
	From, To *time.Time // submitted at or after From, before To
	Sort     string     // one of AdminRFQSorts; "" is the oldest first
	Page     int
	Limit    int
}

// AdminRFQSorts are the queue's orders: by submission, oldest first by default (the
// request waiting longest comes first), or by last change.
var AdminRFQSorts = map[string]string{
	"submittedAt":  "submitted_at ASC, reference_number ASC",
	"-submittedAt": "submitted_at DESC, reference_number DESC",
	"updatedAt":    "updated_at ASC, reference_number ASC",
	"-updatedAt":   "updated_at DESC, reference_number DESC",
}

// AdminRFQPage is one page of the queue and how many RFQs each status has under the same
// filters without the status one (the queue's tabs).
type AdminRFQPage struct {
	RFQs   []*AdminRFQ
	Total  int
	Counts map[string]int
}

// FindAdminRFQs lists RFQs for staff.
func (db *DB) FindAdminRFQs(ctx context.Context, f AdminRFQFilter) (*AdminRFQPage, error) {
	v := &Validator{}
	v.Check(f.Status == "" || slices.Contains(RFQStatuses, f.Status), "status", "Status necunoscut.", "Unknown status.")
	if f.Sort == "" {
		f.Sort = "submittedAt"
	}
	order, ok := AdminRFQSorts[f.Sort]
	v.Check(ok, "sort", "Ordonare necunoscută.", "Unknown sort order.")
	if err := v.Err(); err != nil {
		return nil, err
	}
	limit, offset, err := pageBounds(f.Page, f.Limit)
	if err != nil {
		return nil, err
	}
	var where []string
	var args []any
	if q := strings.TrimSpace(f.Q); q != "" {
		like := "%" + escapeLike(strings.ToLower(q)) + "%"
		// LIKE ignores ASCII case by itself, and SQLite's lower() folds nothing else: a
		// lower() per column per row cost half the search's time and changed no match.
		where = append(where, `(reference_number LIKE ? ESCAPE '\' OR company_name LIKE ? ESCAPE '\'
			OR COALESCE(cui, '') LIKE ? ESCAPE '\' OR email LIKE ? ESCAPE '\' OR contact_person LIKE ? ESCAPE '\')`)
		args = append(args, like, like, like, like, like)
	}
	switch f.Assignee {
	case "":
	case "none":
		where = append(where, "assignee_id IS NULL")
	default:
		where = append(where, "assignee_id = ?")
		args = append(args, f.Assignee)
	}
	if f.From != nil {
		where = append(where, "submitted_at >= ?")
		args = append(args, FormatTime(*f.From))
	}
	if f.To != nil {
		where = append(where, "submitted_at < ?")
		args = append(args, FormatTime(*f.To))
	}
	common := "1 = 1"
	if len(where) > 0 {
		common = strings.Join(where, " AND ")
	}
	cond, condArgs := common, slices.Clone(args)
	if f.Status != "" {
		cond += " AND status = ?"
		condArgs = append(condArgs, f.Status)
	}
	if f.Open { // like Status, not in the tabs' counts
		cond += " AND status NOT IN (?, ?)"
		condArgs = append(condArgs, RFQCompleted, RFQCancelled)
	}
	page := &AdminRFQPage{RFQs: []*AdminRFQ{}, Counts: map[string]int{}}
	for _, s := range RFQStatuses {
		page.Counts[s] = 0
	}
	// The total comes from the tabs' counts, not from COUNT(*) OVER() on the page's query:
	// the window made SQLite read and sort every matching row, every column, before LIMIT
	// (over 10,000 RFQs the default tab took 100 ms of a 50 ms budget), where the page
	// alone walks rfqs_submitted and stops at the limit.
	err = db.Read(ctx, func(tx *Tx) error {
		crows, err := tx.QueryContext(ctx, `SELECT status, COUNT(*) FROM rfqs WHERE `+common+` GROUP BY status`, args...)
		if err != nil {
			return err
		}
		defer crows.Close()
		for crows.Next() {
			var s string
			var n int
			if err := crows.Scan(&s, &n); err != nil {
				return err
			}
			page.Counts[s] = n
			if (f.Status == "" || s == f.Status) && (!f.Open || (s != RFQCompleted && s != RFQCancelled)) {
				page.Total += n
			}
		}
		if err := crows.Err(); err != nil {
			return err
		}
		crows.Close()
		if offset >= page.Total {
			return nil
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+rfqColumns+` FROM rfqs WHERE `+cond+`
			ORDER BY `+order+` LIMIT ? OFFSET ?`, append(slices.Clone(condArgs), limit, offset)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var rfqs []*RFQ
		for rows.Next() {
			r, err := scanRFQ(rows)
			if err != nil {
				return err
			}
			rfqs = append(rfqs, r)
			page.RFQs = append(page.RFQs, &AdminRFQ{RFQ: r, Version: r.Version})
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		if err := loadRFQLines(ctx, tx, rfqs); err != nil {
			return err
		}
		return loadRFQPeople(ctx, tx, page.RFQs)
	})
	if err != nil {
		return nil, fmt.Errorf("admin rfqs: %w", err)
	}
	return page, nil
}

// escapeLike escapes LIKE's wildcards so the text matches itself.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
