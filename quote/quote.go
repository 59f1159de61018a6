// Package quote is the quote workflow the REST API and the back office share: the PDF of
// an RFQ's quote version and sending the draft to the customer. The arithmetic and the
// rules live in store (quote.go, quote_send.go), the drawing in quotepdf; this package
// joins them with the file store, so both front doors do exactly the same thing.
package quote

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strconv"

	"github.com/metalpro/backend/files"
	"github.com/metalpro/backend/quotepdf"
	"github.com/metalpro/backend/store"
)

// Service renders and sends quotes.
type Service struct {
	DB *store.DB
	// Blobs keeps the sent PDFs; nil: sending answers files.ErrUnavailable.
	Blobs files.Blobs
	// Seller is MetalPro's data on the PDF; zero: quotepdf.DefaultCompany.
	Seller quotepdf.Company
	// FilesURL is the API's public base (API_URL): the customer's link to the sent PDF.
	FilesURL string
	Logger   *slog.Logger
}

// PDF is a rendered quote version.
type PDF struct {
	Bytes    []byte
	FileName string
	Quote    *store.Quote
}

// Preview renders the RFQ's draft quote, or its last sent one when there is no draft. A
// sent version is rendered again from its stored figures: the same document the customer
// got, without reading the blob.
func (s *Service) Preview(ctx context.Context, rfqID string) (*PDF, error) {
	doc, err := s.DB.QuoteForPDF(ctx, rfqID)
	if err != nil {
		return nil, err
	}
	return s.render(doc)
}

func (s *Service) render(doc *store.QuoteDocument) (*PDF, error) {
	b, err := quotepdf.Render(Document(doc, s.Seller))
	if err != nil {
		return nil, err
	}
	return &PDF{Bytes: b, FileName: FileName(doc), Quote: doc.Quote}, nil
}

// Send sends the RFQ's draft: the PDF is rendered and its blob stored first, then one
// transaction records everything else (store.SendQuote); if that fails the blob is removed
// again. expectedRevision, when not 0, is the draft revision the sender looked at: a draft
// saved since is refused (409) rather than sent unseen.
func (s *Service) Send(ctx context.Context, rfqID string, expectedRevision int) (*store.RFQ, error) {
	if s.Blobs == nil {
		return nil, files.ErrUnavailable
	}
	doc, err := s.DB.QuoteDraft(ctx, rfqID)
	if err != nil {
		return nil, err
	}
	if expectedRevision != 0 && doc.Quote.Revision != expectedRevision {
		return nil, store.ErrQuoteDraftChanged
	}
	pdf, err := s.render(doc)
	if err != nil {
		return nil, err
	}
	key := "quote/" + store.NewID()
	if err := s.Blobs.Put(ctx, key, bytes.NewReader(pdf.Bytes), int64(len(pdf.Bytes)), "application/pdf"); err != nil {
		return nil, errors.Join(files.ErrUnavailable, err)
	}
	rfq, err := s.DB.SendQuote(ctx, store.QuoteSend{
		RFQID: rfqID, Revision: doc.Quote.Revision, FilesURL: s.FilesURL,
		PDF: store.NewUpload{Kind: store.UploadAttachment, FileName: pdf.FileName, FileSize: int64(len(pdf.Bytes)),
			MimeType: "application/pdf", StorageKey: key},
	})
	if err != nil {
		s.deleteBlob(ctx, key)
		return nil, err
	}
	return rfq, nil
}

// deleteBlob removes a blob no row refers to; even when the request was cancelled.
func (s *Service) deleteBlob(ctx context.Context, key string) {
	if err := s.Blobs.Delete(context.WithoutCancel(ctx), key); err != nil && s.Logger != nil {
		s.Logger.Error("quote: could not delete the PDF of a failed send; it stays unreferenced", "key", key, "err", err)
	}
}

// FileName is the PDF's name: Oferta-RFQ-2026-00042-v2.pdf.
func FileName(doc *store.QuoteDocument) string {
	return "Oferta-" + doc.RFQ.ReferenceNumber + "-v" + strconv.Itoa(doc.Quote.Version) + ".pdf"
}

// Document is what the PDF shows of an RFQ and one version of its quote.
func Document(doc *store.QuoteDocument, seller quotepdf.Company) quotepdf.Document {
	rfq, q := doc.RFQ, doc.Quote
	if seller == (quotepdf.Company{}) {
		seller = quotepdf.DefaultCompany
	}
	d := quotepdf.Document{
		Seller: seller,
		Customer: quotepdf.Customer{Company: rfq.CompanyName, CUI: text(rfq.CUI), Contact: rfq.ContactPerson,
			Email: rfq.Email, Phone: rfq.Phone, Address: rfq.BillingAddress.OneLine()},
		Reference: rfq.ReferenceNumber, Version: q.Version, ValidUntil: q.ValidUntil,
		VATRateBP: q.Totals.VATRateBP, NetBani: q.Totals.Net, VATBani: q.Totals.VAT, GrossBani: q.Totals.Gross,
		Date: q.UpdatedAt, Notes: text(q.Notes),
	}
	if q.SentAt != nil {
		d.Date = *q.SentAt
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

func text(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
