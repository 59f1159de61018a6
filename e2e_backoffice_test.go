package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// TestBackOffice_Browser is the back office as the sales team uses it, in a real headless
// Chromium against the whole program: a customer's RFQ arrives through the API; an admin
// signs in at /admin, finds it in the queue, acknowledges it, quotes it with a transport
// line, previews the PDF and sends it. Then the customer's email carries the PDF, the
// customer's API says QUOTED, and the audit log tells who did what. Every page is checked
// for console errors, which is where a script the strict CSP broke shows up.
func TestBackOffice_Browser(t *testing.T) {
	t.Parallel()
	chromiumPath(t) // skips (outside CI) before the server boots
	srv := startServer(t, map[string]string{"OPERATOR_EMAIL": "vanzari@metalpro.test"})

	staff := createAdmin(t, srv.DataDir)
	cust := newCustomer(t, srv.URL)
	rfq := cust.submitRFQ("Construcții Ardeal SRL", "Ioan Mureșan", "ioan@ardeal.example")
	// Two more customers, so the queue is a queue (three new guests: the per-address limit).
	newCustomer(t, srv.URL).submitRFQ("Hală Metalică Banat SRL", "Elena Țurcanu", "elena@banat.example")
	newCustomer(t, srv.URL).submitRFQ("Fier Forjat Moldova SRL", "Ștefan Popa", "stefan@moldova.example")

	c := startChromium(t, srv.URL)

	// Sign in; the queue is where the day starts, oldest first, and the new RFQ is in it.
	c.navigate("/admin/signin", "#signin-form")
	c.screenshot("signin")
	c.noConsoleErrors("sign-in")
	c.fill("#email", staff.Email)
	c.fill("#password", adminPassword)
	c.submit(`#signin-form button[type="submit"]`, fmt.Sprintf(`tr[data-rfq=%q]`, rfq.ReferenceNumber))
	c.screenshot("queue")
	c.noConsoleErrors("queue")

	// The RFQ page: acknowledge it.
	c.submit(fmt.Sprintf(`tr[data-rfq=%q] a`, rfq.ReferenceNumber), `#rfq-status[data-status="SUBMITTED"]`)
	c.screenshot("rfq")
	c.noConsoleErrors("RFQ page")
	c.submit(`form.transition[data-to="ACKNOWLEDGED"] button`, `#rfq-status[data-status="ACKNOWLEDGED"]`)
	c.noConsoleErrors("RFQ page, acknowledged")

	// The quote editor: a final price per unit on each line (2 units each), a transport
	// line, VAT 21 %. Saving the draft starts work on the RFQ (ACKNOWLEDGED → IN_PROGRESS),
	// so no separate step.
	c.submit(`a#quote-link`, `form#quote-form`)
	unitPrices := []string{"500", "1250,00"} // a decimal comma, as people type it here
	for i, item := range rfq.Items {
		c.fill(fmt.Sprintf(`tr[data-item=%q] input[name=%q]`, item.ID, "price."+item.ID), unitPrices[i])
	}
	// A line half filled in: the live totals say what is missing beside the field (the
	// server's 400, which the console watch allows: see liveTotalsRefusal).
	amountError := `#extra-amount-0 ~ [data-error-for="extraAmount"]`
	c.fill("#extra-description-0", "Transport")
	c.waitText(amountError, "Scrie suma liniei.")
	c.fill("#extra-amount-0", "150")
	c.fill("#vat-rate", "21")
	c.fill("#quote-notes", "Livrare în 5 zile lucrătoare de la confirmare.")
	c.submit("button#quote-save", "form#quote-form")
	// 2 × 500 + 2 × 1250 + 150 = 3650 net, 21 % VAT 766,50, 4416,50 gross: computed by the server.
	c.waitText("#total-net", "3.650,00 RON")
	c.waitText("#total-vat", "766,50 RON")
	c.waitText("#total-gross", "4.416,50 RON")
	c.waitText(amountError, "")
	c.screenshot("quote")
	c.noConsoleErrors("quote editor")

	// The PDF preview, as the link opens it, with the browser's session.
	if target := c.attr("a#quote-preview", "target"); target != "_blank" {
		t.Errorf("the PDF preview opens in %q, want a new tab (_blank)", target)
	}
	href := c.attr("a#quote-preview", "href")
	pdf := c.fetch(href)
	if pdf.Status != http.StatusOK || !strings.HasPrefix(pdf.ContentType, "application/pdf") || !strings.HasPrefix(pdf.Head, "%PDF-") {
		t.Fatalf("the PDF preview %s: %d %q starting %q (%d bytes), want 200 application/pdf starting %%PDF-",
			href, pdf.Status, pdf.ContentType, pdf.Head, pdf.Size)
	}

	// Send: back on the RFQ page, QUOTED, with the one-time message.
	c.submit("button#quote-send-button", `#rfq-status[data-status="QUOTED"]`)
	if c.text("#flash") == "" {
		t.Error("no message after sending the quote (#flash is empty)")
	}
	c.noConsoleErrors("RFQ page, quoted")

	// Outside the browser: the customer's email and their own view of the RFQ.
	checkQuoteEmail(t, srv.DataDir, rfq)
	if got := cust.rfq(rfq.ID); got.Status != store.RFQQuoted || got.FinalQuoteAmount == nil || *got.FinalQuoteAmount != 4416.5 {
		t.Errorf("the customer's GET /api/rfq/%s: status %s, finalQuoteAmount %v; want QUOTED, 4416.5", rfq.ID, got.Status, got.FinalQuoteAmount)
	}

	// The audit log says who acknowledged, drafted and sent, for this RFQ.
	c.navigate("/admin/audit?entity=rfq&entityId="+url.QueryEscape(rfq.ID), "table#audit")
	for _, action := range []string{"rfq.status", "quote.draft", "quote.send"} {
		c.do("see "+action+" in the audit log", chromedp.WaitVisible(chromedp.CSS(
			fmt.Sprintf(`table#audit tr[data-action=%q][data-entity-id=%q]`, action, rfq.ID))))
	}
	c.screenshot("audit")
	c.noConsoleErrors("audit log")

	// The catalog, for its screenshot and its console.
	c.navigate("/admin/catalog?q="+url.QueryEscape("teava 40x40"), "main")
	c.screenshot("catalog")
	c.noConsoleErrors("catalog")

	// English, by the person's choice, and back to Romanian.
	c.submit(`form[action="/admin/lang"] button`, `html[lang="en"]`)
	c.noConsoleErrors("catalog in English")
	c.submit(`form[action="/admin/lang"] button`, `html[lang="ro"]`)

	// The console watch itself: a script the CSP refuses must be reported, or the checks
	// above proved nothing.
	c.do("inject an inline script", chromedp.Evaluate[chromedp.Void](
		`document.body.appendChild(Object.assign(document.createElement("script"), {textContent: "1"}))`))
	if p := c.problems(); len(p) == 0 || !strings.Contains(strings.Join(p, "\n"), "Content Security Policy") {
		t.Errorf("an inline script the CSP refused was not reported as a console error: %q", p)
	}
}

