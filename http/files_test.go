package apphttp_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/files"
	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/http/apitest"
	"github.com/metalpro/backend/replica/replicatest"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

var drawing = []byte("%PDF-1.7\n% desen tehnic grindă HEA200\n")

type fileJSON struct {
	ID       string `json:"id"`
	FileName string `json:"fileName"`
	FileSize int64  `json:"fileSize"`
	MimeType string `json:"mimeType"`
}

func TestFiles_AttachmentDownloadAndOwnership(t *testing.T) {
	s := startFileShop(t, nil, nil, nil)
	owner := s.NewVisitor(t)
	r := owner.UploadBytes("/api/upload/attachment", `..\Desen "secțiune" A-A.txt`, drawing)
	require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
	var f fileJSON
	r.JSON(t, &f)
	require.Equal(t, `Desen _secțiune_ A-A.txt`, f.FileName, "the name is kept, sanitised")
	require.Equal(t, "application/pdf", f.MimeType, "judged from the content, not the .txt name")
	require.EqualValues(t, len(drawing), f.FileSize)
	stored := s.storedFiles(t)
	require.Len(t, stored, 1)
	require.NotContains(t, stored[0], "Desen", "the key never holds the client's name")

	// The owner is redirected to a signed URL that works for any client for an hour.
	r = owner.GetFile(f.ID)
	require.Equal(t, http.StatusFound, r.StatusCode, "%s", r.Body)
	link := r.Header.Get("Location")
	got := s.fetch(t, link)
	require.Equal(t, http.StatusOK, got.StatusCode, "%s", got.Body)
	require.Equal(t, drawing, got.Body)
	require.Equal(t, "application/pdf", got.Header.Get("Content-Type"))
	require.Equal(t, `attachment; filename*=utf-8''Desen%20_sec%C8%9Biune_%20A-A.txt`, got.Header.Get("Content-Disposition"))

	// A storefront holding a Bearer token asks for the link as JSON instead of a redirect.
	hc := *owner.hc
	req, resp, body := sendJSON(t, &hc, http.MethodGet, s.URL+"/api/files/"+f.ID, nil, owner.token, "Accept", "application/json")
	apitest.Check(t, req, resp, body)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	var asJSON struct {
		URL       string    `json:"url"`
		ExpiresAt time.Time `json:"expiresAt"`
		FileName  string    `json:"fileName"`
	}
	require.NoError(t, json.Unmarshal(body, &asJSON))
	require.Equal(t, drawing, s.fetch(t, asJSON.URL).Body)
	require.WithinDuration(t, time.Now().Add(time.Hour), asJSON.ExpiresAt, 5*time.Minute)
	require.Equal(t, f.FileName, asJSON.FileName)

	// Altered or expired links are refused with 403.
	u, err := url.Parse(link)
	require.NoError(t, err)
	q := u.Query()
	q.Set("expires", q.Get("expires")+"9")
	u.RawQuery = q.Encode()
	require.Equal(t, http.StatusForbidden, s.fetch(t, u.String()).StatusCode, "a longer life")
	s.Srv.SetFileClock(func() time.Time { return time.Now().Add(time.Hour + time.Minute) })
	require.Equal(t, http.StatusForbidden, s.fetch(t, link).StatusCode, "expired")
	s.Srv.SetFileClock(time.Now)

	// Another guest and another customer get 404, as for a file that does not exist.
	other := s.NewVisitor(t)
	other.MustAdd(s.cat.Pipe, 6, "m") // a guest with a session of its own
	require.Equal(t, http.StatusNotFound, other.GetFile(f.ID).StatusCode)
	customer := s.NewVisitor(t)
	customer.Signup("ion@example.ro")
	r = customer.GetFile(f.ID)
	require.Equal(t, http.StatusNotFound, r.StatusCode)
	require.Equal(t, "not_found", r.Err(t).Code)
	require.Equal(t, http.StatusNotFound, owner.GetFile("00000000-0000-0000-0000-000000000000").StatusCode)

	// Staff may read it.
	_, err = s.DB.CreateStaff(context.Background(), store.Signup{Email: "operator@metalpro.ro", Password: testPassword,
		Name: "Operator", Role: store.RoleOperator})
	require.NoError(t, err)
	staff := s.NewVisitor(t)
	staff.Login("operator@metalpro.ro")
	require.Equal(t, http.StatusFound, staff.GetFile(f.ID).StatusCode)
}

