package quote_test

import (
	"context"
	"errors"
	"testing"

	"github.com/metalpro/backend/files"
	"github.com/metalpro/backend/quote"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// Without a file store nothing can be sent: the answer is the file store's 503, before
// anything is read or written.
func TestSend_NeedsAFileStore(t *testing.T) {
	db := storetest.MustOpen(t)
	rfq := storetest.MustSubmitRFQ(t, db, "g-no-files", storetest.RFQInput())
	_, err := (&quote.Service{DB: db}).Send(context.Background(), rfq.ID, 0)
	if !errors.Is(err, files.ErrUnavailable) {
		t.Fatalf("send without a file store: %v", err)
	}
}

// The PDF of an RFQ without a quote is a 404, not an empty document.
func TestPreview_NoQuote(t *testing.T) {
	db := storetest.MustOpen(t)
	rfq := storetest.MustSubmitRFQ(t, db, "g-no-quote", storetest.RFQInput())
	_, err := (&quote.Service{DB: db}).Preview(context.Background(), rfq.ID)
	if store.ErrorCode(err) != store.ECodeNotFound {
		t.Fatalf("preview without a quote: %v", err)
	}
}
