package apphttp

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"github.com/metalpro/backend/files"
	"github.com/metalpro/backend/quote"
	"github.com/metalpro/backend/store"
)

// The quote endpoints of the back office (API.md "Back office"): the draft with its
// server-computed totals, its PDF, and sending it to the customer.

// handlePutQuote saves the draft quote: PUT /api/admin/rfqs/{id}/quote.
func (s *Server) handlePutQuote(w http.ResponseWriter, r *http.Request) {
	var in store.QuoteInput
	if err := s.readJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	q, err := s.db.SaveQuoteDraft(r.Context(), mux.Vars(r)["id"], in, s.vatRateBP())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writePrivateJSON(w, http.StatusOK, q)
}

func (s *Server) vatRateBP() int64 {
	if s.cfg.VATRateBP > 0 {
		return s.cfg.VATRateBP
	}
	return store.DefaultVATRateBP
}

// quotes is the quote workflow shared with the back office (package quote).
func (s *Server) quotes() *quote.Service {
	return &quote.Service{DB: s.db, Blobs: s.files.blobs, Seller: s.cfg.Company, FilesURL: s.cfg.APIURL, Logger: s.logger}
}

// handleQuotePDF serves the draft quote, or the last sent one, as a PDF: GET
// /api/admin/rfqs/{id}/quote.pdf.
func (s *Server) handleQuotePDF(w http.ResponseWriter, r *http.Request) {
	pdf, err := s.quotes().Preview(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", files.ContentDisposition(pdf.FileName))
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(pdf.Bytes)
}

// handleSendQuote sends the draft: POST /api/admin/rfqs/{id}/quote/send (quote.Service.Send:
// the PDF's blob first, then one transaction for everything else).
func (s *Server) handleSendQuote(w http.ResponseWriter, r *http.Request) {
	rfq, err := s.quotes().Send(r.Context(), mux.Vars(r)["id"], 0)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writePrivateJSON(w, http.StatusOK, rfq)
}

// quoteLinkTTL is how long the customer's link to the quote PDF works: long enough to
// click it, short enough that a forwarded page does not hand out the file for long.
const quoteLinkTTL = 15 * time.Minute

// signQuoteLink replaces the RFQ's stored PDF link (…/api/files/{id}, which needs the
// owner's session) with a short-lived signed download link.
func (s *Server) signQuoteLink(ctx context.Context, rfq *store.RFQ) error {
	if rfq.FinalQuotePdfURL == nil || s.files.blobs == nil {
		return nil
	}
	id, ok := files.FileIDFromURL(*rfq.FinalQuotePdfURL)
	if !ok {
		return nil
	}
	u, err := s.db.GetUpload(ctx, id)
	if err != nil {
		return err
	}
	link, err := s.files.blobs.SignedURL(ctx, u.StorageKey, files.Download{ID: u.ID, FileName: u.FileName,
		MIME: u.MimeType, TTL: quoteLinkTTL})
	if err != nil {
		return errors.Join(errFilesUnavailable, err)
	}
	rfq.FinalQuotePdfURL = &link
	return nil
}