func TestFiles_AttachToRFQ(t *testing.T) {
	s := startFileShop(t, nil, nil, nil)
	guest := s.NewVisitor(t)
	guest.MustAdd(s.cat.Pipe, 12, "m")
	var mine, theirs fileJSON
	guest.UploadBytes("/api/upload/attachment", "desen.pdf", drawing).JSON(t, &mine)
	other := s.NewVisitor(t)
	other.UploadBytes("/api/upload/attachment", "alt.pdf", drawing).JSON(t, &theirs)

	form := rfqForm()
	form["attachmentIds"] = []string{mine.ID, theirs.ID}
	r := guest.Do(http.MethodPost, "/api/rfq", form)
	require.Equal(t, http.StatusBadRequest, r.StatusCode, "%s", r.Body)
	require.Equal(t, "attachmentIds[1]", r.Err(t).Details[0].Field)
	require.Len(t, guest.Cart().Items, 1, "nothing was submitted")

	form["attachmentIds"] = []string{mine.ID}
	r = guest.Do(http.MethodPost, "/api/rfq", form)
	require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
	var rfq rfqJSON
	r.JSON(t, &rfq)
	require.Len(t, rfq.Attachments, 1)
	require.Equal(t, mine.ID, rfq.Attachments[0].(map[string]any)["id"])

	var named string
	for _, row := range shopOutbox(t, s.DB) {
		if row.Template == "operator_new_rfq" {
			named = row.Data["attachments"].([]any)[0].(map[string]any)["id"].(string)
		}
	}
	require.Equal(t, mine.ID, named, "the operator email names the file (the mail renderer links it to the back office)")
	require.Equal(t, http.StatusFound, guest.GetFile(mine.ID).StatusCode, "the RFQ's owner still reads it")
	require.Equal(t, http.StatusNotFound, other.GetFile(mine.ID).StatusCode)
}

// bombXLSX is a workbook whose sheet declares 4 GB expanded.
func bombXLSX(tb testing.TB) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
		w, err := zw.Create(name)
		require.NoError(tb, err)
		_, _ = io.WriteString(w, "<x/>")
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		CompressedSize64: 4 << 20, UncompressedSize64: 4 << 30})
	require.NoError(tb, err)
	_, err = w.Write(make([]byte, 4<<20))
	require.NoError(tb, err)
	require.NoError(tb, zw.Close())
	return buf.Bytes()
}

// pdfStream is a PDF header followed by n bytes, streamed without being held in memory.
func pdfStream(n int64) io.Reader {
	return io.MultiReader(strings.NewReader("%PDF-1.7\n"), io.LimitReader(zeros{}, n))
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestFiles_BadFilesAreRefusedAndNothingIsKept(t *testing.T) {
	s := startFileShop(t, nil, nil, nil)
	v := s.NewVisitor(t)
	allowed := "Tipuri de fișiere permise: PDF, PNG, JPEG, DXF, DWG, XLSX, CSV, DOCX."
	garbage := make([]byte, 8192)
	for i := range garbage {
		garbage[i] = byte(i*7919 + i/13)
	}
	for name, tc := range map[string]struct {
		file    string
		content []byte
		status  int
		says    string
	}{
		"elf renamed":     {"desen.pdf", append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 100)...), 415, "executabile"},
		"pe renamed":      {"lista.xlsx", append([]byte("MZ\x90\x00\x03"), make([]byte, 100)...), 415, "executabile"},
		"html renamed":    {"oferta.pdf", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), 415, "HTML"},
		"svg with script": {"logo.png", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), 415, "SVG cu scripturi"},
		"zip bomb xlsx":   {"bom.xlsx", bombXLSX(t), 415, "dezarhiva"},
		"garbage":         {"desen.dwg", garbage, 415, "nu a fost recunoscut"},
		"empty":           {"gol.pdf", nil, 400, "Fișierul este gol."},
	} {
		t.Run(name, func(t *testing.T) {
			r := v.UploadBytes("/api/upload/attachment", tc.file, tc.content)
			require.Equal(t, tc.status, r.StatusCode, "%s", r.Body)
			e := r.Err(t)
			require.Contains(t, e.Error, tc.says)
			if tc.status == 415 {
				require.Contains(t, e.Error, allowed)
				require.Equal(t, "unsupported_media_type", e.Code)
			}
		})
	}
	r := v.Upload("/api/upload/attachment", "x.exe", bytes.NewReader(append([]byte("\x7fELF"), make([]byte, 60)...)),
		"Accept-Language", "en")
	require.Equal(t, "Executable files (programs, scripts) are not accepted. Allowed file types: PDF, PNG, JPEG, DXF, DWG, XLSX, CSV, DOCX.",
		r.Err(t).Error)

	t.Run("51 MB", func(t *testing.T) {
		r := v.Upload("/api/upload/attachment", "mare.pdf", pdfStream(51<<20))
		require.Equal(t, http.StatusRequestEntityTooLarge, r.StatusCode, "%s", r.Body)
		require.Equal(t, "too_large", r.Err(t).Code)
	})
	require.Zero(t, s.uploadCount(t), "no row")
	require.Empty(t, s.storedFiles(t), "no blob")
	entries, err := os.ReadDir(s.tempDir)
	require.NoError(t, err)
	require.Empty(t, entries, "no temp file")

	// Just under the limit is fine.
	r = v.Upload("/api/upload/attachment", "aproape.pdf", pdfStream(50<<20-9))
	require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
}

