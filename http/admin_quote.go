package apphttp

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/mux"

	"github.com/metalpro/backend/files"
	"github.com/metalpro/backend/quotepdf"
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

// handleQuotePDF serves the draft quote, or the last sent one, as a PDF: GET
// /api/admin/rfqs/{id}/quote.pdf. A sent version is rendered again from its stored
// figures: the same document the customer got, without reading the blob.
func (s *Server) handleQuotePDF(w http.ResponseWriter, r *http.Request) {
	doc, err := s.db.QuoteForPDF(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	b, err := quotepdf.Render(s.quoteDocument(doc))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", files.ContentDisposition(quoteFileName(doc)))
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// handleSendQuote sends the draft: POST /api/admin/rfqs/{id}/quote/send. The PDF is
// rendered and its blob stored first; then one transaction records everything else
// (store.SendQuote). If that fails, the blob is removed again.
func (s *Server) handleSendQuote(w http.ResponseWriter, r *http.Request) {
	if s.files.blobs == nil {
		s.writeError(w, r, errFilesUnavailable)
		return
	}
	id := mux.Vars(r)["id"]
	doc, err := s.db.QuoteDraft(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	pdf, err := quotepdf.Render(s.quoteDocument(doc))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	key := "quote/" + store.NewID()
	if err := s.files.blobs.Put(r.Context(), key, bytes.NewReader(pdf), int64(len(pdf)), "application/pdf"); err != nil {
		s.writeError(w, r, errors.Join(errFilesUnavailable, err))
		return
	}
	rfq, err := s.db.SendQuote(r.Context(), store.QuoteSend{
		RFQID: id, Revision: doc.Quote.Revision, FilesURL: s.cfg.APIURL,
		PDF: store.NewUpload{Kind: store.UploadAttachment, FileName: quoteFileName(doc), FileSize: int64(len(pdf)),
			MimeType: "application/pdf", StorageKey: key},
	})
	if err != nil {
		s.deleteBlob(r, key)
		s.writeError(w, r, err)
		return
	}
	writePrivateJSON(w, http.StatusOK, rfq)
}

// quoteFileName is the PDF's name: Oferta-RFQ-2026-00042-v2.pdf.
func quoteFileName(doc *store.QuoteDocument) string {
	return "Oferta-" + doc.RFQ.ReferenceNumber + "-v" + strconv.Itoa(doc.Quote.Version) + ".pdf"
}

// quoteDocument is what the PDF shows of an RFQ and its quote version.
func (s *Server) quoteDocument(doc *store.QuoteDocument) quotepdf.Document {
	rfq, q := doc.RFQ, doc.Quote
	seller := s.cfg.Company
	if seller == (quotepdf.Company{}) {
		seller = quotepdf.DefaultCompany
	}
	d := quotepdf.Document{
		Seller: seller,
		Customer: quotepdf.Customer{Company: rfq.CompanyName, CUI: rfqString(rfq.CUI), Contact: rfq.ContactPerson,
			Email: rfq.Email, Phone: rfq.Phone, Address: rfq.BillingAddress.OneLine()},
		Reference: rfq.ReferenceNumber, Version: q.Version, ValidUntil: q.ValidUntil,
		VATRateBP: q.Totals.VATRateBP, NetBani: q.Totals.Net, VATBani: q.Totals.VAT, GrossBani: q.Totals.Gross,
		Date: q.UpdatedAt,
	}
	if q.SentAt != nil {
		d.Date = *q.SentAt
	}
	if q.Notes != nil {
		d.Notes = *q.Notes
	}
	for _, it := range rfq.Items {
		d.Lines = append(d.Lines, quotepdf.Line{Name: it.ProductName, SKU: it.ProductSKU, Quantity: it.Quantity,
			Unit: it.Unit, UnitPriceBani: q.Totals.ItemPrice[it.ID], LineTotalBani: q.Totals.ItemLine[it.ID]})
	}
	for i, e := range q.ExtraLines {
		d.Extras = append(d.Extras, quotepdf.Extra{Description: e.Description, AmountBani: q.Totals.Extras[i]})
	}
	return d
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
