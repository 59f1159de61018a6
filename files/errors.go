package files

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/metalpro/backend/store"
)

// MaxUploadBytes is the largest file anyone may upload (the seed's 50 MB).
const MaxUploadBytes = 50 << 20

// ErrTooLarge refuses a file over MaxUploadBytes (413).
var ErrTooLarge = store.Errorf(store.ECodeTooLarge,
	"Fișierul depășește 50 MB, cât se poate încărca.",
	"The file is larger than 50 MB, the most that can be uploaded.")

// ErrUnavailable is the answer while the file store cannot be reached (503): nothing was kept.
var ErrUnavailable = &store.Error{Code: store.ECodeUnavailable,
	Message: store.Text{
		RO: "Stocarea fișierelor nu este disponibilă acum. Te rugăm să încerci din nou peste câteva minute.",
		EN: "File storage is unavailable right now. Please try again in a few minutes."},
	RetryAfter: 30 * time.Second}

// unavailable wraps a store failure as ErrUnavailable, keeping the cause for the logs.
func unavailable(err error) error {
	e := *ErrUnavailable
	e.Err = err
	return &e
}

// allowedNames lists kind's types: "CSV, XLSX".
func allowedNames(kind Kind) string {
	names := make([]string, 0, len(Allowed[kind]))
	for _, t := range Allowed[kind] {
		names = append(names, t.Name)
	}
	return strings.Join(names, ", ")
}

// refusalTexts says, per Refusal reason, what was found.
var refusalTexts = map[string]store.Text{
	"executable": {RO: "Fișierele executabile (programe, scripturi) nu sunt acceptate.", EN: "Executable files (programs, scripts) are not accepted."},
	"html":       {RO: "Paginile HTML nu sunt acceptate.", EN: "HTML pages are not accepted."},
	"svg_script": {RO: "Imaginile SVG cu scripturi nu sunt acceptate.", EN: "SVG images with scripts are not accepted."},
	"svg":        {RO: "Imaginile SVG nu sunt acceptate.", EN: "SVG images are not accepted."},
	"zip_bomb": {RO: fmt.Sprintf("Arhiva s-ar dezarhiva la peste %d MB; nu poate fi acceptată.", MaxExpandedBytes>>20),
		EN: fmt.Sprintf("The archive would expand to more than %d MB; it cannot be accepted.", MaxExpandedBytes>>20)},
	"macro":   {RO: "Fișierele cu macrocomenzi nu sunt acceptate.", EN: "Files with macros are not accepted."},
	"unknown": {RO: "Tipul fișierului nu a fost recunoscut.", EN: "The file type was not recognised."},
}

// refusalError turns a refused content into the API's error: what was found and what kind
// accepts. An empty file is a plain 400; everything else is 415.
func refusalError(kind Kind, err error) error {
	var r *Refusal
	if !errors.As(err, &r) {
		return err
	}
	if r.Reason == "empty" {
		return store.Errorf(store.ECodeInvalid, "Fișierul este gol.", "The file is empty.")
	}
	what, ok := refusalTexts[r.Reason]
	if !ok {
		what = refusalTexts["unknown"]
	}
	allowed := allowedNames(kind)
	e := store.Errorf(store.ECodeUnsupported,
		what.RO+" Tipuri de fișiere permise: "+allowed+".",
		what.EN+" Allowed file types: "+allowed+".")
	e.Err = err
	return e
}

// notAllowedError refuses a recognised type that kind does not take (a PDF as a BOM).
func notAllowedError(kind Kind, t Type) error {
	allowed := allowedNames(kind)
	return store.Errorf(store.ECodeUnsupported,
		"Fișierele "+t.Name+" nu sunt acceptate aici. Tipuri de fișiere permise: "+allowed+".",
		t.Name+" files are not accepted here. Allowed file types: "+allowed+".")
}
