package web

import (
	"fmt"
	"time"

	"github.com/metalpro/backend/quotepdf"
	"github.com/metalpro/backend/store"
)

// The quote editor's page data: the RFQ, one row per item, the extra lines, the totals the
// server computed, and what may be done now.

// quoteValidDays is a new quote's default validity.
const quoteValidDays = 30

type quoteView struct {
	RFQ      *store.AdminRFQDetail
	Rows     []quoteRow
	Extras   []quoteExtraRow
	Form     quoteForm
	Errors   formErrors
	Error    string                 // a conflict or failure, shown above the form
	Totals   *store.QuoteTotalsBani // nil: not computable from what is typed
	Draft    *store.Quote           // the saved draft, if any
	LastSent *store.Quote           // the newest sent (or expired) version, if any
	CanEdit  bool
	CanSend  bool
}

// quoteRow is one RFQ item with its price field.
type quoteRow struct {
	Item  store.RFQItem
	Price string
	Error string
	Line  *int64 // the line total in bani, when the totals are known
}

// quoteExtraRow is one pair of extra-line fields; ID names its inputs for their labels:
// the empty pairs are extra-*-0, -1, ... (the page contract), typed ones extra-*-line-N.
type quoteExtraRow struct {
	extraRow
	ID          string
	DescError   string
	AmountError string
}

// FormError is the form's own message (not a field's).
func (v *quoteView) FormError() string { return v.Errors[""] }

// NextVersion is the version number a save creates or edits.
func (v *quoteView) NextVersion() int {
	if v.Draft != nil {
		return v.Draft.Version
	}
	if v.LastSent != nil {
		return v.LastSent.Version + 1
	}
	return 1
}

// newQuoteView builds the page for d; form is what was typed (nil: the saved draft, else
// the last sent version, else the catalog's estimates).
func (h *Handler) newQuoteView(d *store.AdminRFQDetail, form *quoteForm, errs formErrors) *quoteView {
	v := &quoteView{RFQ: d, Errors: errs, CanEdit: store.CanQuoteRFQ(d.Status)}
	if v.Errors == nil {
		v.Errors = formErrors{}
	}
	for _, q := range d.Quotes {
		if q.Status == store.QuoteDraft {
			v.Draft = q
		} else {
			v.LastSent = q
		}
	}
	v.CanSend = v.Draft != nil && store.CanMoveRFQ(d.Status, store.RFQQuoted)
	if form != nil {
		v.Form = *form
	} else {
		v.Form = h.prefill(d, v.Draft, v.LastSent)
		if v.Draft != nil {
			v.Totals = &v.Draft.Totals
		}
	}
	for _, it := range d.Items {
		row := quoteRow{Item: it, Price: v.Form.Prices[it.ID], Error: v.Errors["price."+it.ID]}
		if v.Totals != nil {
			if line, ok := v.Totals.ItemLine[it.ID]; ok {
				row.Line = &line
			}
		}
		v.Rows = append(v.Rows, row)
	}
	empty := 0
	for i, e := range v.Form.Extras {
		if e.Description == "" && e.Amount == "" {
			continue // re-numbered below with the other empty pairs
		}
		v.Extras = append(v.Extras, quoteExtraRow{extraRow: e, ID: fmt.Sprintf("line-%d", i),
			DescError: v.Errors[fmt.Sprintf("extraDescription.%d", i)], AmountError: v.Errors[fmt.Sprintf("extraAmount.%d", i)]})
	}
	for ; empty < minEmptyExtras; empty++ {
		v.Extras = append(v.Extras, quoteExtraRow{ID: fmt.Sprint(empty)})
	}
	return v
}

// prefill is the form of a page opened fresh.
func (h *Handler) prefill(d *store.AdminRFQDetail, draft, sent *store.Quote) quoteForm {
	f := quoteForm{Prices: map[string]string{}, VATRate: quotepdf.Percent(h.cfg.VATRateBP),
		ValidUntil: time.Now().In(store.Bucharest).AddDate(0, 0, quoteValidDays).Format(time.DateOnly)}
	from := draft
	if from == nil {
		from = sent // a re-quote starts from what the customer has
	}
	if from == nil {
		for _, it := range d.Items {
			if it.UnitPrice != nil {
				f.Prices[it.ID] = baniText(leiToBani(*it.UnitPrice))
			}
		}
		return f
	}
	for id, bani := range from.Totals.ItemPrice {
		f.Prices[id] = baniText(bani)
	}
	for i, e := range from.ExtraLines {
		f.Extras = append(f.Extras, extraRow{Description: e.Description, Amount: baniText(from.Totals.Extras[i])})
	}
	f.VATRate = quotepdf.Percent(from.Totals.VATRateBP)
	if from == draft {
		f.ValidUntil = draft.ValidUntil
	}
	if from.Notes != nil {
		f.Notes = *from.Notes
	}
	return f
}

// baniText writes bani as the price fields show them: "1234,50" (no grouping, so the
// value reads back the same whatever the browser's locale).
func baniText(bani int64) string {
	return fmt.Sprintf("%d,%02d", bani/100, bani%100)
}

func leiToBani(lei float64) int64 {
	if lei < 0 {
		return int64(lei*100 - 0.5)
	}
	return int64(lei*100 + 0.5)
}

// SentOn is when the last sent version went out, as the page shows times.
func (v *quoteView) SentOn() string {
	if v.LastSent == nil || v.LastSent.SentAt == nil {
		return "—"
	}
	return datetime(*v.LastSent.SentAt)
}

// EstimateLine is the catalog's estimate for the whole line.
func (r quoteRow) EstimateLine() string { return quotepdf.Lei(leiToBani(r.Item.GrossPrice)) }