// adminPassword is the browser test's staff password.
const adminPassword = "parola-echipei-2026"

// createAdmin creates an ADMIN account in the running server's database, as `metalpro
// user create` does (the same store call), beside the server.
func createAdmin(t *testing.T, dataDir string) *store.User {
	t.Helper()
	wait, err := time.ParseDuration(patientWriteWait)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), filepath.Join(dataDir, "metalpro.db"), store.Schema,
		store.Options{WriteWait: wait, PasswordCost: passwordCost})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return storetest.MustCreateStaff(t, db, "ana@metalpro.ro", "Ana Popescu", store.RoleAdmin, adminPassword)
}

// customer is a guest on the storefront: a cookie jar and the API.
type customer struct {
	t      *testing.T
	base   string
	client *http.Client
}

func newCustomer(t *testing.T, base string) *customer {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &customer{t: t, base: base, client: &http.Client{Jar: jar}}
}

// call sends a JSON request and decodes a JSON answer of the wanted status into out.
func (cu *customer) call(method, path string, body any, want int, out any) {
	cu.t.Helper()
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			cu.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, cu.base+path, rd)
	if err != nil {
		cu.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := cu.client.Do(req)
	if err != nil {
		cu.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		cu.t.Fatalf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, want, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			cu.t.Fatalf("%s %s: %v in %s", method, path, err, raw)
		}
	}
}

