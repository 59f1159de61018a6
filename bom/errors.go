package bom

import "fmt"

// Error codes of a BOM the reader refuses as a whole (a single unreadable row is reported
// on its row instead, see Row.Problem).
const (
	CodeNoColumns   = "bom_no_columns"    // no header row with recognisable columns
	CodeTooManyRows = "bom_too_many_rows" // more than MaxDataRows data rows
	CodeTooLarge    = "bom_too_large"     // more bytes than the reader keeps in memory
	CodeEmpty       = "bom_empty"         // no rows at all
	CodeUnreadable  = "bom_unreadable"    // not a CSV or XLSX file this reader can parse
	CodeUnsupported = "bom_unsupported_type"
)

// Error is a BOM problem meant for the person who uploaded the file. It satisfies the
// interface the HTTP side expects: BOMErrorCode and BOMMessage (Romanian by default,
// English for "en").
type Error struct {
	Code string
	RO   string
	EN   string
}

func (e *Error) Error() string { return e.Code + ": " + e.EN }

// BOMErrorCode is the stable, snake_case code of the problem.
func (e *Error) BOMErrorCode() string { return e.Code }

// BOMMessage is the text for a person in lang ("en"; anything else is Romanian).
func (e *Error) BOMMessage(lang string) string {
	if lang == "en" {
		return e.EN
	}
	return e.RO
}

func errTooManyRows() *Error {
	return &Error{CodeTooManyRows,
		fmt.Sprintf("Lista de materiale are mai mult de %s de rânduri; împărțiți-o în fișiere mai mici.", thousands(MaxDataRows)),
		fmt.Sprintf("The bill of materials has more than %s rows; split it into smaller files.", thousandsEN(MaxDataRows))}
}

func errTooLarge(limit int64) *Error {
	return &Error{CodeTooLarge,
		fmt.Sprintf("Fișierul depășește %d MB, cât poate avea o listă de materiale.", limit>>20),
		fmt.Sprintf("The file exceeds %d MB, the most a bill of materials may have.", limit>>20)}
}

var (
	errEmpty     = &Error{CodeEmpty, "Fișierul nu conține niciun rând.", "The file contains no rows."}
	errNoColumns = &Error{CodeNoColumns,
		"Nu am găsit coloanele listei de materiale. Am căutat un rând de antet cu: denumire / descriere, cantitate / cant., U.M. și cod / cod articol (sau în engleză: description, quantity, unit, SKU / code).",
		"No bill-of-materials columns found. We looked for a header row with: description (denumire / descriere), quantity (cantitate / cant.), unit (U.M.) and SKU (cod / cod articol)."}
	errUnsupported = &Error{CodeUnsupported,
		"Lista de materiale trebuie să fie un fișier CSV sau XLSX.",
		"The bill of materials must be a CSV or XLSX file."}
)

func errUnreadable(detailRO, detailEN string) *Error {
	return &Error{CodeUnreadable, "Fișierul nu poate fi citit: " + detailRO, "The file cannot be read: " + detailEN}
}

// thousands writes 5000 as "5.000" (Romanian); thousandsEN as "5,000".
func thousands(n int) string   { return groupDigits(n, ".") }
func thousandsEN(n int) string { return groupDigits(n, ",") }

func groupDigits(n int, sep string) string {
	s := fmt.Sprint(n)
	out := ""
	for len(s) > 3 {
		out = sep + s[len(s)-3:] + out
		s = s[:len(s)-3]
	}
	return s + out
}
