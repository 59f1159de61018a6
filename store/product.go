package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/metalpro/backend/catalog/search"
)

// Product is a catalog item as the API shows it.
type Product struct {
	ID           string          `json:"id"`
	SKU          string          `json:"sku"`
	Title        string          `json:"title"`
	Grade        *string         `json:"grade"`
	Standard     *string         `json:"standard"`
	Dimensions   *string         `json:"dimensions"`
	Availability string          `json:"availability"`
	BaseUnit     string          `json:"baseUnit"`
	PricePerUnit float64         `json:"pricePerUnit"`
	Weight       *float64        `json:"weight"`  // kg per base unit
	LengthM      *float64        `json:"lengthM"` // delivery length of bars, profiles, pipes
	Metadata     json.RawMessage `json:"metadata"`
	Category     ProductCategory `json:"category"`
	IsActive     bool            `json:"-"`
	CreatedAt    time.Time       `json:"-"`
	UpdatedAt    time.Time       `json:"-"`
}

// ProductCategory is the short form of a product's category.
type ProductCategory struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// Sort orders for ListProducts.
const (
	SortRelevance = "relevance"
	SortPriceAsc  = "price_asc"
	SortPriceDesc = "price_desc"
	SortTitleAsc  = "title_asc"
	SortNewest    = "newest"
)

// ProductFilter selects products. Empty fields do not filter. The http layer validates
// the values; the store binds every one as a parameter.
type ProductFilter struct {
	Category     string   // category slug
	Availability []string // any of
	Grades       []string // any of, exact
	Standards    []string // any of, exact
	Query        string   // search text (see search.ParseQuery)
	MinPrice     *float64
	MaxPrice     *float64
	Sort         string // one of the Sort* constants; "" is relevance
	Explain      bool   // SearchProducts: report each item's rank values (staff only, see the http layer)
	// IncludeInactive lists withdrawn products too: the back office's catalog search for
	// admins. The storefront never sets it.
	IncludeInactive bool
	Page            int // from 1
	Limit           int // page size
}

// Facet is one value of a facet and how many products in the current filter have it.
type Facet struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// ProductFacets count grade, standard and availability values within the current filter;
// a field that is itself filtered is counted without its own filter (see refineFacets).
type ProductFacets struct {
	Grade        []Facet `json:"grade"`
	Standard     []Facet `json:"standard"`
	Availability []Facet `json:"availability"`
}

const productColumns = `p.id, p.sku, p.title, p.grade, p.standard, p.dimensions, p.availability,
	p.base_unit, p.price_per_unit, p.weight, p.length_m, p.metadata, p.is_active, p.created_at, p.updated_at,
	c.id, c.slug, c.name`

func scanProduct(sc interface{ Scan(...any) error }) (*Product, error) {
	var p Product
	var meta sql.NullString
	var created, updated string
	if err := sc.Scan(&p.ID, &p.SKU, &p.Title, &p.Grade, &p.Standard, &p.Dimensions, &p.Availability,
		&p.BaseUnit, &p.PricePerUnit, &p.Weight, &p.LengthM, &meta, &p.IsActive, &created, &updated,
		&p.Category.ID, &p.Category.Slug, &p.Category.Name); err != nil {
		return nil, err
	}
	if meta.Valid && json.Valid([]byte(meta.String)) {
		p.Metadata = json.RawMessage(meta.String)
	} else {
		p.Metadata = json.RawMessage("null")
	}
	p.CreatedAt, _ = ParseTime(created)
	p.UpdatedAt, _ = ParseTime(updated)
	return &p, nil
}

var errProductNotFound = ErrNotFound("Produsul nu a fost găsit.", "Product not found.")

// GetProduct returns an active product by id or SKU (SKUs match case-insensitively).
func (db *DB) GetProduct(ctx context.Context, idOrSKU string) (*Product, error) {
	var out *Product
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		out, err = getProduct(ctx, tx, idOrSKU)
		return err
	})
	return out, err
}

