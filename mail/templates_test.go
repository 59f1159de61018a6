package mail_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

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

// sampleData is valid Data for every template; company and contact names carry markup to
// prove it is escaped in HTML.
func sampleData() map[string]map[string]any {
	return map[string]map[string]any{
		mail.TemplateVerifyEmail:   {"name": "Ștefan Țepeș", "token": "tok+en/1"},
		mail.TemplatePasswordReset: {"name": "Ștefan Țepeș", "token": "reset&tok"},
		mail.TemplateRFQConfirmation: {
			"rfqId": "rfq-1", "referenceNumber": "RFQ-2026-00001", "contactPerson": "Ion <b>Popescu</b>",
			"companyName": "<script>alert(1)</script> SRL", "estimatedTotal": 1234.56,
			"deliveryDate": "2026-03-05", "trackingToken": "trk",
			"items": []map[string]any{
				{"productName": "Țeavă rectangulară 40x40x3", "quantity": 12.5, "unit": "m"},
				{"productName": "Tablă <i>zincată</i>", "quantity": 3, "unit": "buc"},
			},
		},
		mail.TemplateOperatorNewRFQ: {
			"rfqId": "rfq-1", "referenceNumber": "RFQ-2026-00001", "companyName": "<script>alert(1)</script> SRL",
			"cui": nil, "contactPerson": "Ion Popescu", "email": "ion@example.ro", "phone": "+40 721 000 000",
			"estimatedTotal": 1234567.891, "itemCount": 2,
		},
		mail.TemplateQuoteReady: {
			"rfqId": "rfq-1", "referenceNumber": "RFQ-2026-00001", "contactPerson": "Ion <b>Popescu</b>",
			"finalQuoteAmount": 9876.5, "pdfUrl": "https://files.example.ro/q/RFQ-2026-00001.pdf",
		},
	}
}

