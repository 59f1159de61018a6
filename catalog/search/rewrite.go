package search

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// splitExclusions separates the words a buyer excludes ("-zincata", "-galvanizat") from
// the rest. A "-" inside a word (he-200-a, tr-40x20x2-s235) or before a number is not
// an exclusion.
func splitExclusions(q string) (kept, excluded string) {
	var k, e []string
	for _, f := range strings.Fields(q) {
		if len(f) > 1 && f[0] == '-' {
			if r, _ := utf8.DecodeRuneInString(f[1:]); unicode.IsLetter(r) {
				e = append(e, f[1:])
				continue
			}
		}
		k = append(k, f)
	}
	return strings.Join(k, " "), strings.Join(e, " ")
}

// queryRewrites turn how buyers write into the catalog's words before tokenising. They
// run on the folded query only (never on the indexed text, where "1.4301/304" must stay
// a grade and not become a size).
var queryRewrites = []struct {
	re   *regexp.Regexp
	with string
}{
	// English trade names of hollow sections.
	{regexp.MustCompile(`\brhs\b`), " teava rectangulara "},
	{regexp.MustCompile(`\bshs\b`), " teava patrata "},
	{regexp.MustCompile(`\bchs\b`), " teava rotunda "},
	// Abbreviations of orders: t.rect., t.patr., t.rot., tv.rect.
	{regexp.MustCompile(`\b(?:t|tv)\s*\.\s*rect[a-z]*\.?`), " teava rectangulara "},
	{regexp.MustCompile(`\b(?:t|tv)\s*\.\s*patr[a-z]*\.?`), " teava patrata "},
	{regexp.MustCompile(`\b(?:t|tv)\s*\.\s*rot[a-z]*\.?`), " teava rotunda "},
	// "oțel inoxidabil" is inox (the inox products do not carry the word "otel").
	{regexp.MustCompile(`\botel\s+(inox[a-z]*)`), " $1 "},
	{regexp.MustCompile(`\bbara\s+plata\b`), " platbanda "},
	// HE A 200 → hea200 (HE 200 A is in Tokens).
	{regexp.MustCompile(`\bhe\s+([abm])\s*-?\s*(\d+)\b`), " he$1$2 "},
	// A profile letter next to a number binds to it: "profil u 100", "u100" = UPN 100,
	// "i 200" = IPE 200, "h 200" = HEA or HEB 200, "l 50x5" = cornier 50x5.
	{regexp.MustCompile(`\bu\s*-?\s*(\d+)\b`), " upn$1 "},
	{regexp.MustCompile(`\bi\s*-?\s*(\d+)\b`), " ipe$1 "},
	{regexp.MustCompile(`(^|\s)h\s*-?\s*([1-9]\d*0)\b`), "$1 h$2 "},
	{regexp.MustCompile(`\bl\s*-?\s*(\d)`), " cornier $1"},
	// DN 20 → dn20.
	{regexp.MustCompile(`\bdn\s*-?\s*(\d+)\b`), " dn$1 "},
	// Inch sizes without the inch mark: "teava 1 1/4", "teava 3/4" (a proper fraction
	// with an inch denominator); a "/" between other numbers is a size separator.
	{regexp.MustCompile(`(^|[^\d.])(\d)\s+([13])\s*/\s*([24])($|[^\d./x])`), "$1 ${2}_${3}_${4}in $5"},
	{regexp.MustCompile(`(^|[^\d.])([1357])\s*/\s*([248])($|[^\d./x])`), "$1 ${2}_${3}in $4"},
	// Lengths glued to their unit ("6m", "12 ml") say how it is delivered, not what it is.
	{regexp.MustCompile(`\b\d+(?:\.\d+)?\s*(?:m|ml|metri|metru)\b`), " "},
}

// reSlash is a "/" between numbers left after the inch sizes: a size separator
// ("40/20/2" = 40x20x2). A number after a dot is a grade's ("1.4301/304") and stays.
var reSlash = regexp.MustCompile(`(?:^|[^\d.])\d+(?:\.\d+)?(?:\s*/\s*\d+(?:\.\d+)?)+`)

var reGradeNumber = regexp.MustCompile(`\.\d{3}`)

// queryWords are single words only a query uses: a lone profile letter.
var queryWords = map[string]string{"u": "upn", "i": "ipe"}

// queryTokens tokenises a query: the rewrites above, then Tokens, then the query-only words;
// "otel" is dropped when a material (inox, aluminiu) is named, which the steel word contradicts.
func queryTokens(q string) []string {
	s := Fold(q)
	s = reDecimalComma.ReplaceAllString(s, "$1.$2")
	s = reInchMixed.ReplaceAllString(s, "${1}_${2}_${3}in ")
	s = reInchFrac.ReplaceAllString(s, "${1}_${2}in ")
	s = reInch.ReplaceAllString(s, "${1}in ")
	for _, r := range queryRewrites {
		s = r.re.ReplaceAllString(s, r.with)
	}
	s = reSlash.ReplaceAllStringFunc(s, func(m string) string {
		if reGradeNumber.MatchString(m) {
			return m // 1.4301/304
		}
		return strings.ReplaceAll(m, "/", "x")
	})
	toks := Tokens(s)
	out := toks[:0]
	material := false
	for _, t := range toks {
		if t == "inox" || t == "aluminiu" {
			material = true
		}
	}
	seen := map[string]bool{}
	for _, t := range toks {
		if w, ok := queryWords[t]; ok {
			t = w
		}
		if (t == "otel" && material) || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	return out
}
