package web

import (
	"errors"
	"mime"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/metalpro/backend/quote"
	"github.com/metalpro/backend/store"
)

// The quote editor (issue 13): price each item, add extra lines, set VAT, validity and
// notes, see the totals the server computes, preview the PDF and send it. Operators and
// admins alike. Saving and sending run the store's and package quote's rules, the same as
// the API's PUT .../quote and POST .../quote/send.

// quotes is the quote workflow shared with the API.
func (h *Handler) quotes() *quote.Service {
	return &quote.Service{DB: h.db, Blobs: h.deps.Files, Seller: h.cfg.Company, FilesURL: h.cfg.FilesURL, Logger: h.log}
}

func quotePath(rfqID string) string { return Prefix + "/rfq/" + rfqID + "/quote" }

// handleQuoteEditor serves GET /admin/rfq/{id}/quote.
func (h *Handler) handleQuoteEditor(w http.ResponseWriter, r *http.Request) {
	d, err := h.db.AdminRFQDetail(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		h.renderError(w, r, err)
		return
	}
	h.renderQuote(w, r, http.StatusOK, h.newQuoteView(d, nil, nil))
}

func (h *Handler) renderQuote(w http.ResponseWriter, r *http.Request, status int, v *quoteView) {
	p := h.newPage(w, r, "queue", "quote.title", v)
	p.Title = p.T("quote.titleOf", v.RFQ.ReferenceNumber)
	h.render(w, r, status, "quote", p)
}

// handleQuoteSave serves POST /admin/rfq/{id}/quote: the draft is saved and the page shows
// it again (PRG) with its totals; bad input comes back next to its fields, as typed, with
// nothing saved.
func (h *Handler) handleQuoteSave(w http.ResponseWriter, r *http.Request) {
	id, lang := mux.Vars(r)["id"], langOf(r)
	d, err := h.db.AdminRFQDetail(r.Context(), id)
	if err != nil {
		h.renderError(w, r, err)
		return
	}
	form := readQuoteForm(r)
	req := form.toInput(lang)
	if len(req.Errors) > 0 {
		// Nothing is saved; the store still checks the rest, so every message shows at once.
		_, err = h.db.QuoteTotals(r.Context(), id, req.Input, h.cfg.VATRateBP)
	} else {
		_, err = h.db.SaveQuoteDraft(r.Context(), id, req.Input, h.cfg.VATRateBP)
		if err == nil {
			h.setFlash(r, messages["quote.saved"])
			http.Redirect(w, r, quotePath(id), http.StatusSeeOther)
			return
		}
	}
	status := http.StatusBadRequest
	var se *store.Error
	switch {
	case err == nil, store.ErrorCode(err) == store.ECodeInvalid:
		req.addStoreErrors(err, lang)
	case errors.As(err, &se):
		status = statusOf(err) // the RFQ moved on meanwhile: say so, keep what was typed
	default:
		h.serverError(w, r, err)
		return
	}
	v := h.newQuoteView(d, &form, req.Errors)
	if se != nil {
		v.Error = se.Message.In(lang)
	}
	h.renderQuote(w, r, status, v)
}

// handleQuoteSend serves POST /admin/rfq/{id}/quote/send: the saved draft, at the revision
// the page showed, goes to the customer; then the RFQ's page says so.
func (h *Handler) handleQuoteSend(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	rev, err := strconv.Atoi(r.PostFormValue("revision"))
	if err != nil || rev <= 0 {
		err = errNoDraftShown
	} else {
		_, err = h.quotes().Send(r.Context(), id, rev)
	}
	if err == nil {
		h.setFlash(r, messages["quote.sent"])
		http.Redirect(w, r, Prefix+"/rfq/"+id, http.StatusSeeOther)
		return
	}
	var se *store.Error
	if !errors.As(err, &se) {
		h.serverError(w, r, err)
		return
	}
	d, derr := h.db.AdminRFQDetail(r.Context(), id)
	if derr != nil {
		h.renderError(w, r, derr)
		return
	}
	v := h.newQuoteView(d, nil, nil)
	v.Error = se.Message.In(langOf(r))
	h.renderQuote(w, r, statusOf(err), v)
}

var errNoDraftShown = store.Errorf(store.ECodeInvalid,
	"Formularul nu spune ce variantă a ofertei trimiți. Reîncarcă pagina și încearcă din nou.",
	"The form does not say which version of the quote to send. Reload the page and try again.")

// handleQuotePDF serves GET /admin/rfq/{id}/quote.pdf: the draft, or the last sent
// version, as the customer gets it, shown in the browser.
func (h *Handler) handleQuotePDF(w http.ResponseWriter, r *http.Request) {
	pdf, err := h.quotes().Preview(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		h.renderError(w, r, err)
		return
	}
	hd := w.Header()
	// The pages' policy (default-src 'none') would leave a browser's PDF viewer nothing to
	// run with; a PDF runs no script of ours, so it goes without, and may only be framed by us.
	hd.Del("Content-Security-Policy")
	hd.Set("X-Frame-Options", "SAMEORIGIN")
	hd.Set("Content-Type", "application/pdf")
	hd.Set("Content-Disposition", inlineDisposition(pdf.FileName))
	hd.Set("Content-Length", strconv.Itoa(len(pdf.Bytes)))
	hd.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(pdf.Bytes)
}

// inlineDisposition shows a file in the browser under its own name.
func inlineDisposition(name string) string {
	if v := mime.FormatMediaType("inline", map[string]string{"filename": name}); v != "" {
		return v
	}
	return "inline"
}
