package search

import (
	"strconv"
	"strings"

	"github.com/metalpro/backend/catalog"
)

// SearchDoc is what the search index stores for one product: the title's
// tokens (weighted higher) and the extra tokens people also find it by
// (synonyms, grade aliases, standard, SKU, partial dimension chains).
type SearchDoc struct {
	Title    string // space-separated tokens
	Keywords string // space-separated tokens
	Sort     string // folded title for title_asc sorting
}

// Document builds the search document of a product. Dimension tokens are
// emitted as whole chains ("40x20x2", "40x20", "2mm", "2"), so a query token
// matches only an equal token: "2" finds 2 mm walls, never 20.
func Document(p catalog.Product) SearchDoc {
	title := Tokens(p.Title)
	seen := map[string]bool{}
	for _, t := range title {
		seen[t] = true
	}
	var kw []string
	add := func(ts ...string) {
		for _, t := range ts {
			if t != "" && !seen[t] {
				seen[t] = true
				kw = append(kw, t)
			}
		}
	}
	add(Tokens(strings.Join(p.Keywords, " "))...)
	add(Tokens(standardWithoutPart(p.Standard))...)
	add(Tokens(p.SKU)...)
	add(Tokens(p.Grade)...)
	add(dimTokens(p)...)
	return SearchDoc{Title: strings.Join(title, " "), Keywords: strings.Join(kw, " "), Sort: strings.Join(strings.Fields(Fold(p.Title)), " ")}
}

// dimToken writes a dimension as the index and queries spell it: dot decimal, no trailing
// zeros (2 → "2", 48.3 → "48.3").
func dimToken(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// dimTokens: every prefix chain of the dimensions, the first two swapped
// ("20x40" for a 40x20 pipe), first-and-last for equal legs ("50x5" for
// 50x50x5), each number alone and the thickness with "mm".
func dimTokens(p catalog.Product) []string {
	d := p.Dims
	var out []string
	for i := 1; i <= len(d); i++ {
		parts := make([]string, i)
		for j := 0; j < i; j++ {
			parts[j] = dimToken(d[j])
		}
		out = append(out, strings.Join(parts, "x"))
	}
	if len(d) >= 2 {
		out = append(out, dimToken(d[1])+"x"+dimToken(d[0]))
		if len(d) == 3 {
			out = append(out, dimToken(d[1])+"x"+dimToken(d[0])+"x"+dimToken(d[2]))
			if d[0] == d[1] {
				out = append(out, dimToken(d[0])+"x"+dimToken(d[2]))
			}
		}
	}
	for _, v := range d {
		out = append(out, dimToken(v))
	}
	if p.Thickness > 0 {
		out = append(out, dimToken(p.Thickness), dimToken(p.Thickness)+"mm")
	}
	if w, l, ok := strings.Cut(p.Format, "x"); ok {
		// A sheet's format alone, either way round, and with the thickness last
		// ("1500x3000", "3000x1500", "1500x3000x2"); thickness first is the chain above.
		out = append(out, p.Format, l+"x"+w)
		if p.Thickness > 0 {
			out = append(out, p.Format+"x"+dimToken(p.Thickness))
		}
	}
	return out
}

// standardWithoutPart drops part numbers ("EN 10296-2" → "EN 10296"): indexed, the
// part's "2" would make every such product match a search for 2 mm.
func standardWithoutPart(std string) string {
	var out []string
	for _, w := range strings.Fields(std) {
		if i := strings.IndexByte(w, '-'); i > 0 && w[0] >= '0' && w[0] <= '9' {
			w = w[:i]
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}
