package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/metalpro/backend/files"
	"github.com/metalpro/backend/internal/pdftext"
	"github.com/metalpro/backend/store"
)

// The quote editor as an operator uses it: price the items, add transport, save, preview,
// send. Operators quote (the page is not admin-only).

const (
	pipeSKU  = "TR-40x40x3"
	sheetSKU = "TN-2x1000x2000"
)

// pricedForm is the example: 12 m × 11,50 + 2 buc. × 200 + 150 transport.
func pricedForm(t *testing.T, rfq *store.RFQ) url.Values {
	return quoteFields(t, rfq, map[string]string{pipeSKU: "11,50", sheetSKU: "200"}, [2]string{"Transport Cluj-Napoca", "150,00"})
}

// saveDraft opens the editor and saves form, which must succeed.
func saveDraft(t *testing.T, b *browser, rfqID string, form url.Values) {
	t.Helper()
	b.Get("/admin/rfq/" + rfqID + "/quote")
	b.Submit("/admin/rfq/"+rfqID+"/quote", form)
	if b.Status != http.StatusOK || b.At != "/admin/rfq/"+rfqID+"/quote" {
		t.Fatalf("save the draft: %d at %s\n%s", b.Status, b.At, b.Text())
	}
}

func TestQuoteEditor_PricesAndSavesADraft(t *testing.T) {
	e := newQuoteEnv(t)
	rfq := e.acknowledgedRFQ(t, "g-quote-editor")
	pipe, sheet := itemBySKU(t, rfq, pipeSKU), itemBySKU(t, rfq, sheetSKU)
	b := e.signIn(t, e.Operator)

	b.Get("/admin/rfq/" + rfq.ID + "/quote")
	if b.Status != http.StatusOK {
		t.Fatalf("editor: %d\n%s", b.Status, b.Text())
	}
	b.Sees(rfq.ReferenceNumber, "Construcții Oțel SRL", "Ana Popescu", "Preluată",
		"Țeavă rectangulară 40x40x3 mm S235JR", pipeSKU, "12 m", "2 buc.", "Salvează ciorna ca să poți vedea PDF-ul.")
	b.DoesNotSee("pcs")
	for _, el := range []string{`id="quote-form"`, `data-item="` + pipe.ID + `"`, `id="extra-description-0"`,
		`id="extra-amount-0"`, `id="extra-amount-2"`, `id="vat-rate"`, `id="valid-until"`, `id="quote-notes"`,
		`id="quote-save"`, `id="total-net"`, `id="total-vat"`, `id="total-gross"`, `href="/admin/rfq/` + rfq.ID + `"`} {
		if !strings.Contains(b.Page, el) {
			t.Errorf("the editor lacks %s", el)
		}
	}
	if strings.Contains(b.Page, `id="quote-send"`) || strings.Contains(b.Page, `id="quote-preview"`) {
		t.Error("nothing to send or preview before a draft is saved")
	}
	estimate := int64(math.Round(*pipe.UnitPrice * 100))
	if got, want := b.inputValue("price."+pipe.ID), fmt.Sprintf("%d,%02d", estimate/100, estimate%100); got != want {
		t.Errorf("the pipe's price starts at the catalog's estimate %q, got %q", want, got)
	}
	if got := b.inputValue("vatRate"); got != "21" {
		t.Errorf("VAT rate %q, want the configured 21", got)
	}
	if got := b.inputValue("validUntil"); got != inDays(30) {
		t.Errorf("valid until %q, want 30 days on (%s)", got, inDays(30))
	}

	b.Submit("/admin/rfq/"+rfq.ID+"/quote", pricedForm(t, rfq))
	if b.Status != http.StatusOK || b.At != "/admin/rfq/"+rfq.ID+"/quote" {
		t.Fatalf("save: %d at %s\n%s", b.Status, b.At, b.Text())
	}
	// 138,00 + 400,00 + 150,00 = 688,00; VAT per line 28,98 + 84,00 + 31,50 = 144,48.
	b.Sees("Ciorna ofertei a fost salvată.", "138,00 RON", "400,00 RON", "688,00 RON", "144,48 RON", "832,48 RON", "În lucru")
	if !strings.Contains(b.Page, `name="extraDescription" value="Transport Cluj-Napoca"`) {
		t.Error("the saved extra line is not in the form")
	}
	if got := b.inputValue("price." + sheet.ID); got != "200,00" {
		t.Errorf("the saved sheet price shows as %q", got)
	}
	for _, el := range []string{`id="quote-preview"`, `href="/admin/rfq/` + rfq.ID + `/quote.pdf"`, `target="_blank"`,
		`id="quote-send"`, `id="quote-send-button"`} {
		if !strings.Contains(b.Page, el) {
			t.Errorf("after saving, the editor lacks %s", el)
		}
	}
	d := e.draftOf(t, rfq.ID)
	if d == nil || d.Net != 688 || d.VAT != 144.48 || d.Gross != 832.48 || len(d.ExtraLines) != 1 {
		t.Fatalf("saved draft %+v", d)
	}
}

