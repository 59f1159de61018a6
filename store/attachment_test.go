package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/internal/testclock"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

func newUpload(kind string, size int64) store.NewUpload {
	return store.NewUpload{Kind: kind, FileName: "desen.pdf", FileSize: size, MimeType: "application/pdf",
		StorageKey: kind + "/" + store.NewID()}
}

func TestUploads_QuotaPerOwner(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpenWith(t, store.Options{Quotas: store.Quotas{Uploads: store.Quota{MaxCount: 2, MaxBytes: 1000}}})
	userID := storetest.MustCreateUser(t, db, "ana@example.ro")
	user, guest := store.CartOwner{UserID: userID}, store.CartOwner{GuestID: "g1"}
	for _, owner := range []store.CartOwner{user, guest} {
		_, err := db.CreateUpload(ctx, owner, newUpload(store.UploadAttachment, 600))
		require.NoError(t, err)
		_, err = db.CreateUpload(ctx, owner, newUpload(store.UploadAttachment, 600))
		require.Equal(t, store.ECodeQuotaExceeded, store.ErrorCode(err), "bytes: %v", err)
		_, err = db.CreateUpload(ctx, owner, newUpload(store.UploadBOM, 100))
		require.NoError(t, err)
		_, err = db.CreateUpload(ctx, owner, newUpload(store.UploadBOM, 1))
		require.Equal(t, store.ECodeQuotaExceeded, store.ErrorCode(err), "count: %v", err)
	}
	// Another guest is not counted with them.
	_, err := db.CreateUpload(ctx, store.CartOwner{GuestID: "g2"}, newUpload(store.UploadAttachment, 900))
	require.NoError(t, err)
}

func TestUploads_ReadableBy(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	ana := storetest.MustCreateUser(t, db, "ana@example.ro")
	u, err := db.CreateUpload(ctx, store.CartOwner{UserID: ana}, newUpload(store.UploadAttachment, 10))
	require.NoError(t, err)
	got, err := db.GetUpload(ctx, u.ID)
	require.NoError(t, err)
	require.Equal(t, "desen.pdf", got.FileName)
	require.True(t, got.ReadableBy(ana, store.RoleIndividual, ""))
	require.True(t, got.ReadableBy("someone", store.RoleOperator, ""))
	require.True(t, got.ReadableBy("someone", store.RoleAdmin, ""))
	require.False(t, got.ReadableBy("someone", store.RoleBusiness, ""))
	require.False(t, got.ReadableBy("", "", "g1"))
	require.False(t, got.ReadableBy("", "", ""))
	_, err = db.GetUpload(ctx, "missing")
	require.Equal(t, store.ECodeNotFound, store.ErrorCode(err))
}

