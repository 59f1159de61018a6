package bom

import "encoding/json"

// Row statuses.
const (
	StatusMatched      = "matched"       // one product, confidently
	StatusAmbiguous    = "ambiguous"     // a best guess the buyer should confirm
	StatusUnmatched    = "unmatched"     // nothing in the catalog fits
	StatusUnitMismatch = "unit_mismatch" // the product is clear but is not sold in the row's unit
)

// Result is a mapped bill of materials: the `bom` of POST /api/upload/bom's answer.
type Result struct {
	Rows    []Row   `json:"rows"`
	Summary Summary `json:"summary"`
}

// Summary counts the rows by status.
type Summary struct {
	Total        int `json:"total"`
	Matched      int `json:"matched"`
	Ambiguous    int `json:"ambiguous"`
	Unmatched    int `json:"unmatched"`
	UnitMismatch int `json:"unitMismatch"`
}

// Row is one line of the BOM and what it maps to.
type Row struct {
	Line        int      `json:"line"`        // line (CSV) or row (XLSX) number in the file, from 1
	Text        string   `json:"text"`        // the row's cells as written, joined by " | "
	Description string   `json:"description"` // the description cell
	SKU         *string  `json:"sku"`         // the SKU cell, if any
	Quantity    *float64 `json:"quantity"`    // as read (tonnes already in kg); null when none
	Unit        *string  `json:"unit"`        // kg, m or pcs; null when none was written
	LengthM     *float64 `json:"lengthM"`     // length of one piece written on the line ("L=6m")

	Status       string      `json:"status"`
	Confidence   float64     `json:"confidence"` // of match, 0..1
	Match        *Candidate  `json:"match"`
	Alternatives []Candidate `json:"alternatives"` // up to three

	// ConvertedQuantity is the quantity in the match's base unit when the row's unit is
	// another (kg ↔ m ↔ pcs through the product's weight and bar length).
	ConvertedQuantity *float64 `json:"convertedQuantity"`
	// CartLine is the line POST /api/cart/bom takes for this row's match, or null when
	// the row lacks a quantity or the product is not sold in its unit.
	CartLine *CartLine `json:"cartLine"`
	Problem  *Problem  `json:"problem"`
}

// Candidate is a catalog product a row may mean.
type Candidate struct {
	ProductID    string   `json:"productId"`
	SKU          string   `json:"sku"`
	Title        string   `json:"title"`
	BaseUnit     string   `json:"baseUnit"`
	PricePerUnit float64  `json:"pricePerUnit"`
	Units        []string `json:"units"`
	Confidence   float64  `json:"confidence"`
}

// CartLine is a cart line as POST /api/cart/bom takes it.
type CartLine struct {
	Line      int             `json:"line"`
	ProductID string          `json:"productId"`
	Quantity  float64         `json:"quantity"`
	Unit      string          `json:"unit"`
	Specs     json.RawMessage `json:"specs,omitempty"`
}

// Problem says why a row could not be read completely.
type Problem struct {
	Code      string `json:"code"`
	Message   string `json:"message"`   // Romanian
	MessageEn string `json:"messageEn"` // English
}

var (
	problemNoDescription = &Problem{"no_description", "Rândul nu are denumire sau cod de produs.", "The row has no description or product code."}
	problemNoQuantity    = &Problem{"no_quantity", "Rândul nu are cantitate.", "The row has no quantity."}
	problemBadQuantity   = &Problem{"bad_quantity", "Cantitatea nu este un număr.", "The quantity is not a number."}
	problemUnknownUnit   = &Problem{"unknown_unit", "Unitatea de măsură nu este cunoscută (folosiți buc., m, kg sau t).", "Unknown unit (use pcs, m, kg or t)."}
	problemNotSoldInUnit = &Problem{"unit_not_sold", "Produsul nu se vinde în unitatea de pe rând.", "The product is not sold in the row's unit."}
)
