package apphttp_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/files"
	"github.com/metalpro/backend/internal/pdftext"
	"github.com/metalpro/backend/store"
)

// quoteShop is a shop with a file store, an operator, an admin and a guest's RFQ
// (a 2-bar pipe line and 40 kg of wire) that staff acknowledged.
type quoteShop struct {
	*fileShop
	operator, admin, guest *shopVisitor
	operatorID             string
	rfq                    rfqJSON
	itemIDs                []string
}

func startQuoteShop(t *testing.T) *quoteShop {
	t.Helper()
	ctx := context.Background()
	s := &quoteShop{fileShop: startFileShop(t, nil, nil, nil)}
	op, err := s.DB.CreateStaff(ctx, store.Signup{Email: "operator@metalpro.ro", Password: testPassword, Name: "Operator", Role: store.RoleOperator})
	require.NoError(t, err)
	s.operatorID = op.ID
	_, err = s.DB.CreateStaff(ctx, store.Signup{Email: "admin@metalpro.ro", Password: testPassword, Name: "Admin", Role: store.RoleAdmin})
	require.NoError(t, err)
	s.operator, s.admin, s.guest = s.NewVisitor(t), s.NewVisitor(t), s.NewVisitor(t)
	s.operator.Login("operator@metalpro.ro")
	s.admin.Login("admin@metalpro.ro")

	s.guest.MustAdd(s.guest.Browse("TR-40x40x3"), 2, "pcs")
	s.guest.MustAdd(s.guest.Browse("SR-6"), 40, "kg")
	r := s.guest.Do(http.MethodPost, "/api/rfq", rfqForm())
	require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
	r.JSON(t, &s.rfq)
	var ids struct{ Items []struct{ ID string } }
	r.JSON(t, &ids)
	for _, it := range ids.Items {
		s.itemIDs = append(s.itemIDs, it.ID)
	}
	// The operator acknowledges the new RFQ and takes it, through the workflow's own calls.
	r = s.operator.Do(http.MethodGet, "/api/admin/rfqs/"+s.rfq.ID, nil)
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	var detail struct{ Version int }
	r.JSON(t, &detail)
	r = s.operator.Do(http.MethodPost, "/api/admin/rfqs/"+s.rfq.ID+"/status",
		map[string]any{"status": store.RFQAcknowledged, "expectedVersion": detail.Version})
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	r = s.operator.Do(http.MethodPost, "/api/admin/rfqs/"+s.rfq.ID+"/assign", map[string]any{"userId": s.operatorID})
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	return s
}

func (s *quoteShop) setStatus(t *testing.T, status string) {
	t.Helper()
	require.NoError(t, s.DB.Write(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Exec(`UPDATE rfqs SET status = ? WHERE id = ?`, status, s.rfq.ID)
		return err
	}))
}

// quoteBody prices the pipe bars at 300 RON a piece and the wire at 7.10 RON/kg, with
// transport of 350 RON: net 1,234.00, VAT 21 % per line 126.00 + 59.64 + 73.50 = 259.14,
// gross 1,493.14.
func (s *quoteShop) quoteBody(validUntil string) map[string]any {
	return map[string]any{
		"items": []map[string]any{
			{"id": s.itemIDs[0], "finalPrice": 300}, {"id": s.itemIDs[1], "finalPrice": 7.1},
		},
		"extraLines": []map[string]any{{"description": "Transport Cluj-Napoca", "amount": 350}},
		"validUntil": validUntil,
		"notes":      "Livrare în 5 zile lucrătoare de la confirmare.",
	}
}

func inDays(n int) string {
	return time.Now().In(store.Bucharest).AddDate(0, 0, n).Format(time.DateOnly)
}

type quoteJSON struct {
	Version    int
	Status     string
	Net, VAT   float64
	Gross      float64
	ValidUntil string
	PDFFileID  *string
	Items      []struct {
		ItemID                string
		FinalPrice, LineTotal float64
	}
}