func TestQuoteTotals_ComputesWithoutSaving(t *testing.T) {
	e := newQuoteEnv(t)
	rfq := e.acknowledgedRFQ(t, "g-quote-totals")
	pipe := itemBySKU(t, rfq, pipeSKU)
	b := e.signIn(t, e.Operator)
	saveDraft(t, b, rfq.ID, pricedForm(t, rfq))
	before := e.draftOf(t, rfq.ID)

	form := quoteFields(t, rfq, map[string]string{pipeSKU: "12", sheetSKU: "200"}, [2]string{"Transport", "1.000,50"})
	b.Submit("/admin/rfq/"+rfq.ID+"/quote/totals", form)
	if b.Status != http.StatusOK {
		t.Fatalf("totals: %d %s", b.Status, b.Page)
	}
	var totals struct {
		Net, VAT, Gross string
		Lines           map[string]string
	}
	if err := json.Unmarshal([]byte(b.Page), &totals); err != nil {
		t.Fatalf("totals: %v\n%s", err, b.Page)
	}
	// 144,00 + 400,00 + 1.000,50 = 1.544,50; VAT 30,24 + 84,00 + 210,11 = 324,35.
	if totals.Net != "1.544,50 RON" || totals.VAT != "324,35 RON" || totals.Gross != "1.868,85 RON" || totals.Lines[pipe.ID] != "144,00 RON" {
		t.Errorf("totals %+v", totals)
	}
	if after := e.draftOf(t, rfq.ID); after.Revision != before.Revision || after.Net != before.Net {
		t.Errorf("computing the totals saved the draft: revision %d → %d, net %v → %v", before.Revision, after.Revision, before.Net, after.Net)
	}

	// Bad input: per-field messages, named like the form's fields.
	b.Get("/admin/rfq/" + rfq.ID + "/quote")
	form.Set("price."+pipe.ID, "abc")
	form.Set("vatRate", "150")
	b.Submit("/admin/rfq/"+rfq.ID+"/quote/totals", form)
	var bad struct {
		Error, Code string
		Details     []struct{ Field, Message string }
	}
	if err := json.Unmarshal([]byte(b.Page), &bad); err != nil || b.Status != http.StatusBadRequest || bad.Code != "invalid" {
		t.Fatalf("bad totals: %d %v %s", b.Status, err, b.Page)
	}
	msgs := map[string]string{}
	for _, d := range bad.Details {
		msgs[d.Field] = d.Message
	}
	if msgs["price."+pipe.ID] != "Scrie un număr, de exemplu 11,50." || !strings.Contains(msgs["vatRate"], "Cota TVA") {
		t.Errorf("messages %v", msgs)
	}
}

func TestQuotePreview_IsThePDF(t *testing.T) {
	e := newQuoteEnv(t)
	rfq := e.acknowledgedRFQ(t, "g-quote-pdf")
	b := e.signIn(t, e.Operator)

	b.Get("/admin/rfq/" + rfq.ID + "/quote.pdf")
	if b.Status != http.StatusNotFound {
		t.Errorf("no quote yet: %d, want 404", b.Status)
	}
	saveDraft(t, b, rfq.ID, pricedForm(t, rfq))
	b.Get("/admin/rfq/" + rfq.ID + "/quote.pdf")
	if b.Status != http.StatusOK || b.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(b.Page, "%PDF-") {
		t.Fatalf("preview: %d %s %.20q", b.Status, b.Header.Get("Content-Type"), b.Page)
	}
	if got, want := b.Header.Get("Content-Disposition"), `inline; filename=Oferta-`+rfq.ReferenceNumber+`-v1.pdf`; got != want {
		t.Errorf("Content-Disposition %q, want %q", got, want)
	}
	if cc := b.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("Cache-Control %q", cc)
	}
	if csp := b.Header.Get("Content-Security-Policy"); strings.Contains(csp, "default-src 'none'") {
		t.Errorf("the PDF carries the pages' policy %q", csp)
	}
	text, err := pdftext.Text([]byte(b.Page))
	if err != nil {
		t.Fatalf("the preview does not parse: %v", err)
	}
	for _, want := range []string{rfq.ReferenceNumber, "Transport Cluj-Napoca", "688,00 RON", "832,48 RON", "Construcții Oțel SRL"} {
		if !strings.Contains(text, want) {
			t.Errorf("the preview lacks %q:\n%s", want, text)
		}
	}
}

