package store

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Address is a postal address as the RFQ form sends it.
type Address struct {
	Street     string `json:"street"`
	City       string `json:"city"`
	County     string `json:"county"`
	PostalCode string `json:"postalCode"`
	Country    string `json:"country"`
}

// RFQInput is the RFQ form. Validate normalises it in place (trimmed text, canonical
// county and country names, upper-case incoterm and CUI).
type RFQInput struct {
	CompanyName     string
	CUI             string
	ContactPerson   string
	Email           string
	Phone           string
	BillingAddress  *Address
	DeliveryAddress *Address
	Incoterm        string
	DeliveryDate    string // YYYY-MM-DD
	Notes           string
	AttachmentIDs   []string
}

// Incoterms are the Incoterms 2020 rules a buyer may ask for.
var Incoterms = []string{"EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF"}

// MaxRFQNotes is the longest note, in characters.
const MaxRFQNotes = 2000

var (
	phoneChars   = regexp.MustCompile(`[\s.\-()/]`)
	phoneRO      = regexp.MustCompile(`^(\+40|0040|0)[237]\d{8}$`)
	phoneIntl    = regexp.MustCompile(`^\+[1-9]\d{6,14}$`)
	postalRO     = regexp.MustCompile(`^\d{6}$`)
	postalOther  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 \-]{1,10}$`)
	deliveryDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// Validate checks the form; now fixes "today" (Europe/Bucharest) for the delivery date.
func (in *RFQInput) Validate(now time.Time) error {
	v := &Validator{}
	text := func(field string, s *string, min, max int, ro, en string) {
		*s = strings.TrimSpace(*s)
		n := utf8.RuneCountInString(*s)
		v.Check(n >= min && n <= max && printable(*s), field, ro, en)
	}
	text("companyName", &in.CompanyName, 2, 200,
		"Numele companiei este obligatoriu (2–200 de caractere).", "Company name is required (2–200 characters).")
	text("contactPerson", &in.ContactPerson, 2, 100,
		"Persoana de contact este obligatorie (2–100 de caractere).", "Contact person is required (2–100 characters).")

	in.CUI = NormalizeCUI(in.CUI)
	if in.CUI != "" {
		v.Check(ValidCUI(in.CUI), "cui", "CUI invalid (cifra de control nu se potrivește).", "Invalid CUI (the check digit does not match).")
	}

	in.Email = strings.TrimSpace(in.Email)
	v.Check(validEmail(in.Email), "email", "Adresa de email nu este validă.", "The email address is not valid.")

	phone := phoneChars.ReplaceAllString(strings.TrimSpace(in.Phone), "")
	if strings.HasPrefix(phone, "00") {
		phone = "+" + phone[2:]
	}
	v.Check(phoneRO.MatchString(phone) || phoneIntl.MatchString(phone), "phone",
		"Numărul de telefon nu este valid (ex.: 0722 123 456 sau +40 722 123 456).",
		"The phone number is not valid (e.g. 0722 123 456 or +40 722 123 456).")
	in.Phone = strings.TrimSpace(in.Phone)

	validateAddress(v, "billingAddress", in.BillingAddress)
	validateAddress(v, "deliveryAddress", in.DeliveryAddress)

	in.Incoterm = strings.ToUpper(strings.TrimSpace(in.Incoterm))
	if in.Incoterm != "" {
		ok := false
		for _, t := range Incoterms {
			ok = ok || t == in.Incoterm
		}
		v.Check(ok, "incoterm", "Incoterm necunoscut (EXW, FCA, CPT, CIP, DAP, DPU, DDP, FAS, FOB, CFR, CIF).",
			"Unknown incoterm (EXW, FCA, CPT, CIP, DAP, DPU, DDP, FAS, FOB, CFR, CIF).")
	}

	in.DeliveryDate = strings.TrimSpace(in.DeliveryDate)
	if in.DeliveryDate != "" {
		d, err := time.ParseInLocation("2006-01-02", in.DeliveryDate, Bucharest)
		today := BucharestDate(now)
		switch {
		case !deliveryDate.MatchString(in.DeliveryDate) || err != nil:
			v.Add("deliveryDate", "Data de livrare trebuie să fie o dată (AAAA-LL-ZZ).", "Delivery date must be a date (YYYY-MM-DD).")
		case d.Format("2006-01-02") < today:
			v.Add("deliveryDate", "Data de livrare nu poate fi în trecut.", "Delivery date cannot be in the past.")
		case d.After(now.In(Bucharest).AddDate(2, 0, 0)):
			v.Add("deliveryDate", "Data de livrare poate fi cel mult peste 2 ani.", "Delivery date can be at most 2 years ahead.")
		}
	}

	in.Notes = strings.TrimSpace(in.Notes)
	v.Check(utf8.RuneCountInString(in.Notes) <= MaxRFQNotes, "notes",
		"Observațiile pot avea cel mult 2.000 de caractere.", "Notes may have at most 2,000 characters.")
	v.Check(!strings.ContainsRune(in.Notes, 0), "notes", "Observațiile conțin caractere nepermise.", "Notes contain forbidden characters.")

	// Uploads arrive with a later issue; refuse clearly rather than drop files silently.
	v.Check(len(in.AttachmentIDs) == 0, "attachmentIds",
		"Atașarea fișierelor nu este încă disponibilă; trimite cererea fără atașamente.",
		"File attachments are not available yet; submit the request without attachments.")
	return v.Err()
}

func validEmail(s string) bool {
	if len(s) > 254 || s == "" {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return at > 0 && strings.Contains(s[at+1:], ".")
}

func validateAddress(v *Validator, field string, a *Address) {
	if a == nil {
		v.Add(field, "Adresa este obligatorie.", "The address is required.")
		return
	}
	trim := func(s *string) { *s = strings.TrimSpace(*s) }
	trim(&a.Street)
	trim(&a.City)
	trim(&a.County)
	trim(&a.PostalCode)
	trim(&a.Country)
	n := utf8.RuneCountInString
	v.Check(n(a.Street) >= 3 && n(a.Street) <= 200 && printable(a.Street), field+".street",
		"Strada este obligatorie (3–200 de caractere).", "Street is required (3–200 characters).")
	v.Check(n(a.City) >= 2 && n(a.City) <= 100 && printable(a.City), field+".city",
		"Localitatea este obligatorie.", "City is required.")
	if a.Country == "" || foldRO(a.Country) == "romania" || strings.EqualFold(a.Country, "RO") {
		a.Country = "Romania"
	}
	v.Check(n(a.Country) >= 2 && n(a.Country) <= 60 && printable(a.Country), field+".country",
		"Țara nu este validă.", "Country is not valid.")
	if a.Country == "Romania" {
		if c, ok := CanonicalCounty(a.County); ok {
			a.County = c
		} else {
			v.Add(field+".county", "Județul nu este valid (ex.: Cluj, Ilfov, București).", "Not a Romanian county (e.g. Cluj, Ilfov, București).")
		}
		v.Check(postalRO.MatchString(a.PostalCode), field+".postalCode",
			"Codul poștal trebuie să aibă 6 cifre.", "Postal code must have 6 digits.")
	} else {
		v.Check(n(a.County) <= 100 && printable(a.County), field+".county", "Regiunea nu este validă.", "Region is not valid.")
		v.Check(postalOther.MatchString(a.PostalCode), field+".postalCode", "Codul poștal nu este valid.", "Postal code is not valid.")
	}
}

// counties are Romania's 41 counties and Bucharest, with their two-letter codes.
var counties = [][2]string{
	{"AB", "Alba"}, {"AR", "Arad"}, {"AG", "Argeș"}, {"BC", "Bacău"}, {"BH", "Bihor"},
	{"BN", "Bistrița-Năsăud"}, {"BT", "Botoșani"}, {"BV", "Brașov"}, {"BR", "Brăila"},
	{"BZ", "Buzău"}, {"CS", "Caraș-Severin"}, {"CL", "Călărași"}, {"CJ", "Cluj"},
	{"CT", "Constanța"}, {"CV", "Covasna"}, {"DB", "Dâmbovița"}, {"DJ", "Dolj"},
	{"GL", "Galați"}, {"GR", "Giurgiu"}, {"GJ", "Gorj"}, {"HR", "Harghita"},
	{"HD", "Hunedoara"}, {"IL", "Ialomița"}, {"IS", "Iași"}, {"IF", "Ilfov"},
	{"MM", "Maramureș"}, {"MH", "Mehedinți"}, {"MS", "Mureș"}, {"NT", "Neamț"}, {"OT", "Olt"},
	{"PH", "Prahova"}, {"SM", "Satu Mare"}, {"SJ", "Sălaj"}, {"SB", "Sibiu"}, {"SV", "Suceava"},
	{"TR", "Teleorman"}, {"TM", "Timiș"}, {"TL", "Tulcea"}, {"VS", "Vaslui"}, {"VL", "Vâlcea"},
	{"VN", "Vrancea"}, {"B", "București"},
}

// CanonicalCounty recognises a county by name (with or without diacritics, cedilla or
// comma-below, any case, "Județul X" or "Municipiul București") or by its code, and
// returns its proper name.
func CanonicalCounty(s string) (string, bool) {
	f := foldRO(s)
	f = strings.TrimPrefix(f, "judetul ")
	f = strings.TrimPrefix(f, "jud. ")
	f = strings.TrimPrefix(f, "municipiul ")
	f = strings.ReplaceAll(strings.ReplaceAll(f, "-", ""), " ", "")
	for _, c := range counties {
		if f == strings.ToLower(c[0]) || f == strings.ReplaceAll(strings.ReplaceAll(foldRO(c[1]), "-", ""), " ", "") {
			return c[1], true
		}
	}
	return "", false
}

// foldRO lower-cases s and strips diacritics (ș ş → s, ț ţ → t, ă â → a, î → i).
func foldRO(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, strings.TrimSpace(s))
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}