func getProduct(ctx context.Context, tx *Tx, idOrSKU string) (*Product, error) {
	q := `SELECT ` + productColumns + ` FROM products p JOIN categories c ON c.id = p.category_id
		WHERE p.is_active = 1 AND `
	p, err := scanProduct(tx.QueryRowContext(ctx, q+`(p.id = ? OR p.sku = ?)`, idOrSKU, idOrSKU))
	if errors.Is(err, sql.ErrNoRows) {
		// A SKU typed by hand: tr-40x20x2-s235.
		p, err = scanProduct(tx.QueryRowContext(ctx, q+`p.sku = ? COLLATE NOCASE`, idOrSKU))
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errProductNotFound
	}
	return p, err
}

// ListProducts returns one page of the active products matching f, the number of all
// matches, and the facet counts within f. It is SearchProducts without the match flag
// and the explanation; see SearchProducts for how a search matches and ranks.
func (db *DB) ListProducts(ctx context.Context, f ProductFilter) ([]*Product, int, ProductFacets, error) {
	l, err := db.SearchProducts(ctx, f)
	return l.Items, l.Total, l.Facets, err
}

// facetList orders facet values by count, most common first, then by value.
func facetList(m map[string]int) []Facet {
	out := make([]Facet, 0, len(m))
	for v, n := range m {
		out = append(out, Facet{v, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
	return out
}

func emptyFacets() ProductFacets {
	return ProductFacets{Grade: []Facet{}, Standard: []Facet{}, Availability: []Facet{}}
}

// listProducts lists f's page and facets; match is the FTS5 expression for q ("" without
// q), partial says it is the fallback's (see rankTerms). With f.Explain the page's rank
// values come back too, one per item.
func listProducts(ctx context.Context, tx *Tx, f ProductFilter, q *search.Query, match string, partial bool) ([]*Product, []ScoreParts, int, ProductFacets, error) {
	from, where, args := productWhere(f, match)

	// One scan counts all three facets: group by the triple, then add up per value.
	facets := emptyFacets()
	total := 0
	rows, err := tx.QueryContext(ctx, `SELECT p.grade, p.standard, p.availability, count(*)`+from+where+
		` GROUP BY p.grade, p.standard, p.availability`, args...)
	if err != nil {
		return nil, nil, 0, facets, fmt.Errorf("facets: %w", err)
	}
	grades, standards, avail := map[string]int{}, map[string]int{}, map[string]int{}
	for rows.Next() {
		var grade, standard sql.NullString
		var availability string
		var n int
		if err := rows.Scan(&grade, &standard, &availability, &n); err != nil {
			rows.Close()
			return nil, nil, 0, facets, err
		}
		if grade.Valid {
			grades[grade.String] += n
		}
		if standard.Valid {
			standards[standard.String] += n
		}
		avail[availability] += n
		total += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, 0, facets, err
	}
	facets.Grade, facets.Standard, facets.Availability = facetList(grades), facetList(standards), facetList(avail)
	if err := refineFacets(ctx, tx, f, match, &facets); err != nil {
		return nil, nil, 0, facets, err
	}
	items := []*Product{}
	if total == 0 || (f.Page-1)*f.Limit >= total {
		return items, nil, total, facets, nil
	}

	joins := ` JOIN categories c ON c.id = p.category_id`
	if q == nil {
		joins += ` JOIN product_search s ON s.product_id = p.id` // every product has one (trigger)
	}
	// The relevance ranks are selected columns (r0, r1, ...) the ORDER BY refers to, so
	// an explanation reports the very values the page was sorted by.
	var ranks []rankTerm
	if q != nil && (f.Sort == "" || f.Sort == SortRelevance) {
		ranks = rankTerms(q, partial)
	}
	cols, order, selArgs := rankSQL(ranks)
	if len(ranks) == 0 {
		order = productOrder(f, q)
	}
	rows, err = tx.QueryContext(ctx, `SELECT `+productColumns+cols+from+joins+where+order+` LIMIT ? OFFSET ?`,
		append(append(selArgs, args...), f.Limit, (f.Page-1)*f.Limit)...)
	if err != nil {
		return nil, nil, 0, facets, fmt.Errorf("list products: %w", err)
	}
	defer rows.Close()
	var scores []ScoreParts
	for rows.Next() {
		p, vals, err := scanRanked(rows, len(ranks))
		if err != nil {
			return nil, nil, 0, facets, err
		}
		items = append(items, p)
		if f.Explain {
			scores = append(scores, scoreParts(p.SKU, ranks, vals))
		}
	}
	return items, scores, total, facets, rows.Err()
}

// refineFacets recounts each facet whose own field is filtered, with every other filter
// but that one: a buyer who ticked grade S235JR still sees S355J2 and how many there are,
// so the facet offers alternatives instead of echoing the choice (the usual shop
// behaviour). Fields without a filter keep the counts of the full filter.
func refineFacets(ctx context.Context, tx *Tx, f ProductFilter, match string, facets *ProductFacets) error {
	for _, field := range []struct {
		col    string
		active bool
		clear  func(*ProductFilter)
		dst    *[]Facet
	}{
		{"p.grade", len(f.Grades) > 0, func(g *ProductFilter) { g.Grades = nil }, &facets.Grade},
		{"p.standard", len(f.Standards) > 0, func(g *ProductFilter) { g.Standards = nil }, &facets.Standard},
		{"p.availability", len(f.Availability) > 0, func(g *ProductFilter) { g.Availability = nil }, &facets.Availability},
	} {
		if !field.active {
			continue
		}
		others := f
		field.clear(&others)
		from, where, args := productWhere(others, match)
		rows, err := tx.QueryContext(ctx, `SELECT `+field.col+`, count(*)`+from+where+
			` AND `+field.col+` IS NOT NULL GROUP BY `+field.col, args...)
		if err != nil {
			return fmt.Errorf("facets: %w", err)
		}
		counts := map[string]int{}
		for rows.Next() {
			var v string
			var n int
			if err := rows.Scan(&v, &n); err != nil {
				rows.Close()
				return err
			}
			counts[v] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		*field.dst = facetList(counts)
	}
	return nil
}

// productWhere builds FROM and WHERE for f. Only bound parameters carry values. The
// search table is joined only when searching (the page query adds it for sorting), so
// the facet counts read nothing but the covering index products_catalog_filter.
func productWhere(f ProductFilter, match string) (string, string, []any) {
	var args []any
	from := ` FROM products p`
	conds := []string{"p.is_active = 1"}
	if f.IncludeInactive {
		conds = []string{"1 = 1"}
	}
	if match != "" {
		from = ` FROM product_fts JOIN product_search s ON s.id = product_fts.rowid
			JOIN products p ON p.id = s.product_id`
		conds = append(conds, "product_fts MATCH ?")
		args = append(args, match)
	}
	if f.Category != "" {
		conds = append(conds, "p.category_id = (SELECT id FROM categories WHERE slug = ?)")
		args = append(args, f.Category)
	}
	in := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		conds = append(conds, col+" IN ("+strings.TrimSuffix(strings.Repeat("?,", len(vals)), ",")+")")
		for _, v := range vals {
			args = append(args, v)
		}
	}
	in("p.availability", f.Availability)
	in("p.grade", f.Grades)
	in("p.standard", f.Standards)
	if f.MinPrice != nil {
		conds = append(conds, "+p.price_per_unit >= ?") // unary +: filter, do not drive the scan by price
		args = append(args, *f.MinPrice)
	}
	if f.MaxPrice != nil {
		conds = append(conds, "+p.price_per_unit <= ?")
		args = append(args, *f.MaxPrice)
	}
	return from, " WHERE " + strings.Join(conds, " AND "), args
}

// productOrder is the ORDER BY for f's sort without a relevance ranking (rankTerms has
// that). Every order ends in a unique key, so pages never overlap, and follows an index,
// so a page stops reading after its rows.
func productOrder(f ProductFilter, q *search.Query) string {
	switch f.Sort {
	case SortPriceAsc:
		return ` ORDER BY p.price_per_unit, p.sku`
	case SortPriceDesc:
		return ` ORDER BY p.price_per_unit DESC, p.sku DESC`
	case SortTitleAsc:
		return ` ORDER BY s.title_sort, s.id`
	case SortNewest:
		return ` ORDER BY p.created_at DESC, p.sku DESC`
	}
	// No query: the seed numbers products category by category, smallest size first.
	return ` ORDER BY s.seq, s.id`
}
