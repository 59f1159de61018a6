package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/metalpro/backend/store"
)

// The bulk price change (ADMIN): metal prices move every week. The form's GET is the
// preview (store.ChangePrices as a dry run: every product it selects, with its old and new
// price, and nothing changed); the preview's button posts the same parameters to apply
// them, in one transaction with one audit row.

// pricesForm is the change as typed.
type pricesForm struct {
	Category, Grade, Standard string
	Mode                      string // "percent" or "amount"
	Value                     string
}

func (f pricesForm) empty() bool {
	return f.Category == "" && f.Grade == "" && f.Standard == "" && f.Value == ""
}

type pricesView struct {
	Form       pricesForm
	Categories []store.Category
	Preview    *store.PriceChangeResult
	Errors     map[string]string
	Error      string // the whole change's problem (the catalog moved since the preview)
}

func readPricesForm(get func(string) string) pricesForm {
	f := pricesForm{Category: strings.TrimSpace(get("category")), Grade: strings.TrimSpace(get("grade")),
		Standard: strings.TrimSpace(get("standard")), Mode: get("mode"), Value: strings.TrimSpace(get("value"))}
	if f.Mode != "amount" {
		f.Mode = "percent"
	}
	return f
}

// change is the form as the store's change; v collects a value that does not read.
func (f pricesForm) change(v *store.Validator, dryRun bool) store.PriceChange {
	c := store.PriceChange{Category: f.Category, Grade: f.Grade, Standard: f.Standard, DryRun: dryRun}
	x, ok := parseDecimal(strings.TrimPrefix(f.Value, "+"))
	if !ok {
		v.Add(f.Mode, "Scrie un număr, de exemplu 5 sau -2,5.", "Type a number, such as 5 or -2.5.")
		return c
	}
	if f.Mode == "amount" {
		c.Amount = &x
	} else {
		c.Percent = &x
	}
	return c
}

// handlePricesPage serves GET /admin/catalog/prices: the form, and with parameters the preview.
func (h *Handler) handlePricesPage(w http.ResponseWriter, r *http.Request) {
	f := readPricesForm(r.URL.Query().Get)
	if f.empty() {
		h.showPrices(w, r, http.StatusOK, pricesView{Form: f}, nil)
		return
	}
	v := &store.Validator{}
	c := f.change(v, true)
	err := v.Err()
	var res store.PriceChangeResult
	if err == nil {
		res, err = h.db.ChangePrices(r.Context(), c)
	}
	if err != nil && store.ErrorCode(err) != store.ECodeInvalid {
		h.renderError(w, r, err)
		return
	}
	view := pricesView{Form: f}
	if err == nil {
		view.Preview = &res
	}
	h.showPrices(w, r, statusOf(err), view, err)
}

// handlePricesApply serves POST /admin/catalog/prices: apply the previewed change, and
// only it: the form carries the preview's fingerprint, and a catalog that moved since
// (another price change, an import) refuses the change and shows the preview again.
func (h *Handler) handlePricesApply(w http.ResponseWriter, r *http.Request) {
	f := readPricesForm(r.PostFormValue)
	v := &store.Validator{}
	c := f.change(v, false)
	c.Expect = r.PostFormValue("expect")
	if c.Expect == "" {
		v.Add(f.Mode, "Previzualizează schimbarea înainte de a o aplica.", "Preview the change before applying it.")
	}
	err := v.Err()
	var res store.PriceChangeResult
	if err == nil {
		res, err = h.db.ChangePrices(r.Context(), c)
	}
	switch store.ErrorCode(err) {
	case "":
	case store.ECodeInvalid:
		h.showPrices(w, r, http.StatusBadRequest, pricesView{Form: f}, err)
		return
	case store.ECodeConflict:
		c.DryRun, c.Expect = true, ""
		preview, perr := h.db.ChangePrices(r.Context(), c)
		if perr != nil {
			h.renderError(w, r, perr)
			return
		}
		h.showPrices(w, r, http.StatusConflict, pricesView{Form: f, Preview: &preview, Error: invalidText(err, langOf(r))}, nil)
		return
	default:
		h.renderError(w, r, err)
		return
	}
	n := strconv.Itoa(res.Count)
	h.setFlash(r, store.Text{RO: "Prețurile a " + n + " produse au fost schimbate.", EN: "The prices of " + n + " products were changed."})
	http.Redirect(w, r, Prefix+"/catalog/prices", http.StatusSeeOther)
}

func (h *Handler) showPrices(w http.ResponseWriter, r *http.Request, status int, view pricesView, err error) {
	cats, cerr := h.db.ListCategories(r.Context())
	if cerr != nil {
		h.serverError(w, r, cerr)
		return
	}
	view.Categories = cats
	view.Errors = map[string]string{}
	lang := langOf(r)
	for _, field := range []string{"category", "grade", "standard", "percent", "amount"} {
		if msg := fieldError(err, lang, field); msg != "" {
			view.Errors[field] = msg
		}
	}
	// The store names the change's field: show it beside the one value input.
	if msg := view.Errors["percent"] + view.Errors["amount"]; msg != "" {
		view.Errors["value"] = msg
	}
	h.render(w, r, status, "catalog_prices", h.newPage(w, r, "catalog", "prices.title", view))
}
