package web_test

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/metalpro/backend/files"
	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
	"github.com/metalpro/backend/web"
)

// The quote editor's tests need what the shared harness leaves out: a file store for the
// sent PDFs and the API's public address for the customer's link.

const quoteFilesURL = "https://api.metalpro.test"

// quoteEnv is a back office with a local file store.
type quoteEnv struct {
	*testEnv
	Blobs *files.Local
}

func newQuoteEnv(t *testing.T) *quoteEnv {
	t.Helper()
	db := storetest.MustOpenWith(t, store.Options{PasswordCost: bcrypt.MinCost})
	blobs, err := files.NewLocal(t.TempDir(), files.NewURLSigner(quoteFilesURL, []byte("quote-test-signing-key-0123456789")))
	if err != nil {
		t.Fatal(err)
	}
	env := startBackOffice(t, db, envOptions{API: apphttp.Config{APIURL: quoteFilesURL},
		Web: web.Config{FilesURL: quoteFilesURL}, Files: blobs})
	return &quoteEnv{testEnv: env, Blobs: blobs}
}

// acknowledgedRFQ is a new guest RFQ (12 m of pipe, 2 sheets) that an operator has
// acknowledged through the workflow, so it can be quoted.
func (e *testEnv) acknowledgedRFQ(t *testing.T, guestID string) *store.RFQ {
	t.Helper()
	rfq := storetest.MustSubmitRFQ(t, e.DB, guestID, storetest.RFQInput())
	ctx := store.WithActor(context.Background(), store.Actor{UserID: e.Operator.ID, Label: e.Operator.Email})
	a, err := e.DB.ChangeRFQStatus(ctx, store.RFQStatusChange{RFQID: rfq.ID, Status: store.RFQAcknowledged, ExpectedVersion: rfq.Version})
	if err != nil {
		t.Fatalf("acknowledge: %v", err)
	}
	return a.RFQ
}

// itemBySKU is the RFQ's item of this product.
func itemBySKU(t *testing.T, rfq *store.RFQ, sku string) store.RFQItem {
	t.Helper()
	for _, it := range rfq.Items {
		if it.ProductSKU == sku {
			return it
		}
	}
	t.Fatalf("the RFQ has no %s", sku)
	return store.RFQItem{}
}

// quoteFields is the editor's form: a price per item (by SKU), the extra lines as pairs,
// VAT and validity.
func quoteFields(t *testing.T, rfq *store.RFQ, prices map[string]string, extras ...[2]string) url.Values {
	t.Helper()
	f := url.Values{"vatRate": {"21"}, "validUntil": {inDays(14)}, "notes": {"Livrare în 5 zile lucrătoare."}}
	for sku, p := range prices {
		f.Set("price."+itemBySKU(t, rfq, sku).ID, p)
	}
	for _, e := range extras {
		f.Add("extraDescription", e[0])
		f.Add("extraAmount", e[1])
	}
	f.Add("extraDescription", "") // the form's unused pairs come along too
	f.Add("extraAmount", "")
	return f
}

// draftOf is the RFQ's saved draft, or nil.
func (e *testEnv) draftOf(t *testing.T, rfqID string) *store.Quote {
	t.Helper()
	versions, err := e.DB.QuoteVersions(context.Background(), rfqID)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range versions {
		if q.Status == store.QuoteDraft {
			return q
		}
	}
	return nil
}

// outboxRow is one queued email.
type outboxRow struct {
	Template, To string
	Data         map[string]any
}

func (e *testEnv) outbox(t *testing.T) []outboxRow {
	t.Helper()
	rows, err := e.DB.ReadDB().Query(`SELECT template, to_addr, data FROM email_outbox ORDER BY created_at, rowid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []outboxRow
	for rows.Next() {
		var r outboxRow
		var raw string
		if err := rows.Scan(&r.Template, &r.To, &raw); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(raw), &r.Data); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// blobCount is how many files the local store holds.
func (e *quoteEnv) blobCount(t *testing.T) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(e.Blobs.Dir(), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// fieldError is the message the page shows next to a field (its error slot).
func (b *browser) fieldError(field string) string {
	b.t.Helper()
	marker := `data-error-for="` + field + `">`
	i := strings.Index(b.Page, marker)
	if i < 0 {
		b.t.Fatalf("no error slot for %s on the page at %s", field, b.At)
	}
	rest := b.Page[i+len(marker):]
	return strings.TrimSpace(rest[:strings.Index(rest, "<")])
}

// inputValue is the value attribute of the input named name.
func (b *browser) inputValue(name string) string {
	b.t.Helper()
	marker := `name="` + name + `" value="`
	i := strings.Index(b.Page, marker)
	if i < 0 {
		b.t.Fatalf("no input %s on the page at %s", name, b.At)
	}
	rest := b.Page[i+len(marker):]
	return rest[:strings.Index(rest, `"`)]
}

// inDays is the date n days from today, in Romania.
func inDays(n int) string {
	return time.Now().In(store.Bucharest).AddDate(0, 0, n).Format(time.DateOnly)
}

// mustSubmit is a new guest RFQ, as the customer sent it (SUBMITTED).
func mustSubmit(t *testing.T, e *testEnv, guestID string) *store.RFQ {
	t.Helper()
	return storetest.MustSubmitRFQ(t, e.DB, guestID, storetest.RFQInput())
}
