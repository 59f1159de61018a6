package files

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Local keeps files in a folder (DATA_DIR/uploads by default). Its signed URLs point at the
// application itself, which checks the signature and streams the file (LocalURLs).
type Local struct {
	dir  string
	urls *URLSigner
}

// NewLocal opens (and creates) dir as a file store whose downloads urls signs.
func NewLocal(dir string, urls *URLSigner) (*Local, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	return &Local{dir: abs, urls: urls}, nil
}

// Dir is the folder the files are in.
func (l *Local) Dir() string { return l.dir }

// path maps a key to its file, refusing keys that would leave the folder.
func (l *Local) path(key string) (string, error) {
	clean := filepath.Clean(filepath.FromSlash(key))
	if key == "" || filepath.IsAbs(clean) || clean == "." || strings.HasPrefix(clean, "..") {
		return "", fmt.Errorf("files: bad key %q", key)
	}
	return filepath.Join(l.dir, clean), nil
}

// Put writes to a temporary file beside the target and renames it into place, so a reader
// never sees half a file and a failure leaves nothing.
func (l *Local) Put(ctx context.Context, key string, body io.ReadSeeker, size int64, _ string) (err error) {
	dst, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return unavailable(err)
	}
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	tmp := dst + ".part-" + hex.EncodeToString(rnd[:])
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return unavailable(err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	n, err := io.Copy(f, io.LimitReader(&ctxReader{ctx, body}, size+1))
	if err != nil {
		return unavailable(err)
	}
	if n != size {
		return fmt.Errorf("files: put %s: got %d bytes, want %d", key, n, size)
	}
	if err = f.Sync(); err != nil {
		return unavailable(err)
	}
	if err = f.Close(); err != nil {
		return unavailable(err)
	}
	if err = os.Rename(tmp, dst); err != nil {
		return unavailable(err)
	}
	return nil
}

// Get opens key's file.
func (l *Local) Get(_ context.Context, key string) (io.ReadCloser, error) {
	p, err := l.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotExist
	}
	return f, err
}

// Delete removes key's file.
func (l *Local) Delete(_ context.Context, key string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// SignedURL is the application's own download URL for d.ID, signed until d.TTL passes.
func (l *Local) SignedURL(_ context.Context, _ string, d Download) (string, error) {
	if l.urls == nil {
		return "", errors.New("files: local store without a URL signer")
	}
	return l.urls.URL(d.ID, d.TTL), nil
}

// Check fails when the folder is gone or not writable.
func (l *Local) Check(context.Context) error {
	f, err := os.CreateTemp(l.dir, ".health-*")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// Location is file:// and the folder.
func (l *Local) Location() string { return "file://" + filepath.ToSlash(l.dir) }

// ctxReader stops a copy when ctx ends (a client that went away mid-upload).
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
