package search

import (
	"strconv"
	"strings"

	"github.com/metalpro/backend/catalog"
)

// NominalByDN is the nominal size of a DN (15 → 21.3 mm, 1/2"), from catalog.NominalSizes.
func NominalByDN(dn int) (catalog.NominalSize, bool) {
	for _, n := range catalog.NominalSizes {
		if n.DN == dn && dn > 0 {
			return n, true
		}
	}
	return catalog.NominalSize{}, false
}

// NominalByInch is the nominal size of an inch designation written "3/4", "1 1/4", "2",
// `3/4"` or as the search token "3_4in".
func NominalByInch(inch string) (catalog.NominalSize, bool) {
	key := inchKey(inch)
	for _, n := range catalog.NominalSizes {
		if n.Inch != "" && inchKey(n.Inch) == key {
			return n, true
		}
	}
	return catalog.NominalSize{}, false
}

// NominalByName is the round tube a buyer means by a whole-mm size ("60" → 60.3 mm);
// an exact OD (60.3) finds its row too.
func NominalByName(mm float64) (catalog.NominalSize, bool) {
	for _, n := range catalog.NominalSizes {
		if n.OD == mm {
			return n, true
		}
		for _, name := range n.Names {
			if name == mm {
				return n, true
			}
		}
	}
	return catalog.NominalSize{}, false
}

// InchToken is the search token of an inch designation: "1 1/4" → "1_1_4in", the
// spelling Tokens gives `1 1/4"`.
func InchToken(inch string) string { return inchKey(inch) }

// inchKey folds every spelling of an inch size to the token form.
func inchKey(s string) string {
	s = strings.TrimSuffix(strings.TrimSpace(s), "in")
	s = strings.TrimRight(s, `"”' `)
	s = strings.NewReplacer("/", "_", " ", "_").Replace(s)
	return s + "in"
}

// dnToken is the token a DN is indexed by ("dn15").
func dnToken(dn int) string { return "dn" + strconv.Itoa(dn) }
