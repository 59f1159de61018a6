package web

import (
	"net/http"

	"github.com/metalpro/backend/store"
)

// maxFormBody bounds every POST to the back office before anything reads it (the CSRF
// check parses the form, and a multipart form would otherwise spill to temporary files
// without limit, even for someone not signed in). The largest form is the catalog import:
// a file of store.MaxImportBytes and a few fields.
const maxFormBody = store.MaxImportBytes + 64<<10

var errFormTooLarge = store.Errorf(store.ECodeTooLarge,
	"Formularul este prea mare: un fișier de import are cel mult 20 MB.",
	"The form is too large: an import file has at most 20 MB.")

// admitFormBody answers 413 for a body that says it is too large, and bounds the rest
// (a body without a length stops at the limit, and then fails the CSRF check).
func (h *Handler) admitFormBody(w http.ResponseWriter, r *http.Request) bool {
	if r.ContentLength > maxFormBody {
		h.renderError(w, r, errFormTooLarge)
		return false
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	return true
}
