package quotepdf

import (
	"strconv"
	"strings"
)

// Lei writes bani as Romanian money: "12.345,67 RON" (dot between thousands, comma before
// the bani), as the customer's accounting expects.
func Lei(bani int64) string {
	sign := ""
	if bani < 0 {
		sign, bani = "-", -bani
	}
	return sign + groupThousands(strconv.FormatInt(bani/100, 10)) + "," + twoDigits(bani%100) + " RON"
}

func twoDigits(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

func groupThousands(digits string) string {
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Quantity writes a quantity the Romanian way: at most three decimals, a decimal comma,
// thousands grouped ("1.250,5").
func Quantity(q float64) string {
	s := strconv.FormatFloat(q, 'f', -1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 3 {
		frac = frac[:3]
	}
	out := groupThousands(whole)
	if frac != "" {
		out += "," + frac
	}
	return out
}

// Unit is the Romanian label of an RFQ unit: "buc." for pieces.
func Unit(u string) string {
	if u == "pcs" {
		return "buc."
	}
	return u
}

// Percent writes a VAT rate in basis points: 2100 → "21", 950 → "9,5".
func Percent(bp int64) string {
	s := strconv.FormatFloat(float64(bp)/100, 'f', -1, 64)
	return strings.Replace(s, ".", ",", 1)
}
