package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/files"
	"github.com/metalpro/backend/internal/testclock"
	"github.com/metalpro/backend/replica/replicatest"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

func TestConfig_FilesNeverBesideTheReplica(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	load := func(m map[string]string) (config, error) {
		m["DATA_DIR"] = dataDir
		return loadConfig("serve", nil, func(k string) string { return m[k] }, io.Discard)
	}
	s3 := func(prefix string) map[string]string {
		return map[string]string{"LITESTREAM_S3_BUCKET": "metalpro", "LITESTREAM_S3_PATH": "db",
			"S3_BUCKET_NAME": "metalpro", "FILES_S3_PREFIX": prefix}
	}
	for _, prefix := range []string{"db", "/db/uploads/", "/"} { // "/" is the whole bucket
		_, err := load(s3(prefix))
		require.ErrorContains(t, err, "FILES_S3_PREFIX", "prefix %q", prefix)
	}
	c, err := load(s3("uploads"))
	require.NoError(t, err)
	require.Equal(t, &files.S3Config{Bucket: "metalpro", Region: "eu-central-1", Prefix: "uploads/"}, c.Files.S3)
	other := s3("db")
	other["S3_BUCKET_NAME"] = "metalpro-files"
	_, err = load(other)
	require.NoError(t, err, "another bucket may use any prefix")

	c, err = load(map[string]string{})
	require.NoError(t, err)
	require.Nil(t, c.Files.S3, "local disk by default")
	require.Equal(t, filepath.Join(dataDir, "uploads"), c.Files.Dir)
	require.Equal(t, "http://localhost:3000", c.Files.APIURL)
	_, err = load(map[string]string{"FILES_DIR": filepath.Join(dataDir, "replica", "uploads")})
	require.ErrorContains(t, err, "FILES_DIR")
	_, err = load(map[string]string{"RATE_LIMIT_UPLOAD": "many"})
	require.ErrorContains(t, err, "RATE_LIMIT_UPLOAD")
}

func TestSweepUploads_RemovesUnclaimedBlobAndRow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := testclock.New(time.Date(2026, 5, 10, 9, 0, 0, 0, time.UTC))
	db := storetest.MustOpenWith(t, store.Options{Now: clk.Now})
	blobs, err := files.NewLocal(t.TempDir(), nil)
	require.NoError(t, err)
	put := func(kind string) *store.Upload {
		key := kind + "/" + store.NewID()
		require.NoError(t, blobs.Put(ctx, key, bytes.NewReader([]byte("%PDF-1.4")), 8, "application/pdf"))
		u, err := db.CreateUpload(ctx, store.CartOwner{GuestID: "g"}, store.NewUpload{Kind: kind, FileName: "a.pdf",
			FileSize: 8, MimeType: "application/pdf", StorageKey: key})
		require.NoError(t, err)
		return u
	}
	old := put(store.UploadAttachment)
	clk.Advance(20 * time.Hour)
	young := put(store.UploadBOM)
	clk.Advance(5 * time.Hour)

	sweepUploads(ctx, db, blobs, slog.New(slog.DiscardHandler))
	_, err = db.GetUpload(ctx, old.ID)
	require.Equal(t, store.ECodeNotFound, store.ErrorCode(err))
	_, err = blobs.Get(ctx, old.StorageKey)
	require.ErrorIs(t, err, files.ErrNotExist)
	_, err = db.GetUpload(ctx, young.ID)
	require.NoError(t, err)
	rc, err := blobs.Get(ctx, young.StorageKey)
	require.NoError(t, err)
	rc.Close()
}

// TestRun_FilesOnS3 boots the program with uploads in an S3-protocol store: an upload lands
// under the prefix, and /health reports the store.
func TestRun_FilesOnS3(t *testing.T) {
	t.Parallel()
	fake := replicatest.StartS3(t)
	srv := startServer(t, map[string]string{
		"REPLICA_URL": "off", "S3_BUCKET_NAME": replicatest.Bucket, "FILES_S3_ENDPOINT": fake.Endpoint,
		"FILES_S3_PREFIX": "uploads", "AWS_REGION": "us-east-1",
		"AWS_ACCESS_KEY_ID": replicatest.AccessKeyID, "AWS_SECRET_ACCESS_KEY": replicatest.SecretAccessKey,
	})
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, err := mw.CreateFormFile("file", "desen.pdf")
	require.NoError(t, err)
	_, _ = part.Write([]byte("%PDF-1.7 grindă"))
	require.NoError(t, mw.Close())
	resp, err := http.Post(srv.URL+"/api/upload/attachment", mw.FormDataContentType(), &body)
	require.NoError(t, err)
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", raw)
	objects, err := fake.Backend.ListBucket(replicatest.Bucket, nil, gofakes3.ListBucketPage{})
	require.NoError(t, err)
	require.Len(t, objects.Contents, 1)
	require.Regexp(t, `^uploads/attachment/[0-9a-f-]{36}$`, objects.Contents[0].Key)

	resp, err = http.Get(srv.URL + "/health")
	require.NoError(t, err)
	var health struct {
		Checks map[string]struct {
			Status string         `json:"status"`
			Detail map[string]any `json:"detail"`
		} `json:"checks"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&health))
	resp.Body.Close()
	require.Equal(t, "ok", health.Checks["files"].Status)
	require.Contains(t, health.Checks["files"].Detail["location"], "s3://"+replicatest.Bucket+"/uploads/")
}

func TestFilesHealth_ReportsAnUnreachableStore(t *testing.T) {
	t.Parallel()
	blobs, err := files.NewS3(context.Background(), files.S3Config{Bucket: "b", Endpoint: "http://127.0.0.1:1", PathStyle: true,
		AccessKeyID: "a", SecretAccessKey: "s"})
	require.NoError(t, err)
	ctx, cancel := testContext(t)
	defer cancel()
	ok, detail := filesHealth(blobs).Health(ctx)
	require.False(t, ok)
	require.NotEmpty(t, detail.(filesDetail).Problem)
}
