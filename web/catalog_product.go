package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/metalpro/backend/store"
)

// Editing one product (ADMIN), and adding a new one. The store validates with the seed's
// rules (store.CheckProductFields), exactly as for the API's PATCH; this page only turns
// the typed text into values, so a bad entry comes back with the message beside its
// field, what was typed kept, and nothing saved.

// productForm is the edit form as typed.
type productForm struct {
	SKU, Title, Category, Grade, Standard, Dimensions, Availability, BaseUnit string
	Price, Weight, LengthM, Metadata                                          string
	Active                                                                    bool
}

// productView is the data of templates/catalog_product.html.
type productView struct {
	ID         string // "" for a new product
	Product    *store.AdminProduct
	Form       productForm
	Categories []store.Category
	Errors     map[string]string // field → message
	Error      string            // the whole form's message
}

// Availabilities are the choices of the form's availability select.
func (productView) Availabilities() []string { return []string{"in_stock", "on_order", "out_of_stock"} }

// Units are the choices of the form's base unit select (pcs shows as "buc.").
func (productView) Units() []string { return []string{store.UnitKg, store.UnitM, store.UnitPcs} }

func formOf(f store.ProductFields) productForm {
	num := func(v *float64) string {
		if v == nil {
			return ""
		}
		return decimalText(*v)
	}
	meta := string(f.Metadata)
	if meta == "{}" || meta == "null" {
		meta = ""
	}
	return productForm{SKU: f.SKU, Title: f.Title, Category: f.Category, Grade: f.Grade, Standard: f.Standard,
		Dimensions: f.Dimensions, Availability: f.Availability, BaseUnit: f.BaseUnit, Price: decimalText(f.PricePerUnit),
		Weight: num(f.Weight), LengthM: num(f.LengthM), Metadata: meta, Active: f.IsActive}
}

// decimalText writes a number with a decimal comma, as the team types it.
func decimalText(v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1)
}

func readProductForm(r *http.Request) productForm {
	g := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	return productForm{SKU: g("sku"), Title: g("title"), Category: g("category"), Grade: g("grade"),
		Standard: g("standard"), Dimensions: g("dimensions"), Availability: g("availability"), BaseUnit: g("baseUnit"),
		Price: g("pricePerUnit"), Weight: g("weight"), LengthM: g("lengthM"), Metadata: g("metadata"),
		Active: r.PostFormValue("isActive") == "1"}
}

// fields turns the form into the store's values; v collects the numbers that do not read.
func (f productForm) fields(v *store.Validator) store.ProductFields {
	out := store.ProductFields{SKU: f.SKU, Title: f.Title, Category: f.Category, Grade: f.Grade, Standard: f.Standard,
		Dimensions: f.Dimensions, Availability: f.Availability, BaseUnit: f.BaseUnit, IsActive: f.Active,
		Metadata: json.RawMessage(f.Metadata)}
	number := func(field, raw string) *float64 {
		if raw == "" {
			return nil
		}
		x, ok := parseDecimal(raw)
		if !ok {
			v.Add(field, "Scrie un număr, de exemplu 12,50.", "Type a number, such as 12.50.")
			return nil
		}
		return &x
	}
	if p := number("pricePerUnit", f.Price); p != nil {
		out.PricePerUnit = *p
	} else if f.Price == "" {
		v.Add("pricePerUnit", "Prețul este obligatoriu.", "The price is required.")
	}
	out.Weight = number("weight", f.Weight)
	out.LengthM = number("lengthM", f.LengthM)
	return out
}

