package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/metalpro/backend/quotepdf"
	"github.com/metalpro/backend/store"
)

// What the RFQ page shows, shaped for its template: the store's detail plus the actions
// the workflow allows now and what the last form typed, when it was refused.

// rfqView is the data of templates/rfq.html.
type rfqView struct {
	*store.AdminRFQDetail
	Items       []rfqItemView
	Attachments []rfqFileView
	// Transitions are the statuses the workflow allows next, in its order.
	Transitions []string
	// CanQuote: the quote editor accepts a draft in this status (store.CanQuoteRFQ).
	CanQuote bool
	// Staff are the active staff members the RFQ can be given to.
	Staff []store.StaffAccount
	Form  rfqForm
}

// rfqForm is what a refused form typed and why, so the page shows it back beside the field.
type rfqForm struct {
	// Error is about the whole page (someone else changed the RFQ, a move the workflow
	// does not allow): shown above the actions.
	Error string
	// Allowed names the moves the workflow allows, after a refused one.
	Allowed      []string
	To           string // the transition whose form was refused
	Reason       string
	ReasonError  string
	AssignError  string
	Note         string
	NoteError    string
	Message      string
	MessageError string
}

func newRFQView(d *store.AdminRFQDetail, staff []store.StaffAccount) *rfqView {
	v := &rfqView{AdminRFQDetail: d, Transitions: store.AllowedNextStatuses(d.Status), CanQuote: store.CanQuoteRFQ(d.Status)}
	for _, it := range d.Items {
		v.Items = append(v.Items, rfqItemView{RFQItem: it})
	}
	for _, a := range d.Attachments {
		v.Attachments = append(v.Attachments, rfqFileView{RFQAttachment: a})
	}
	for _, s := range staff {
		if s.DisabledAt == nil {
			v.Staff = append(v.Staff, s)
		}
	}
	return v
}

// IsCustomer: the message came from the customer (the other side of the conversation).
func (v *rfqView) IsCustomer(m store.RFQMessage) bool {
	return m.AuthorKind == store.RFQMessageByCustomer
}

// AssigneeID is the id of whoever is on the RFQ, "" for nobody (the select's current choice).
func (v *rfqView) AssigneeID() string {
	if v.Assignee == nil {
		return ""
	}
	return v.Assignee.ID
}

// rfqItemView is one line of the items table.
type rfqItemView struct {
	store.RFQItem
}

// Estimate is the line's catalog price at submission.
func (it rfqItemView) Estimate() string { return leiFloat(&it.GrossPrice) }

// Unit is the line's unit as people write it ("buc." for pieces).
func (it rfqItemView) UnitLabel() string { return quotepdf.Unit(it.Unit) }

// specPair is one of a line's options, "Lungime" / "6 m".
type specPair struct{ Key, Value string }

// SpecList is the line's specs as the customer chose them, in a stable order. Known keys
// get a readable name; others show as stored (the store accepts any flat object).
func (it rfqItemView) SpecList(lang string) []specPair {
	raw := bytes.TrimSpace(it.Specs)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return []specPair{{Value: string(raw)}}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]specPair, 0, len(keys))
	for _, k := range keys {
		out = append(out, specPair{Key: specName(lang, k), Value: specValue(lang, k, m[k])})
	}
	return out
}

func specName(lang, key string) string {
	if t := translate(lang, "rfq.spec."+key); t != "rfq.spec."+key {
		return t
	}
	return key
}

func specValue(lang, key string, v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return translate(lang, "rfq.yes")
		}
		return translate(lang, "rfq.no")
	case float64:
		s := quotepdf.Quantity(x)
		if key == "lengthM" {
			s += " m"
		}
		return s
	case string:
		return x
	}
	return fmt.Sprint(v)
}

// rfqFileView is one attachment.
type rfqFileView struct {
	store.RFQAttachment
}

// Size is the file's size as people read it: "512 B", "2,0 KB", "3,4 MB".
func (f rfqFileView) Size() string {
	n := f.FileSize
	switch {
	case n < 1024:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1024*1024:
		return oneDecimal(float64(n)/1024) + " KB"
	}
	return oneDecimal(float64(n)/(1024*1024)) + " MB"
}

func oneDecimal(x float64) string {
	return strings.Replace(strconv.FormatFloat(x, 'f', 1, 64), ".", ",", 1)
}

// Address writes an address on one line, or a dash.
func (v *rfqView) Address(a store.RFQAddress) string {
	if s := a.OneLine(); s != "" {
		return s
	}
	return "—"
}

// DeliveryDay is the wanted delivery day as the team reads it (DD.MM.YYYY), or a dash.
func (v *rfqView) DeliveryDay() string {
	if v.DeliveryDate == nil {
		return "—"
	}
	d := string(*v.DeliveryDate)
	if len(d) == len("2006-01-02") {
		return d[8:10] + "." + d[5:7] + "." + d[0:4]
	}
	return d
}

// QuoteGross is a quote version's total with VAT.
func (v *rfqView) QuoteGross(q *store.Quote) string { return quotepdf.Lei(q.Totals.Gross) }

// TransitionKey is the text key of the button that moves the RFQ to status to. Back from
// QUOTED to IN_PROGRESS is a revision, not a start.
func (v *rfqView) TransitionKey(to string) string {
	if v.Status == store.RFQQuoted && to == store.RFQInProgress {
		return "rfq.action.revise"
	}
	return "rfq.action." + to
}

// CustomerNotes is what the customer wrote on the RFQ (the detail's own Notes are the
// team's internal notes).
func (v *rfqView) CustomerNotes() *string { return v.AdminRFQ.RFQ.Notes }

// AllowedText names the statuses a refused move could have gone to, in lang.
func (v *rfqView) AllowedText(lang string) string {
	names := make([]string, 0, len(v.Form.Allowed))
	for _, s := range v.Form.Allowed {
		names = append(names, "„"+translate(lang, "status."+s)+"”")
	}
	if lang == "en" {
		return strings.ReplaceAll(strings.Join(names, ", "), "„", "“")
	}
	return strings.Join(names, ", ")
}
