package apphttp

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/metalpro/backend/store"
)

// maxCatalogCSV bounds an import file (the store's bound, shared with the back office).
const maxCatalogCSV = store.MaxImportBytes

// handleExportCatalog serves GET /api/admin/catalog/export.csv: every product, inactive
// ones too, in the columns the import reads.
func (s *Server) handleExportCatalog(w http.ResponseWriter, r *http.Request) {
	// Built in memory first, so a database error is still an error answer, not a cut file.
	var buf bytes.Buffer
	if err := s.db.ExportCatalogCSV(r.Context(), &buf); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="catalog-metalpro-`+s.db.Now().Format("2006-01-02")+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

// importErrorJSON is one problem of an import file.
type importErrorJSON struct {
	Line    int    `json:"line"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// importReportJSON answers an import; with errors it is also an error answer (400, with
// error and code), and nothing was applied.
type importReportJSON struct {
	Error       string               `json:"error,omitempty"`
	Code        string               `json:"code,omitempty"`
	DryRun      bool                 `json:"dryRun"`
	Created     int                  `json:"created"`
	Updated     int                  `json:"updated"`
	Deactivated int                  `json:"deactivated"`
	Changes     []store.ImportChange `json:"changes"`
	Errors      []importErrorJSON    `json:"errors"`
}

var errImportRejected = store.Errorf(store.ECodeInvalid,
	"Fișierul are erori; nu s-a aplicat nimic. Corectează liniile din listă și încearcă din nou.",
	"The file has errors; nothing was applied. Correct the listed lines and try again.")

// handleImportCatalog serves POST /api/admin/catalog/import?dryRun=true|false (multipart
// field "file"): all rows or none, in one transaction.
func (s *Server) handleImportCatalog(w http.ResponseWriter, r *http.Request) {
	var dryRun bool
	switch r.URL.Query().Get("dryRun") {
	case "true", "1":
		dryRun = true
	case "", "false", "0":
	default:
		var v store.Validator
		v.Add("dryRun", "dryRun trebuie să fie true sau false.", "dryRun must be true or false.")
		s.writeError(w, r, v.Err())
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxCatalogCSV+64<<10)
	file, err := readFilePart(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.db.ImportCatalogCSV(r.Context(), bytes.NewReader(file), dryRun)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	l := lang(r)
	out := importReportJSON{DryRun: dryRun, Created: res.Created, Updated: res.Updated, Deactivated: res.Deactivated,
		Changes: res.Changes, Errors: []importErrorJSON{}}
	if out.Changes == nil {
		out.Changes = []store.ImportChange{}
	}
	for _, e := range res.Errors {
		out.Errors = append(out.Errors, importErrorJSON{Line: e.Line, Field: e.Field, Message: e.Message.In(l)})
	}
	status := http.StatusOK
	if len(out.Errors) > 0 {
		status = http.StatusBadRequest
		out.Error, out.Code = errImportRejected.Message.In(l), errImportRejected.Code
	}
	writeJSON(w, status, out)
}

// readFilePart reads the multipart field "file" whole (the body is already bounded).
func readFilePart(r *http.Request) ([]byte, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return nil, errNoFilePart
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, errNoFilePart
	}
	tooLarge := store.Errorf(store.ECodeTooLarge, "Fișierul depășește 20 MB.", "The file exceeds 20 MB.")
	for {
		part, err := mr.NextPart()
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			return nil, tooLarge
		case err != nil:
			return nil, errNoFilePart
		}
		if part.FormName() != "file" {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, maxCatalogCSV+1))
		switch {
		case errors.As(err, &tooBig) || len(data) > maxCatalogCSV:
			return nil, tooLarge
		case err != nil:
			return nil, errNoFilePart
		}
		return data, nil
	}
}
