package web

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/metalpro/backend/store"
)

// The quote editor's form, as typed: what the page shows back when something is wrong,
// and its reading into the store's QuoteInput. Field names are the page contract's:
// price.<itemID>, extraDescription/extraAmount (parallel lists), vatRate, validUntil, notes.

// minEmptyExtras is how many empty extra-line pairs the form offers without script.
const minEmptyExtras = 3

// quoteForm is the editor's fields as text, keyed like the form.
type quoteForm struct {
	Prices     map[string]string // by RFQ item id
	Extras     []extraRow
	VATRate    string
	ValidUntil string
	Notes      string
}

// extraRow is one description/amount pair of the form.
type extraRow struct {
	Description, Amount string
}

// formErrors are the messages to show next to the fields, by field key ("price.<id>",
// "extraDescription.<row>", "extraAmount.<row>", "vatRate", "validUntil", "notes"); ""
// is the form's own message (an item that is not on the RFQ, a price missing).
type formErrors map[string]string

// add keeps the first message of a field: the form's own reading speaks before the store's.
func (fe formErrors) add(field, msg string) {
	if _, ok := fe[field]; !ok {
		fe[field] = msg
	}
}

// readQuoteForm reads the posted fields. Unknown price.<id> fields are kept too: the store
// refuses them by name.
func readQuoteForm(r *http.Request) quoteForm {
	f := quoteForm{Prices: map[string]string{}, VATRate: strings.TrimSpace(r.PostFormValue("vatRate")),
		ValidUntil: strings.TrimSpace(r.PostFormValue("validUntil")), Notes: r.PostFormValue("notes")}
	for key, vals := range r.PostForm {
		if id, ok := strings.CutPrefix(key, "price."); ok && len(vals) > 0 {
			f.Prices[id] = strings.TrimSpace(vals[0])
		}
	}
	descs, amounts := r.PostForm["extraDescription"], r.PostForm["extraAmount"]
	for i := range max(len(descs), len(amounts)) {
		var e extraRow
		if i < len(descs) {
			e.Description = strings.TrimSpace(descs[i])
		}
		if i < len(amounts) {
			e.Amount = strings.TrimSpace(amounts[i])
		}
		f.Extras = append(f.Extras, e)
	}
	return f
}

// quoteRequest is a form read into the store's input, with what the reading refused and
// where each input line came from, to put the store's messages back next to their fields.
type quoteRequest struct {
	Input     store.QuoteInput
	Errors    formErrors
	itemKeys  []string // Input.Items[i] came from price.<itemKeys[i]>
	extraRows []int    // Input.ExtraLines[i] came from the form's row extraRows[i]
}

// toInput reads the form into a QuoteInput, the price fields in a fixed order (sorted by
// id) so the store's messages map back to their fields. A missing or unknown item is the
// store's to refuse.
func (f quoteForm) toInput(lang string) quoteRequest {
	q := quoteRequest{Errors: formErrors{}}
	for _, id := range slices.Sorted(maps.Keys(f.Prices)) {
		var price *float64
		if raw := f.Prices[id]; raw != "" {
			if v, ok := parseDecimal(raw); ok {
				price = &v
			} else {
				q.Errors.add("price."+id, translate(lang, "quote.err.number"))
			}
		}
		q.Input.Items = append(q.Input.Items, struct {
			ID         string   `json:"id"`
			FinalPrice *float64 `json:"finalPrice"`
		}{id, price})
		q.itemKeys = append(q.itemKeys, id)
	}
	for i, e := range f.Extras {
		if e.Description == "" && e.Amount == "" {
			continue // an unused pair
		}
		amount := 0.0
		switch v, ok := parseDecimal(e.Amount); {
		case e.Amount == "":
			q.Errors.add(fmt.Sprintf("extraAmount.%d", i), translate(lang, "quote.err.amountRequired"))
		case !ok:
			q.Errors.add(fmt.Sprintf("extraAmount.%d", i), translate(lang, "quote.err.number"))
		default:
			amount = v
		}
		q.Input.ExtraLines = append(q.Input.ExtraLines, store.QuoteExtra{Description: e.Description, Amount: amount})
		q.extraRows = append(q.extraRows, i)
	}
	if f.VATRate != "" {
		if v, ok := parseDecimal(f.VATRate); ok {
			q.Input.VATRate = &v
		} else {
			q.Errors.add("vatRate", translate(lang, "quote.err.number"))
		}
	}
	if f.ValidUntil == "" {
		q.Errors.add("validUntil", translate(lang, "quote.err.validUntilRequired"))
	}
	q.Input.ValidUntil = f.ValidUntil
	notes := f.Notes
	q.Input.Notes = &notes
	return q
}

var storeField = regexp.MustCompile(`^(items|extraLines)\[(\d+)\]\.(\w+)$`)

// addStoreErrors puts a store validation error's messages next to the form's fields.
func (q quoteRequest) addStoreErrors(err error, lang string) {
	var se *store.Error
	if !errors.As(err, &se) {
		return
	}
	for _, fe := range se.Fields {
		msg := fe.Message.In(lang)
		m := storeField.FindStringSubmatch(fe.Field)
		if m == nil {
			switch fe.Field {
			case "vatRate", "validUntil", "notes":
				q.Errors.add(fe.Field, msg)
			default: // "items", "extraLines"
				q.Errors.add("", msg)
			}
			continue
		}
		i, _ := strconv.Atoi(m[2])
		switch {
		case m[1] == "items" && m[3] == "finalPrice" && i < len(q.itemKeys):
			q.Errors.add("price."+q.itemKeys[i], msg)
		case m[1] == "extraLines" && i < len(q.extraRows):
			field := "extraAmount"
			if m[3] == "description" {
				field = "extraDescription"
			}
			q.Errors.add(fmt.Sprintf("%s.%d", field, q.extraRows[i]), msg)
		default: // an item id the RFQ does not have
			q.Errors.add("", msg)
		}
	}
}
