package files_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/files"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

func TestAttachmentLoaderResolvesFileLinks(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	blobs := newLocal(t)
	pdf := []byte("%PDF-1.7 oferta")
	require.NoError(t, blobs.Put(ctx, "attachment/q1", bytes.NewReader(pdf), int64(len(pdf)), "application/pdf"))
	u, err := db.CreateUpload(ctx, store.CartOwner{GuestID: "g"}, store.NewUpload{Kind: store.UploadAttachment,
		FileName: "Oferta.pdf", FileSize: int64(len(pdf)), MimeType: "application/pdf", StorageKey: "attachment/q1"})
	require.NoError(t, err)

	l := files.AttachmentLoader{Blobs: blobs, Uploads: db}
	a, err := l.LoadAttachment(ctx, "https://api.metalpro.ro/api/files/"+u.ID)
	require.NoError(t, err)
	require.Equal(t, pdf, a.Content)
	require.Equal(t, "Oferta.pdf", a.Filename)
	require.Equal(t, "application/pdf", a.ContentType)

	for _, bad := range []string{"https://example.com/quote.pdf", "https://api.metalpro.ro/api/files/", "::"} {
		_, err := l.LoadAttachment(ctx, bad)
		require.Error(t, err, bad)
	}
	_, err = l.LoadAttachment(ctx, "https://api.metalpro.ro/api/files/"+store.NewID())
	require.Equal(t, store.ECodeNotFound, store.ErrorCode(err))
	small := files.AttachmentLoader{Blobs: blobs, Uploads: db, MaxBytes: 4}
	_, err = small.LoadAttachment(ctx, "/api/files/"+u.ID)
	require.ErrorContains(t, err, "larger than")
}
