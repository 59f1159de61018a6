package apphttp_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
)

// Who may call the quote endpoints: anonymous 401, a customer the back office's 404,
// operators and admins yes, a disabled staff account 401. Admin's second quote is a
// re-quote: both versions stay, each with its own PDF.
func TestQuote_RoleChecksAndRequote(t *testing.T) {
	s := startQuoteShop(t)
	ctx := context.Background()
	_, err := s.DB.CreateStaff(ctx, store.Signup{Email: "gone@metalpro.ro", Password: testPassword, Name: "Gone", Role: store.RoleOperator})
	require.NoError(t, err)
	disabled := s.NewVisitor(t)
	disabled.Login("gone@metalpro.ro")
	require.NoError(t, s.DB.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(`UPDATE users SET disabled_at = ? WHERE email = 'gone@metalpro.ro'`, store.FormatTime(tx.Now)); err != nil {
			return err
		}
		_, err := tx.Exec(`DELETE FROM auth_sessions WHERE user_id = (SELECT id FROM users WHERE email = 'gone@metalpro.ro')`)
		return err
	}))
	anonymous := s.NewVisitor(t)
	customer := s.NewVisitor(t)
	customer.Signup("client@firma.ro")

	base := "/api/admin/rfqs/" + s.rfq.ID + "/quote"
	calls := []struct {
		method, path string
		body         any
	}{
		{http.MethodPut, base, s.quoteBody(inDays(10))},
		{http.MethodGet, base + ".pdf", nil},
		{http.MethodPost, base + "/send", nil},
	}
	for _, c := range calls {
		for who, want := range map[*shopVisitor]int{anonymous: http.StatusUnauthorized, customer: http.StatusNotFound,
			disabled: http.StatusUnauthorized} {
			r := who.Do(c.method, c.path, c.body)
			require.Equal(t, want, r.StatusCode, "%s %s: %s", c.method, c.path, r.Body)
		}
		r := s.operator.Do(c.method, c.path, c.body)
		require.Equal(t, http.StatusOK, r.StatusCode, "operator %s %s: %s", c.method, c.path, r.Body)
	}
	// The admin revises the sent quote (QUOTED → IN_PROGRESS) and sends version 2.
	body := s.quoteBody(inDays(20))
	body["items"].([]map[string]any)[0]["finalPrice"] = 290
	for _, c := range calls {
		if c.method == http.MethodPut {
			c.body = body
		}
		r := s.admin.Do(c.method, c.path, c.body)
		require.Equal(t, http.StatusOK, r.StatusCode, "admin %s %s: %s", c.method, c.path, r.Body)
	}

	versions, err := s.DB.QuoteVersions(ctx, s.rfq.ID)
	require.NoError(t, err)
	require.Len(t, versions, 2, "a re-quote keeps the earlier version")
	require.Equal(t, []int{1, 2}, []int{versions[0].Version, versions[1].Version})
	require.Equal(t, 1493.14, versions[0].Gross)
	require.Equal(t, 1468.94, versions[1].Gross, "580 + 284 + 350 net, 254.94 VAT")
	require.NotEqual(t, *versions[0].PDFFileID, *versions[1].PDFFileID)
	for _, v := range versions {
		require.Equal(t, "sent", v.Status)
		_, err := s.DB.GetUpload(ctx, *v.PDFFileID)
		require.NoError(t, err, "version %d keeps its PDF", v.Version)
	}
	var mine customerRFQJSON
	s.guest.Do(http.MethodGet, "/api/rfq/"+s.rfq.ID, nil).JSON(t, &mine)
	require.Equal(t, 1468.94, *mine.FinalQuoteAmount, "the customer sees the last version")
	require.Equal(t, 290.0, *mine.Items[0].FinalPrice)
	require.Equal(t, inDays(20), *mine.QuoteValidUntil)
}

