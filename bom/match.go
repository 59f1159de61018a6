package bom

import (
	"context"
	"regexp"
	"sort"
	"strings"

	"github.com/metalpro/backend/catalog/search"
	"github.com/metalpro/backend/store"
)

// Confidence thresholds: at or above matchedAt a row is matched, below ambiguousAt it is
// unmatched. The corpus test (quality_test.go) measures what they give.
const (
	matchedAt   = 0.8
	ambiguousAt = 0.35
	candidates  = 8 // search results scored per line
)

// scored is a search result with its confidence.
type scored struct {
	p    *store.Product
	f    store.SearchFacts
	conf float64
}

// mapCache keeps what one BOM's lines have in common: lines with the same search tokens
// share one match, and each word is looked up in the index once.
type mapCache struct {
	lines map[string]lineMatch
	known map[string]bool // word → some product has it; present once looked up
}

// knownTokens reports which of tokens the index knows, asking the store only for words
// this BOM has not met yet.
func (m *Mapper) knownTokens(ctx context.Context, tokens []string, c *mapCache) (map[string]bool, error) {
	var ask []string
	for _, t := range tokens {
		if _, ok := c.known[t]; !ok {
			ask = append(ask, t)
		}
	}
	if len(ask) > 0 {
		found, err := m.DB.KnownSearchTokens(ctx, ask)
		if err != nil {
			return nil, err
		}
		for _, t := range ask {
			c.known[t] = found[t]
		}
	}
	out := make(map[string]bool, len(tokens))
	for _, t := range tokens {
		if c.known[t] {
			out[t] = true
		}
	}
	return out, nil
}

// lineMatch is what a line's text maps to; lines with the same text share one.
type lineMatch struct {
	status string
	conf   float64
	ranked []scored
	// byDefault: the line did not choose between variants and got the standard one; the
	// other variants are then less likely than it, and their confidence says so.
	byDefault bool
}

var reSKULike = regexp.MustCompile(`^[A-Za-z]{1,4}-[0-9A-Za-z.]+(?:-[0-9A-Za-z.]+)*$`)

// matchSKU finds a product by its SKU exactly (case-insensitive).
func (m *Mapper) matchSKU(ctx context.Context, sku string) (*store.Product, error) {
	sku = strings.TrimSpace(sku)
	if sku == "" || len(sku) > 64 {
		return nil, nil
	}
	p, err := m.DB.GetProduct(ctx, sku)
	if store.ErrorCode(err) == store.ECodeNotFound {
		return nil, nil
	}
	return p, err
}

// matchText maps a description through the catalog search: the same normalisation and
// ranking as GET /api/products?q=, then a confidence from how completely the line names
// each result (its words found in the product's index entry, its dimensions equal to the
// product's, its grade the product's).
func (m *Mapper) matchText(ctx context.Context, text string, c *mapCache) (lineMatch, error) {
	q := search.ParseQuery(text)
	if len(q.Tokens) == 0 {
		return lineMatch{status: StatusUnmatched}, nil
	}
	products, _, _, err := m.DB.ListProducts(ctx, store.ProductFilter{Query: text, Page: 1, Limit: candidates})
	if err != nil || len(products) == 0 {
		return lineMatch{status: StatusUnmatched}, err
	}
	ids := make([]string, len(products))
	for i, p := range products {
		ids[i] = p.ID
	}
	facts, err := m.DB.ProductSearchFacts(ctx, ids)
	if err != nil {
		return lineMatch{}, err
	}
	known, err := m.knownTokens(ctx, q.Tokens, c)
	if err != nil {
		return lineMatch{}, err
	}
	ranked := make([]scored, len(products))
	for i, p := range products {
		ranked[i] = scored{p: p, f: facts[p.ID], conf: confidence(q, known, facts[p.ID])}
	}
	sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].conf > ranked[j].conf })
	return decide(q, known, ranked), nil
}

// confidence is how completely query q names a product with facts f, in [0,1]: the share
// of the line's words the product is indexed under (words no product has count half:
// they say nothing about which product, but they may be a mistyped word that did), cut
// when the line's dimensions, thickness or grade are not the product's.
func confidence(q search.Query, known map[string]bool, f store.SearchFacts) float64 {
	var hit, total float64
	for _, t := range q.Tokens {
		w := 1.0
		if !known[t] {
			w = 0.5
		}
		total += w
		if f.Tokens[t] {
			hit += w
		}
	}
	if total == 0 {
		return 0
	}
	c := hit / total
	if q.Family != "" && q.Family != f.Family {
		c *= 0.5
	}
	if len(q.Dims) > 0 && !sameDims(q.Dims, f.Dims) && !(q.Thickness > 0 && len(f.Dims) > 1 && f.Dims[0] == q.Thickness && sameDims(q.Dims, f.Dims[1:])) {
		c *= 0.5
	}
	if q.Thickness > 0 && f.Thickness != q.Thickness && !(len(f.Dims) > 0 && f.Dims[len(f.Dims)-1] == q.Thickness) {
		c *= 0.6
	}
	if q.Grade != "" && q.Grade != f.GradeKey {
		c *= 0.6
	}
	return c
}

// sameDims: the line's dimension chain is the product's, or its start (a sheet's
// "2x1000" of 2x1000x2000), with the first two sides in either order ("20x40" pipe).
// (A sheet written "5mm 1500x3000" is compared past its thickness by the caller.)
func sameDims(q, p []float64) bool {
	if len(q) > len(p) {
		return false
	}
	eq := func(swap bool) bool {
		for i, v := range q {
			j := i
			if swap && i < 2 {
				j = 1 - i
			}
			if p[j] != v {
				return false
			}
		}
		return true
	}
	return eq(false) || len(q) >= 2 && eq(true)
}

// decide gives the line its status and confidence. A clear best is matched. When others
// score as well, the line is ambiguous, except when they are variants of the same item
// (same family and dimensions, another grade or finish) that the line does not choose
// between and every word of the line is known: then the catalog's standard variant, which
// the search ranks first, is matched with a confidence capped at 0.85.
func decide(q search.Query, known map[string]bool, ranked []scored) lineMatch {
	best := ranked[0]
	out := lineMatch{ranked: ranked, conf: best.conf}
	var rivals []scored
	for _, r := range ranked[1:] {
		if r.conf >= best.conf-0.1 {
			rivals = append(rivals, r)
		}
	}
	if len(rivals) > 0 {
		variants := len(known) == len(q.Tokens) && best.conf >= 0.999
		for _, r := range rivals {
			if r.f.Family != best.f.Family || !equalFloats(r.f.Dims, best.f.Dims) || r.f.Thickness != best.f.Thickness {
				variants = false
			}
		}
		if variants {
			out.conf, out.byDefault = min(best.conf, 0.85), true
		} else {
			out.conf = best.conf * 0.7
		}
	}
	switch {
	case out.conf >= matchedAt:
		out.status = StatusMatched
	case out.conf >= ambiguousAt:
		out.status = StatusAmbiguous
	default:
		out.status = StatusUnmatched
	}
	return out
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func candidateOf(p *store.Product, conf float64) Candidate {
	return Candidate{ProductID: p.ID, SKU: p.SKU, Title: p.Title, BaseUnit: p.BaseUnit, PricePerUnit: p.PricePerUnit,
		Units: store.SaleProductOf(p).Units(), Confidence: round3(conf)}
}
