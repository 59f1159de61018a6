package search

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits that bound the cost of a query whatever its length: the text read, the words
// matched, the words excluded. A product is named in a few words ("teava rectangulara
// 40x20x2 s235jr zincata" is five); each word more costs a doclist read and a ranking
// term per matched row.
const (
	MaxQueryBytes   = 400
	MaxQueryTokens  = 8
	MaxExcludeWords = 4
)

// Term kinds, in the order the fallback ranks them (see Query.Terms).
const (
	KindDimension = "dimension" // a size: 40x20x2, 2mm, hea200, dn20, 3_4in, 1500x3000
	KindType      = "type"      // what the product is: teava, tabla, cornier, rectangulara ...
	KindGrade     = "grade"     // grade or material: s235jr, 304, inox, zincata ...
	KindWord      = "word"      // anything else
)

// Term is one word of a query and the index tokens that satisfy it: the word itself and
// its equivalents (the 60.3 mm tube for "60" in a pipe search, DN20 for 3/4", the
// catalog words a typo is one letter away from). A product matches a term when it has
// any of its tokens.
type Term struct {
	Text      string   `json:"text"`
	Kind      string   `json:"kind"`
	Tokens    []string `json:"tokens"`
	Corrected bool     `json:"corrected,omitempty"` // Tokens are the corrections of a typo
}

// Query is a parsed search string.
type Query struct {
	Tokens []string // the first token of each term; Match() adds the alternatives and exclusions

	Family    string    // profile family named with its size ("hea" for "HEA 200"), or ""
	Dims      []float64 // the first dimension chain ("40x20x2" → 40,20,2; "hea200" → 200); else a nominal size's OD
	Thickness float64   // from "2mm", the thickness of a sheet chain, or a bare number next to "tabla"; 0 if none
	Grade     string    // the grade key named ("304" for "1.4301"), or ""

	Terms    []Term      // the words to match, with their alternatives, at most MaxQueryTokens
	Exclude  []string    // tokens no result may have ("-zincata"), at most MaxExcludeWords
	Format   []float64   // sheet format W, L ("1500x3000" or "2x1500x3000"), nil if none
	Nominal  *NominalRef // the nominal pipe size named (dn20, 3/4", "teava rotunda 60"), or nil
	Unknown  []string    // words neither the catalog nor the corrections know
	typeWord []string    // the words of KindType, for Explain
}

// NominalRef is the nominal pipe size a query names.
type NominalRef struct {
	DN   int     `json:"dn,omitempty"`
	Inch string  `json:"inch,omitempty"`
	OD   float64 `json:"od"`
}

// gradeKeys are the canonical first tokens of the catalog's grades.
var gradeKeys = map[string]bool{"s235jr": true, "s275jr": true, "s355j2": true, "s195t": true,
	"dx51d": true, "304": true, "316l": true, "5754": true, "6061": true, "b500a": true}

// materialWords rank with the grade in the fallback: they say what the product is made of.
var materialWords = map[string]bool{"inox": true, "aluminiu": true, "zincata": true, "neagra": true, "otel": true,
	"decapata": true, "laminata": true, "cald": true, "rece": true}

// sheetFinishes: for a sheet, black = hot rolled = pickled. A word names its own finish
// where the catalog has it, and black sheet otherwise ("tabla decapata 2" finds the 2 mm
// black sheet although only the thin ones are sold as "decapată").
var sheetFinishes = map[string][]string{"decapata": {"decapata", "neagra"}, "cald": {"cald", "neagra"}, "laminata": {"laminata", "neagra"}}

// typeWords say what the product is.
var typeWords = map[string]bool{"teava": true, "tabla": true, "cornier": true, "platbanda": true, "bara": true,
	"plasa": true, "profil": true, "rectangulara": true, "patrata": true, "rotunda": true, "egal": true,
	"neegal": true, "upn": true, "ipe": true, "hea": true, "heb": true, "grinda": true, "striata": true,
	"apa": true, "sudata": true, "tubular": true, "plata": true, "fara": true, "sudura": true}

// GradeKey is the canonical key of a grade as search compares it: "1.4301/304" → "304",
// "S235JR" → "s235jr", "DX51D+Z275" → "dx51d", "5754-H111" → "5754".
func GradeKey(grade string) string {
	ts := Tokens(grade)
	for _, t := range ts {
		if gradeKeys[t] {
			return t
		}
	}
	if len(ts) > 0 {
		return ts[0]
	}
	return ""
}

