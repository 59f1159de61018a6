package files_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/files"
	"github.com/metalpro/backend/replica/replicatest"
	"github.com/metalpro/backend/store"
)

func newS3(tb testing.TB, endpoint string) *files.S3 {
	tb.Helper()
	s, err := files.NewS3(context.Background(), files.S3Config{
		Bucket: replicatest.Bucket, Region: "us-east-1", Prefix: "uploads", Endpoint: endpoint, PathStyle: true,
		AccessKeyID: replicatest.AccessKeyID, SecretAccessKey: replicatest.SecretAccessKey,
	})
	require.NoError(tb, err)
	return s
}

func newLocal(tb testing.TB) *files.Local {
	tb.Helper()
	l, err := files.NewLocal(filepath.Join(tb.TempDir(), "uploads"), files.NewURLSigner("", []byte("k")))
	require.NoError(tb, err)
	return l
}

// testBlobs runs what every store must do: keep exactly what was put, give it back, forget
// it on Delete, and leave nothing for a Put that fails.
func testBlobs(t *testing.T, b files.Blobs) {
	ctx := context.Background()
	content := []byte("%PDF-1.7 desen tehnic")
	require.NoError(t, b.Put(ctx, "attachment/one", bytes.NewReader(content), int64(len(content)), "application/pdf"))
	rc, err := b.Get(ctx, "attachment/one")
	require.NoError(t, err)
	got, err := io.ReadAll(rc)
	rc.Close()
	require.NoError(t, err)
	require.Equal(t, content, got)

	// A body shorter than announced is refused and stores nothing.
	require.Error(t, b.Put(ctx, "attachment/short", bytes.NewReader(content[:5]), int64(len(content)), "application/pdf"))
	_, err = b.Get(ctx, "attachment/short")
	require.ErrorIs(t, err, files.ErrNotExist)

	require.NoError(t, b.Delete(ctx, "attachment/one"))
	_, err = b.Get(ctx, "attachment/one")
	require.ErrorIs(t, err, files.ErrNotExist)
	require.NoError(t, b.Delete(ctx, "attachment/one"), "deleting twice is fine")
	require.NoError(t, b.Check(ctx))
}

func TestLocalStore(t *testing.T) {
	l := newLocal(t)
	testBlobs(t, l)
	entries, err := os.ReadDir(filepath.Join(l.Dir(), "attachment"))
	require.NoError(t, err)
	require.Empty(t, entries, "no partial or temporary file is left")
	_, err = l.Get(context.Background(), "../../etc/passwd")
	require.Error(t, err)
}

func TestS3Store(t *testing.T) {
	fake := replicatest.StartS3(t)
	s := newS3(t, fake.Endpoint)
	testBlobs(t, s)
	require.Equal(t, "s3://metalpro-test/uploads/ at "+fake.Endpoint, s.Location())

	// Objects live under the prefix; the presigned URL works for a plain client, names the
	// file, and says what it is.
	ctx := context.Background()
	content := []byte("Denumire;Cantitate\nHEA200;2\n")
	require.NoError(t, s.Put(ctx, "bom/x", bytes.NewReader(content), int64(len(content)), "text/csv"))
	obj, err := fake.Backend.HeadObject(replicatest.Bucket, "uploads/bom/x")
	require.NoError(t, err)
	require.EqualValues(t, len(content), obj.Size)

	link, err := s.SignedURL(ctx, "bom/x", files.Download{FileName: "Listă materiale.csv", MIME: "text/csv", TTL: time.Hour})
	require.NoError(t, err)
	require.Contains(t, link, "X-Amz-Expires=3600")
	resp, err := http.Get(link)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	require.Equal(t, content, body)
}

func TestS3DownIsUnavailable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close()) // nothing listens there now
	s := newS3(t, "http://"+addr)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = s.Put(ctx, "attachment/x", strings.NewReader("%PDF-1.4"), 8, "application/pdf")
	require.Equal(t, store.ECodeUnavailable, store.ErrorCode(err), "%v", err)
	require.Error(t, s.Check(ctx))
}

func TestSignedURLs(t *testing.T) {
	signer := files.NewURLSigner("", []byte("secret"))
	now := time.Unix(1_800_000_000, 0)
	signer.SetClock(func() time.Time { return now })
	link := signer.URL("abc", time.Hour)
	require.True(t, strings.HasPrefix(link, "/api/files/abc/content?"), link)
	q := mustQuery(t, link)
	require.True(t, signer.Valid("abc", q.Get("expires"), q.Get("sig")))
	require.False(t, signer.Valid("abd", q.Get("expires"), q.Get("sig")), "another file")
	require.False(t, signer.Valid("abc", q.Get("expires")+"0", q.Get("sig")), "a longer life")
	require.False(t, files.NewURLSigner("", []byte("other")).Valid("abc", q.Get("expires"), q.Get("sig")), "another key")
	now = now.Add(time.Hour + time.Second)
	require.False(t, signer.Valid("abc", q.Get("expires"), q.Get("sig")), "expired")
}
