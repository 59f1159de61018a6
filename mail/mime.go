package mail

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"strings"
	"time"
)

// BuildMIME renders m as an RFC 5322 message: multipart/mixed holding a
// multipart/alternative (text, then HTML) and the attachments. Any mail client opens it.
func BuildMIME(m *Message, date time.Time) ([]byte, error) {
	from, err := headerAddress(m.From)
	if err != nil {
		return nil, fmt.Errorf("From: %w", err)
	}
	to, err := headerAddress(m.To)
	if err != nil {
		return nil, fmt.Errorf("To: %w", err)
	}
	var buf bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&buf, "%s: %s\r\n", k, v) }
	header("From", from)
	header("To", to)
	if m.ReplyTo != nil {
		replyTo, err := headerAddress(*m.ReplyTo)
		if err != nil {
			return nil, fmt.Errorf("Reply-To: %w", err)
		}
		header("Reply-To", replyTo)
	}
	header("Subject", encodeSubject(m.Subject))
	header("Date", date.Format(time.RFC1123Z))
	if m.ID != "" {
		header("Message-ID", "<"+m.ID+"@metalpro.local>")
		header("X-MetalPro-Outbox-ID", m.ID)
	}
	if m.Template != "" {
		header("X-MetalPro-Template", m.Template)
	}
	header("MIME-Version", "1.0")

	mixed := multipart.NewWriter(&buf)
	header("Content-Type", `multipart/mixed; boundary="`+mixed.Boundary()+`"`)
	buf.WriteString("\r\n")

	// The alternative part is built first, so that its boundary is known for its header.
	var altBody bytes.Buffer
	alt := multipart.NewWriter(&altBody)
	for _, body := range []struct{ ctype, text string }{
		{"text/plain; charset=utf-8", m.Text},
		{"text/html; charset=utf-8", m.HTML},
	} {
		w, err := alt.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {body.ctype},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		qp := quotedprintable.NewWriter(w)
		if _, err := qp.Write([]byte(body.text)); err != nil {
			return nil, err
		}
		if err := qp.Close(); err != nil {
			return nil, err
		}
	}
	if err := alt.Close(); err != nil {
		return nil, err
	}
	altPart, err := mixed.CreatePart(textproto.MIMEHeader{
		"Content-Type": {`multipart/alternative; boundary="` + alt.Boundary() + `"`},
	})
	if err != nil {
		return nil, err
	}
	if _, err := altPart.Write(altBody.Bytes()); err != nil {
		return nil, err
	}

	for _, a := range m.Attachments {
		ctype := a.ContentType
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		w, err := mixed.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {mime.FormatMediaType(ctype, map[string]string{"name": a.Filename})},
			"Content-Disposition":       {mime.FormatMediaType("attachment", map[string]string{"filename": a.Filename})},
			"Content-Transfer-Encoding": {"base64"},
		})
		if err != nil {
			return nil, err
		}
		enc := base64.StdEncoding.EncodeToString(a.Content)
		for len(enc) > 76 {
			fmt.Fprintf(w, "%s\r\n", enc[:76])
			enc = enc[76:]
		}
		fmt.Fprintf(w, "%s\r\n", enc)
	}
	if err := mixed.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