func TestUploads_LinkToRFQ(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	cat := storetest.MustCreateCatalog(t, db)
	guest, other := store.CartOwner{GuestID: "g-files"}, store.CartOwner{GuestID: "g-other"}
	mine, err := db.CreateUpload(ctx, guest, newUpload(store.UploadAttachment, 10))
	require.NoError(t, err)
	bomUpload := newUpload(store.UploadBOM, 12)
	bomUpload.FileName, bomUpload.MimeType = "lista.csv", "text/csv"
	bom, err := db.CreateUpload(ctx, guest, bomUpload)
	require.NoError(t, err)
	theirs, err := db.CreateUpload(ctx, other, newUpload(store.UploadAttachment, 10))
	require.NoError(t, err)
	fillCart := func() {
		_, err := db.AddCartItem(ctx, guest, store.CartItemInput{ProductID: cat.Pipe, Quantity: 6, Unit: "m"})
		require.NoError(t, err)
	}
	fillCart()

	for name, ids := range map[string][]string{
		"another guest's": {mine.ID, theirs.ID},
		"unknown":         {"nope"},
		"twice":           {mine.ID, mine.ID},
	} {
		t.Run(name, func(t *testing.T) {
			in := validRFQ()
			in.AttachmentIDs = ids
			_, err := submitRFQ(ctx, db, store.RFQSubmission{Owner: guest, Input: in, Lang: "ro"})
			require.Equal(t, store.ECodeInvalid, store.ErrorCode(err), "%v", err)
			require.Equal(t, 0, count(t, db, "rfqs"), "nothing is submitted")
		})
	}

	in := validRFQ()
	in.AttachmentIDs = []string{mine.ID, bom.ID} // the BOM the cart came from goes along too
	res, err := submitRFQ(ctx, db, store.RFQSubmission{Owner: guest, Input: in, Lang: "ro"})
	require.NoError(t, err)
	require.ElementsMatch(t, []store.RFQAttachment{{ID: mine.ID, FileName: "desen.pdf", FileSize: 10, MimeType: "application/pdf"},
		{ID: bom.ID, FileName: "lista.csv", FileSize: 12, MimeType: "text/csv"}}, res.RFQ.Attachments)
	var op outboxRow
	for _, r := range outbox(t, db) {
		if r.Template == "operator_new_rfq" {
			op = r
		}
	}
	require.Contains(t, op.Data["attachments"], map[string]any{"fileName": "desen.pdf", "fileSize": float64(10),
		"id": mine.ID}) // the mail renderer links it to the back office
	require.Len(t, op.Data["attachments"], 2)
	got, err := db.GetUpload(ctx, mine.ID)
	require.NoError(t, err)
	require.Equal(t, res.RFQ.ID, got.RFQID)
	require.Equal(t, guest.GuestID, got.RFQGuestID)

	// Claimed once: a second RFQ cannot take it.
	fillCart()
	in.AttachmentIDs = []string{mine.ID}
	_, err = submitRFQ(ctx, db, store.RFQSubmission{Owner: guest, Input: in, Lang: "ro"})
	require.Equal(t, store.ECodeInvalid, store.ErrorCode(err))
}

func TestUploads_UnclaimedAreSweptAfterADay(t *testing.T) {
	ctx := context.Background()
	clk := testclock.New(time.Date(2026, 5, 10, 9, 0, 0, 0, time.UTC))
	db := storetest.MustOpenWith(t, store.Options{Now: clk.Now})
	userID := storetest.MustCreateUser(t, db, "ana@example.ro")
	owner := store.CartOwner{UserID: userID}
	old, err := db.CreateUpload(ctx, owner, newUpload(store.UploadBOM, 10))
	require.NoError(t, err)
	kept, err := db.CreateUpload(ctx, owner, newUpload(store.UploadBOM, 10))
	require.NoError(t, err)
	project, err := db.CreateProject(ctx, userID, store.ProjectInput{Name: ptr("Hala Florești"),
		FileName: ptr("bom.csv"), BOMData: []byte(`{"fileId":"` + kept.ID + `"}`)})
	require.NoError(t, err, "saving the project keeps the file its bomData names")
	require.NotEmpty(t, project.ID)
	otherUser := storetest.MustCreateUser(t, db, "ion@example.ro")
	_, err = db.CreateProject(ctx, otherUser, store.ProjectInput{Name: ptr("Furt"),
		FileName: ptr("bom.csv"), BOMData: []byte(`{"fileId":"` + old.ID + `"}`)})
	require.Equal(t, store.ECodeInvalid, store.ErrorCode(err), "another user's file cannot be named")
	clk.Advance(23 * time.Hour)
	fresh, err := db.CreateUpload(ctx, owner, newUpload(store.UploadAttachment, 10))
	require.NoError(t, err)

	stale, err := db.UnclaimedUploads(ctx, 100)
	require.NoError(t, err)
	require.Empty(t, stale, "a day has not passed")
	clk.Advance(2 * time.Hour)
	stale, err = db.UnclaimedUploads(ctx, 100)
	require.NoError(t, err)
	require.Len(t, stale, 1)
	require.Equal(t, old.ID, stale[0].ID)
	require.Equal(t, old.StorageKey, stale[0].StorageKey)
	deleted, err := db.DeleteUnclaimedUpload(ctx, old.ID)
	require.NoError(t, err)
	require.True(t, deleted)
	deleted, err = db.DeleteUnclaimedUpload(ctx, kept.ID)
	require.NoError(t, err)
	require.False(t, deleted, "a project keeps it")
	_, err = db.GetUpload(ctx, fresh.ID)
	require.NoError(t, err)
}

func ptr[T any](v T) *T { return &v }