func TestRenderer_Render(t *testing.T) {
	r := MustRenderer(t)
	data := sampleData()

	type want struct {
		subject string
		phrases []string // in both parts
	}
	cases := map[string]map[string]want{
		mail.TemplateVerifyEmail: {
			"ro": {"Verifică adresa de email - MetalPro", []string{"Bine ai venit la MetalPro!", "Bună, Ștefan Țepeș,", "24 de ore", testFrontend + "/verify-email?token=tok%2Ben%2F1"}},
			"en": {"Verify your email address - MetalPro", []string{"Welcome to MetalPro!", "24 hours", testFrontend + "/verify-email?token=tok%2Ben%2F1"}},
		},
		mail.TemplatePasswordReset: {
			"ro": {"Resetare Parolă - MetalPro", []string{"Am primit o solicitare de resetare a parolei", "valabil 1 oră", "Parola ta va rămâne neschimbată."}},
			"en": {"Password Reset - MetalPro", []string{"reset the password", "valid for 1 hour"}},
		},
		mail.TemplateRFQConfirmation: {
			"ro": {"Confirmare RFQ RFQ-2026-00001 - MetalPro", []string{"Cerere Ofertă Primită", "cu referința", "RFQ-2026-00001", "Total estimat: 1.234,56 RON", "Data de livrare dorită: 05.03.2026", "Țeavă rectangulară 40x40x3", "12,5 m", "3 buc", testFrontend + "/rfq/rfq-1?token=trk", testFrontend + "/account/orders", "Cu stimă,"}},
			"en": {"RFQ Confirmation RFQ-2026-00001 - MetalPro", []string{"Quote Request Received", "Estimated total: 1,234.56 RON", "05.03.2026", "12.5 m", testFrontend + "/rfq/rfq-1?token=trk"}},
		},
		mail.TemplateOperatorNewRFQ: {
			"ro": {"[NOU] RFQ RFQ-2026-00001 de la <script>alert(1)</script> SRL", []string{"RFQ Nou Primit", "CUI: N/A", "1.234.567,89 RON", "ion@example.ro", "+40 721 000 000", testBackoffice + "/rfq/rfq-1"}},
			"en": {"[NEW] RFQ RFQ-2026-00001 from <script>alert(1)</script> SRL", []string{"New RFQ Received", "1,234,567.89 RON", testBackoffice + "/rfq/rfq-1"}},
		},
		mail.TemplateQuoteReady: {
			"ro": {"Ofertă Pregătită - RFQ-2026-00001", []string{"Oferta Ta Este Gata!", "9.876,50 RON (inclusiv TVA)", "https://files.example.ro/q/RFQ-2026-00001.pdf", "răspunzi acestui email"}},
			"en": {"Quote Ready - RFQ-2026-00001", []string{"Your Quote Is Ready!", "9,876.50 RON (VAT included)"}},
		},
	}
	require.ElementsMatch(t, mail.Templates(), []string{
		mail.TemplateVerifyEmail, mail.TemplatePasswordReset, mail.TemplateRFQConfirmation,
		mail.TemplateOperatorNewRFQ, mail.TemplateQuoteReady,
	}, "every template has a case here")

	for name, langs := range cases {
		for lang, w := range langs {
			t.Run(name+"/"+lang, func(t *testing.T) {
				out, err := r.Render(name, lang, data[name])
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
		out, err := r.Render(mail.TemplateRFQConfirmation, "ro", data[mail.TemplateRFQConfirmation])
		require.NoError(t, err)
		require.Contains(t, out.HTML, "&lt;script&gt;alert(1)&lt;/script&gt; SRL")
		require.Contains(t, out.Text, "<script>alert(1)</script> SRL", "plain text is shown as is")
	})

	t.Run("NullsSayNotSpecified", func(t *testing.T) {
		d := sampleData()[mail.TemplateRFQConfirmation]
		d["estimatedTotal"], d["deliveryDate"], d["trackingToken"] = nil, nil, nil
		out, err := r.Render(mail.TemplateRFQConfirmation, "ro", d)
		require.NoError(t, err)
		require.Contains(t, out.Text, "Total estimat: Se calculează")
		require.Contains(t, out.Text, "Data de livrare dorită: Nu a fost specificată")
		require.NotContains(t, out.Text, "/rfq/rfq-1", "no tracking link without a token")
		require.Contains(t, out.HTML, testFrontend+"/account/orders")

		op := sampleData()[mail.TemplateOperatorNewRFQ]
		op["cui"], op["estimatedTotal"] = "RO12345678", nil
		out, err = r.Render(mail.TemplateOperatorNewRFQ, "ro", op)
		require.NoError(t, err)
		require.Contains(t, out.Text, "CUI: RO12345678")
		require.Contains(t, out.Text, "Total estimat: Se calculează")
	})

	t.Run("SubjectIsOneLine", func(t *testing.T) {
		op := sampleData()[mail.TemplateOperatorNewRFQ]
		op["companyName"] = "ACME\r\nBcc: victim@example.com"
		out, err := r.Render(mail.TemplateOperatorNewRFQ, "ro", op)
		require.NoError(t, err)
		require.Equal(t, "[NOU] RFQ RFQ-2026-00001 de la ACME Bcc: victim@example.com", out.Subject)
	})

	t.Run("ErrMissingKey", func(t *testing.T) {
		for name, d := range sampleData() {
			for key := range d {
				broken := map[string]any{}
				for k, v := range d {
					if k != key {
						broken[k] = v
					}
				}
				_, err := r.Render(name, "ro", broken)
				require.Error(t, err, "%s without %s", name, key)
				require.Contains(t, err.Error(), key)
			}
		}
	})

	t.Run("ErrMissingItemField", func(t *testing.T) {
		d := sampleData()[mail.TemplateRFQConfirmation]
		d["items"] = []map[string]any{{"productName": "Bară", "quantity": 1}}
		_, err := r.Render(mail.TemplateRFQConfirmation, "ro", d)
		require.ErrorContains(t, err, "unit")
	})

	t.Run("ErrWrongType", func(t *testing.T) {
		d := sampleData()[mail.TemplateQuoteReady]
		d["finalQuoteAmount"] = "a lot"
		_, err := r.Render(mail.TemplateQuoteReady, "ro", d)
		require.ErrorContains(t, err, "not a number")
	})

	t.Run("Validate", func(t *testing.T) {
		for name, d := range sampleData() {
			require.NoError(t, mail.Validate(name, d))
		}
		require.ErrorContains(t, mail.Validate(mail.TemplateVerifyEmail, map[string]any{"name": "x"}), "token")
	})

	t.Run("ErrUnknownTemplate", func(t *testing.T) {
		_, err := r.Render("newsletter", "ro", map[string]any{})
		require.ErrorIs(t, err, mail.ErrUnknownTemplate)
	})
}

// htmlEscape escapes the characters html/template escapes in text.
func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;", "+", "&#43;").Replace(s)
}
