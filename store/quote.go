package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// Quotes (API.md "Back office"): an RFQ's quote is a series of versions. Staff edit one
// draft (PUT /api/admin/rfqs/{id}/quote); sending it freezes it as a sent version with its
// PDF, so a re-quote starts a new draft and every earlier version stays. Money is bani
// inside; the totals are computed here only, never taken from a client.

// Quote version statuses.
const (
	QuoteDraft   = "draft"
	QuoteSent    = "sent"
	QuoteExpired = "expired"
)

// DefaultVATRateBP is Romania's standard VAT rate since 1 August 2025, in basis points.
const DefaultVATRateBP = 2100

// Quote is one version of an RFQ's quote as the API shows it (RON outside).
type Quote struct {
	ID         string          `json:"id"`
	RFQID      string          `json:"rfqId"`
	Version    int             `json:"version"`
	Status     string          `json:"status"`
	Revision   int             `json:"revision"`
	Items      []QuoteItem     `json:"items"`
	ExtraLines []QuoteExtra    `json:"extraLines"`
	VATRate    float64         `json:"vatRate"` // percent, e.g. 21
	ValidUntil string          `json:"validUntil"`
	Notes      *string         `json:"notes"`
	Net        float64         `json:"net"`
	VAT        float64         `json:"vat"`
	Gross      float64         `json:"gross"`
	PDFFileID  *string         `json:"pdfFileId"`
	SentAt     *time.Time      `json:"sentAt"`
	SentBy     *string         `json:"sentBy"`
	Answer     *string         `json:"answer"`
	AnsweredAt *time.Time      `json:"answeredAt"`
	CreatedAt  time.Time       `json:"createdAt"`
	UpdatedAt  time.Time       `json:"updatedAt"`
	Totals     QuoteTotalsBani `json:"-"`
}

// QuoteItem is one priced RFQ item of a quote: the price per base unit (per kg, m or
// piece, the item's unit) and the line total, both RON.
type QuoteItem struct {
	ItemID     string  `json:"itemId"`
	FinalPrice float64 `json:"finalPrice"`
	LineTotal  float64 `json:"lineTotal"`
}

// QuoteExtra is a line that is not an RFQ item (cutting, transport, ...), RON without VAT.
type QuoteExtra struct {
	Description string  `json:"description"`
	Amount      float64 `json:"amount"`
}

// QuoteTotalsBani are a quote's totals and lines in bani, for the PDF.
type QuoteTotalsBani struct {
	ItemPrice       map[string]int64 // per base unit, by RFQ item id
	ItemLine        map[string]int64 // line total, by RFQ item id
	Extras          []int64
	Net, VAT, Gross int64
	VATRateBP       int64
}

// QuoteInput is PUT /api/admin/rfqs/{id}/quote, RON as the client sends it.
type QuoteInput struct {
	Items []struct {
		ID         string   `json:"id"`
		FinalPrice *float64 `json:"finalPrice"`
	} `json:"items"`
	ExtraLines []QuoteExtra `json:"extraLines"`
	VATRate    *float64     `json:"vatRate"` // percent; nil: the configured default
	ValidUntil string       `json:"validUntil"`
	Notes      *string      `json:"notes"`
}

// storedQuoteItem and the extras are the JSON columns, bani.
type storedQuoteItem struct {
	ItemID     string `json:"itemId"`
	FinalPrice int64  `json:"finalPrice"`
}

type storedQuoteExtra struct {
	Description string `json:"description"`
	Amount      int64  `json:"amount"`
}

// MaxQuoteLineBani bounds one price or extra line (100 million lei): a typo with extra
// zeros is refused instead of overflowing totals.
const MaxQuoteLineBani = 100_000_000_00

// toBani turns a RON amount with at most two decimals into bani.
func toBani(lei float64) (int64, bool) {
	if math.IsNaN(lei) || math.IsInf(lei, 0) || lei < 0 || lei > MaxQuoteLineBani/100 {
		return 0, false
	}
	b := math.Round(lei * 100)
	if math.Abs(b-lei*100) > 1e-6 {
		return 0, false
	}
	return int64(b), true
}