type customerRFQJSON struct {
	Status           string
	FinalQuoteAmount *float64
	FinalQuotePdfURL *string `json:"finalQuotePdfUrl"`
	QuotedAt         *time.Time
	QuoteValidUntil  *string
	Items            []struct{ FinalPrice *float64 }
	Attachments      []any
}

// The end-to-end quote: a guest RFQ, acknowledged and assigned through the workflow, priced with an extra transport
// line, quoted; the customer gets the email whose PDF link the mail worker's loader
// attaches and whose PDF reads right; the customer reads the quote and accepts it; the
// audit log shows each step with its actor.
func TestQuote_EndToEnd(t *testing.T) {
	s := startQuoteShop(t)
	ctx := context.Background()

	r := s.operator.Do(http.MethodPut, "/api/admin/rfqs/"+s.rfq.ID+"/quote", s.quoteBody(inDays(14)))
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	var draft quoteJSON
	r.JSON(t, &draft)
	require.Equal(t, "draft", draft.Status)
	require.Equal(t, 1, draft.Version)
	require.Equal(t, 1234.0, draft.Net)
	require.Equal(t, 259.14, draft.VAT, "VAT rounded per line, then summed")
	require.Equal(t, 1493.14, draft.Gross)
	require.Equal(t, 600.0, draft.Items[0].LineTotal)
	require.Nil(t, draft.PDFFileID)

	r = s.operator.Do(http.MethodGet, "/api/admin/rfqs/"+s.rfq.ID+"/quote.pdf", nil)
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	require.Equal(t, "application/pdf", r.Header.Get("Content-Type"))
	text, err := pdftext.Text(r.Body)
	require.NoError(t, err)
	require.Contains(t, text, s.rfq.ReferenceNumber)

	var mine customerRFQJSON
	r = s.guest.Do(http.MethodGet, "/api/rfq/"+s.rfq.ID, nil)
	r.JSON(t, &mine)
	require.Equal(t, "IN_PROGRESS", mine.Status, "pricing moved the RFQ on")
	require.Nil(t, mine.FinalQuoteAmount, "a draft is the sales team's, not the customer's")
	require.Nil(t, mine.Items[0].FinalPrice)

	r = s.operator.Do(http.MethodPost, "/api/admin/rfqs/"+s.rfq.ID+"/quote/send", nil)
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	var sent customerRFQJSON
	r.JSON(t, &sent)
	require.Equal(t, "QUOTED", sent.Status)
	require.Equal(t, 1493.14, *sent.FinalQuoteAmount, "gross, VAT included")
	require.NotNil(t, sent.QuotedAt)
	require.True(t, strings.HasPrefix(*sent.FinalQuotePdfURL, "https://api.metalpro.test/api/files/"), *sent.FinalQuotePdfURL)

	// The email: its PDF link is one the mail worker's attachment loader reads.
	var quoteMail *shopOutboxRow
	for _, m := range shopOutbox(t, s.DB) {
		if m.Template == "quote_ready" {
			quoteMail = &m
		}
	}
	require.NotNil(t, quoteMail, "quote_ready queued")
	require.Equal(t, "ana@example.ro", quoteMail.To)
	require.Equal(t, 1493.14, quoteMail.Data["finalQuoteAmount"])
	require.Equal(t, *sent.FinalQuotePdfURL, quoteMail.Data["pdfUrl"])
	att, err := files.AttachmentLoader{Blobs: s.blobs, Uploads: s.DB}.LoadAttachment(ctx, quoteMail.Data["pdfUrl"].(string))
	require.NoError(t, err)
	require.Equal(t, "application/pdf", att.ContentType)
	require.Equal(t, "Oferta-"+s.rfq.ReferenceNumber+"-v1.pdf", att.Filename)
	text, err = pdftext.Text(att.Content)
	require.NoError(t, err, "the attached PDF parses")
	for _, want := range []string{s.rfq.ReferenceNumber, "Țeavă rectangulară 40x40x3 mm S235JR", "Sârmă neagră 6 mm",
		"Transport Cluj-Napoca", "1.493,14 RON", "259,14 RON", "1.234,00 RON", "Construcții Oțel SRL", "RO14399840",
		"\n2\nbuc.\n300,00 RON\n600,00 RON\n", "\n40\nkg\n7,10 RON\n284,00 RON\n", "300,00 RON", "7,10 RON", "Livrare în 5 zile lucrătoare"} {
		require.Contains(t, text, want)
	}

	// The customer reads the quote: prices, total, validity, a short-lived PDF link.
	r = s.guest.Do(http.MethodGet, "/api/rfq/"+s.rfq.ID, nil)
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	r.JSON(t, &mine)
	require.Equal(t, "QUOTED", mine.Status)
	require.Equal(t, 300.0, *mine.Items[0].FinalPrice, "per base unit")
	require.Equal(t, 7.1, *mine.Items[1].FinalPrice)
	require.Equal(t, 1493.14, *mine.FinalQuoteAmount)
	require.Equal(t, inDays(14), *mine.QuoteValidUntil)
	require.Empty(t, mine.Attachments, "the quote PDF is not one of the customer's attachments")
	require.Contains(t, *mine.FinalQuotePdfURL, "sig=", "a signed link")
	dl := s.fetch(t, *mine.FinalQuotePdfURL)
	require.Equal(t, http.StatusOK, dl.StatusCode, "%s", dl.Body)
	require.Equal(t, att.Content, dl.Body, "the link serves the PDF the email attached")

	r = s.guest.Do(http.MethodPost, "/api/rfq/"+s.rfq.ID+"/accept", nil)
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	r.JSON(t, &mine)
	require.Equal(t, "COMPLETED", mine.Status)
	r = s.guest.Do(http.MethodPost, "/api/rfq/"+s.rfq.ID+"/accept", nil)
	require.Equal(t, http.StatusConflict, r.StatusCode, "an answered quote cannot be answered again")

	mails := shopOutbox(t, s.DB)
	last := mails[len(mails)-1]
	require.Equal(t, "operator_quote_answer", last.Template)
	require.Equal(t, "sales@metalpro.ro", last.To)
	require.Equal(t, true, last.Data["accepted"])

	// The audit log: every step, with its actor.
	var log struct {
		Entries []struct {
			Actor struct {
				ID    *string
				Label string
			}
			Action string
			After  map[string]any
		}
	}
	r = s.admin.Do(http.MethodGet, "/api/admin/audit?entity=rfq&entityId="+s.rfq.ID, nil)
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	r.JSON(t, &log)
	type step struct{ action, actor, status string }
	var got []step
	for i := len(log.Entries) - 1; i >= 0; i-- { // oldest first
		e := log.Entries[i]
		st, _ := e.After["status"].(string)
		got = append(got, step{e.Action, e.Actor.Label, st})
	}
	// Rows of one transaction share their time, so only the set is fixed, not their order.
	require.ElementsMatch(t, []step{
		{"rfq.status", "operator@metalpro.ro", "ACKNOWLEDGED"},
		{"rfq.assign", "operator@metalpro.ro", "ACKNOWLEDGED"},
		{"rfq.status", "operator@metalpro.ro", "IN_PROGRESS"},
		{"quote.draft", "operator@metalpro.ro", "draft"},
		{"rfq.status", "operator@metalpro.ro", "QUOTED"},
		{"quote.send", "operator@metalpro.ro", "QUOTED"},
		{"rfq.status", "customer:ana@example.ro", "COMPLETED"},
		{"quote.accept", "customer:ana@example.ro", ""},
	}, got)
	for _, e := range log.Entries {
		if e.Actor.Label == "operator@metalpro.ro" {
			require.Equal(t, s.operatorID, *e.Actor.ID)
		} else {
			require.Nil(t, e.Actor.ID, "a guest has no user id")
		}
	}
}