// customerRFQ is what the customer's API says of their RFQ.
type customerRFQ struct {
	ID               string   `json:"id"`
	ReferenceNumber  string   `json:"referenceNumber"`
	Email            string   `json:"email"`
	Status           string   `json:"status"`
	FinalQuoteAmount *float64 `json:"finalQuoteAmount"`
	Items            []struct {
		ID string `json:"id"`
	} `json:"items"`
}

// submitRFQ puts two seeded products in the cart and sends the RFQ for the company.
func (cu *customer) submitRFQ(company, person, email string) customerRFQ {
	cu.t.Helper()
	for _, q := range []string{"IPE 200", "teava 40x40"} {
		var list struct {
			Products []struct {
				ID       string `json:"id"`
				BaseUnit string `json:"baseUnit"`
			} `json:"products"`
		}
		cu.call(http.MethodGet, "/api/products?limit=1&q="+url.QueryEscape(q), nil, http.StatusOK, &list)
		if len(list.Products) == 0 {
			cu.t.Fatalf("the seeded catalog has no %q", q)
		}
		p := list.Products[0]
		cu.call(http.MethodPost, "/api/cart/items", map[string]any{"productId": p.ID, "quantity": 2, "unit": p.BaseUnit},
			http.StatusCreated, nil)
	}
	addr := func(street string) map[string]any {
		return map[string]any{"street": street, "city": "Cluj-Napoca", "county": "Cluj", "postalCode": "400001", "country": "RO"}
	}
	var rfq customerRFQ
	cu.call(http.MethodPost, "/api/rfq", map[string]any{
		"companyName": company, "contactPerson": person, "email": email,
		"phone": "0722123456", "billingAddress": addr("Str. Fabricii 12"), "deliveryAddress": addr("Str. Depozitului 3"),
		"notes": "Vă rog livrare pe șantier.",
	}, http.StatusCreated, &rfq)
	if len(rfq.Items) != 2 {
		cu.t.Fatalf("the RFQ has %d items, want the cart's 2", len(rfq.Items))
	}
	return rfq
}

// rfq is GET /api/rfq/{id} with the guest's session.
func (cu *customer) rfq(id string) customerRFQ {
	cu.t.Helper()
	var r customerRFQ
	cu.call(http.MethodGet, "/api/rfq/"+url.PathEscape(id), nil, http.StatusOK, &r)
	return r
}

// checkQuoteEmail waits for the quote-ready email to the customer (the local sender's
// .eml files) and checks it carries the PDF.
func checkQuoteEmail(t *testing.T, dataDir string, rfq customerRFQ) {
	t.Helper()
	wantSubject := "Ofertă Pregătită - " + rfq.ReferenceNumber
	var msg *mail.Message
	waitUntil(t, "the customer's quote-ready email", func() bool {
		for _, f := range emailFiles(t, dataDir) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			m, err := mail.ReadMessage(bytes.NewReader(raw))
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
			if subject == wantSubject && strings.Contains(m.Header.Get("To"), rfq.Email) {
				msg = m
				return true
			}
		}
		return false
	})
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mediaType, "multipart/") {
		t.Fatalf("the quote email is %q (%v), want a multipart email with the PDF attached", mediaType, err)
	}
	parts := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := parts.NextPart()
		if err == io.EOF {
			t.Fatal("the quote email has no PDF attached")
		}
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(p.Header.Get("Content-Type"), "application/pdf") {
			continue
		}
		pdf, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, p))
		if err != nil {
			t.Fatalf("the attached PDF: %v", err)
		}
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatalf("the attachment is no PDF: starts %q", pdf[:min(len(pdf), 8)])
		}
		if want := "Oferta-" + rfq.ReferenceNumber + ".pdf"; p.FileName() != want {
			t.Errorf("the attachment is named %q, want %q", p.FileName(), want)
		}
		return
	}
}
