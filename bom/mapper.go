package bom

import (
	"context"
	"encoding/json"
	"io"
	"math"
	"strings"

	"github.com/metalpro/backend/catalog/search"
	"github.com/metalpro/backend/store"
)

// MIME types MapBOM reads.
const (
	MIMECSV  = "text/csv"
	MIMEXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// Mapper maps bills of materials to the catalog in DB.
type Mapper struct {
	DB *store.DB
}

// MapBOM reads a CSV or XLSX bill of materials and maps every line to the catalog. The
// answer is a *Result. Problems with the file as a whole are *Error (BOMErrorCode,
// BOMMessage); problems with one line are on its row.
func (m *Mapper) MapBOM(ctx context.Context, r io.Reader, mimeType string) (any, error) {
	res, err := m.Map(ctx, r, mimeType)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// Map is MapBOM with its concrete result.
func (m *Mapper) Map(ctx context.Context, r io.Reader, mimeType string) (*Result, error) {
	cols, data, err := readBOM(r, mimeType)
	if err != nil {
		return nil, err
	}
	res := &Result{Rows: make([]Row, 0, len(data))}
	cache := &mapCache{lines: map[string]lineMatch{}, known: map[string]bool{}}
	for _, raw := range data {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		row, keep, err := m.mapRow(ctx, raw, cols, cache)
		if err != nil {
			return nil, err
		}
		if keep {
			res.Rows = append(res.Rows, row)
			res.Summary.add(row.Status)
		}
	}
	return res, nil
}

// readBOM reads the file, finds its header and returns the columns and the data rows
// under the header (at most MaxDataRows).
func readBOM(r io.Reader, mimeType string) (columns, []rawRow, error) {
	var rows []rawRow
	var err error
	switch strings.ToLower(strings.TrimSpace(strings.SplitN(mimeType, ";", 2)[0])) {
	case MIMECSV, "text/plain", "text/tab-separated-values":
		rows, err = readCSV(r)
	case MIMEXLSX:
		rows, err = readXLSX(r)
	default:
		return columns{}, nil, errUnsupported
	}
	if err != nil {
		return columns{}, nil, err
	}
	h, cols, ok := findHeader(rows)
	if !ok {
		return columns{}, nil, errNoColumns
	}
	data := rows[h+1:]
	if len(data) > MaxDataRows {
		return columns{}, nil, errTooManyRows()
	}
	return cols, data, nil
}

func (s *Summary) add(status string) {
	s.Total++
	switch status {
	case StatusMatched:
		s.Matched++
	case StatusAmbiguous:
		s.Ambiguous++
	case StatusUnmatched:
		s.Unmatched++
	case StatusUnitMismatch:
		s.UnitMismatch++
	}
}

// mapRow reads and maps one data row; keep is false for rows that are no BOM line (a
// total, a repeated header).
func (m *Mapper) mapRow(ctx context.Context, raw rawRow, cols columns, cache *mapCache) (Row, bool, error) {
	desc, sku := cols.cell(raw, colDesc), cols.cell(raw, colSKU)
	if isTotalOrHeader(desc) {
		return Row{}, false, nil
	}
	row := Row{Line: raw.Line, Text: strings.Join(raw.Cells, " | "), Description: desc, Alternatives: []Candidate{}}
	if sku != "" {
		row.SKU = &sku
	}
	line := ParseLine(desc)
	m.readQuantity(&row, raw, cols, line)

	// Exact SKU first: the SKU column, or a SKU written as the description's first word.
	var found *store.Product
	for _, s := range []string{sku, firstWord(desc)} {
		if s == "" || s != sku && !reSKULike.MatchString(s) {
			continue
		}
		p, err := m.matchSKU(ctx, s)
		if err != nil {
			return row, true, err
		}
		if p != nil {
			found = p
			break
		}
	}
	switch {
	case found != nil:
		row.Status, row.Confidence = StatusMatched, 1
		c := candidateOf(found, 1)
		row.Match = &c
		m.convert(&row, found)
		return row, true, nil
	case strings.TrimSpace(line.Search) == "":
		row.Status = StatusUnmatched
		if row.Problem == nil {
			row.Problem = problemNoDescription
		}
		return row, true, nil
	}
	key := strings.Join(search.Tokens(line.Search), " ")
	lm, ok := cache.lines[key]
	if !ok {
		var err error
		if lm, err = m.matchText(ctx, line.Search, cache); err != nil {
			return row, true, err
		}
		cache.lines[key] = lm
	}
	row.Status, row.Confidence = lm.status, round3(lm.conf)
	alts := lm.ranked
	if lm.status != StatusUnmatched && len(lm.ranked) > 0 {
		c := candidateOf(lm.ranked[0].p, lm.conf)
		row.Match = &c
		alts = lm.ranked[1:]
		m.convert(&row, lm.ranked[0].p)
	}
	// Unmatched rows have no match, only the nearest products to choose from.
	for _, alt := range alts {
		if len(row.Alternatives) == 3 {
			break
		}
		conf := min(alt.conf, lm.conf)
		if lm.byDefault {
			conf *= 0.8 // another grade or finish than the standard one the line was given
		}
		row.Alternatives = append(row.Alternatives, candidateOf(alt.p, conf))
	}
	return row, true, nil
}

// readQuantity fills the row's quantity, unit and length: the quantity cell (which may
// carry a unit), the unit cell, the unit the quantity header names, and what the
// description itself says ("- 12 buc", "L=6m").
func (m *Mapper) readQuantity(row *Row, raw rawRow, cols columns, line Line) {
	qtyCell, unitCell := cols.cell(raw, colQty), cols.cell(raw, colUnit)
	var qty float64
	unit := ""
	switch {
	case qtyCell != "":
		q, u, ok := parseQuantityCell(qtyCell)
		if !ok {
			row.Problem = problemBadQuantity
			break
		}
		qty, unit = q, u
		if unit == "" && unitCell != "" {
			u, scale, ok := parseUnit(unitCell)
			if !ok {
				row.Problem = problemUnknownUnit
			} else {
				qty, unit = qty*scale, u
			}
		}
		if unit == "" && cols.qtyUnit != "" {
			qty, unit = qty*cols.qtyScale, cols.qtyUnit
		}
	case line.Quantity > 0:
		qty, unit = line.Quantity, line.Unit
	default:
		row.Problem = problemNoQuantity
	}
	if unit == "" && line.Unit != "" && line.Quantity == qty {
		unit = line.Unit
	}
	if qty > 0 {
		q := round3(qty)
		row.Quantity = &q
	}
	if unit != "" {
		row.Unit = &unit
	}
	if line.LengthM > 0 {
		l := round3(line.LengthM)
		row.LengthM = &l
	}
}

// convert fills the converted quantity and the suggested cart line for product p, or
// marks a confident row unit_mismatch when p is not sold in the row's unit.
func (m *Mapper) convert(row *Row, p *store.Product) {
	if row.Quantity == nil {
		return
	}
	if row.Problem == problemUnknownUnit {
		if row.Status == StatusMatched {
			row.Status = StatusUnitMismatch
		}
		return // a quantity in an unknown unit cannot be ordered as it is
	}
	sp := store.SaleProductOf(p)
	qty := *row.Quantity
	unit := p.BaseUnit // no unit written: the product's own
	if row.Unit != nil {
		unit = *row.Unit
	}
	line := &CartLine{Line: row.Line, ProductID: p.ID, Quantity: qty, Unit: unit}
	switch {
	case unit == store.UnitPcs && row.LengthM != nil && p.BaseUnit == store.UnitM:
		// n pieces of L metres of a product sold by the metre: n × L metres, cut to L
		// when the catalog's bars are another length.
		line.Quantity, line.Unit = round3(qty**row.LengthM), store.UnitM
		if p.LengthM == nil || math.Abs(*p.LengthM-*row.LengthM) > 1e-9 {
			line.Specs, _ = json.Marshal(map[string]any{"lengthM": *row.LengthM, "cutToLength": true})
		}
	case unit == store.UnitPcs && qty != math.Trunc(qty):
		line = nil // pieces come whole; the buyer corrects the row
	}
	if line != nil {
		base, ok := sp.BaseUnits(line.Quantity, line.Unit)
		if !ok {
			if row.Status == StatusMatched {
				row.Status = StatusUnitMismatch
			}
			if row.Problem == nil {
				row.Problem = problemNotSoldInUnit
			}
			return
		}
		if unit != p.BaseUnit {
			row.ConvertedQuantity = &base
		}
	}
	row.CartLine = line
}

// isTotalOrHeader: "Total", "TOTAL GENERAL", "Subtotal" rows and a repeated header row
// (a printed BOM repeats it on every page) are no lines of the BOM.
func isTotalOrHeader(desc string) bool {
	f := foldHeader(desc)
	if f == "total" || f == "subtotal" || strings.HasPrefix(f, "total ") {
		return true
	}
	k, _, _ := headerKind(desc)
	return k == colDesc && len(f) < 20 && len(strings.Fields(f)) <= 2 && !strings.ContainsAny(f, "0123456789")
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }
