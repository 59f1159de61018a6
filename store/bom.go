package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/metalpro/backend/catalog/search"
)

// What the BOM matcher (package bom) reads of the catalog search beyond ListProducts:
// the indexed facts of the products a search returned, and which words the index knows,
// so the matcher can say how completely a BOM line names a product.

// SearchFacts is what the search index holds about one product: its tokens (title and
// keywords, as search.Document wrote them) and the structured parts ranking compares.
type SearchFacts struct {
	Family    string
	Dims      []float64 // d1, d2, d3 as far as set
	Thickness float64
	GradeKey  string
	Tokens    map[string]bool
}

// ProductSearchFacts returns the search facts of the given products, by product id.
func (db *DB) ProductSearchFacts(ctx context.Context, ids []string) (map[string]SearchFacts, error) {
	out := make(map[string]SearchFacts, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	err := db.Read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT product_id, family, d1, d2, d3, thickness, grade_key, title_tokens, keyword_tokens
			FROM product_search WHERE product_id IN (`+strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, title, keywords string
			var f SearchFacts
			var d [3]sql.NullFloat64
			var thick sql.NullFloat64
			if err := rows.Scan(&id, &f.Family, &d[0], &d[1], &d[2], &thick, &f.GradeKey, &title, &keywords); err != nil {
				return err
			}
			for _, v := range d {
				if !v.Valid {
					break
				}
				f.Dims = append(f.Dims, v.Float64)
			}
			f.Thickness = thick.Float64
			f.Tokens = map[string]bool{}
			for _, t := range strings.Fields(title + " " + keywords) {
				f.Tokens[t] = true
			}
			out[id] = f
		}
		return rows.Err()
	})
	return out, err
}

// KnownSearchTokens reports which of tokens (search.Tokens output) some active or
// inactive product is indexed under. A word no product has (a typo, "hala", "etaj 2")
// tells the matcher nothing about which product is meant.
func (db *DB) KnownSearchTokens(ctx context.Context, tokens []string) (map[string]bool, error) {
	out := make(map[string]bool, len(tokens))
	err := db.Read(ctx, func(tx *Tx) error {
		for _, t := range tokens {
			var one int
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM product_fts WHERE product_fts MATCH ? LIMIT 1`,
				search.MatchExpr([]string{t}, false)).Scan(&one)
			switch {
			case errors.Is(err, sql.ErrNoRows):
			case err != nil:
				return err
			default:
				out[t] = true
			}
		}
		return nil
	})
	return out, err
}

// SaleProductOf is the pricing view of a catalog product.
func SaleProductOf(p *Product) SaleProduct {
	return SaleProduct{ID: p.ID, SKU: p.SKU, Title: p.Title, BaseUnit: p.BaseUnit, PricePerUnit: p.PricePerUnit,
		Weight: p.Weight, LengthM: p.LengthM, Availability: p.Availability, IsActive: p.IsActive}
}

// BaseUnits is how many of the product's base units qty of unit is (the cart's own
// conversion, pricing.go), and false when the product is not sold in unit.
func (p SaleProduct) BaseUnits(qty float64, unit string) (float64, bool) {
	f, ok := p.unitFactor(unit)
	if !ok {
		return 0, false
	}
	return roundQty(qty * f), true
}
