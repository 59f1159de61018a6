package bom

import (
	"strings"

	"github.com/metalpro/backend/catalog/search"
)

// column kinds a BOM header may name.
const (
	colDesc = iota
	colQty
	colUnit
	colSKU
	colKinds
)

// headerNames are the header texts of each column kind, folded (no diacritics, lower
// case, punctuation as spaces), the clearest first: when two cells name one kind ("Item"
// and "Description"), the one earlier in its list wins. A header cell matches a name
// when it equals it or starts with it followed by more words ("Cantitate (kg)",
// "Denumire material").
var headerNames = [colKinds][]string{
	colDesc: {"denumire", "denumirea", "denumire material", "denumire produs", "descriere", "descrierea",
		"description", "material description", "designation", "specificatie", "specificatii", "material",
		"materiale", "articol", "produs", "product", "name", "reper", "item"},
	colQty:  {"cantitate", "cantitatea", "cant", "cantit", "qty", "quantity", "quant", "nr buc", "numar bucati", "buc", "bucati", "pcs"},
	colUnit: {"um", "u m", "u m.", "unitate", "unitate de masura", "unitatea de masura", "unit", "units", "uom", "u/m", "unit of measure"},
	colSKU:  {"cod", "cod articol", "cod produs", "cod material", "sku", "code", "item code", "product code", "part no", "part number", "cod intern"},
}

// quantity headers that also say the unit: "Nr. buc." counts pieces.
var qtyHeaderUnits = map[string]string{"nr buc": "pcs", "numar bucati": "pcs", "buc": "pcs", "bucati": "pcs", "pcs": "pcs"}

// columns is where each kind sits in the header row (-1: absent), plus the unit a
// quantity header implies ("Cantitate (kg)"), if any.
type columns struct {
	idx      [colKinds]int
	qtyUnit  string
	qtyScale float64 // 1000 for a quantity header in tonnes
}

// foldHeader folds a header cell for comparison: "U.M." → "u m", "Cant." → "cant".
func foldHeader(s string) string {
	s = search.Fold(s)
	s = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '/' {
			return r
		}
		return ' '
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// headerKind is the kind of column a header cell names, or -1.
// headerKind is the kind of column a header cell names (-1 for none), the name it
// matched and that name's rank in its list (lower is clearer). The longest matching name
// decides the kind: "Cod material" is a SKU, not a description.
func headerKind(cell string) (kind int, name string, rank int) {
	h := foldHeader(cell)
	if h == "" {
		return -1, "", 0
	}
	kind = -1
	for k, names := range headerNames {
		for i, n := range names {
			if (h == n || strings.HasPrefix(h, n+" ")) && len(n) > len(name) {
				kind, name, rank = k, n, i
			}
		}
	}
	if kind == -1 && strings.ReplaceAll(h, " ", "") == "um" { // "U. M."
		return colUnit, "um", 0
	}
	return kind, name, rank
}

// findHeader finds the header row among the first headerScan rows: the first row naming
// at least two kinds of column, one of them the description or the SKU. Title blocks
// above it (company, project, date) name none. It returns the header's index in rows.
func findHeader(rows []rawRow) (int, columns, bool) {
	for i := 0; i < len(rows) && i < headerScan; i++ {
		var c columns
		var ranks [colKinds]int
		for k := range c.idx {
			c.idx[k] = -1
		}
		found := 0
		for j, cell := range rows[i].Cells {
			kind, name, rank := headerKind(cell)
			if kind < 0 || c.idx[kind] >= 0 && ranks[kind] <= rank {
				continue
			}
			if c.idx[kind] < 0 {
				found++
			}
			c.idx[kind], ranks[kind] = j, rank
			if kind == colQty {
				c.qtyUnit, c.qtyScale = qtyHeaderUnits[name], 1
				if u, scale, ok := parseUnit(unitInHeader(cell)); ok {
					c.qtyUnit, c.qtyScale = u, scale
				}
			}
		}
		if found >= 2 && (c.idx[colDesc] >= 0 || c.idx[colSKU] >= 0) {
			return i, c, true
		}
	}
	return 0, columns{}, false
}

// unitInHeader is the unit in brackets of a header such as "Cantitate (kg)" or
// "Cant. [to]", or "".
func unitInHeader(cell string) string {
	for _, br := range []string{"()", "[]"} {
		if i := strings.IndexByte(cell, br[0]); i >= 0 {
			if j := strings.IndexByte(cell[i:], br[1]); j > 0 {
				return strings.TrimSpace(cell[i+1 : i+j])
			}
		}
	}
	return ""
}

// cell is row's cell of kind, or "".
func (c columns) cell(r rawRow, kind int) string {
	if i := c.idx[kind]; i >= 0 && i < len(r.Cells) {
		return r.Cells[i]
	}
	return ""
}
