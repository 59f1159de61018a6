package mail_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/emails"
	"github.com/metalpro/backend/mail"
)

const (
	testFrontend   = "https://shop.example.ro"
	testBackoffice = "https://office.example.ro"
)

// MustRenderer builds the renderer the tests use.
func MustRenderer(tb testing.TB) *mail.Renderer {
	tb.Helper()
	r, err := mail.NewRenderer(testFrontend+"/", testBackoffice)
	require.NoError(tb, err)
	return r
}

// sampleData is a valid payload of every email, by template name; company and contact
// names carry markup to prove it is escaped in HTML.
func sampleData() map[string]emails.Email {
	total, bigTotal, date := 1234.56, 1234567.891, "2026-03-05"
	reason := "Clientul a comandat din altă parte."
	return map[string]emails.Email{
		emails.TemplateVerifyEmail:   emails.VerifyEmail{Name: "Ștefan Țepeș", Token: "tok+en/1"},
		emails.TemplatePasswordReset: emails.PasswordReset{Name: "Ștefan Țepeș", Token: "reset&tok"},
		emails.TemplateRFQConfirmation: emails.RFQConfirmation{
			RFQID: "rfq-1", ReferenceNumber: "RFQ-2026-00001", ContactPerson: "Ion <b>Popescu</b>",
			CompanyName: "<script>alert(1)</script> SRL", EstimatedTotal: &total,
			DeliveryDate: &date, TrackingToken: "trk",
			Items: []emails.RFQItem{
				{ProductName: "Țeavă rectangulară 40x40x3", Quantity: 12.5, Unit: "m"},
				{ProductName: "Tablă <i>zincată</i>", Quantity: 3, Unit: "buc"},
			},
		},
		emails.TemplateOperatorNewRFQ: emails.OperatorNewRFQ{
			RFQID: "rfq-1", ReferenceNumber: "RFQ-2026-00001", CompanyName: "<script>alert(1)</script> SRL",
			ContactPerson: "Ion Popescu", Email: "ion@example.ro", Phone: "+40 721 000 000",
			EstimatedTotal: &bigTotal, ItemCount: 2,
		},
		emails.TemplateQuoteReady: emails.QuoteReady{
			RFQID: "rfq-1", ReferenceNumber: "RFQ-2026-00001", ContactPerson: "Ion <b>Popescu</b>",
			FinalQuoteAmount: 9876.5, PDFURL: "https://files.example.ro/q/RFQ-2026-00001.pdf",
		},
		emails.TemplateOperatorQuoteAnswer: emails.OperatorQuoteAnswer{
			RFQID: "rfq-1", ReferenceNumber: "RFQ-2026-00001", CompanyName: "<script>alert(1)</script> SRL",
			ContactPerson: "Ion <b>Popescu</b>", Email: "ion@example.ro", Accepted: true, FinalQuoteAmount: 9876.5, Version: 2,
		},
		// The RFQ workflow (back office).
		emails.TemplateRFQStatusChanged: emails.RFQStatusChanged{
			RFQID: "rfq-1", ReferenceNumber: "RFQ-2026-00001", ContactPerson: "Ion <b>Popescu</b>",
			Status: "CANCELLED", Reason: &reason,
		},
		emails.TemplateRFQMessage: emails.RFQMessage{
			RFQID: "rfq-1", ReferenceNumber: "RFQ-2026-00001", ContactPerson: "Ion Popescu",
			Author: "Ana Pop", Text: "Putem livra în 10 zile <b>lucrătoare</b>.",
		},
		emails.TemplateOperatorRFQMessage: emails.OperatorRFQMessage{
			RFQID: "rfq-1", ReferenceNumber: "RFQ-2026-00001", CompanyName: "<script>alert(1)</script> SRL",
			ContactPerson: "Ion Popescu", Email: "ion@example.ro", Text: "Se poate tăia la 2 m?",
		},
	}
}

// sample is sampleData's payload of type T, for tests that change a field.
func sample[T emails.Email]() T { return sampleData()[(*new(T)).Template()].(T) }

