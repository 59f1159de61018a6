// Package search turns text into the tokens MetalPro's catalog search matches on: at
// query time (Tokens, ParseQuery, MatchExpr for GET /api/products?q=) and when a product
// is indexed (Document). Both sides share one normalisation, so a query token matches an
// indexed token only when they are equal. The seeded catalog itself is package catalog.
package search

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold lowercases s and strips diacritics: Romanian ă â î ș ț in both the
// correct comma-below (U+0219/U+021B) and the legacy cedilla (U+015F/U+0163)
// forms, and any other combining accent. "Țeavă" and "ţeavă" both fold to "teava".
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // combining accent: comma below, cedilla, breve, circumflex ...
		case r == 'ø' || r == 'Ø' || r == '⌀' || r == '∅':
			b.WriteByte(' ') // diameter sign: "Ø20" means 20
		case r == '×' || r == '*':
			b.WriteByte('x')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

var (
	reDecimalComma = regexp.MustCompile(`(\d),(\d)`)
	reTimes        = regexp.MustCompile(`(\d)\s*x\s*(\d)`)
	// HE 200 A, HE200A, he-200-a -> hea200 (EN 10365 designation written the German way).
	reHEx = regexp.MustCompile(`\bhe\s*-?\s*(\d+)\s*-?\s*([abm])\b`)
	// HEA 200, hea-200, IPE 200, UPN 200, UNP 200 -> hea200, ipe200, upn200.
	reProfile = regexp.MustCompile(`\b(hea|heb|hem|ipe|upn|unp|upe)\s*-?\s*(\d+)\b`)
	// 2 mm -> 2mm; 40x20x2 mm -> 40x20x2mm (cleaned up per token below).
	reMM = regexp.MustCompile(`(\d)\s+mm\b`)
	// d20, fi 20, diametru 20 -> 20 ("dn20" stays: it is a nominal pipe size).
	reDiameter = regexp.MustCompile(`\b(?:d|fi|phi|diam|diametru|diametrul)\s*(\d)`)
	// pipe sizes in inches: 1 1/4" -> 1_1_4in, 1/2" -> 1_2in, 2" -> 2in (so "2" stays 2 mm).
	reInchMixed = regexp.MustCompile(`(\d+)\s+(\d+)\s*/\s*(\d+)\s*(?:"|”|''|inch|inchi|toli)`)
	reInchFrac  = regexp.MustCompile(`(\d+)\s*/\s*(\d+)\s*(?:"|”|''|inch|inchi|toli)`)
	reInch      = regexp.MustCompile(`(\d+)\s*(?:"|”|''|inch|inchi|toli)`)
	reNumChain  = regexp.MustCompile(`^\d+(?:\.\d+)?(?:x\d+(?:\.\d+)?)*(?:mm)?$`)
)

// synonyms maps folded words to the canonical token both the index and the
// queries use, so "tub", "țevi" and "teava" are one word to search.
var synonyms = map[string]string{
	"teava": "teava", "tevi": "teava", "tub": "teava", "tuburi": "teava", "teavă": "teava",
	"rect": "rectangulara", "rectangular": "rectangulara", "rectangulare": "rectangulara", "rectangulara": "rectangulara", "dreptunghiulara": "rectangulara", "dreptunghiular": "rectangulara",
	"patrat": "patrata", "patrata": "patrata", "patrate": "patrata", "sq": "patrata",
	"rotund": "rotunda", "rotunda": "rotunda", "rotunde": "rotunda", "rotunzi": "rotunda",
	"tabla": "tabla", "table": "tabla", "foaie": "tabla", "foi": "tabla", "tablă": "tabla",
	"inox": "inox", "inoxidabil": "inox", "inoxidabila": "inox", "stainless": "inox",
	"aluminiu": "aluminiu", "al": "aluminiu", "aluminium": "aluminiu", "aluminum": "aluminiu", "alu": "aluminiu",
	"zincat": "zincata", "zincata": "zincata", "zincate": "zincata", "galvanizat": "zincata", "galvanizata": "zincata", "galvanised": "zincata", "galvanized": "zincata", "zn": "zincata",
	"cornier": "cornier", "corniera": "cornier", "corniere": "cornier", "l": "cornier",
	"platbanda": "platbanda", "platbenzi": "platbanda", "platbande": "platbanda", "lama": "platbanda",
	"bara": "bara", "bare": "bara",
	"plasa": "plasa", "plase": "plasa",
	"sudata": "sudata", "sudate": "sudata", "sudat": "sudata",
	"neagra": "neagra", "negru": "neagra", "negre": "neagra",
	"profil": "profil", "profile": "profil",
	"egal": "egal", "egale": "egal", "neegal": "neegal", "neegale": "neegal", "inegal": "neegal",
	"unp":  "upn",
	"otel": "otel",
	// abbreviations buyers write on orders and in e-mails
	"tv": "teava", "patr": "patrata", "rot": "rotunda", "tbl": "tabla",
	"cor": "cornier", "corn": "cornier", "pl": "platbanda", "galv": "zincata", "zinc": "zincata",
	"inoxidabile": "inox", "galvanizate": "zincata", "decapate": "decapata",
	// grades written many ways
	"1.4301": "304", "aisi304": "304", "x5crni18-10": "304",
	"316": "316l", "1.4404": "316l", "x2crnimo17-12-2": "316l", "aisi316l": "316l", "aisi316": "316l",
	"s235": "s235jr", "s235jrh": "s235jr",
	"s275": "s275jr",
	"s355": "s355j2", "s355j2h": "s355j2", "s355jr": "s355j2",
	"dx51":  "dx51d",
	"almg3": "5754", "aw5754": "5754",
	"aw6061": "6061", "almg1sicu": "6061",
}

