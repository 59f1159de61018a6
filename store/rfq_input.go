package store

import (
	"strings"
	"time"
	"unicode/utf8"
)

// RFQAddress is a postal address on an RFQ (a snapshot: not a saved Address).
type RFQAddress struct {
	Street     string `json:"street"`
	City       string `json:"city"`
	County     string `json:"county"`
	PostalCode string `json:"postalCode"`
	Country    string `json:"country"`
}

// RFQInput is the RFQ form. Validate normalises it in place (trimmed text, canonical
// county and country, upper-case incoterm and CUI, lower-case email, E.164 phone).
type RFQInput struct {
	CompanyName     string
	CUI             string
	ContactPerson   string
	Email           string
	Phone           string
	BillingAddress  *RFQAddress
	DeliveryAddress *RFQAddress
	Incoterm        string
	DeliveryDate    string // RFC 3339 or YYYY-MM-DD; Validate leaves the day as YYYY-MM-DD
	Notes           string
	AttachmentIDs   []string
}

// Incoterms are the Incoterms 2020 rules a buyer may ask for.
var Incoterms = []string{"EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF"}

// MaxRFQNotes is the longest note, in characters.
const MaxRFQNotes = 2000

// Validate checks the form with the shared field validators (validate.go); now fixes
// "today" (Europe/Bucharest) for the delivery date. Every problem is reported at once.
func (in *RFQInput) Validate(now time.Time) error {
	v := &Validator{}
	var ok bool
	in.CompanyName = v.Text("companyName", in.CompanyName, 2, 200, "Numele companiei este obligatoriu (2–200 de caractere).", "Company name is required (2–200 characters).")
	in.ContactPerson = v.Text("contactPerson", in.ContactPerson, 2, 100, "Persoana de contact este obligatorie (2–100 de caractere).", "Contact person is required (2–100 characters).")
	if strings.TrimSpace(in.CUI) != "" {
		if in.CUI, ok = NormalizeCUI(in.CUI); !ok {
			v.Add("cui", "CUI invalid (cifra de control nu se potrivește).", "Invalid CUI (the check digit does not match).")
		}
	} else {
		in.CUI = ""
	}
	v.CheckEmail("email", &in.Email)
	if in.Phone, ok = NormalizePhone(in.Phone); !ok {
		v.Add("phone", "Numărul de telefon nu este valid (ex.: 0722 123 456 sau +40 722 123 456).",
			"The phone number is not valid (e.g. 0722 123 456 or +40 722 123 456).")
	}
	validateRFQAddress(v, "billingAddress", in.BillingAddress)
	validateRFQAddress(v, "deliveryAddress", in.DeliveryAddress)

	in.Incoterm = strings.ToUpper(strings.TrimSpace(in.Incoterm))
	if in.Incoterm != "" {
		known := false
		for _, t := range Incoterms {
			known = known || t == in.Incoterm
		}
		v.Check(known, "incoterm", "Incoterm necunoscut (EXW, FCA, CPT, CIP, DAP, DPU, DDP, FAS, FOB, CFR, CIF).",
			"Unknown incoterm (EXW, FCA, CPT, CIP, DAP, DPU, DDP, FAS, FOB, CFR, CIF).")
	}

	in.DeliveryDate = strings.TrimSpace(in.DeliveryDate)
	if in.DeliveryDate != "" {
		d, ok := parseDeliveryDate(in.DeliveryDate)
		in.DeliveryDate = d.Format(time.DateOnly)
		switch {
		case !ok:
			v.Add("deliveryDate", "Data de livrare trebuie să fie o dată (AAAA-LL-ZZ sau RFC 3339, ex. 2026-12-30T00:00:00Z).",
				"Delivery date must be a date (YYYY-MM-DD or RFC 3339, e.g. 2026-12-30T00:00:00Z).")
		case in.DeliveryDate < BucharestDate(now):
			v.Add("deliveryDate", "Data de livrare nu poate fi în trecut.", "Delivery date cannot be in the past.")
		case d.After(now.In(Bucharest).AddDate(2, 0, 0)):
			v.Add("deliveryDate", "Data de livrare poate fi cel mult peste 2 ani.", "Delivery date can be at most 2 years ahead.")
		}
	}

	in.Notes = strings.TrimSpace(in.Notes)
	v.Check(utf8.RuneCountInString(in.Notes) <= MaxRFQNotes && !strings.ContainsRune(in.Notes, 0), "notes",
		"Observațiile pot avea cel mult 2.000 de caractere.", "Notes may have at most 2,000 characters.")

	// Whose files they are is checked against the database (checkRFQAttachments).
	v.Check(len(in.AttachmentIDs) <= MaxRFQAttachments, "attachmentIds",
		"Poți atașa cel mult 20 de fișiere unei cereri.", "You can attach at most 20 files to a request.")
	return v.Err()
}

// parseDeliveryDate reads a delivery date as API.md writes times, RFC 3339, or as a plain
// YYYY-MM-DD, and returns the calendar day it names in Bucharest (midnight there). A time
// is read in Bucharest because that is where the day is meant: a browser's local midnight
// (2026-12-29T22:00:00Z) and midnight UTC (2026-12-30T00:00:00Z) both name 30 December.
func parseDeliveryDate(s string) (time.Time, bool) {
	if len(s) == len(time.DateOnly) {
		d, err := time.ParseInLocation(time.DateOnly, s, Bucharest)
		return d, err == nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	y, m, day := t.In(Bucharest).Date()
	return time.Date(y, m, day, 0, 0, 0, 0, Bucharest), true
}

// validateRFQAddress checks one address: Romanian county and 6-digit postal code when the
// country is Romania (the default), free region and postal code elsewhere.
func validateRFQAddress(v *Validator, field string, a *RFQAddress) {
	if a == nil {
		v.Add(field, "Adresa este obligatorie.", "The address is required.")
		return
	}
	var ok bool
	a.Street = v.Text(field+".street", a.Street, 3, 200, "Strada este obligatorie (3–200 de caractere).", "Street is required (3–200 characters).")
	a.City = v.Text(field+".city", a.City, 2, 100, "Localitatea este obligatorie (2–100 de caractere).", "City is required (2–100 characters).")
	romania := strings.TrimSpace(a.Country) == "" || IsRomania(a.Country)
	if romania {
		a.Country = "Romania"
		if a.County, ok = NormalizeCounty(a.County); !ok {
			v.Add(field+".county", "Județul nu este valid (ex.: Cluj, Ilfov, București).", "Not a Romanian county (e.g. Cluj, Ilfov, București).")
		}
	} else {
		a.Country = v.Text(field+".country", a.Country, 2, 60, "Țara nu este validă.", "Country is not valid.")
		a.County = v.Text(field+".county", a.County, 0, 100, "Regiunea nu este validă.", "Region is not valid.")
	}
	if a.PostalCode, ok = ValidPostalCode(a.PostalCode, romania); !ok {
		if romania {
			v.Add(field+".postalCode", "Codul poștal trebuie să aibă 6 cifre.", "Postal code must have 6 digits.")
		} else {
			v.Add(field+".postalCode", "Codul poștal nu este valid.", "Postal code is not valid.")
		}
	}
}

// oneLine writes the address as an email shows it ("Str. A 1, 400001 Cluj-Napoca, Cluj,
// Romania"); nil when it has nothing in it.
func (a RFQAddress) oneLine() *string {
	var parts []string
	for _, p := range []string{a.Street, strings.TrimSpace(a.PostalCode + " " + a.City), a.County, a.Country} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return nil
	}
	s := strings.Join(parts, ", ")
	return &s
}