// ComputeQuoteTotals prices a quote: each item line is quantity × price per base unit,
// rounded half up to the ban (LineTotalBani); VAT is computed and rounded per line (items
// and extras alike) and then summed, so every line's VAT on the PDF adds up to the total
// VAT exactly; gross = net + VAT.
func ComputeQuoteTotals(items []RFQItem, prices map[string]int64, extras []int64, vatBP int64) QuoteTotalsBani {
	t := QuoteTotalsBani{ItemPrice: prices, ItemLine: map[string]int64{}, Extras: extras, VATRateBP: vatBP}
	add := func(line int64) {
		t.Net += line
		t.VAT += (line*vatBP + 5000) / 10000
	}
	for _, it := range items {
		line := LineTotalBani(prices[it.ID], it.Quantity)
		t.ItemLine[it.ID] = line
		add(line)
	}
	for _, e := range extras {
		add(e)
	}
	t.Gross = t.Net + t.VAT
	return t
}

var (
	errQuoteNotAllowed = func(status string) error {
		return Errorf(ECodeConflict,
			"Oferta nu poate fi modificată când cererea are statusul "+status+".",
			"The quote cannot be changed while the request is "+status+".")
	}
	errNoQuoteDraft = Errorf(ECodeConflict, "Cererea nu are o ofertă în lucru. Salvează mai întâi oferta.",
		"The request has no draft quote. Save the quote first.")
	errNoQuote = ErrNotFound("Cererea nu are încă o ofertă.", "The request has no quote yet.")
)

// validateQuote checks in against the RFQ's items and returns the stored form.
func validateQuote(in QuoteInput, rfq *RFQ, defaultVATBP int64, today string) ([]storedQuoteItem, []storedQuoteExtra, int64, string, *string, error) {
	v := &Validator{}
	byID := map[string]bool{}
	for _, it := range rfq.Items {
		byID[it.ID] = true
	}
	seen := map[string]bool{}
	var items []storedQuoteItem
	for i, it := range in.Items {
		f := fmt.Sprintf("items[%d]", i)
		switch {
		case !byID[it.ID]:
			v.Add(f+".id", "Produsul nu face parte din această cerere.", "This item is not part of the request.")
		case seen[it.ID]:
			v.Add(f+".id", "Produsul apare de două ori.", "The item appears twice.")
		case it.FinalPrice == nil:
			v.Add(f+".finalPrice", "Prețul este obligatoriu.", "The price is required.")
		default:
			b, ok := toBani(*it.FinalPrice)
			v.Check(ok, f+".finalPrice", "Prețul trebuie să fie un număr pozitiv cu cel mult două zecimale.",
				"The price must be a positive number with at most two decimals.")
			items = append(items, storedQuoteItem{ItemID: it.ID, FinalPrice: b})
		}
		seen[it.ID] = true
	}
	for _, it := range rfq.Items {
		if !seen[it.ID] {
			v.Add("items", "Fiecare produs al cererii trebuie să aibă un preț.", "Every item of the request needs a price.")
		}
	}
	extras := []storedQuoteExtra{}
	v.Check(len(in.ExtraLines) <= 20, "extraLines", "Cel mult 20 de linii suplimentare.", "At most 20 extra lines.")
	for i, e := range in.ExtraLines {
		f := fmt.Sprintf("extraLines[%d]", i)
		d := v.Text(f+".description", e.Description, 1, 200, "Descrierea are 1–200 de caractere.", "The description has 1–200 characters.")
		b, ok := toBani(e.Amount)
		v.Check(ok, f+".amount", "Suma trebuie să fie un număr pozitiv cu cel mult două zecimale.",
			"The amount must be a positive number with at most two decimals.")
		extras = append(extras, storedQuoteExtra{Description: d, Amount: b})
	}
	vatBP := defaultVATBP
	if in.VATRate != nil {
		r := *in.VATRate
		ok := !math.IsNaN(r) && r >= 0 && r <= 100 && math.Abs(math.Round(r*100)-r*100) < 1e-6
		v.Check(ok, "vatRate", "Cota TVA este un procent între 0 și 100.", "The VAT rate is a percentage between 0 and 100.")
		vatBP = int64(math.Round(r * 100))
	}
	valid := in.ValidUntil
	d, err := time.Parse(time.DateOnly, valid)
	first, _ := time.Parse(time.DateOnly, today)
	if err != nil {
		v.Add("validUntil", "Data de valabilitate are forma AAAA-LL-ZZ.", "The validity date is YYYY-MM-DD.")
	} else {
		v.Check(!d.Before(first) && !d.After(first.AddDate(2, 0, 0)), "validUntil",
			"Oferta trebuie să fie valabilă cel puțin până azi și cel mult doi ani.",
			"The quote must be valid at least until today and at most two years.")
	}
	var notes *string
	if in.Notes != nil {
		n := *in.Notes
		if len(n) > 0 {
			n, _ = CleanMultiline(n)
			v.Check(len([]rune(n)) <= 2000, "notes", "Observațiile au cel mult 2000 de caractere.", "Notes have at most 2000 characters.")
			notes = &n
		}
	}
	return items, extras, vatBP, valid, notes, v.Err()
}