// A quote that cannot be saved says why: every item needs a price, validity from today,
// and the RFQ must be in the workflow's pricing states.
func TestQuote_Refusals(t *testing.T) {
	s := startQuoteShop(t)
	path := "/api/admin/rfqs/" + s.rfq.ID + "/quote"

	body := s.quoteBody(inDays(-1))
	body["items"] = body["items"].([]map[string]any)[:1]
	body["extraLines"] = []map[string]any{{"description": "Debitare", "amount": 10.005}}
	r := s.operator.Do(http.MethodPut, path, body)
	require.Equal(t, http.StatusBadRequest, r.StatusCode, "%s", r.Body)
	var fields []string
	for _, d := range r.Err(t).Details {
		fields = append(fields, d.Field)
	}
	require.ElementsMatch(t, []string{"items", "validUntil", "extraLines[0].amount"}, fields)

	r = s.operator.Do(http.MethodPost, path+"/send", nil)
	require.Equal(t, http.StatusConflict, r.StatusCode, "nothing to send yet: %s", r.Body)

	s.setStatus(t, store.RFQSubmitted)
	r = s.operator.Do(http.MethodPut, path, s.quoteBody(inDays(3)))
	require.Equal(t, http.StatusConflict, r.StatusCode, "not acknowledged yet: %s", r.Body)

	r = s.operator.Do(http.MethodPut, "/api/admin/rfqs/"+store.NewID()+"/quote", s.quoteBody(inDays(3)))
	require.Equal(t, http.StatusNotFound, r.StatusCode, "%s", r.Body)

	// A send that fails after the PDF was stored leaves no file behind.
	s.setStatus(t, store.RFQInProgress)
	r = s.operator.Do(http.MethodPut, path, s.quoteBody(inDays(3)))
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	s.setStatus(t, store.RFQCancelled) // cancelled by someone else meanwhile
	before := len(s.storedFiles(t))
	r = s.operator.Do(http.MethodPost, path+"/send", nil)
	require.Equal(t, http.StatusConflict, r.StatusCode, "%s", r.Body)
	require.Len(t, s.storedFiles(t), before, "the PDF's blob is removed with the failed send")
}

// The customer may decline with a reason (the operator hears it); a quote past its last
// valid day can no longer be answered, and the daily job marks it expired.
func TestQuote_DeclineAndExpiry(t *testing.T) {
	ctx := context.Background()
	send := func(t *testing.T) *quoteShop {
		s := startQuoteShop(t)
		path := "/api/admin/rfqs/" + s.rfq.ID + "/quote"
		require.Equal(t, http.StatusOK, s.operator.Do(http.MethodPut, path, s.quoteBody(inDays(0))).StatusCode)
		require.Equal(t, http.StatusOK, s.operator.Do(http.MethodPost, path+"/send", nil).StatusCode)
		return s
	}

	t.Run("Decline", func(t *testing.T) {
		s := send(t)
		stranger := s.NewVisitor(t)
		r := stranger.Do(http.MethodPost, "/api/rfq/"+s.rfq.ID+"/decline", map[string]any{"reason": "x"})
		require.Equal(t, http.StatusNotFound, r.StatusCode, "only the RFQ's owner answers: %s", r.Body)
		r = s.guest.Do(http.MethodPost, "/api/rfq/"+s.rfq.ID+"/decline", map[string]any{"reason": "Prețul oțelului e mai mic în altă parte."})
		require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
		var mine customerRFQJSON
		r.JSON(t, &mine)
		require.Equal(t, "CANCELLED", mine.Status)
		mails := shopOutbox(t, s.DB)
		last := mails[len(mails)-1]
		require.Equal(t, "operator_quote_answer", last.Template)
		require.Equal(t, false, last.Data["accepted"])
		require.Equal(t, "Prețul oțelului e mai mic în altă parte.", last.Data["reason"])
	})

	t.Run("Expired", func(t *testing.T) {
		s := send(t)
		require.NoError(t, s.DB.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(`UPDATE quote_versions SET valid_until = ? WHERE rfq_id = ?`, inDays(-1), s.rfq.ID)
			return err
		}))
		r := s.guest.Do(http.MethodPost, "/api/rfq/"+s.rfq.ID+"/accept", nil)
		require.Equal(t, http.StatusConflict, r.StatusCode, "expired before the job ran: %s", r.Body)
		n, err := s.DB.ExpireQuotes(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, n)
		versions, err := s.DB.QuoteVersions(ctx, s.rfq.ID)
		require.NoError(t, err)
		require.Equal(t, "expired", versions[0].Status)
		n, err = s.DB.ExpireQuotes(ctx)
		require.NoError(t, err)
		require.Zero(t, n, "marked once")
		entries, _, err := s.DB.FindAudit(ctx, store.AuditFilter{Entity: "rfq", EntityID: s.rfq.ID})
		require.NoError(t, err)
		require.Equal(t, "quote.expire", entries[0].Action)
		require.Equal(t, "system", entries[0].Actor.Label)
		r = s.guest.Do(http.MethodPost, "/api/rfq/"+s.rfq.ID+"/decline", nil)
		require.Equal(t, http.StatusConflict, r.StatusCode, "%s", r.Body)
	})
}
