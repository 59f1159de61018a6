package store

import (
	"net/mail"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Field validators shared by accounts, addresses and RFQs. Each returns the normalised value
// and whether it is valid, so callers store what they checked.

// CheckEmail normalises *email in place and adds field's message when it is not a valid
// address: every form that takes an email says the same thing.
func (v *Validator) CheckEmail(field string, email *string) {
	var ok bool
	if *email, ok = NormalizeEmail(*email); !ok {
		v.Add(field, "Adresa de email nu este validă.", "The email address is not valid.")
	}
}

// MaxEmailLen is RFC 5321's limit on a forward path.
const MaxEmailLen = 254

// NormalizeEmail trims and lower-cases an address and reports whether it is a plain
// ASCII addr-spec (no display name, no comments) with a dotted domain. Non-ASCII
// addresses are refused here, where the customer can correct them: a UTF-8 local part
// needs SMTPUTF8 and an internationalised domain its punycode form, and the mail senders
// refuse to write either into a header.
func NormalizeEmail(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || len(s) > MaxEmailLen {
		return s, false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return s, false
	}
	at := strings.LastIndexByte(s, '@')
	local, domain := s[:at], s[at+1:]
	if len(local) > 64 || !strings.Contains(domain, ".") || strings.HasSuffix(domain, ".") ||
		strings.ContainsAny(s, " \"()<>[]\\,;:") || !isASCII(s) {
		return s, false
	}
	return s, true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// CleanText trims s and reports whether it has between minLen and maxLen characters and no
// control characters (a newline in a name ends up in an email header or a PDF).
func CleanText(s string, minLen, maxLen int) (string, bool) {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	if n < minLen || n > maxLen {
		return s, false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return s, false
		}
	}
	return s, true
}

// Text trims s, checks it as CleanText does and reports a problem under field: a control
// character gets its own message (a pasted line break is not a missing or too long name,
// and saying "required" sends the customer looking for the wrong mistake); a length outside
// minLen..maxLen gets ro/en. It returns the trimmed text.
func (v *Validator) Text(field, s string, minLen, maxLen int, ro, en string) string {
	s = strings.TrimSpace(s)
	if strings.ContainsFunc(s, unicode.IsControl) {
		v.Add(field, "Textul conține caractere de control (de exemplu un rând nou sau un tab), care nu sunt permise aici.",
			"The text contains control characters (such as a line break or a tab), which are not allowed here.")
		return s
	}
	if n := utf8.RuneCountInString(s); n < minLen || n > maxLen {
		v.Add(field, ro, en)
	}
	return s
}

var (
	phoneSeparators = strings.NewReplacer(" ", "", "-", "", ".", "", "(", "", ")", "", "/", "")
	// Romanian numbers: 0 or +40/0040, then 9 digits starting 2 (fixed), 3 (fixed, other
	// operators) or 7 (mobile).
	roPhone = regexp.MustCompile(`^(?:\+40|0040|0)([237]\d{8})$`)
	// Other countries: E.164, a + and 8 to 15 digits.
	intlPhone = regexp.MustCompile(`^(?:\+|00)([1-9]\d{7,14})$`)
)

// NormalizePhone accepts a Romanian number (0722 123 456, +40 722 123 456) or an
// international one (+49 30 1234567) and returns it in E.164 (+40722123456).
func NormalizePhone(s string) (string, bool) {
	c := phoneSeparators.Replace(strings.TrimSpace(s))
	if m := roPhone.FindStringSubmatch(c); m != nil {
		return "+40" + m[1], true
	}
	if m := intlPhone.FindStringSubmatch(c); m != nil {
		return "+" + m[1], true
	}
	return strings.TrimSpace(s), false
}

// cuiKey is the official weighting key of the Romanian fiscal code's check digit.
const cuiKey = "753217532"

// NormalizeCUI validates a Romanian fiscal code (CUI/CIF): 2 to 10 digits, the last being
// the check digit, optionally prefixed by RO (a VAT payer). Spaces are dropped; the RO
// prefix is kept, upper-case, because it says something (VAT registration).
func NormalizeCUI(s string) (string, bool) {
	c := strings.ToUpper(strings.Join(strings.Fields(s), ""))
	prefix := ""
	if strings.HasPrefix(c, "RO") {
		prefix, c = "RO", c[2:]
	}
	if len(c) < 2 || len(c) > 10 || c[0] == '0' {
		return prefix + c, false
	}
	for _, r := range c {
		if r < '0' || r > '9' {
			return prefix + c, false
		}
	}
	body, check := c[:len(c)-1], int(c[len(c)-1]-'0')
	body = strings.Repeat("0", 9-len(body)) + body
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(body[i]-'0') * int(cuiKey[i]-'0')
	}
	want := sum * 10 % 11
	if want == 10 {
		want = 0
	}
	return prefix + c, want == check
}

// Counties are Romania's 41 counties and the capital, as the storefront spells them.
var Counties = []string{
	"Alba", "Arad", "Argeș", "Bacău", "Bihor", "Bistrița-Năsăud", "Botoșani", "Brașov",
	"Brăila", "București", "Buzău", "Caraș-Severin", "Călărași", "Cluj", "Constanța",
	"Covasna", "Dâmbovița", "Dolj", "Galați", "Giurgiu", "Gorj", "Harghita", "Hunedoara",
	"Ialomița", "Iași", "Ilfov", "Maramureș", "Mehedinți", "Mureș", "Neamț", "Olt",
	"Prahova", "Satu Mare", "Sălaj", "Sibiu", "Suceava", "Teleorman", "Timiș", "Tulcea",
	"Vaslui", "Vâlcea", "Vrancea",
}

var countyByKey = func() map[string]string {
	m := make(map[string]string, len(Counties)+2)
	for _, c := range Counties {
		m[foldKey(c)] = c
	}
	m[foldKey("Bucuresti")] = "București"
	m[foldKey("Municipiul București")] = "București"
	return m
}()

// foldKey lower-cases s and strips diacritics and separators, so "Bistrita Nasaud",
// "bistrița-năsăud" and the cedilla spellings (ş, ţ) all find the same county.
func foldKey(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	out = strings.ToLower(out)
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, out)
}

// NormalizeCounty returns the canonical spelling of a Romanian county.
func NormalizeCounty(s string) (string, bool) {
	c, ok := countyByKey[foldKey(strings.TrimSpace(s))]
	if !ok {
		return strings.TrimSpace(s), false
	}
	return c, true
}

var (
	roPostal      = regexp.MustCompile(`^\d{6}$`)
	foreignPostal = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 -]{1,10}[A-Za-z0-9]$`)
)

// ValidPostalCode checks a postal code: 6 digits in Romania, 3 to 12 letters, digits,
// spaces or dashes elsewhere.
func ValidPostalCode(s string, romania bool) (string, bool) {
	s = strings.TrimSpace(s)
	if romania {
		return s, roPostal.MatchString(s)
	}
	return s, foreignPostal.MatchString(s)
}

// IsRomania reports whether a country name means Romania.
func IsRomania(country string) bool {
	switch foldKey(strings.TrimSpace(country)) {
	case "romania", "ro", "rou":
		return true
	}
	return false
}