// CleanMultiline trims s and drops control characters other than line breaks.
func CleanMultiline(s string) (string, bool) {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r == '\n' || r >= 0x20 && r != 0x7f {
			out = append(out, r)
		}
	}
	return string(trimSpaceRunes(out)), true
}

func trimSpaceRunes(r []rune) []rune {
	for len(r) > 0 && (r[0] == ' ' || r[0] == '\n') {
		r = r[1:]
	}
	for len(r) > 0 && (r[len(r)-1] == ' ' || r[len(r)-1] == '\n') {
		r = r[:len(r)-1]
	}
	return r
}

// CanQuoteRFQ reports whether an RFQ in status may have its draft quote saved: once
// acknowledged, while in progress, and when quoted (a revision).
func CanQuoteRFQ(status string) bool {
	switch status {
	case RFQAcknowledged, RFQInProgress, RFQQuoted:
		return true
	}
	return false
}

// SaveQuoteDraft creates or replaces the RFQ's draft quote (PUT .../quote). Allowed while
// the RFQ is ACKNOWLEDGED or IN_PROGRESS, or QUOTED for a revision; an ACKNOWLEDGED or
// QUOTED RFQ moves to IN_PROGRESS (pricing is work in progress; QUOTED → IN_PROGRESS is the
// table's revision move). The change, the status move and their audit rows are one
// transaction.
func (db *DB) SaveQuoteDraft(ctx context.Context, rfqID string, in QuoteInput, defaultVATBP int64) (*Quote, error) {
	var out *Quote
	err := db.Write(ctx, func(tx *Tx) error {
		rfq, err := existingRFQ(ctx, tx, rfqID)
		if err != nil {
			return err
		}
		if !CanQuoteRFQ(rfq.Status) {
			return errQuoteNotAllowed(rfq.Status)
		}
		items, extras, vatBP, valid, notes, err := validateQuote(in, rfq, defaultVATBP, quoteDay(tx.Now))
		if err != nil {
			return err
		}
		if rfq.Status != RFQInProgress {
			if err := moveRFQ(ctx, tx, rfq, RFQInProgress); err != nil {
				return err
			}
		}
		t := quoteTotals(rfq, items, extras, vatBP)
		before, err := findQuote(ctx, tx, rfqID, `status = 'draft'`)
		if err != nil {
			return err
		}
		itemsJSON, _ := json.Marshal(items)
		extrasJSON, _ := json.Marshal(extras)
		now := FormatTime(tx.Now)
		id := NewID()
		if before == nil {
			var version int
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM quote_versions WHERE rfq_id = ?`,
				rfqID).Scan(&version); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO quote_versions (id, rfq_id, version, items_json, extra_lines_json,
					vat_rate_bp, valid_until, notes, net_bani, vat_bani, gross_bani, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				id, rfqID, version, string(itemsJSON), string(extrasJSON), vatBP, valid, notes, t.Net, t.VAT, t.Gross, now, now)
		} else {
			id = before.ID
			_, err = tx.ExecContext(ctx, `UPDATE quote_versions SET items_json = ?, extra_lines_json = ?, vat_rate_bp = ?,
					valid_until = ?, notes = ?, net_bani = ?, vat_bani = ?, gross_bani = ?, revision = revision + 1,
					updated_at = ? WHERE id = ?`,
				string(itemsJSON), string(extrasJSON), vatBP, valid, notes, t.Net, t.VAT, t.Gross, now, id)
		}
		if err != nil {
			return err
		}
		if out, err = findQuote(ctx, tx, rfqID, `id = ?`, id); err != nil {
			return err
		}
		out.fillLineTotals(rfq)
		var auditBefore any
		if before != nil {
			auditBefore = before
		}
		return Audit(ctx, tx, "quote.draft", "rfq", rfqID, auditBefore, out)
	})
	return out, err
}

// moveRFQ changes rfq's status in tx (the transition table decides) and audits it.
func moveRFQ(ctx context.Context, tx *Tx, rfq *RFQ, to string) error {
	if !CanMoveRFQ(rfq.Status, to) {
		return Errorf(ECodeConflict, "Cererea nu poate trece din "+rfq.Status+" în "+to+".",
			"The request cannot move from "+rfq.Status+" to "+to+".")
	}
	// Like every status change (rfq_workflow.go): the version grows, so an operator acting
	// on the state before this one gets a conflict, and the history shows who moved it.
	res, err := tx.ExecContext(ctx, `UPDATE rfqs SET status = ?, version = version + 1, updated_at = ? WHERE id = ? AND status = ?`,
		to, FormatTime(tx.Now), rfq.ID, rfq.Status)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return Errorf(ECodeConflict, "Cererea a fost modificată între timp.", "The request was changed meanwhile.")
	}
	from := rfq.Status
	rfq.Status = to
	actor, _ := ActorFrom(ctx)
	if _, err := tx.ExecContext(ctx, `INSERT INTO rfq_history (id, rfq_id, from_status, to_status, reason, actor_id, actor_label, at)
		VALUES (?, ?, ?, ?, NULL, ?, ?, ?)`, NewID(), rfq.ID, from, to, nullIfEmpty(actor.UserID), actor.Label, FormatTime(tx.Now)); err != nil {
		return err
	}
	return Audit(ctx, tx, "rfq.status", "rfq", rfq.ID, map[string]string{"status": from}, map[string]string{"status": to})
}

const quoteColumns = `id, rfq_id, version, status, revision, items_json, extra_lines_json, vat_rate_bp, valid_until,
	notes, net_bani, vat_bani, gross_bani, pdf_upload_id, sent_at, sent_by, answer, answered_at, created_at, updated_at`

// findQuote reads the RFQ's quote version matching cond; nil when there is none. When
// several match, the newest version.
func findQuote(ctx context.Context, tx *Tx, rfqID, cond string, args ...any) (*Quote, error) {
	list, err := queryQuotes(ctx, tx, `SELECT `+quoteColumns+` FROM quote_versions WHERE rfq_id = ? AND `+cond+`
		ORDER BY version DESC LIMIT 1`, append([]any{rfqID}, args...)...)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return list[0], nil
}

func queryQuotes(ctx context.Context, tx *Tx, query string, args ...any) ([]*Quote, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Quote
	for rows.Next() {
		q, err := scanQuote(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

func scanQuote(row rowScanner) (*Quote, error) {
	q := &Quote{}
	var itemsJSON, extrasJSON string
	var sentAt, answeredAt sql.NullString
	var created, updated string
	if err := row.Scan(&q.ID, &q.RFQID, &q.Version, &q.Status, &q.Revision, &itemsJSON, &extrasJSON, &q.Totals.VATRateBP,
		&q.ValidUntil, &q.Notes, &q.Totals.Net, &q.Totals.VAT, &q.Totals.Gross, &q.PDFFileID, &sentAt, &q.SentBy,
		&q.Answer, &answeredAt, &created, &updated); err != nil {
		return nil, err
	}
	var items []storedQuoteItem
	var extras []storedQuoteExtra
	if err := json.Unmarshal([]byte(itemsJSON), &items); err != nil {
		return nil, fmt.Errorf("quote %s items: %w", q.ID, err)
	}
	if err := json.Unmarshal([]byte(extrasJSON), &extras); err != nil {
		return nil, fmt.Errorf("quote %s extras: %w", q.ID, err)
	}
	q.Totals.ItemPrice, q.Totals.ItemLine = map[string]int64{}, map[string]int64{}
	q.Items, q.ExtraLines = []QuoteItem{}, []QuoteExtra{}
	for _, it := range items {
		q.Totals.ItemPrice[it.ItemID] = it.FinalPrice
		q.Items = append(q.Items, QuoteItem{ItemID: it.ItemID, FinalPrice: Lei(it.FinalPrice)})
	}
	for _, e := range extras {
		q.Totals.Extras = append(q.Totals.Extras, e.Amount)
		q.ExtraLines = append(q.ExtraLines, QuoteExtra{Description: e.Description, Amount: Lei(e.Amount)})
	}
	q.VATRate = float64(q.Totals.VATRateBP) / 100
	q.Net, q.VAT, q.Gross = Lei(q.Totals.Net), Lei(q.Totals.VAT), Lei(q.Totals.Gross)
	q.SentAt, q.AnsweredAt = parseNullTime(sentAt), parseNullTime(answeredAt)
	q.CreatedAt, _ = ParseTime(created)
	q.UpdatedAt, _ = ParseTime(updated)
	return q, nil
}

// fillLineTotals sets each item's line total from the RFQ's quantities.
func (q *Quote) fillLineTotals(rfq *RFQ) {
	t := ComputeQuoteTotals(rfq.Items, q.Totals.ItemPrice, q.Totals.Extras, q.Totals.VATRateBP)
	q.Totals.ItemLine = t.ItemLine
	for i := range q.Items {
		q.Items[i].LineTotal = Lei(t.ItemLine[q.Items[i].ItemID])
	}
}

// QuoteVersions lists every version of the RFQ's quote, oldest first (the admin RFQ
// detail's "quotes").
func (db *DB) QuoteVersions(ctx context.Context, rfqID string) ([]*Quote, error) {
	var out []*Quote
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		out, err = quoteVersionsIn(ctx, tx, rfqID)
		return err
	})
	return out, err
}

// quoteVersionsIn lists the RFQ's quote versions, oldest first, inside tx (the back
// office's RFQ detail reads them in its own transaction). Never nil.
func quoteVersionsIn(ctx context.Context, tx *Tx, rfqID string) ([]*Quote, error) {
	out := []*Quote{}
	rfq, err := loadRFQ(ctx, tx, rfqID)
	if err != nil || rfq == nil {
		return out, err
	}
	list, err := queryQuotes(ctx, tx, `SELECT `+quoteColumns+` FROM quote_versions WHERE rfq_id = ? ORDER BY version`, rfqID)
	if err != nil {
		return out, err
	}
	for _, q := range list {
		q.fillLineTotals(rfq)
	}
	return append(out, list...), nil
}

// QuoteDocument is an RFQ with one version of its quote, for the PDF.
type QuoteDocument struct {
	RFQ   *RFQ
	Quote *Quote
}

// QuoteForPDF returns the RFQ's draft quote, or its last sent one when there is no draft.
func (db *DB) QuoteForPDF(ctx context.Context, rfqID string) (*QuoteDocument, error) {
	return db.quoteDocument(ctx, rfqID, errNoQuote, `status = 'draft'`, `status != 'draft'`)
}

// QuoteDraft returns the RFQ's draft with its RFQ, for rendering before a send.
func (db *DB) QuoteDraft(ctx context.Context, rfqID string) (*QuoteDocument, error) {
	return db.quoteDocument(ctx, rfqID, errNoQuoteDraft, `status = 'draft'`)
}

// quoteDocument reads the RFQ and the first quote version that one of conds finds, in
// order; none is errNone.
func (db *DB) quoteDocument(ctx context.Context, rfqID string, errNone error, conds ...string) (*QuoteDocument, error) {
	var out *QuoteDocument
	err := db.Read(ctx, func(tx *Tx) error {
		rfq, err := existingRFQ(ctx, tx, rfqID)
		if err != nil {
			return err
		}
		var q *Quote
		for _, cond := range conds {
			if q, err = findQuote(ctx, tx, rfqID, cond); err != nil {
				return err
			}
			if q != nil {
				break
			}
		}
		if q == nil {
			return errNone
		}
		q.fillLineTotals(rfq)
		out = &QuoteDocument{RFQ: rfq, Quote: q}
		return nil
	})
	return out, err
}

// OneLine writes the address on one line, "" when it is empty (the quote PDF).
func (a RFQAddress) OneLine() string {
	if s := a.oneLine(); s != nil {
		return *s
	}
	return ""
}

// LastSentQuote returns the RFQ's newest sent (or expired) quote version; nil when none
// was sent. The customer's view of the RFQ shows its validity.
func (db *DB) LastSentQuote(ctx context.Context, rfqID string) (*Quote, error) {
	var q *Quote
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		q, err = findQuote(ctx, tx, rfqID, `status != 'draft'`)
		return err
	})
	return q, err
}
