package web

import (
	"regexp"
	"strconv"
	"strings"
)

// Numbers as the team types them, in every form of the back office (prices, weights,
// percentages, quote amounts): one reading, so a value that works in one form works in all.

var (
	groupedInt = regexp.MustCompile(`^-?(\d+|\d{1,3}(\.\d{3})+)$`) // 1234 or 1.234.567
	commaNum   = regexp.MustCompile(`^-?(\d+|\d{1,3}(\.\d{3})+),\d+$`)
	dotNum     = regexp.MustCompile(`^-?\d+(\.\d+)?$`)
)

// parseDecimal reads a number as people type it here: a decimal comma or dot, thousands
// grouped with dots or spaces ("1.234,56", "1 234.56", "11,5", "1.234.567"). One dot alone
// is a decimal point ("11.50"). No exponents, no "Inf": nothing is guessed at.
func parseDecimal(s string) (float64, bool) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(strings.TrimSpace(s))
	switch {
	case commaNum.MatchString(s):
		s = strings.Replace(strings.ReplaceAll(s, ".", ""), ",", ".", 1)
	case strings.Count(s, ".") > 1 && groupedInt.MatchString(s):
		s = strings.ReplaceAll(s, ".", "")
	case dotNum.MatchString(s):
	default:
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}
