package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

func TestFileDownload(t *testing.T) {
	e, blobs := newFilesEnv(t)
	rfq, file := mustSubmitRFQWithFile(t, e.DB, blobs, "g-files", storetest.RFQInput())

	t.Run("StaffFollowTheLinkToTheFile", func(t *testing.T) {
		b := e.signIn(t, e.Operator)
		b.Get("/admin/rfq/" + rfq.ID)
		if !strings.Contains(b.Page, `href="/admin/files/`+file.ID+`"`) {
			t.Fatal("the RFQ page does not link the file")
		}
		b.Get("/admin/files/" + file.ID)
		if b.Status != http.StatusOK || b.Page != string(file.Content) {
			t.Fatalf("download: %d at %s: %q", b.Status, b.At, b.Page)
		}
		if !strings.HasPrefix(b.At, "/api/files/"+file.ID+"/content?") {
			t.Fatalf("the link did not go through a signed URL: %s", b.At)
		}
		if cd := b.Header.Get("Content-Disposition"); !strings.Contains(cd, file.Name) {
			t.Fatalf("Content-Disposition %q", cd)
		}
	})

	t.Run("AnonymousSignInFirst", func(t *testing.T) {
		b := e.browser(t)
		b.Get("/admin/files/" + file.ID)
		if b.At != "/admin/signin?next=%2Fadmin%2Ffiles%2F"+file.ID {
			t.Fatalf("anonymous download ended at %s (%d)", b.At, b.Status)
		}
		if strings.Contains(b.Page, string(file.Content)) {
			t.Fatal("an anonymous visitor got the file")
		}
		// The operator's email link: signing in goes on to the file.
		b.Submit("/admin/signin", url.Values{"email": {e.Operator.Email}, "password": {staffPassword},
			"next": {"/admin/files/" + file.ID}})
		if b.Status != http.StatusOK || b.Page != string(file.Content) {
			t.Fatalf("after sign-in: %d at %s", b.Status, b.At)
		}
	})

	t.Run("ErrUnknownOrNotAnRFQFile", func(t *testing.T) {
		// A file uploaded but sent with no RFQ is the uploader's business, not the team's.
		ctx := context.Background()
		key := "attachment/" + store.NewID()
		if err := blobs.Put(ctx, key, strings.NewReader("pdf"), 3, "application/pdf"); err != nil {
			t.Fatal(err)
		}
		loose, err := e.DB.CreateUpload(ctx, store.CartOwner{GuestID: "g-loose"}, store.NewUpload{Kind: store.UploadAttachment,
			FileName: "nefolosit.pdf", FileSize: 3, MimeType: "application/pdf", StorageKey: key})
		if err != nil {
			t.Fatal(err)
		}
		b := e.signIn(t, e.Operator)
		for _, id := range []string{store.NewID(), "nu-exista", loose.ID} {
			b.Get("/admin/files/" + id)
			if b.Status != http.StatusNotFound || !strings.HasPrefix(b.At, "/admin/files/") {
				t.Fatalf("%s: status %d at %s", id, b.Status, b.At)
			}
			b.Sees("Fișierul nu a fost găsit.")
		}
	})
}

func TestFileDownloadWithoutFileStore(t *testing.T) {
	e := newTestEnv(t) // no Files
	_, file := mustSubmitRFQWithFile(t, e.DB, nil, "g-nofiles", storetest.RFQInput())
	b := e.signIn(t, e.Operator)
	b.Get("/admin/files/" + file.ID)
	if b.Status != http.StatusServiceUnavailable {
		t.Fatalf("status %d at %s", b.Status, b.At)
	}
	b.Sees("Stocarea fișierelor nu este disponibilă acum.")
}
