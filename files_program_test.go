package main

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRun_BOMToRFQWithFiles is the files journey through the real program: a guest uploads
// a BOM, turns its matched rows into the cart in one call, attaches a drawing, submits the
// RFQ with both files; the RFQ and the operator's email show both; the owner downloads them
// through signed URLs, another visitor gets 404.
func TestRun_BOMToRFQWithFiles(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	srv := startServer(t, map[string]string{"DATA_DIR": dataDir, "OPERATOR_EMAIL": "vanzari@metalpro.test"})
	buyer := newProgramVisitor(t, srv.URL)

	bomCSV, err := os.ReadFile("bom/testdata/corpus/hala_metalica.csv")
	require.NoError(t, err)
	status, body := buyer.upload("/api/upload/bom", "Listă hală.csv", bomCSV)
	require.Equal(t, http.StatusCreated, status, "%s", body)
	var mapped struct {
		File struct{ ID, FileName string }
		BOM  struct {
			Rows []struct {
				Status   string
				CartLine json.RawMessage `json:"cartLine"`
			}
			Summary struct{ Total, Matched int }
		}
	}
	require.NoError(t, json.Unmarshal(body, &mapped))
	require.Greater(t, mapped.BOM.Summary.Matched, 3, "%s", body)
	var lines []json.RawMessage
	for _, r := range mapped.BOM.Rows {
		if r.Status == "matched" {
			lines = append(lines, r.CartLine)
		}
	}
	status, body = buyer.postJSON("/api/cart/bom", map[string]any{"rows": lines})
	require.Equal(t, http.StatusCreated, status, "%s", body)

	drawing := []byte("%PDF-1.7\n% desen de execuție, hală Florești\n")
	status, body = buyer.upload("/api/upload/attachment", "Desen hală.pdf", drawing)
	require.Equal(t, http.StatusCreated, status, "%s", body)
	var att struct{ ID string }
	require.NoError(t, json.Unmarshal(body, &att))

	address := map[string]any{"street": "Str. Fabricii 5", "city": "Florești", "county": "Cluj", "postalCode": "407280"}
	status, body = buyer.postJSON("/api/rfq", map[string]any{
		"companyName": "Construct Hală SRL", "contactPerson": "Ana Pop", "email": "ana@example.ro", "phone": "0722123456",
		"billingAddress": address, "deliveryAddress": address, "attachmentIds": []string{mapped.File.ID, att.ID}})
	require.Equal(t, http.StatusCreated, status, "%s", body)
	var rfq struct {
		ID          string
		Items       []json.RawMessage
		Attachments []struct{ ID, FileName string }
	}
	require.NoError(t, json.Unmarshal(body, &rfq))
	require.Len(t, rfq.Items, len(lines), "every accepted BOM row is an RFQ line")
	require.ElementsMatch(t, []string{"Listă hală.csv", "Desen hală.pdf"},
		[]string{rfq.Attachments[0].FileName, rfq.Attachments[1].FileName})

	// The operator's email names and links both files.
	var operatorEmail string
	waitUntil(t, "the operator email is written", func() bool {
		for _, f := range emailFiles(t, dataDir) {
			raw, err := os.ReadFile(f)
			require.NoError(t, err)
			if strings.Contains(string(raw), "To: <vanzari@metalpro.test>") {
				operatorEmail = strings.ReplaceAll(string(raw), "=\r\n", "") // quoted-printable soft breaks
				return true
			}
		}
		return false
	})
	for _, id := range []string{mapped.File.ID, att.ID} {
		require.Contains(t, operatorEmail, "/admin/files/"+id) // the back office's staff download
	}

	// The owner downloads through a signed URL that works without the cookie.
	for id, want := range map[string][]byte{att.ID: drawing, mapped.File.ID: bomCSV} {
		link := buyer.fileLink(id)
		resp, err := http.Get(srv.URL + link)
		require.NoError(t, err)
		got, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Equal(t, want, got)
	}

	// Another visitor with a session of its own gets 404, as for a file that does not exist.
	other := newProgramVisitor(t, srv.URL)
	status, _ = other.upload("/api/upload/attachment", "al meu.pdf", drawing)
	require.Equal(t, http.StatusCreated, status)
	require.Equal(t, http.StatusNotFound, other.fileStatus(att.ID))
	require.Equal(t, http.StatusNotFound, other.fileStatus(mapped.File.ID))
}

// programVisitor is a browser with its own cookies, talking to the real program.
type programVisitor struct {
	tb   testing.TB
	base string
	hc   *http.Client
}

func newProgramVisitor(tb testing.TB, base string) *programVisitor {
	jar, err := cookiejar.New(nil)
	require.NoError(tb, err)
	return &programVisitor{tb: tb, base: base, hc: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (v *programVisitor) do(req *http.Request) (int, []byte, http.Header) {
	v.tb.Helper()
	resp, err := v.hc.Do(req)
	require.NoError(v.tb, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(v.tb, err)
	return resp.StatusCode, body, resp.Header
}

func (v *programVisitor) postJSON(path string, body any) (int, []byte) {
	v.tb.Helper()
	raw, err := json.Marshal(body)
	require.NoError(v.tb, err)
	req, err := http.NewRequest(http.MethodPost, v.base+path, bytes.NewReader(raw))
	require.NoError(v.tb, err)
	req.Header.Set("Content-Type", "application/json")
	status, b, _ := v.do(req)
	return status, b
}

func (v *programVisitor) upload(path, name string, content []byte) (int, []byte) {
	v.tb.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	part, err := mw.CreateFormFile("file", name)
	require.NoError(v.tb, err)
	_, err = part.Write(content)
	require.NoError(v.tb, err)
	require.NoError(v.tb, mw.Close())
	req, err := http.NewRequest(http.MethodPost, v.base+path, &buf)
	require.NoError(v.tb, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	status, b, _ := v.do(req)
	return status, b
}

// fileLink asks GET /api/files/{id} and returns the signed URL it redirects to.
func (v *programVisitor) fileLink(id string) string {
	v.tb.Helper()
	req, err := http.NewRequest(http.MethodGet, v.base+"/api/files/"+id, nil)
	require.NoError(v.tb, err)
	status, body, h := v.do(req)
	require.Equal(v.tb, http.StatusFound, status, "%s", body)
	return h.Get("Location")
}

func (v *programVisitor) fileStatus(id string) int {
	v.tb.Helper()
	req, err := http.NewRequest(http.MethodGet, v.base+"/api/files/"+id, nil)
	require.NoError(v.tb, err)
	status, _, _ := v.do(req)
	return status
}
