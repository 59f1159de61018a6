package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/metalpro/backend/catalog/search"
)

// Match values of a search (ProductList.Match).
const (
	MatchAll     = "all"     // every word of the query matched
	MatchPartial = "partial" // the fallback: the closest matches, not every word matched
)

// ProductList is one page of SearchProducts.
type ProductList struct {
	Items  []*Product
	Total  int
	Facets ProductFacets
	Match  string        // MatchAll or MatchPartial with a query, "" without
	Query  *search.Query // the parsed query, nil without one
	Scores []ScoreParts  // with ProductFilter.Explain: each item's rank values, in Items' order
}

// ScoreParts are the values one product was ranked by, in ranking order.
type ScoreParts struct {
	SKU   string      `json:"sku"`
	Parts []ScorePart `json:"parts"`
}

// ScorePart is one ranking value: higher first ("desc") or lower first ("asc").
type ScorePart struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	Order string  `json:"order"`
}

// SearchProducts returns one page of the active products matching f, the number of all
// matches, the facet counts within f and, with a query, whether every word matched.
//
// Every term of the query must match a token of the product (token equality: "2" never
// matches "20"; a term may have alternatives, see search.Term), and no excluded word may.
// When no product has them all, the fallback drops the words no product has and asks
// for the rest, all of them but at most one; its results are MatchPartial and rank by
// how many dimension words, then type words, then grade words, then other words they
// match. Then relevance puts exact dimension matches first (the family and size for
// "HEA 200", the whole chain for "40x20x2", the format and thickness for "tabla
// 2x1500x3000", the OD for "teava 3/4"), then the grade named, then products whose title
// holds more of the query's words, then the variant most people mean (S235JR before
// S355J2, black before galvanised, 1000x2000 before 1500x3000), then FTS5 bm25 with the
// title weighted over the keywords.
func (db *DB) SearchProducts(ctx context.Context, f ProductFilter) (ProductList, error) {
	var out ProductList
	limit, offset, err := pageBounds(f.Page, f.Limit)
	if err != nil {
		return out, err
	}
	f.Page, f.Limit = offset/limit+1, limit
	var q *search.Query
	if strings.TrimSpace(f.Query) != "" {
		pq := search.ParseQuery(f.Query)
		q = &pq
		out.Query = q
		if len(q.Terms) == 0 {
			out.Items, out.Facets, out.Match = []*Product{}, emptyFacets(), MatchAll
			return out, nil // nothing searchable in the text
		}
	}
	err = db.Read(ctx, func(tx *Tx) error {
		if q == nil {
			var err error
			out.Items, out.Scores, out.Total, out.Facets, err = listProducts(ctx, tx, f, nil, "", false)
			return err
		}
		tries, err := searchTries(ctx, tx, q)
		if err != nil {
			return err
		}
		for i, expr := range tries {
			if out.Items, out.Scores, out.Total, out.Facets, err = listProducts(ctx, tx, f, q, expr, i > 0); err != nil {
				return err
			}
			out.Match = map[bool]string{true: MatchPartial, false: MatchAll}[i > 0]
			if out.Total > 0 {
				return nil
			}
		}
		return nil
	})
	return out, err
}