// stopwords carry no meaning for matching.
var stopwords = map[string]bool{
	"de": true, "din": true, "cu": true, "si": true, "la": true, "pentru": true, "mm": true,
	"x": true, "m": true, "ml": true, "buc": true, "kg": true, "the": true, "and": true, "a": true,
}

// Tokens normalises text into search tokens: folded, dimension chains joined
// ("40 x 20 x 2" → "40x20x2", "1,5" → "1.5"), profile designations joined
// ("HE 200 A" → "hea200"), synonyms mapped to one canonical word, stopwords
// dropped, duplicates removed. The index and the queries both go through it,
// so matching is exact token equality: "2" never matches "20".
func Tokens(s string) []string {
	s = Fold(s)
	s = reDecimalComma.ReplaceAllString(s, "$1.$2")
	s = reInchMixed.ReplaceAllString(s, "${1}_${2}_${3}in ")
	s = reInchFrac.ReplaceAllString(s, "${1}_${2}in ")
	s = reInch.ReplaceAllString(s, "${1}in ")
	for i := 0; i < 4 && reTimes.MatchString(s); i++ { // overlapping matches need several passes
		s = reTimes.ReplaceAllString(s, "${1}x${2}")
	}
	s = reHEx.ReplaceAllString(s, "he${2}${1}")
	s = reProfile.ReplaceAllString(s, "${1}${2}")
	s = reMM.ReplaceAllString(s, "${1}mm")
	s = reDiameter.ReplaceAllString(s, "$1")
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_')
	})
	var out []string
	seen := map[string]bool{}
	add := func(t string) {
		if t == "" || stopwords[t] || seen[t] {
			return
		}
		seen[t] = true
		out = append(out, t)
	}
	for _, f := range fields {
		f = strings.Trim(f, ".-")
		if c, ok := synonyms[f]; ok {
			add(c)
			continue
		}
		// 5754-h111, dx51d-z275, TR-40x20x2-S235: the parts are the words.
		for _, p := range strings.Split(f, "-") {
			p = strings.Trim(p, ".")
			switch c, ok := synonyms[p]; {
			case ok:
				add(c)
			case reNumChain.MatchString(p):
				add(canonNumChain(p))
			case strings.HasPrefix(p, "unp"):
				add("upn" + p[3:])
			default:
				add(p)
			}
		}
	}
	return out
}

// canonNumChain rewrites "2.50x1000x2000" as "2.5x1000x2000"; a single
// number keeps a "mm" suffix ("2mm"), a chain drops it.
func canonNumChain(f string) string {
	mm := strings.HasSuffix(f, "mm")
	f = strings.TrimSuffix(f, "mm")
	parts := strings.Split(f, "x")
	for i, p := range parts {
		if v, err := strconv.ParseFloat(p, 64); err == nil {
			parts[i] = strconv.FormatFloat(v, 'f', -1, 64)
		}
	}
	out := strings.Join(parts, "x")
	if mm && len(parts) == 1 {
		out += "mm"
	}
	return out
}

// MatchAllButOne renders tokens as an FTS5 query matching documents that have every
// token but at most one: `("b" AND "c") OR ("a" AND "c") OR ("a" AND "b")`. It is the
// search's fallback: a query with one wrong or surplus word still finds what the rest
// names, without matching every product that has any one word of it.
func MatchAllButOne(tokens []string) string {
	if len(tokens) < 2 {
		return MatchExpr(tokens, false)
	}
	clauses := make([]string, len(tokens))
	for i := range tokens {
		rest := make([]string, 0, len(tokens)-1)
		rest = append(append(rest, tokens[:i]...), tokens[i+1:]...)
		clauses[i] = "(" + MatchExpr(rest, false) + ")"
	}
	return strings.Join(clauses, " OR ")
}

// MatchExpr renders tokens as an FTS5 query: every token quoted (tokens hold
// only [a-z0-9._], so quoting is safe), joined by AND, or by OR when any is
// true.
func MatchExpr(tokens []string, any bool) string {
	q := make([]string, len(tokens))
	for i, t := range tokens {
		q[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
	}
	sep := " AND "
	if any {
		sep = " OR "
	}
	return strings.Join(q, sep)
}
