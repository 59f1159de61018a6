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
	Page         int    // from 1
	Limit        int    // page size
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
// matches, and the facet counts within f.
//
// With a search query every query token must match a token of the product (token
// equality: "2" never matches "20"); when nothing matches all of them, products matching
// any of them are returned instead. Relevance puts exact dimension matches first (the
// family and size for "HEA 200", the whole chain for "40x20x2", the thickness for
// "2 mm"), then the grade named ("1.4301" = 304), then products whose title holds more
// of the query's tokens (a "tabla 2mm" search wants sheets titled "Tablă", not ones that
// only list the word as a synonym), then the variant most people mean (S235JR before
// S355J2, black before galvanised, 1000x2000 before 1500x3000), then FTS5 bm25 with the
// title weighted over the keywords.
func (db *DB) ListProducts(ctx context.Context, f ProductFilter) ([]*Product, int, ProductFacets, error) {
	var (
		items  []*Product
		total  int
		facets ProductFacets
	)
	limit, offset, err := pageBounds(f.Page, f.Limit)
	if err != nil {
		return nil, 0, facets, err
	}
	f.Page, f.Limit = offset/limit+1, limit
	var q *search.Query
	if strings.TrimSpace(f.Query) != "" {
		pq := search.ParseQuery(f.Query)
		q = &pq
		if len(q.Tokens) == 0 {
			return []*Product{}, 0, emptyFacets(), nil // nothing searchable in the text
		}
	}
	err = db.Read(ctx, func(tx *Tx) error {
		if q == nil {
			var err error
			items, total, facets, err = listProducts(ctx, tx, f, nil, "")
			return err
		}
		for _, match := range []func() (string, error){
			func() (string, error) { return search.MatchExpr(q.Tokens, false), nil },
			func() (string, error) { return relaxedMatch(ctx, tx, q.Tokens) },
		} {
			expr, err := match()
			if err != nil || expr == "" {
				return err
			}
			if items, total, facets, err = listProducts(ctx, tx, f, q, expr); err != nil || total > 0 {
				return err
			}
		}
		return nil
	})
	return items, total, facets, err
}

// relaxedMatch is the fallback when no product has every token: drop the tokens no
// product has (a typo, a word the catalog does not use) and ask for the rest, all of them
// but at most one. The old fallback, any token, matched 1,500–3,100 products for a long
// query and ranked them all (136 ms); this one matches what the query mostly names. ""
// when nothing is left to try.
func relaxedMatch(ctx context.Context, tx *Tx, tokens []string) (string, error) {
	if len(tokens) < 2 {
		return "", nil
	}
	var known []string
	for _, t := range tokens {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM product_fts WHERE product_fts MATCH ? LIMIT 1`,
			search.MatchExpr([]string{t}, false)).Scan(&one)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return "", err
		default:
			known = append(known, t)
		}
	}
	switch {
	case len(known) == 0:
		return "", nil
	case len(known) < len(tokens):
		return search.MatchExpr(known, false), nil // the known words may all match together
	}
	return search.MatchAllButOne(known), nil
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

// listProducts lists f's page and facets; match is the FTS5 expression for q ("" without q).
func listProducts(ctx context.Context, tx *Tx, f ProductFilter, q *search.Query, match string) ([]*Product, int, ProductFacets, error) {
	from, where, args := productWhere(f, match)

	// One scan counts all three facets: group by the triple, then add up per value.
	facets := emptyFacets()
	total := 0
	rows, err := tx.QueryContext(ctx, `SELECT p.grade, p.standard, p.availability, count(*)`+from+where+
		` GROUP BY p.grade, p.standard, p.availability`, args...)
	if err != nil {
		return nil, 0, facets, fmt.Errorf("facets: %w", err)
	}
	grades, standards, avail := map[string]int{}, map[string]int{}, map[string]int{}
	for rows.Next() {
		var grade, standard sql.NullString
		var availability string
		var n int
		if err := rows.Scan(&grade, &standard, &availability, &n); err != nil {
			rows.Close()
			return nil, 0, facets, err
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
		return nil, 0, facets, err
	}
	facets.Grade, facets.Standard, facets.Availability = facetList(grades), facetList(standards), facetList(avail)
	if err := refineFacets(ctx, tx, f, match, &facets); err != nil {
		return nil, 0, facets, err
	}
	items := []*Product{}
	if total == 0 || (f.Page-1)*f.Limit >= total {
		return items, total, facets, nil
	}

	order, orderArgs := productOrder(f, q)
	joins := ` JOIN categories c ON c.id = p.category_id`
	if q == nil {
		joins += ` JOIN product_search s ON s.product_id = p.id` // every product has one (trigger)
	}
	rows, err = tx.QueryContext(ctx, `SELECT `+productColumns+from+joins+where+order+` LIMIT ? OFFSET ?`,
		append(append(append([]any{}, args...), orderArgs...), f.Limit, (f.Page-1)*f.Limit)...)
	if err != nil {
		return nil, 0, facets, fmt.Errorf("list products: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanProduct(rows)
		if err != nil {
			return nil, 0, facets, err
		}
		items = append(items, p)
	}
	return items, total, facets, rows.Err()
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

// productOrder is the ORDER BY for f's sort. Every order ends in a unique key, so pages
// never overlap, and follows an index, so a page stops reading after its rows.
func productOrder(f ProductFilter, q *search.Query) (string, []any) {
	switch f.Sort {
	case SortPriceAsc:
		return ` ORDER BY p.price_per_unit, p.sku`, nil
	case SortPriceDesc:
		return ` ORDER BY p.price_per_unit DESC, p.sku DESC`, nil
	case SortTitleAsc:
		return ` ORDER BY s.title_sort, s.id`, nil
	case SortNewest:
		return ` ORDER BY p.created_at DESC, p.sku DESC`, nil
	}
	if q == nil {
		// The seed numbers products category by category, smallest size first.
		return ` ORDER BY s.seq, s.id`, nil
	}
	exact, args := exactMatch(q)
	hits := make([]string, len(q.Tokens))
	for i, t := range q.Tokens {
		hits[i] = `(instr(' ' || s.title_tokens || ' ', ?) > 0)`
		args = append(args, " "+t+" ")
	}
	return ` ORDER BY ` + exact + `(` + strings.Join(hits, " + ") + `) DESC, s.popularity, bm25(product_fts, 4.0, 1.0), s.seq, s.id`, args
}

// exactMatch is the ORDER BY terms (each with a trailing comma; "" when the query names
// no size or grade) that put first the products whose structured dimensions, then grade,
// equal the query's.
func exactMatch(q *search.Query) (string, []any) {
	var conds []string
	var args []any
	if q.Family != "" {
		conds = append(conds, "s.family = ?")
		args = append(args, q.Family)
	}
	cols := []string{"s.d1", "s.d2", "s.d3"}
	for i, d := range q.Dims {
		if i >= len(cols) {
			break
		}
		conds = append(conds, cols[i]+" = ?")
		args = append(args, d)
	}
	if q.Thickness > 0 {
		conds = append(conds, "s.thickness = ?")
		args = append(args, q.Thickness)
	}
	out := ""
	if len(conds) > 0 {
		out = "(CASE WHEN " + strings.Join(conds, " AND ") + " THEN 0 ELSE 1 END), "
	}
	if q.Grade != "" {
		out += "(CASE WHEN s.grade_key = ? THEN 0 ELSE 1 END), "
		args = append(args, q.Grade)
	}
	return out, args
}
