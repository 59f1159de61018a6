package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// quotedRFQ is an acknowledged guest RFQ of one pipe line, with staff as the actor.
func quotedRFQ(t *testing.T) (context.Context, *store.DB, *store.RFQ) {
	t.Helper()
	ctx := context.Background()
	db := storetest.MustOpen(t)
	cat := storetest.MustCreateCatalog(t, db)
	owner := store.CartOwner{GuestID: "g-quote"}
	_, err := db.AddCartItem(ctx, owner, store.CartItemInput{ProductID: cat.Pipe, Quantity: 12, Unit: "m"})
	require.NoError(t, err)
	res, err := submitRFQ(ctx, db, store.RFQSubmission{Owner: owner, Input: validRFQ()})
	require.NoError(t, err)
	require.NoError(t, db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(`UPDATE rfqs SET status = 'ACKNOWLEDGED' WHERE id = ?`, res.RFQ.ID)
		return err
	}))
	return store.WithActor(ctx, store.Actor{Label: "staff@metalpro.ro"}), db, res.RFQ
}

func quoteInput(rfq *store.RFQ, price float64) store.QuoteInput {
	var in store.QuoteInput
	in.Items = append(in.Items, struct {
		ID         string   `json:"id"`
		FinalPrice *float64 `json:"finalPrice"`
	}{rfq.Items[0].ID, &price})
	in.ValidUntil = time.Now().In(store.Bucharest).AddDate(0, 0, 7).Format(time.DateOnly)
	return in
}

// A send rendered from an older revision of the draft is refused: the customer must get
// the PDF of the prices the RFQ records. Nothing of the send is kept.
func TestSendQuote_RefusesAChangedDraft(t *testing.T) {
	ctx, db, rfq := quotedRFQ(t)
	q, err := db.SaveQuoteDraft(ctx, rfq.ID, quoteInput(rfq, 50), store.DefaultVATRateBP)
	require.NoError(t, err)
	require.Equal(t, 600.0, q.Net)
	q2, err := db.SaveQuoteDraft(ctx, rfq.ID, quoteInput(rfq, 49), store.DefaultVATRateBP)
	require.NoError(t, err)
	require.Equal(t, q.ID, q2.ID, "one draft, edited")
	require.Equal(t, q.Revision+1, q2.Revision)

	_, err = db.SendQuote(ctx, store.QuoteSend{RFQID: rfq.ID, Revision: q.Revision, FilesURL: "https://api.test",
		PDF: store.NewUpload{Kind: store.UploadAttachment, FileName: "q.pdf", FileSize: 10, MimeType: "application/pdf", StorageKey: "quote/x"}})
	require.Equal(t, store.ECodeConflict, store.ErrorCode(err), "%v", err)
	var uploads int
	require.NoError(t, db.ReadDB().QueryRow(`SELECT COUNT(*) FROM attachments`).Scan(&uploads))
	require.Zero(t, uploads)

	sent, err := db.SendQuote(ctx, store.QuoteSend{RFQID: rfq.ID, Revision: q2.Revision, FilesURL: "https://api.test",
		PDF: store.NewUpload{Kind: store.UploadAttachment, FileName: "q.pdf", FileSize: 10, MimeType: "application/pdf", StorageKey: "quote/x"}})
	require.NoError(t, err)
	require.Equal(t, store.RFQQuoted, sent.Status)
	require.Equal(t, 711.48, *sent.FinalQuoteAmount, "12 × 49 = 588.00 + 123.48 VAT")
	require.Empty(t, sent.Attachments, "the PDF is the quote's, not an attachment")
}

// Two operators saving at once both succeed, one after the other, on one draft.
func TestSaveQuoteDraft_Concurrent(t *testing.T) {
	ctx, db, rfq := quotedRFQ(t)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = db.SaveQuoteDraft(ctx, rfq.ID, quoteInput(rfq, float64(40+i)), store.DefaultVATRateBP)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	versions, err := db.QuoteVersions(ctx, rfq.ID)
	require.NoError(t, err)
	require.Len(t, versions, 1)
	require.Equal(t, len(errs), versions[0].Revision)
}
