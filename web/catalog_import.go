package web

import (
	"bytes"
	"io"
	"net/http"
	"strconv"

	"github.com/metalpro/backend/store"
)

// The catalog as a CSV file (ADMIN): the export, and the import in two steps. "Check"
// uploads the file and runs the store's dry run: how many products it would create, update
// and withdraw, and every problem with its line, column and message; nothing changes. When
// the file is clean, "apply" imports that same file (kept in memory between the two steps,
// catalog_import_pending.go) in one transaction, audited by the store product by product.

// importReportLimit bounds the lines of a report shown on the page: a whole catalog is
// about 3,000 rows, and the counts above the tables say how many there are in all.
const importReportLimit = 500

type importView struct {
	FileName string
	Report   *store.ImportResult
	Changes  []store.ImportChange // the first importReportLimit
	Errors   []store.ImportError  // idem
	Token    string               // set when the checked file can be applied
	Error    string               // the upload's own problem (no file, too large)
}

// MoreChanges and MoreErrors are the report's lines not shown.
func (v importView) MoreChanges() int { return len(v.Report.Changes) - len(v.Changes) }
func (v importView) MoreErrors() int  { return len(v.Report.Errors) - len(v.Errors) }

var (
	errNoImportFile = store.Errorf(store.ECodeInvalid, "Alege fișierul CSV de verificat.", "Choose the CSV file to check.")
	errImportGone   = store.Errorf(store.ECodeConflict,
		"Fișierul verificat nu mai este disponibil (a trecut prea mult timp sau serverul a repornit). Încarcă-l din nou.",
		"The checked file is no longer available (too much time passed or the server restarted). Upload it again.")
	errImportTooLarge = store.Errorf(store.ECodeTooLarge, "Fișierul depășește 20 MB.", "The file exceeds 20 MB.")
)

// handleImportPage serves GET /admin/catalog/import.
func (h *Handler) handleImportPage(w http.ResponseWriter, r *http.Request) {
	h.showImport(w, r, http.StatusOK, importView{})
}

// handleImport serves POST /admin/catalog/import: a multipart upload to check, or
// apply=<token> to import the file just checked.
func (h *Handler) handleImport(w http.ResponseWriter, r *http.Request) {
	if token := r.PostFormValue("apply"); token != "" {
		h.applyImport(w, r, token)
		return
	}
	data, name, err := importFile(r)
	if err != nil {
		h.showImport(w, r, statusOf(err), importView{Error: invalidText(err, langOf(r))})
		return
	}
	res, err := h.db.ImportCatalogCSV(r.Context(), bytes.NewReader(data), true)
	if err != nil {
		h.renderError(w, r, err)
		return
	}
	view := importView{FileName: name}
	status := http.StatusOK
	if len(res.Errors) > 0 {
		status = http.StatusBadRequest
	} else if len(res.Changes) > 0 {
		view.Token = newToken()
		h.imports.put(staffFrom(r.Context()).ID, pendingImport{token: view.Token, name: name, data: data, at: h.db.Now()})
	}
	h.showReport(w, r, status, view, res)
}

// applyImport imports the file checked under token. The store checks it again against
// the catalog as it is now: a file that no longer applies cleanly changes nothing and
// comes back with its report.
func (h *Handler) applyImport(w http.ResponseWriter, r *http.Request, token string) {
	f, ok := h.imports.take(staffFrom(r.Context()).ID, token, h.db.Now())
	if !ok {
		h.showImport(w, r, http.StatusConflict, importView{Error: errImportGone.Message.In(langOf(r))})
		return
	}
	res, err := h.db.ImportCatalogCSV(r.Context(), bytes.NewReader(f.data), false)
	if err != nil {
		h.renderError(w, r, err)
		return
	}
	if len(res.Errors) > 0 {
		h.showReport(w, r, http.StatusConflict, importView{FileName: f.name}, res)
		return
	}
	c, u, d := strconv.Itoa(res.Created), strconv.Itoa(res.Updated), strconv.Itoa(res.Deactivated)
	h.setFlash(r, store.Text{
		RO: "Importul a fost aplicat: " + c + " produse noi, " + u + " actualizate, " + d + " retrase.",
		EN: "The import was applied: " + c + " new products, " + u + " updated, " + d + " withdrawn."})
	http.Redirect(w, r, Prefix+"/catalog/import", http.StatusSeeOther)
}

// importFile is the uploaded file (the CSRF check already parsed the bounded form).
func importFile(r *http.Request) ([]byte, string, error) {
	file, header, err := r.FormFile("file")
	if err != nil {
		return nil, "", errNoImportFile
	}
	defer file.Close()
	if header.Size > store.MaxImportBytes {
		return nil, "", errImportTooLarge
	}
	data, err := io.ReadAll(io.LimitReader(file, store.MaxImportBytes+1))
	switch {
	case err != nil:
		return nil, "", errNoImportFile
	case len(data) > store.MaxImportBytes:
		return nil, "", errImportTooLarge
	case len(data) == 0:
		return nil, "", errNoImportFile
	}
	return data, header.Filename, nil
}

func (h *Handler) showReport(w http.ResponseWriter, r *http.Request, status int, view importView, res store.ImportResult) {
	view.Report = &res
	view.Changes = res.Changes[:min(len(res.Changes), importReportLimit)]
	view.Errors = res.Errors[:min(len(res.Errors), importReportLimit)]
	h.showImport(w, r, status, view)
}

func (h *Handler) showImport(w http.ResponseWriter, r *http.Request, status int, view importView) {
	h.render(w, r, status, "catalog_import", h.newPage(w, r, "catalog", "import.title", view))
}

// handleExport serves GET /admin/catalog/export.csv: the API's export, byte for byte, as
// a download (built in memory first, so a database error is an error page, not a cut file).
func (h *Handler) handleExport(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := h.db.ExportCatalogCSV(r.Context(), &buf); err != nil {
		h.renderError(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/csv; charset=utf-8")
	hd.Set("Content-Disposition", `attachment; filename="catalog-metalpro-`+h.db.Now().In(store.Bucharest).Format("2006-01-02")+`.csv"`)
	hd.Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = buf.WriteTo(w)
}
