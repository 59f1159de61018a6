package bom

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/metalpro/backend/catalog/search"
)

// parseUnit reads a unit as buyers write it and returns the cart's unit ("kg", "m",
// "pcs") and the factor to it: "to" and "t" are tonnes, 1000 kg.
func parseUnit(s string) (unit string, scale float64, ok bool) {
	u := strings.Trim(search.Fold(strings.TrimSpace(s)), ". ")
	u = strings.ReplaceAll(u, ".", "")
	u = strings.ReplaceAll(u, " ", "")
	switch u {
	case "buc", "bucati", "bucata", "bc", "pcs", "pc", "piece", "pieces", "ea", "bare", "bara", "bar", "bars", "buc/bare", "un", "nr", "panou", "panouri", "foi", "foaie":
		return "pcs", 1, true
	case "m", "ml", "mliniar", "metri", "metru", "metriliniari", "lm":
		return "m", 1, true
	case "kg", "kilograme", "kilogram", "kgs":
		return "kg", 1, true
	case "t", "to", "tone", "tona", "tonne", "tonnes", "tons":
		return "kg", 1000, true
	}
	return "", 0, false
}

var (
	// 1.234,5 and 1.234: Romanian thousands dots; 1,234.5: English thousands commas.
	reThousandsDot   = regexp.MustCompile(`^\d{1,3}(?:\.\d{3})+(?:,\d+)?$`)
	reThousandsComma = regexp.MustCompile(`^\d{1,3}(?:,\d{3})+\.\d+$`)
	reNumberUnit     = regexp.MustCompile(`^([~≈]?\s*[0-9][0-9.,\s]*)\s*([a-zA-ZăâîșțşţĂÂÎȘȚ./]*)$`)
)

// parseNumber reads a quantity written with a decimal comma or dot and optional thousands
// separators: "12,5" and "12.5" are 12.5, "1.250" and "1.250,5" are 1250 and 1250.5
// (a dot followed by three digits groups thousands, as Romanian writes them),
// "1,250.5" is 1250.5, "1 250" is 1250.
func parseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(s), "~≈"))
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "'", "").Replace(s)
	if s == "" {
		return 0, false
	}
	switch {
	case reThousandsDot.MatchString(s):
		s = strings.ReplaceAll(s, ".", "")
		s = strings.ReplaceAll(s, ",", ".")
	case reThousandsComma.MatchString(s):
		s = strings.ReplaceAll(s, ",", "")
	default:
		if strings.Count(s, ",") > 1 || strings.Contains(s, ",") && strings.Contains(s, ".") {
			return 0, false
		}
		s = strings.ReplaceAll(s, ",", ".")
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c == '.') {
			return 0, false
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// parseQuantityCell reads a quantity cell, which may carry its unit: "12", "12,5 ml",
// "1.200 kg", "3 buc.". unit is "" when the cell names none.
func parseQuantityCell(s string) (qty float64, unit string, ok bool) {
	m := reNumberUnit.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, "", false
	}
	qty, ok = parseNumber(m[1])
	if !ok {
		return 0, "", false
	}
	if m[2] == "" {
		return qty, "", true
	}
	u, scale, uok := parseUnit(m[2])
	if !uok {
		return qty, "", false
	}
	return qty * scale, u, true
}

// Line is what the line parser reads from a BOM row's description: the quantity and unit
// written into the text ("cornier 50x50x5 - 12 buc"), the length of each bar ("L=6m",
// "12 buc x 6m"), and the text left to search the catalog with.
type Line struct {
	Search   string  // the description without the quantity and length
	Quantity float64 // 0: none in the text
	Unit     string  // kg, m, pcs or ""
	LengthM  float64 // length of one piece in metres, 0: none
}

const num = `(\d+(?:[.,]\d+)?)`

var (
	// 12 buc x 6m, 12 bare x 6 m, 12 buc. de 6 m, 12 buc. a 6 m
	rePiecesOfLength = regexp.MustCompile(`(?i)(?:^|[\s\-–,;(:])` + num + `\s*(?:buc(?:ati|ăți|\.)?|bare|bara|bucăţi|pcs|pc)\.?\s*(?:x|de|a|à|\*|×)\s*` + num + `\s*(m|ml|mm)\b\.?`)
	// L=6m, L = 6000 mm, L=6, lungime 6 m, lg. 6m
	reLength = regexp.MustCompile(`(?i)(?:\bL\s*=\s*|\blungime(?:a)?\s*:?\s*|\blg\.?\s*=?\s*)` + num + `\s*(m|ml|mm)?\b\.?`)
	// - 12 buc, (12 buc.), 12 bucati, 120 kg, 1,5 t, 36 ml, 36 m (a quantity written after the name)
	reQuantityInText = regexp.MustCompile(`(?i)(?:^|[\s\-–,;(:])` + num + `\s*(buc(?:ati|ăți|ăţi)?|bare|pcs|kg|to|tone|t|ml|m)\.?(?:$|[\s),;])`)
)

// ParseLine reads the quantity, unit and bar length written inside a description and
// returns the rest as the text to search for. "Teava rect. 40x20x2 L=6m - 12 buc" gives
// 12 pcs of 6 m and "Teava rect. 40x20x2". A number glued to a dimension ("40x20x2") is
// never taken as a quantity.
func ParseLine(desc string) Line {
	var l Line
	text := desc
	if m := rePiecesOfLength.FindStringSubmatchIndex(text); m != nil {
		n, ok1 := parseNumber(text[m[2]:m[3]])
		length, ok2 := parseNumber(text[m[4]:m[5]])
		if ok1 && ok2 && n > 0 {
			l.Quantity, l.Unit, l.LengthM = n, "pcs", toMetres(length, text[m[6]:m[7]])
			text = cut(text, m[0], m[1])
		}
	}
	if m := reLength.FindStringSubmatchIndex(text); m != nil && l.LengthM == 0 {
		if v, ok := parseNumber(text[m[2]:m[3]]); ok {
			unit := ""
			if m[4] >= 0 {
				unit = text[m[4]:m[5]]
			}
			l.LengthM = toMetres(v, unit)
			text = cut(text, m[0], m[1])
		}
	}
	if l.Quantity == 0 {
		if m := lastMatch(reQuantityInText, text); m != nil {
			if v, ok := parseNumber(text[m[2]:m[3]]); ok && v > 0 {
				if u, scale, ok := parseUnit(text[m[4]:m[5]]); ok {
					l.Quantity, l.Unit = v*scale, u
					text = cut(text, m[0], m[1])
				}
			}
		}
	}
	l.Search = strings.Trim(strings.Join(strings.Fields(text), " "), " -–,;:")
	return l
}

// toMetres reads a length in m, or in mm when written so or when the number is too big
// to be metres (L=6000).
func toMetres(v float64, unit string) float64 {
	if strings.EqualFold(unit, "mm") || unit == "" && v > 24 {
		return v / 1000
	}
	return v
}

// lastMatch is the last match of re in s (a quantity is written after the name).
func lastMatch(re *regexp.Regexp, s string) []int {
	all := re.FindAllStringSubmatchIndex(s, -1)
	if len(all) == 0 {
		return nil
	}
	return all[len(all)-1]
}

// cut removes s[i:j], leaving a space so the words around it stay apart.
func cut(s string, i, j int) string { return s[:i] + " " + s[j:] }
