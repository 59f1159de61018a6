package store

import (
	"bytes"
	"encoding/json"
	"math"
	"regexp"
	"strconv"
)

// ProductFields are the editable fields of a product, named as the back office's JSON and
// the catalog CSV name them (one vocabulary for the API, the file and the audit log). An
// empty grade, standard or dimensions is stored as NULL; lengthM nil means "not sold in
// bars".
type ProductFields struct {
	SKU          string          `json:"sku"`
	Title        string          `json:"title"`
	Category     string          `json:"category"` // the category's slug
	Grade        string          `json:"grade"`
	Standard     string          `json:"standard"`
	Dimensions   string          `json:"dimensions"`
	Availability string          `json:"availability"`
	BaseUnit     string          `json:"baseUnit"`
	PricePerUnit float64         `json:"pricePerUnit"`
	Weight       *float64        `json:"weight"`
	LengthM      *float64        `json:"lengthM"`
	IsActive     bool            `json:"isActive"`
	Metadata     json.RawMessage `json:"metadata"`
}

// Limits of a product's values: far above the real catalog (a 12 m HEB 1000 weighs about
// 3.5 t, the dearest sheet costs a few thousand lei), low enough that a slipped decimal
// point in a price list is refused instead of published.
const (
	maxProductPrice  = 1_000_000 // RON per base unit
	maxProductWeight = 100_000   // kg per base unit
	maxProductLength = 24        // m: bars come in 6 or 12 m
	maxMetadataBytes = 4096
)

// skuPattern: letters, digits and the separators the seed uses (TR-40x20x2-S235, RT-48.3x3.2).
var skuPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.\-_/+]{1,63}$`)

var availabilities = map[string]bool{"in_stock": true, "on_order": true, "out_of_stock": true}

// CheckProductFields normalises f in place and reports every problem under its field name.
// categoryExists says whether a slug names a category. The rules are the seed's: a unit the
// cart knows, a price in bani, a weight per base unit (1 for kg, required for m and pcs
// because the cart converts through it, except on a withdrawn product), the seed's
// availability values.
func CheckProductFields(v *Validator, f *ProductFields, categoryExists func(slug string) bool) {
	f.SKU = v.Text("sku", f.SKU, 2, 64, "Codul (SKU) trebuie să aibă între 2 și 64 de caractere.", "The SKU must have 2 to 64 characters.")
	if !v.has("sku") && !skuPattern.MatchString(f.SKU) {
		v.Add("sku", "Codul (SKU) poate conține doar litere, cifre și . - _ / +.", "The SKU may contain only letters, digits and . - _ / +.")
	}
	f.Title = v.Text("title", f.Title, 3, 200, "Denumirea trebuie să aibă între 3 și 200 de caractere.", "The title must have 3 to 200 characters.")
	f.Category = v.Text("category", f.Category, 1, 60, "Categoria este obligatorie.", "The category is required.")
	if !v.has("category") && !categoryExists(f.Category) {
		v.Add("category", "Categoria nu există.", "The category does not exist.")
	}
	f.Grade = v.Text("grade", f.Grade, 0, 60, "Marca are cel mult 60 de caractere.", "The grade has at most 60 characters.")
	f.Standard = v.Text("standard", f.Standard, 0, 60, "Standardul are cel mult 60 de caractere.", "The standard has at most 60 characters.")
	f.Dimensions = v.Text("dimensions", f.Dimensions, 0, 100, "Dimensiunile au cel mult 100 de caractere.", "Dimensions have at most 100 characters.")
	if !availabilities[f.Availability] {
		v.Add("availability", "Disponibilitatea trebuie să fie in_stock, on_order sau out_of_stock.", "Availability must be in_stock, on_order or out_of_stock.")
	}
	unitOK := f.BaseUnit == UnitKg || f.BaseUnit == UnitM || f.BaseUnit == UnitPcs
	if !unitOK {
		v.Add("baseUnit", "Unitatea de bază trebuie să fie kg, m sau buc. (pcs).", "The base unit must be kg, m or pcs.")
	}
	switch p := f.PricePerUnit; {
	case math.IsNaN(p) || p <= 0 || p > maxProductPrice:
		v.Add("pricePerUnit", "Prețul trebuie să fie mai mare decât zero și cel mult 1.000.000 lei.", "The price must be above zero and at most 1,000,000 RON.")
	case !hasDecimals(p, 2):
		v.Add("pricePerUnit", "Prețul poate avea cel mult 2 zecimale (bani).", "The price may have at most 2 decimals.")
	}
	switch w := f.Weight; {
	case unitOK && f.BaseUnit == UnitKg && w == nil:
		one := 1.0
		f.Weight = &one // a kilogram weighs a kilogram
	case unitOK && f.BaseUnit == UnitKg && *w != 1:
		v.Add("weight", "Un produs vândut la kg are greutatea 1 (kg pe kg).", "A product sold by kg has weight 1 (kg per kg).")
	case w == nil && !f.IsActive:
		// A withdrawn product may lack it (older rows do); bringing it back needs one.
	case w == nil:
		v.Add("weight", "Greutatea pe unitatea de bază (kg/m sau kg/buc.) este obligatorie.", "The weight per base unit (kg/m or kg/pcs) is required.")
	case math.IsNaN(*w) || *w <= 0 || *w > maxProductWeight || !hasDecimals(*w, 3):
		v.Add("weight", "Greutatea trebuie să fie pozitivă, cel mult 100.000 kg, cu cel mult 3 zecimale.", "The weight must be positive, at most 100,000 kg, with at most 3 decimals.")
	}
	if l := f.LengthM; l != nil && *l == 0 {
		f.LengthM = nil
	} else if l != nil && (math.IsNaN(*l) || *l < 0 || *l > maxProductLength || !hasDecimals(*l, 3)) {
		v.Add("lengthM", "Lungimea barei trebuie să fie între 0 și 24 m.", "The bar length must be between 0 and 24 m.")
	}
	m := bytes.TrimSpace(f.Metadata)
	switch {
	case len(m) == 0 || bytes.Equal(m, []byte("null")):
		f.Metadata = json.RawMessage("{}")
	case len(m) > maxMetadataBytes || m[0] != '{' || !json.Valid(m):
		v.Add("metadata", "Specificațiile trebuie să fie un obiect JSON de cel mult 4 KB.", "Metadata must be a JSON object of at most 4 KB.")
	default:
		f.Metadata = json.RawMessage(m)
	}
}

// has reports whether field already has a problem.
func (v *Validator) has(field string) bool {
	for _, f := range v.fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// hasDecimals reports whether x has at most n decimals (within float noise).
func hasDecimals(x float64, n int) bool {
	p := math.Pow(10, float64(n))
	return math.Abs(x*p-math.Round(x*p)) < 1e-6
}

// formatNumber writes a number as the CSV and the audit log show it: shortest form, dot decimal.
func formatNumber(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