func TestFiles_UploadNeedsMultipart(t *testing.T) {
	s := startFileShop(t, nil, nil, nil)
	r := s.NewVisitor(t).Do(http.MethodPost, "/api/upload/attachment", map[string]any{"file": "x"})
	require.Equal(t, http.StatusBadRequest, r.StatusCode)
	require.Contains(t, r.Err(t).Error, "multipart/form-data")
}

func TestFiles_UploadRateLimit(t *testing.T) {
	s := startFileShop(t, nil, nil, func(c *apphttp.Config) { c.RateLimits.Upload = apphttp.Limit{Max: 2, Window: time.Hour} })
	v := s.NewVisitor(t)
	for range 2 {
		require.Equal(t, http.StatusCreated, v.UploadBytes("/api/upload/attachment", "d.pdf", drawing).StatusCode)
	}
	r := v.UploadBytes("/api/upload/attachment", "d.pdf", drawing)
	require.Equal(t, http.StatusTooManyRequests, r.StatusCode)
	require.NotEmpty(t, r.Header.Get("Retry-After"))
}

func TestFiles_BOMUpload(t *testing.T) {
	csv := []byte("Denumire;Cantitate;UM\nȚeavă rectangulară 40x20x2;12;buc\n")
	t.Run("no mapper", func(t *testing.T) {
		s := startFileShop(t, nil, nil, nil)
		r := s.NewVisitor(t).UploadBytes("/api/upload/bom", "bom.csv", csv)
		require.Equal(t, http.StatusServiceUnavailable, r.StatusCode)
		require.Equal(t, "bom_unavailable", r.Err(t).Code)
		require.Zero(t, s.uploadCount(t))
	})
	t.Run("mapped", func(t *testing.T) {
		m := &stubMapper{}
		s := startFileShop(t, nil, m, nil)
		v := s.NewVisitor(t)
		r := v.UploadBytes("/api/upload/bom", "Listă materiale.csv", csv)
		require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
		var body struct {
			File fileJSON       `json:"file"`
			BOM  map[string]any `json:"bom"`
		}
		r.JSON(t, &body)
		require.Equal(t, "Listă materiale.csv", body.File.FileName)
		require.Equal(t, "text/csv", body.File.MimeType)
		require.Equal(t, "text/csv", body.BOM["mimeType"])
		require.Equal(t, csv, m.seen, "the mapper reads the whole file")
		require.Equal(t, http.StatusFound, v.GetFile(body.File.ID).StatusCode)

		r = v.UploadBytes("/api/upload/bom", "desen.pdf", drawing)
		require.Equal(t, http.StatusUnsupportedMediaType, r.StatusCode)
		require.Contains(t, r.Err(t).Error, "Tipuri de fișiere permise: CSV, XLSX.")
	})
	t.Run("unreadable BOM is not kept", func(t *testing.T) {
		s := startFileShop(t, nil, &stubMapper{err: bomReadError{}}, nil)
		r := s.NewVisitor(t).UploadBytes("/api/upload/bom", "bom.csv", csv)
		require.Equal(t, http.StatusBadRequest, r.StatusCode, "%s", r.Body)
		e := r.Err(t)
		require.Equal(t, "bom_no_columns", e.Code)
		require.Equal(t, "Nu am găsit coloanele Denumire, Cantitate, UM.", e.Error)
		require.Zero(t, s.uploadCount(t))
		require.Empty(t, s.storedFiles(t))
	})
	t.Run("mapper failure", func(t *testing.T) {
		s := startFileShop(t, nil, &stubMapper{err: io.ErrUnexpectedEOF}, nil)
		r := s.NewVisitor(t).UploadBytes("/api/upload/bom", "bom.csv", csv)
		require.Equal(t, http.StatusInternalServerError, r.StatusCode, "%s", r.Body)
		require.Zero(t, s.uploadCount(t))
	})
}

