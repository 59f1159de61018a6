package files

import (
	"context"
	"errors"
	"io"
	"time"
)

// Blobs is where file contents live: S3 (or an S3-compatible store) in production, a
// folder under the data dir otherwise. Keys are the application's own (kind/uuid), never a
// client's file name.
type Blobs interface {
	// Put stores exactly size bytes from body under key, or nothing: a failed or short Put
	// leaves no object behind.
	Put(ctx context.Context, key string, body io.ReadSeeker, size int64, mimeType string) error
	// Get opens key's content; ErrNotExist when there is none.
	Get(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes key; a missing key is not an error.
	Delete(ctx context.Context, key string) error
	// SignedURL is a URL that downloads key, as d names it, until d.TTL has passed.
	SignedURL(ctx context.Context, key string, d Download) (string, error)
	// Check reports whether the store can be reached (for /health).
	Check(ctx context.Context) error
	// Location describes the store without secrets: "s3://bucket/prefix", "file:///data/uploads".
	Location() string
}

// Download is how a signed URL serves a file.
type Download struct {
	ID       string // the attachments row, for URLs the application serves itself
	FileName string // sanitised; sent in Content-Disposition
	MIME     string
	TTL      time.Duration
}

// SignedURLTTL is how long a download link works (the seed's 1 hour).
const SignedURLTTL = time.Hour

// ErrNotExist is Get's error for a key with no content.
var ErrNotExist = errors.New("files: no such object")
