package web

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/metalpro/backend/quotepdf"
	"github.com/metalpro/backend/store"
)

// The editor's live totals: quote.js posts the form here as the operator types and shows
// what comes back. The server computes them with the store's own code; nothing is saved.

// totalsBody is the answer: money as the page shows it.
type totalsBody struct {
	Net   string            `json:"net"`
	VAT   string            `json:"vat"`
	Gross string            `json:"gross"`
	Lines map[string]string `json:"lines"` // line totals by RFQ item id
}

// totalsError is the API's error shape; each detail names the form field ("" for the form).
type totalsError struct {
	Error   string        `json:"error"`
	Code    string        `json:"code"`
	Details []fieldDetail `json:"details,omitempty"`
}

type fieldDetail struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// handleQuoteTotals serves POST /admin/rfq/{id}/quote/totals.
func (h *Handler) handleQuoteTotals(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r)
	req := readQuoteForm(r).toInput(lang)
	t, err := h.db.QuoteTotals(r.Context(), mux.Vars(r)["id"], req.Input, h.cfg.VATRateBP)
	if err == nil && len(req.Errors) == 0 {
		body := totalsBody{Net: quotepdf.Lei(t.Net), VAT: quotepdf.Lei(t.VAT), Gross: quotepdf.Lei(t.Gross), Lines: map[string]string{}}
		for id, line := range t.ItemLine {
			body.Lines[id] = quotepdf.Lei(line)
		}
		writeJSON(w, http.StatusOK, body)
		return
	}
	var se *store.Error
	if err != nil && !errors.As(err, &se) {
		h.log.Error("back office: quote totals", "err", err, "request_id", r.Header.Get("X-Request-Id"))
		writeJSON(w, http.StatusInternalServerError, totalsError{Error: translate(lang, "error.internal"), Code: store.ECodeInternal})
		return
	}
	if se != nil && se.Code != store.ECodeInvalid {
		writeJSON(w, statusOf(err), totalsError{Error: se.Message.In(lang), Code: se.Code})
		return
	}
	req.addStoreErrors(err, lang)
	body := totalsError{Error: translate(lang, "quote.err.fix"), Code: store.ECodeInvalid}
	for field, msg := range req.Errors {
		body.Details = append(body.Details, fieldDetail{Field: field, Message: msg})
	}
	writeJSON(w, http.StatusBadRequest, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