func TestFiles_S3(t *testing.T) {
	fake := replicatest.StartS3(t)
	blobs, err := files.NewS3(context.Background(), files.S3Config{Bucket: replicatest.Bucket, Prefix: "uploads/",
		Endpoint: fake.Endpoint, PathStyle: true, AccessKeyID: replicatest.AccessKeyID, SecretAccessKey: replicatest.SecretAccessKey})
	require.NoError(t, err)
	s := startFileShop(t, blobs, nil, nil)
	v := s.NewVisitor(t)
	r := v.UploadBytes("/api/upload/attachment", "desen.pdf", drawing)
	require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
	var f fileJSON
	r.JSON(t, &f)
	r = v.GetFile(f.ID)
	require.Equal(t, http.StatusFound, r.StatusCode)
	link := r.Header.Get("Location")
	require.True(t, strings.HasPrefix(link, fake.Endpoint+"/"+replicatest.Bucket+"/uploads/attachment/"), link)
	require.Contains(t, link, "X-Amz-Expires=3600")
	got := s.fetch(t, link)
	require.Equal(t, http.StatusOK, got.StatusCode, "%s", got.Body)
	require.Equal(t, drawing, got.Body)
}

func TestFiles_S3DownIs503AndKeepsNothing(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	endpoint := "http://" + l.Addr().String()
	require.NoError(t, l.Close())
	blobs, err := files.NewS3(context.Background(), files.S3Config{Bucket: replicatest.Bucket, Endpoint: endpoint,
		PathStyle: true, AccessKeyID: replicatest.AccessKeyID, SecretAccessKey: replicatest.SecretAccessKey})
	require.NoError(t, err)
	s := startFileShop(t, blobs, nil, nil)
	r := s.NewVisitor(t).UploadBytes("/api/upload/attachment", "desen.pdf", drawing)
	require.Equal(t, http.StatusServiceUnavailable, r.StatusCode, "%s", r.Body)
	require.Equal(t, "unavailable", r.Err(t).Code)
	require.NotEmpty(t, r.Header.Get("Retry-After"))
	require.Zero(t, s.uploadCount(t))
	entries, err := os.ReadDir(s.tempDir)
	require.NoError(t, err)
	require.Empty(t, entries)
}

// Past the upload quota the row write fails, and the blob already written goes with it.
func TestFiles_QuotaRefusalKeepsNoBlob(t *testing.T) {
	db := storetest.MustOpenWith(t, store.Options{Quotas: store.Quotas{Uploads: store.Quota{MaxCount: 1, MaxBytes: 1 << 20}}})
	s := startFileShopOn(t, db, nil, nil, nil)
	v := s.NewVisitor(t)
	require.Equal(t, http.StatusCreated, v.UploadBytes("/api/upload/attachment", "a.pdf", drawing).StatusCode)
	r := v.UploadBytes("/api/upload/attachment", "b.pdf", drawing)
	require.Equal(t, http.StatusConflict, r.StatusCode, "%s", r.Body)
	require.Equal(t, "quota_exceeded", r.Err(t).Code)
	require.Equal(t, 1, s.uploadCount(t))
	require.Len(t, s.storedFiles(t), 1, "the refused file's blob is deleted")
	require.Equal(t, http.StatusCreated, s.NewVisitor(t).UploadBytes("/api/upload/attachment", "c.pdf", drawing).StatusCode,
		"another guest has a quota of its own")
}

// Drawings uploaded as a guest go with the RFQ sent after signing in from the same browser.
func TestFiles_GuestUploadsFollowTheSignIn(t *testing.T) {
	s := startFileShop(t, nil, nil, nil)
	v := s.NewVisitor(t)
	v.MustAdd(s.cat.Pipe, 6, "m")
	var f fileJSON
	v.UploadBytes("/api/upload/attachment", "desen.pdf", drawing).JSON(t, &f)
	v.Signup("maria@example.ro")
	require.Equal(t, http.StatusFound, v.GetFile(f.ID).StatusCode)
	form := rfqForm()
	form["attachmentIds"] = []string{f.ID}
	r := v.Do(http.MethodPost, "/api/rfq", form)
	require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
	var rfq rfqJSON
	r.JSON(t, &rfq)
	require.Len(t, rfq.Attachments, 1)
}
