package mail_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/emails"
	"github.com/metalpro/backend/mail"
	"github.com/metalpro/backend/store"
)

// emlPart is one leaf of a parsed MIME message.
type emlPart struct {
	ContentType string
	Filename    string
	Body        []byte
}

// MustParseEML reads a .eml file the way a mail client would.
func MustParseEML(tb testing.TB, path string) (*netmail.Message, []emlPart) {
	tb.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(tb, err)
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	require.NoError(tb, err)
	var parts []emlPart
	var walk func(ctype string, body io.Reader)
	walk = func(ctype string, body io.Reader) {
		mt, params, err := mime.ParseMediaType(ctype)
		require.NoError(tb, err)
		if !strings.HasPrefix(mt, "multipart/") {
			b, err := io.ReadAll(body)
			require.NoError(tb, err)
			parts = append(parts, emlPart{ContentType: mt, Body: b})
			return
		}
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextPart() // decodes quoted-printable
			if err == io.EOF {
				return
			}
			require.NoError(tb, err)
			if p.FileName() != "" {
				require.Equal(tb, "base64", p.Header.Get("Content-Transfer-Encoding"))
				b, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, p))
				require.NoError(tb, err)
				parts = append(parts, emlPart{ContentType: p.Header.Get("Content-Type"), Filename: p.FileName(), Body: b})
				continue
			}
			walk(p.Header.Get("Content-Type"), p)
		}
	}
	walk(msg.Header.Get("Content-Type"), msg.Body)
	return msg, parts
}

func TestLocalSender(t *testing.T) {
	ctx := context.Background()
	db, _ := MustOpenTempDB(t)
	dir := filepath.Join(t.TempDir(), "mail")
	pdf := []byte("%PDF-1.4\n" + strings.Repeat("binary\x00\xff", 50))
	w := NewTestWorker(t, db, mail.NewLocalSender(dir, nil), func(c *mail.WorkerConfig) {
		c.Attachments = mail.AttachmentLoaderFunc(func(context.Context, string) (mail.Attachment, error) {
			return mail.Attachment{Content: pdf, ContentType: "application/pdf"}, nil
		})
	})
	confirm := MustEnqueue(t, db, emails.TemplateRFQConfirmation, "ion@example.ro", "ro")
	quote := MustEnqueue(t, db, emails.TemplateQuoteReady, "ion@example.ro", "ro")
	_, err := w.RunOnce(ctx)
	require.NoError(t, err)

	files, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	require.NoError(t, err)
	require.Len(t, files, 2)
	index, err := os.ReadFile(filepath.Join(dir, "index.log"))
	require.NoError(t, err)
	require.Equal(t, 2, strings.Count(string(index), "\n"))

	for _, id := range []string{confirm, quote} {
		row, err := db.GetEmail(ctx, id)
		require.NoError(t, err)
		require.Equal(t, store.OutboxSent, row.Status)
		path := strings.TrimPrefix(row.ProviderMessageID, "file:")
		require.FileExists(t, path)
		require.Contains(t, string(index), path)
		require.Contains(t, filepath.Base(path), row.Template)
		require.Contains(t, filepath.Base(path), "ion@example.ro")

		msg, parts := MustParseEML(t, path)
		subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		require.NoError(t, err)
		from, err := msg.Header.AddressList("From")
		require.NoError(t, err)
		require.Equal(t, "noreply@metalpro.ro", from[0].Address)
		require.Equal(t, "<ion@example.ro>", msg.Header.Get("To"))
		require.Equal(t, id, msg.Header.Get("X-MetalPro-Outbox-ID"))
		require.GreaterOrEqual(t, len(parts), 2)
		require.Equal(t, "text/plain", parts[0].ContentType)
		require.Equal(t, "text/html", parts[1].ContentType)

		switch id {
		case confirm:
			require.Equal(t, "Confirmare cerere de ofertă RFQ-2026-00001 - MetalPro", subject)
			require.Contains(t, string(parts[0].Body), "Țeavă rectangulară 40x40x3: 12,5 m")
			require.Contains(t, string(parts[1].Body), "&lt;script&gt;")
			require.Len(t, parts, 2)
		case quote:
			require.Equal(t, "Ofertă Pregătită - RFQ-2026-00001", subject)
			require.Len(t, parts, 3)
			require.Equal(t, "Oferta-RFQ-2026-00001.pdf", parts[2].Filename)
			require.Equal(t, pdf, parts[2].Body)
		}
	}
}

// TestLocalSender_NoHalfWrittenEmails: while an email is being written, nothing in the
// folder matches *.eml yet, so a tool watching DIR/*.eml never reads half an email.
func TestLocalSender_NoHalfWrittenEmails(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mail")
	s := mail.NewLocalSender(dir, nil)
	var seen []string
	s.SetBeforeRename(func(tmp string) {
		matches, err := filepath.Glob(filepath.Join(dir, "*.eml"))
		require.NoError(t, err)
		require.Empty(t, matches, "the temp file %s is visible as an email", filepath.Base(tmp))
		seen = append(seen, tmp)
	})
	_, err := s.Send(context.Background(), &mail.Message{Template: "verify_email",
		From: mail.Address{Email: "noreply@metalpro.ro"}, To: mail.Address{Email: "ana@example.ro"},
		Subject: "Confirmă adresa", Text: "text", HTML: "<p>html</p>"})
	require.NoError(t, err)
	require.Len(t, seen, 1)
	matches, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	require.NoError(t, err)
	require.Len(t, matches, 1, "the finished email is there")
}