// SheetFormats are the standard sheet formats (W x L, mm) a two-number chain is read as.
var SheetFormats = [][2]float64{{1000, 2000}, {1250, 2500}, {1500, 3000}, {2000, 6000}}

func isFormat(a, b float64) bool {
	for _, f := range SheetFormats {
		if (a == f[0] && b == f[1]) || (a == f[1] && b == f[0]) {
			return true
		}
	}
	return false
}

var (
	reProfileToken = regexp.MustCompile(`^(hea|heb|hem|ipe|upn)(\d+)$`)
	reHToken       = regexp.MustCompile(`^h([1-9]\d*0)$`)
	reDNToken      = regexp.MustCompile(`^dn(\d+)$`)
	reInchToken    = regexp.MustCompile(`^\d+(?:_\d+)*in$`)
	reNumber       = regexp.MustCompile(`^\d+(?:\.\d+)?$`)
)

// ParseQuery parses a user's search string: words that start with "-" are exclusions,
// the rest become at most MaxQueryTokens terms (see Term) plus the structured parts
// that rank exact matches first (dimensions, nominal size, sheet format, thickness,
// grade). Input past MaxQueryBytes is ignored.
func ParseQuery(q string) Query {
	var out Query
	if len(q) > MaxQueryBytes {
		cut := MaxQueryBytes
		for cut > 0 && !utf8.RuneStart(q[cut]) {
			cut--
		}
		q = q[:cut]
	}
	kept, excluded := splitExclusions(q)
	for _, t := range Tokens(excluded) {
		if len(out.Exclude) < MaxExcludeWords {
			out.Exclude = append(out.Exclude, t)
		}
	}
	tokens := queryTokens(kept)
	if len(tokens) > MaxQueryTokens {
		tokens = tokens[:MaxQueryTokens]
	}
	has := map[string]bool{}
	for _, t := range tokens {
		has[t] = true
	}
	roundPipe := has["teava"] && !has["rectangulara"] && !has["patrata"]
	sheet := has["tabla"]

	var chainDims, nominalDims []float64
	setNominal := func(n NominalRef) {
		if out.Nominal == nil {
			out.Nominal = &n
			nominalDims = []float64{n.OD}
		}
	}
	for _, t := range tokens {
		term := Term{Text: t, Kind: KindWord, Tokens: []string{t}}
		switch {
		case gradeKeys[t]:
			term.Kind = KindGrade
			if out.Grade == "" {
				out.Grade = t
			}
		case materialWords[t]:
			term.Kind = KindGrade
			if alts, ok := sheetFinishes[t]; ok && sheet {
				term.Tokens = alts
			}
		case typeWords[t]:
			term.Kind = KindType
		case reProfileToken.MatchString(t):
			term.Kind = KindDimension
			m := reProfileToken.FindStringSubmatch(t)
			if out.Family == "" && chainDims == nil {
				out.Family = m[1]
				v, _ := strconv.ParseFloat(m[2], 64)
				chainDims = []float64{v}
			}
		case reHToken.MatchString(t): // "profil H 200": HEA or HEB
			term.Kind = KindDimension
			n := t[1:]
			term.Tokens = []string{"hea" + n, "heb" + n}
			if chainDims == nil {
				v, _ := strconv.ParseFloat(n, 64)
				chainDims = []float64{v}
			}
		case reDNToken.MatchString(t):
			term.Kind = KindDimension
			dn, _ := strconv.Atoi(t[2:])
			if n, ok := NominalByDN(dn); ok {
				if n.Inch != "" {
					term.Tokens = append(term.Tokens, InchToken(n.Inch))
				}
				setNominal(NominalRef{DN: n.DN, Inch: n.Inch, OD: n.OD})
			}
		case reInchToken.MatchString(t):
			term.Kind = KindDimension
			if n, ok := NominalByInch(t); ok {
				if n.DN > 0 {
					term.Tokens = append(term.Tokens, dnToken(n.DN))
				}
				setNominal(NominalRef{DN: n.DN, Inch: n.Inch, OD: n.OD})
			}
		case reNumChain.MatchString(t):
			term.Kind = KindDimension
			parseNumber(&out, &term, t, roundPipe, sheet, &chainDims, setNominal)
		case isWord(t) && !Vocabulary(t):
			if c := Corrections(t); len(c) > 0 {
				term.Tokens, term.Corrected = c, true
				term.Kind = kindOf(c[0])
			} else {
				out.Unknown = append(out.Unknown, t)
			}
		}
		if term.Kind == KindType {
			out.typeWord = append(out.typeWord, t)
		}
		out.Terms = append(out.Terms, term)
		out.Tokens = append(out.Tokens, term.Tokens[0])
	}
	out.Dims = chainDims
	if out.Dims == nil {
		out.Dims = nominalDims
	}
	return out
}

