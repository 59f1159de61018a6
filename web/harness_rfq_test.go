package web_test

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/metalpro/backend/emails"
	"github.com/metalpro/backend/files"
	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// Helpers of the RFQ page's tests: a back office with a file store, an RFQ with files, and
// reading back what the store and the outbox hold after a form.

const filesSecret = "web-files-test-secret-0123456789abcdef"

// newFilesEnv is newTestEnv with a local file store shared by the API (which serves the
// signed download URLs) and the back office (which hands them out).
func newFilesEnv(t testing.TB) (*testEnv, files.Blobs) {
	t.Helper()
	blobs, err := files.NewLocal(t.TempDir(), apphttp.NewFileURLSigner(filesSecret))
	if err != nil {
		t.Fatal(err)
	}
	db := storetest.MustOpenWith(t, store.Options{PasswordCost: bcrypt.MinCost})
	return startBackOffice(t, db, envOptions{API: apphttp.Config{JWTSecret: filesSecret}, Files: blobs}), blobs
}

// attachedFile is a file a guest uploaded and then sent with an RFQ.
type attachedFile struct {
	ID      string
	Name    string
	Content []byte
}

// mustSubmitRFQWithFile submits guestID's RFQ with one attached file. blobs nil records
// only the upload's row (enough for a page that lists it).
func mustSubmitRFQWithFile(t *testing.T, db *store.DB, blobs files.Blobs, guestID string, in store.RFQInput) (*store.RFQ, attachedFile) {
	t.Helper()
	ctx := context.Background()
	f := attachedFile{Name: "desen-hala.pdf", Content: []byte("%PDF-1.4 desen de test\n%%EOF\n")}
	key := "attachment/" + store.NewID()
	if blobs != nil {
		if err := blobs.Put(ctx, key, bytes.NewReader(f.Content), int64(len(f.Content)), "application/pdf"); err != nil {
			t.Fatal(err)
		}
	}
	u, err := db.CreateUpload(ctx, store.CartOwner{GuestID: guestID}, store.NewUpload{Kind: store.UploadAttachment,
		FileName: f.Name, FileSize: int64(len(f.Content)), MimeType: "application/pdf", StorageKey: key})
	if err != nil {
		t.Fatal(err)
	}
	f.ID = u.ID
	in.AttachmentIDs = []string{u.ID}
	return storetest.MustSubmitRFQ(t, db, guestID, in), f
}

var versionInput = regexp.MustCompile(`name="version" value="(\d+)"`)

// Version is the RFQ version the current page's forms carry.
func (b *browser) Version() string {
	b.t.Helper()
	m := versionInput.FindStringSubmatch(b.Page)
	if m == nil {
		b.t.Fatalf("no version field on the page at %s", b.At)
	}
	return m[1]
}

// rfqNow is the RFQ as the store has it.
func (e *testEnv) rfqNow(t *testing.T, id string) *store.AdminRFQDetail {
	t.Helper()
	d, err := e.DB.AdminRFQDetail(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// emailsFor are the outbox's emails of template about RFQ rfqID, oldest first.
func (e *testEnv) emailsFor(t *testing.T, template, rfqID string) []store.OutboxRow {
	t.Helper()
	rows, _, err := e.DB.ListEmails(context.Background(), store.OutboxFilter{Template: template, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var out []store.OutboxRow
	for i := len(rows) - 1; i >= 0; i-- {
		em, err := rows[i].Email()
		if err != nil {
			t.Fatal(err)
		}
		if rfqOf(em) == rfqID {
			out = append(out, rows[i])
		}
	}
	return out
}

func rfqOf(em emails.Email) string {
	switch x := em.(type) {
	case emails.RFQStatusChanged:
		return x.RFQID
	case emails.RFQMessage:
		return x.RFQID
	}
	return ""
}

// itoa is strconv.Itoa, for building form values.
func itoa(n int) string { return strconv.Itoa(n) }
