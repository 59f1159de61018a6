package files

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/metalpro/backend/mail"
	"github.com/metalpro/backend/store"
)

// UploadLookup finds an upload's row (*store.DB does).
type UploadLookup interface {
	GetUpload(ctx context.Context, id string) (*store.Upload, error)
}

// AttachmentLoader reads the files behind the download links the application generates
// ({API_URL}/api/files/{id}, whatever the host) through the file store, for emails that carry
// a file (the quote PDF).
type AttachmentLoader struct {
	Blobs   Blobs
	Uploads UploadLookup
	// MaxBytes bounds what is loaded into memory; MaxUploadBytes when zero.
	MaxBytes int64
}

var _ mail.AttachmentLoader = AttachmentLoader{}

// FileIDFromURL is the file id in a download link: /api/files/{id}, on any host.
func FileIDFromURL(link string) (string, bool) {
	u, err := url.Parse(link)
	if err != nil {
		return "", false
	}
	id, ok := strings.CutPrefix(u.Path, "/api/files/")
	if !ok || id == "" || strings.Contains(id, "/") {
		return "", false
	}
	return id, true
}

// LoadAttachment reads the file behind link.
func (l AttachmentLoader) LoadAttachment(ctx context.Context, link string) (mail.Attachment, error) {
	id, ok := FileIDFromURL(link)
	if !ok {
		return mail.Attachment{}, fmt.Errorf("files: %q is not a file link of this application", link)
	}
	u, err := l.Uploads.GetUpload(ctx, id)
	if err != nil {
		return mail.Attachment{}, err
	}
	rc, err := l.Blobs.Get(ctx, u.StorageKey)
	if err != nil {
		return mail.Attachment{}, err
	}
	defer rc.Close()
	limit := l.MaxBytes
	if limit <= 0 {
		limit = MaxUploadBytes
	}
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return mail.Attachment{}, err
	}
	if int64(len(b)) > limit {
		return mail.Attachment{}, fmt.Errorf("files: %s is larger than %d bytes", id, limit)
	}
	return mail.Attachment{Filename: u.FileName, ContentType: u.MimeType, Content: b}, nil
}