// kindOf is the kind of a canonical word.
func kindOf(t string) string {
	switch {
	case gradeKeys[t] || materialWords[t]:
		return KindGrade
	case typeWords[t]:
		return KindType
	}
	return KindWord
}

// parseNumber reads a number or a dimension chain: a thickness ("2mm"), a sheet format
// with or without its thickness ("1500x3000", "2x1500x3000", "1500x3000x2"), a round
// tube's nominal name in a pipe search ("teava rotunda 60" → 60.3, "60x3" → 60.3x3), a
// sheet's thickness as a bare number next to "tabla", else the first chain as Dims.
func parseNumber(out *Query, term *Term, t string, roundPipe, sheet bool, chainDims *[]float64, setNominal func(NominalRef)) {
	if strings.HasSuffix(t, "mm") {
		if out.Thickness == 0 {
			out.Thickness, _ = strconv.ParseFloat(strings.TrimSuffix(t, "mm"), 64)
		}
		return
	}
	parts := strings.Split(t, "x")
	vs := make([]float64, len(parts))
	for i, p := range parts {
		vs[i], _ = strconv.ParseFloat(p, 64)
	}
	switch {
	case len(vs) == 2 && isFormat(vs[0], vs[1]) && out.Format == nil:
		out.Format = []float64{min(vs[0], vs[1]), max(vs[0], vs[1])}
	case len(vs) == 3 && isFormat(vs[1], vs[2]) && out.Format == nil:
		out.Format = []float64{min(vs[1], vs[2]), max(vs[1], vs[2])}
		if out.Thickness == 0 {
			out.Thickness = vs[0]
		}
	case len(vs) == 3 && isFormat(vs[0], vs[1]) && out.Format == nil:
		out.Format = []float64{min(vs[0], vs[1]), max(vs[0], vs[1])}
		if out.Thickness == 0 {
			out.Thickness = vs[2]
		}
	case roundPipe && len(vs) <= 2:
		if n, ok := NominalByName(vs[0]); ok && n.OD != vs[0] {
			vs[0] = n.OD
			parts[0] = dimToken(n.OD)
			term.Tokens = append(term.Tokens, strings.Join(parts, "x"))
			setNominal(NominalRef{DN: n.DN, Inch: n.Inch, OD: n.OD})
			if len(vs) == 2 && *chainDims == nil {
				*chainDims = vs
			}
			return
		}
		fallthrough
	default:
		if sheet && len(vs) == 1 && out.Thickness == 0 {
			out.Thickness = vs[0]
			return
		}
		if len(vs) > 1 && *chainDims == nil {
			*chainDims = vs
		}
	}
}

// Match is the FTS5 expression of the whole query: every term (any of its tokens) and
// none of the excluded tokens.
func (q Query) Match() string { return q.MatchTerms(q.Terms) }

// MatchTerms is the FTS5 expression matching every one of terms (any of its tokens) and
// none of the query's exclusions. "" for no terms.
func (q Query) MatchTerms(terms []Term) string {
	if len(terms) == 0 {
		return ""
	}
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = termExpr(t)
	}
	return q.withExclusions(strings.Join(parts, " AND "))
}

// MatchAllButOneTerm matches products that have every one of terms but at most one (the
// search's fallback: one wrong or surplus word), and none of the exclusions.
func (q Query) MatchAllButOneTerm(terms []Term) string {
	if len(terms) < 2 {
		return q.MatchTerms(terms)
	}
	clauses := make([]string, len(terms))
	for i := range terms {
		rest := make([]string, 0, len(terms)-1)
		for j, t := range terms {
			if j != i {
				rest = append(rest, termExpr(t))
			}
		}
		clauses[i] = "(" + strings.Join(rest, " AND ") + ")"
	}
	return q.withExclusions(strings.Join(clauses, " OR "))
}

func (q Query) withExclusions(expr string) string {
	if len(q.Exclude) == 0 {
		return expr
	}
	return "(" + expr + ") NOT (" + MatchExpr(q.Exclude, true) + ")"
}

// termExpr: `"t"` or `("a" OR "b")`.
func termExpr(t Term) string {
	if len(t.Tokens) == 1 {
		return MatchExpr(t.Tokens, false)
	}
	return "(" + MatchExpr(t.Tokens, true) + ")"
}