func TestQuoteSend_QuotesTheRFQ(t *testing.T) {
	e := newQuoteEnv(t)
	rfq := e.acknowledgedRFQ(t, "g-quote-send")
	b := e.signIn(t, e.Operator)
	saveDraft(t, b, rfq.ID, pricedForm(t, rfq))

	b.Submit("/admin/rfq/"+rfq.ID+"/quote/send", url.Values{"revision": {b.inputValue("revision")}})
	if b.Status != http.StatusOK || b.At != "/admin/rfq/"+rfq.ID {
		t.Fatalf("after sending: %d at %s, want the RFQ's page\n%s", b.Status, b.At, b.Text())
	}
	if !strings.Contains(b.Page, `id="flash"`) || !strings.Contains(b.Page, `data-status="QUOTED"`) {
		t.Error("the RFQ's page does not show the one-time message and the QUOTED status")
	}
	b.Sees("Oferta a fost trimisă clientului.")

	ctx := context.Background()
	d, err := e.DB.AdminRFQDetail(ctx, rfq.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != store.RFQQuoted || d.FinalQuoteAmount == nil || *d.FinalQuoteAmount != 832.48 {
		t.Fatalf("after sending: %s %v", d.Status, d.FinalQuoteAmount)
	}
	var mail *outboxRow
	for _, m := range e.outbox(t) {
		if m.Template == "quote_ready" {
			mail = &m
		}
	}
	if mail == nil || mail.To != "ana@example.ro" {
		t.Fatalf("quote_ready not queued to the customer: %+v", mail)
	}
	link, _ := mail.Data["pdfUrl"].(string)
	if !strings.HasPrefix(link, quoteFilesURL+"/api/files/") {
		t.Fatalf("the email's PDF link %q", link)
	}
	att, err := files.AttachmentLoader{Blobs: e.Blobs, Uploads: e.DB}.LoadAttachment(ctx, link)
	if err != nil {
		t.Fatalf("the email's attachment: %v", err)
	}
	if att.ContentType != "application/pdf" || att.Filename != "Oferta-"+rfq.ReferenceNumber+"-v1.pdf" || !strings.HasPrefix(string(att.Content), "%PDF-") {
		t.Errorf("attachment %s %s", att.ContentType, att.Filename)
	}
	if n := e.blobCount(t); n != 1 {
		t.Errorf("%d blobs kept, want the one PDF", n)
	}

	// The same form again: the draft is gone (it was sent), nothing happens twice.
	b.Get("/admin/rfq/" + rfq.ID + "/quote")
	b.Sees("Ofertată", "Oferta v1 a fost trimisă")
	b.Submit("/admin/rfq/"+rfq.ID+"/quote/send", url.Values{"revision": {"1"}})
	if b.Status != http.StatusConflict {
		t.Errorf("sending again: %d, want 409", b.Status)
	}
	b.Sees("Cererea nu are o ofertă în lucru.")
	if n := e.blobCount(t); n != 1 {
		t.Errorf("%d blobs after a refused send", n)
	}

	// A re-quote starts from what the customer has and becomes version 2.
	b.Get("/admin/rfq/" + rfq.ID + "/quote")
	if got := b.inputValue("price." + itemBySKU(t, rfq, pipeSKU).ID); got != "11,50" {
		t.Errorf("the re-quote starts at %q, not the sent price", got)
	}
	saveDraft(t, b, rfq.ID, pricedForm(t, rfq))
	b.Sees("Ciornă v2", "În lucru")
}
