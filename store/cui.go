package store

import "strings"

// ValidCUI reports whether s is a valid Romanian company tax id (CUI/CIF): 2 to 10
// digits, optionally prefixed by "RO" (VAT payers), whose last digit is the control digit
// of the official algorithm: the other digits, right-aligned against the key 753217532,
// are multiplied pairwise and summed; sum×10 mod 11 is the control digit (10 counts as 0).
//
// (Written for the RFQ form; the accounts branch may carry its own. Keep one.)
func ValidCUI(s string) bool {
	d := NormalizeCUI(s)
	d = strings.TrimPrefix(d, "RO")
	if len(d) < 2 || len(d) > 10 {
		return false
	}
	for _, r := range d {
		if r < '0' || r > '9' {
			return false
		}
	}
	if d[0] == '0' {
		return false
	}
	const key = "753217532"
	body, control := d[:len(d)-1], int(d[len(d)-1]-'0')
	sum := 0
	for i := 0; i < len(body); i++ {
		// align body's last digit with the key's last digit
		k := key[len(key)-len(body)+i]
		sum += int(body[i]-'0') * int(k-'0')
	}
	c := sum * 10 % 11
	if c == 10 {
		c = 0
	}
	return c == control
}

// NormalizeCUI upper-cases s and drops spaces, so "ro 123" and "RO123" compare equal.
func NormalizeCUI(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}