// searchTries are the FTS5 expressions tried in turn: every term, then (the fallback)
// the terms some product has, all of them, then all of them but one. The old fallback,
// any word, matched 1,500–3,100 products for a long query and ranked them all (136 ms);
// this one matches what the query mostly names.
func searchTries(ctx context.Context, tx *Tx, q *search.Query) ([]string, error) {
	tries := []string{q.Match()}
	if len(q.Terms) < 2 {
		return tries, nil
	}
	var known []search.Term
	for _, t := range q.Terms {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM product_fts WHERE product_fts MATCH ? LIMIT 1`,
			search.MatchExpr(t.Tokens, true)).Scan(&one)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return nil, err
		default:
			known = append(known, t)
		}
	}
	if len(known) == 0 {
		return tries, nil
	}
	if len(known) < len(q.Terms) {
		tries = append(tries, q.MatchTerms(known)) // the known words may all match together
	}
	if len(known) >= 2 {
		tries = append(tries, q.MatchAllButOneTerm(known))
	}
	return tries, nil
}

// rankTerm is one ORDER BY value of a relevance-sorted search.
type rankTerm struct {
	name string
	expr string
	args []any
	desc bool
}

// rankTerms are the relevance ranking of q, most significant first (see SearchProducts).
func rankTerms(q *search.Query, partial bool) []rankTerm {
	var out []rankTerm
	if partial {
		for _, k := range []struct{ kind, name string }{
			{search.KindDimension, "dimensionWords"}, {search.KindType, "typeWords"},
			{search.KindGrade, "gradeWords"}, {search.KindWord, "otherWords"},
		} {
			var hits []string
			var args []any
			for _, t := range q.Terms {
				if t.Kind == k.kind {
					h, a := termHit(t, `' ' || s.title_tokens || ' ' || s.keyword_tokens || ' '`)
					hits, args = append(hits, h), append(args, a...)
				}
			}
			if len(hits) > 0 {
				out = append(out, rankTerm{k.name, "(" + strings.Join(hits, " + ") + ")", args, true})
			}
		}
	}
	if cond, args := exactCondition(q); cond != "" {
		out = append(out, rankTerm{"exactSize", "(CASE WHEN " + cond + " THEN 1 ELSE 0 END)", args, true})
	}
	if q.Grade != "" {
		out = append(out, rankTerm{"grade", "(CASE WHEN s.grade_key = ? THEN 1 ELSE 0 END)", []any{q.Grade}, true})
	}
	var hits []string
	var args []any
	for _, t := range q.Terms {
		h, a := termHit(t, `' ' || s.title_tokens || ' '`)
		hits, args = append(hits, h), append(args, a...)
	}
	out = append(out,
		rankTerm{"titleWords", "(" + strings.Join(hits, " + ") + ")", args, true},
		rankTerm{"popularity", "s.popularity", nil, false},
		rankTerm{"bm25", "bm25(product_fts, 4.0, 1.0)", nil, false})
	return out
}

// termHit is 1 when the padded text has any of the term's tokens, else 0.
func termHit(t search.Term, padded string) (string, []any) {
	ors := make([]string, len(t.Tokens))
	args := make([]any, len(t.Tokens))
	for i, tok := range t.Tokens {
		ors[i] = `instr(` + padded + `, ?) > 0`
		args[i] = " " + tok + " "
	}
	return "(" + strings.Join(ors, " OR ") + ")", args
}

// exactCondition is the SQL condition that a product's structured size equals the
// query's: family and dimensions, a sheet's format (d2, d3) and thickness, or the
// thickness alone. "" when the query names no size.
func exactCondition(q *search.Query) (string, []any) {
	var conds []string
	var args []any
	if q.Family != "" {
		conds = append(conds, "s.family = ?")
		args = append(args, q.Family)
	}
	if len(q.Format) == 2 {
		conds = append(conds, "s.d2 = ?", "s.d3 = ?")
		args = append(args, q.Format[0], q.Format[1])
	} else {
		cols := []string{"s.d1", "s.d2", "s.d3"}
		for i, d := range q.Dims {
			if i >= len(cols) {
				break
			}
			conds = append(conds, cols[i]+" = ?")
			args = append(args, d)
		}
	}
	if q.Thickness > 0 {
		conds = append(conds, "s.thickness = ?")
		args = append(args, q.Thickness)
	}
	return strings.Join(conds, " AND "), args
}

// rankSQL renders ranks as selected columns r0, r1, ... and the ORDER BY over them
// (ending in the unique s.seq, s.id), with the columns' arguments.
func rankSQL(ranks []rankTerm) (cols, order string, args []any) {
	if len(ranks) == 0 {
		return "", "", []any{}
	}
	var sel, ord []string
	args = []any{}
	for i, r := range ranks {
		alias := "r" + strconv.Itoa(i)
		sel = append(sel, r.expr+" AS "+alias)
		dir := ""
		if r.desc {
			dir = " DESC"
		}
		ord = append(ord, alias+dir)
		args = append(args, r.args...)
	}
	return ", " + strings.Join(sel, ", "), " ORDER BY " + strings.Join(ord, ", ") + ", s.seq, s.id", args
}

// rankedRow scans a product row followed by its rank columns.
type rankedRow struct {
	rows  *sql.Rows
	extra []any
}

func (r rankedRow) Scan(dest ...any) error { return r.rows.Scan(append(dest, r.extra...)...) }

func scanRanked(rows *sql.Rows, n int) (*Product, []sql.NullFloat64, error) {
	vals := make([]sql.NullFloat64, n)
	extra := make([]any, n)
	for i := range vals {
		extra[i] = &vals[i]
	}
	p, err := scanProduct(rankedRow{rows, extra})
	return p, vals, err
}

func scoreParts(sku string, ranks []rankTerm, vals []sql.NullFloat64) ScoreParts {
	out := ScoreParts{SKU: sku, Parts: make([]ScorePart, len(ranks))}
	for i, r := range ranks {
		out.Parts[i] = ScorePart{Name: r.name, Value: vals[i].Float64, Order: map[bool]string{true: "desc", false: "asc"}[r.desc]}
	}
	return out
}