func TestRenderer_Render(t *testing.T) {
	r := MustRenderer(t)
	data := sampleData()

	type want struct {
		subject string
		phrases []string // in both parts
	}
	cases := map[string]map[string]want{
		emails.TemplateVerifyEmail: {
			"ro": {"Verifică adresa de email - MetalPro", []string{"Bine ai venit la MetalPro!", "Bună, Ștefan Țepeș,", "24 de ore", testFrontend + "/verify-email?token=tok%2Ben%2F1"}},
			"en": {"Verify your email address - MetalPro", []string{"Welcome to MetalPro!", "24 hours", testFrontend + "/verify-email?token=tok%2Ben%2F1"}},
		},
		emails.TemplatePasswordReset: {
			"ro": {"Resetare Parolă - MetalPro", []string{"Am primit o solicitare de resetare a parolei", "valabil 1 oră", "Parola ta va rămâne neschimbată."}},
			"en": {"Password Reset - MetalPro", []string{"reset the password", "valid for 1 hour"}},
		},
		emails.TemplateRFQConfirmation: {
			"ro": {"Confirmare cerere de ofertă RFQ-2026-00001 - MetalPro", []string{"Cerere Ofertă Primită", "cu referința", "RFQ-2026-00001", "Total estimat: 1.234,56 RON", "Data de livrare dorită: 05.03.2026", "Țeavă rectangulară 40x40x3", "12,5 m", "3 buc", testFrontend + "/rfq/rfq-1?token=trk", testFrontend + "/account/orders", "Cu stimă,"}},
			"en": {"Request for quote RFQ-2026-00001 received - MetalPro", []string{"Quote Request Received", "Estimated total: 1,234.56 RON", "05.03.2026", "12.5 m", testFrontend + "/rfq/rfq-1?token=trk"}},
		},
		emails.TemplateOperatorNewRFQ: {
			"ro": {"[NOU] RFQ-2026-00001 de la <script>alert(1)</script> SRL", []string{"RFQ Nou Primit", "CUI: N/A", "1.234.567,89 RON", "ion@example.ro", "+40 721 000 000", testBackoffice + "/rfq/rfq-1"}},
			"en": {"[NEW] RFQ-2026-00001 from <script>alert(1)</script> SRL", []string{"New RFQ Received", "1,234,567.89 RON", testBackoffice + "/rfq/rfq-1"}},
		},
		emails.TemplateQuoteReady: {
			"ro": {"Ofertă Pregătită - RFQ-2026-00001", []string{"Oferta Ta Este Gata!", "9.876,50 RON (inclusiv TVA)", "https://files.example.ro/q/RFQ-2026-00001.pdf", "răspunzi acestui email"}},
			"en": {"Quote Ready - RFQ-2026-00001", []string{"Your Quote Is Ready!", "9,876.50 RON (VAT included)"}},
		},
		emails.TemplateOperatorQuoteAnswer: {
			"ro": {"[ACCEPTATĂ] Oferta RFQ-2026-00001 - <script>alert(1)</script> SRL", []string{"Ofertă Acceptată", "versiunea 2", "9.876,50 RON (inclusiv TVA)", "ion@example.ro", testBackoffice + "/rfq/rfq-1"}},
			"en": {"[ACCEPTED] Quote RFQ-2026-00001 - <script>alert(1)</script> SRL", []string{"Quote Accepted", "quote version 2", "9,876.50 RON (VAT included)"}},
		},
		emails.TemplateRFQStatusChanged: {
			"ro": {"Cerere anulată - RFQ-2026-00001", []string{"Cererea a fost anulată", "RFQ-2026-00001", "Motiv:", "Clientul a comandat din altă parte.", testFrontend + "/rfq/rfq-1"}},
			"en": {"Request cancelled - RFQ-2026-00001", []string{"was cancelled", "Reason:", testFrontend + "/rfq/rfq-1"}},
		},
		emails.TemplateRFQMessage: {
			"ro": {"Mesaj nou despre cererea RFQ-2026-00001 - MetalPro", []string{"Ana Pop de la MetalPro ți-a scris", "Putem livra în 10 zile", testFrontend + "/rfq/rfq-1"}},
			"en": {"New message about request RFQ-2026-00001 - MetalPro", []string{"Ana Pop from MetalPro wrote", testFrontend + "/rfq/rfq-1"}},
		},
		emails.TemplateOperatorRFQMessage: {
			"ro": {"[MESAJ] RFQ-2026-00001 de la <script>alert(1)</script> SRL", []string{"Mesaj nou de la client", "Se poate tăia la 2 m?", "ion@example.ro", testBackoffice + "/rfq/rfq-1"}},
			"en": {"[MESSAGE] RFQ-2026-00001 from <script>alert(1)</script> SRL", []string{"New Message From a Customer", testBackoffice + "/rfq/rfq-1"}},
		},
	}
	require.ElementsMatch(t, emails.Templates(), []string{
		emails.TemplateVerifyEmail, emails.TemplatePasswordReset, emails.TemplateRFQConfirmation,
		emails.TemplateOperatorNewRFQ, emails.TemplateQuoteReady, emails.TemplateOperatorQuoteAnswer,
		emails.TemplateRFQStatusChanged, emails.TemplateRFQMessage, emails.TemplateOperatorRFQMessage,
	}, "every template has a case here")

	for name, langs := range cases {
		for lang, w := range langs {
			t.Run(name+"/"+lang, func(t *testing.T) {
				out, err := r.Render(data[name], lang)
				require.NoError(t, err)
				require.Equal(t, w.subject, out.Subject)
				for _, p := range w.phrases {
					require.Contains(t, out.Text, p, "text part")
					require.Contains(t, out.HTML, htmlEscape(p), "HTML part")
				}
				for _, part := range []string{out.Text, out.HTML, out.Subject} {
					require.NotContains(t, part, "<no value>")
					require.NotContains(t, part, "ş", "cedilla s")
					require.NotContains(t, part, "ţ", "cedilla t")
				}
				require.Contains(t, out.HTML, `<html lang="`+lang+`">`)
				require.Contains(t, out.HTML, "MetalPro")
				require.NotContains(t, out.HTML, "<script>", "markup in data arrives as text")
				require.NotContains(t, out.HTML, "<b>Popescu</b>")
				require.NotContains(t, out.HTML, "<i>zincată</i>")
				require.NotContains(t, out.HTML, "ZgotmplZ", "no URL was rejected by the escaper")
			})
		}
	}

	t.Run("EscapesCompanyName", func(t *testing.T) {
		out, err := r.Render(data[emails.TemplateRFQConfirmation], "ro")
		require.NoError(t, err)
		require.Contains(t, out.HTML, "&lt;script&gt;alert(1)&lt;/script&gt; SRL")
		require.Contains(t, out.Text, "<script>alert(1)</script> SRL", "plain text is shown as is")
	})

	t.Run("NullsSayNotSpecified", func(t *testing.T) {
		d := sample[emails.RFQConfirmation]()
		d.EstimatedTotal, d.DeliveryDate, d.TrackingToken = nil, nil, ""
		out, err := r.Render(d, "ro")
		require.NoError(t, err)
		require.Contains(t, out.Text, "Total estimat: Se calculează")
		require.Contains(t, out.Text, "Data de livrare dorită: Nu a fost specificată")
		require.NotContains(t, out.Text, "/rfq/rfq-1", "no tracking link without a token")
		require.Contains(t, out.HTML, testFrontend+"/account/orders")

		op := sample[emails.OperatorNewRFQ]()
		cui := "RO12345678"
		op.CUI, op.EstimatedTotal = &cui, nil
		out, err = r.Render(op, "ro")
		require.NoError(t, err)
		require.Contains(t, out.Text, "CUI: RO12345678")
		require.Contains(t, out.Text, "Total estimat: Se calculează")
	})

	t.Run("SubjectIsOneLine", func(t *testing.T) {
		op := sample[emails.OperatorNewRFQ]()
		op.CompanyName = "ACME\r\nBcc: victim@example.com"
		out, err := r.Render(op, "ro")
		require.NoError(t, err)
		require.Equal(t, "[NOU] RFQ-2026-00001 de la ACME Bcc: victim@example.com", out.Subject)
	})

	t.Run("ErrEmptyRequiredValue", func(t *testing.T) {
		_, err := r.Render(emails.PasswordReset{Name: "Ana"}, "ro")
		require.ErrorContains(t, err, "missing data keys: token")
	})

	t.Run("EveryPayloadHasItsTemplate", func(t *testing.T) {
		// NewRenderer also refuses a payload whose JSON keys differ from its template's.
		for name, e := range sampleData() {
			require.Equal(t, name, e.Template())
		}
	})

	t.Run("Validate", func(t *testing.T) {
		for name, e := range sampleData() {
			b, err := json.Marshal(e)
			require.NoError(t, err)
			var stored map[string]any
			require.NoError(t, json.Unmarshal(b, &stored))
			require.NoError(t, mail.Validate(name, stored))
		}
		require.ErrorContains(t, mail.Validate(emails.TemplateVerifyEmail, map[string]any{"name": "x"}), "token")
		require.ErrorContains(t, mail.Validate(emails.TemplateQuoteReady, map[string]any{"finalQuoteAmount": "a lot"}), "finalQuoteAmount")
		require.ErrorIs(t, mail.Validate("newsletter", map[string]any{}), emails.ErrUnknownTemplate)
	})
}

// htmlEscape escapes the characters html/template escapes in text.
func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;", "+", "&#43;").Replace(s)
}