// patchOf is the whole form as a change: every field the page shows is set, an empty bar
// length clears it. An empty weight is one only a kg product (1 kg per kg, the store
// fills it in) or a withdrawn one may have; the check before saving asks for it otherwise.
func patchOf(f store.ProductFields) store.ProductPatch {
	zero := 0.0
	length := f.LengthM
	if length == nil {
		length = &zero
	}
	meta := f.Metadata
	if len(meta) == 0 {
		meta = json.RawMessage("{}")
	}
	return store.ProductPatch{SKU: &f.SKU, Title: &f.Title, Category: &f.Category, Grade: &f.Grade,
		Standard: &f.Standard, Dimensions: &f.Dimensions, Availability: &f.Availability, BaseUnit: &f.BaseUnit,
		PricePerUnit: &f.PricePerUnit, Weight: f.Weight, LengthM: length, IsActive: &f.IsActive, Metadata: &meta}
}

// handleProductPage serves GET /admin/catalog/products/{id} and …/new.
func (h *Handler) handleProductPage(w http.ResponseWriter, r *http.Request) {
	view := productView{ID: mux.Vars(r)["id"], Form: productForm{Availability: "in_stock", BaseUnit: store.UnitKg, Active: true}}
	if view.ID != "" {
		p, err := h.db.AdminProduct(r.Context(), view.ID)
		if err != nil {
			h.renderError(w, r, err)
			return
		}
		view.Product, view.Form = p, formOf(p.ProductFields)
	}
	h.showProduct(w, r, http.StatusOK, view)
}

// handleProductSave serves POST /admin/catalog/products/{id} and …/new.
func (h *Handler) handleProductSave(w http.ResponseWriter, r *http.Request) {
	view := productView{ID: mux.Vars(r)["id"], Form: readProductForm(r)}
	if view.ID != "" {
		p, err := h.db.AdminProduct(r.Context(), view.ID)
		if err != nil {
			h.renderError(w, r, err)
			return
		}
		view.Product = p
	}
	cats, err := h.db.ListCategories(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	view.Categories = cats
	// Every problem at once: the numbers that do not read, then the store's own rules on
	// a copy (the store checks again when saving, with the SKU's uniqueness).
	v := &store.Validator{}
	fields := view.Form.fields(v)
	check := fields
	store.CheckProductFields(v, &check, func(slug string) bool { return hasCategory(cats, slug) })
	err = v.Err()
	var saved *store.AdminProduct
	if err == nil && view.ID == "" {
		saved, err = h.db.CreateProduct(r.Context(), fields)
	} else if err == nil {
		saved, err = h.db.UpdateProduct(r.Context(), view.ID, patchOf(fields))
	}
	if store.ErrorCode(err) == store.ECodeInvalid {
		h.showProductErrors(w, r, view, err)
		return
	}
	if err != nil {
		h.renderError(w, r, err)
		return
	}
	h.setFlash(r, store.Text{RO: "Produsul " + saved.SKU + " a fost salvat.", EN: "Product " + saved.SKU + " was saved."})
	http.Redirect(w, r, Prefix+"/catalog/products/"+saved.ID, http.StatusSeeOther)
}

// showProductErrors shows the form again with each message beside its field (400).
func (h *Handler) showProductErrors(w http.ResponseWriter, r *http.Request, view productView, err error) {
	lang := langOf(r)
	view.Errors = map[string]string{}
	for _, f := range []string{"sku", "title", "category", "grade", "standard", "dimensions", "availability",
		"baseUnit", "pricePerUnit", "weight", "lengthM", "metadata"} {
		if msg := fieldError(err, lang, f); msg != "" {
			view.Errors[f] = msg
		}
	}
	view.Error = translate(lang, "product.fix")
	if len(view.Errors) == 0 {
		view.Error = invalidText(err, lang)
	}
	h.showProduct(w, r, http.StatusBadRequest, view)
}

func (h *Handler) showProduct(w http.ResponseWriter, r *http.Request, status int, view productView) {
	if view.Categories == nil {
		cats, err := h.db.ListCategories(r.Context())
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		view.Categories = cats
	}
	title := "product.newTitle"
	if view.ID != "" {
		title = "product.title"
	}
	p := h.newPage(w, r, "catalog", title, view)
	if view.Product != nil {
		p.Title = view.Product.SKU + " · " + p.Title
	}
	h.render(w, r, status, "catalog_product", p)
}
