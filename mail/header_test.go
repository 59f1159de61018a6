package mail_test

import (
	"bytes"
	"context"
	"errors"
	"mime"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/mail"
)

// Header injection through customer text (issue 9, item 14): names and subjects come
// from an RFQ form anyone can submit, so every header is built to show them as text.

// spoofedName is a contact person made to look like an address in a Reply-To.
const spoofedName = "attacker@evil.com <attacker@evil.com>"

// encodedWordSubject is a company name that carries a ready-made RFC 2047 word: passed
// through raw, a mail client would show "Factură restantă" instead of what was typed.
const encodedWordSubject = "[NOU] RFQ RFQ-2026-00001 de la =?utf-8?q?Factur=C4=83_restant=C4=83?="

func headerTestMessage() *mail.Message {
	return &mail.Message{
		ID: "0001", Template: "operator_new_rfq",
		From:    mail.Address{Name: "MetalPro", Email: "noreply@metalpro.ro"},
		To:      mail.Address{Email: "sales@metalpro.ro"},
		ReplyTo: &mail.Address{Name: spoofedName, Email: "ion@example.ro"},
		Subject: encodedWordSubject,
		Text:    "text\n", HTML: "<p>html</p>\n",
	}
}

func decodeHeader(tb testing.TB, v string) string {
	tb.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(v)
	require.NoError(tb, err)
	return s
}

func TestBuildMIME_Headers(t *testing.T) {
	date := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

	t.Run("SubjectShowsWhatWasTyped", func(t *testing.T) {
		raw, err := mail.BuildMIME(headerTestMessage(), date)
		require.NoError(t, err)
		msg, err := netmail.ReadMessage(bytes.NewReader(raw))
		require.NoError(t, err)
		require.Equal(t, encodedWordSubject, decodeHeader(t, msg.Header.Get("Subject")),
			"a raw encoded word in customer text is shown as typed, not decoded")
	})

	t.Run("ReplyToNameCannotPoseAsAnAddress", func(t *testing.T) {
		raw, err := mail.BuildMIME(headerTestMessage(), date)
		require.NoError(t, err)
		msg, err := netmail.ReadMessage(bytes.NewReader(raw))
		require.NoError(t, err)
		require.NotContains(t, msg.Header.Get("Reply-To"), "attacker@evil.com")
		list, err := msg.Header.AddressList("Reply-To")
		require.NoError(t, err)
		require.Len(t, list, 1)
		require.Equal(t, "ion@example.ro", list[0].Address)
		require.NotContains(t, list[0].Name, "attacker@evil.com")
	})

	t.Run("DisplayNamesAreEncoded", func(t *testing.T) {
		m := headerTestMessage()
		m.ReplyTo = &mail.Address{Name: `Ștefan "Popescu", Țepeș`, Email: "ion@example.ro"}
		raw, err := mail.BuildMIME(m, date)
		require.NoError(t, err)
		msg, err := netmail.ReadMessage(bytes.NewReader(raw))
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(msg.Header.Get("From"), "=?utf-8?q?"), msg.Header.Get("From"))
		list, err := msg.Header.AddressList("Reply-To")
		require.NoError(t, err)
		require.Len(t, list, 1, "the comma stays inside the name")
		require.Equal(t, `Ștefan "Popescu", Țepeș`, list[0].Name)
		from, err := msg.Header.AddressList("From")
		require.NoError(t, err)
		require.Equal(t, "MetalPro", from[0].Name)
	})

	t.Run("HeadersAreASCII", func(t *testing.T) {
		m := headerTestMessage()
		m.Subject = "Confirmare RFQ – Oțel & Fiii"
		raw, err := mail.BuildMIME(m, date)
		require.NoError(t, err)
		head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
		for _, b := range head {
			require.Less(t, b, byte(0x80), "8-bit byte in the headers:\n%s", head)
		}
		// The Romanian subjects keep the exact encoding they had.
		require.Contains(t, string(head), "Subject: "+mime.QEncoding.Encode("utf-8", m.Subject)+"\r\n")

		m.Subject = "[NOU] RFQ RFQ-2026-00001 de la Întreprinderea de Construcții Metalice Țăndărei și Fiii SRL"
		raw, err = mail.BuildMIME(m, date)
		require.NoError(t, err)
		require.Contains(t, string(raw), "Subject: "+mime.QEncoding.Encode("utf-8", m.Subject)+"\r\n",
			"a long subject splits into the same encoded words")
	})

	t.Run("ErrUTF8LocalPart", func(t *testing.T) {
		m := headerTestMessage()
		m.To = mail.Address{Email: "ștefan@example.ro"}
		_, err := mail.BuildMIME(m, date)
		require.Error(t, err, "an address that needs SMTPUTF8 cannot be written into To:")
		require.True(t, mail.IsPermanent(err))
	})
}

func TestLocalSender_RefusesUTF8LocalPart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mail")
	m := headerTestMessage()
	m.To = mail.Address{Email: "ștefan@example.ro"}
	_, err := mail.NewLocalSender(dir, nil).Send(context.Background(), m)
	require.Error(t, err)
	require.True(t, mail.IsPermanent(err), "retrying cannot fix the address")
	entries, _ := os.ReadDir(dir)
	require.Empty(t, entries, "nothing written")
}

func TestSendGridSender_Headers(t *testing.T) {
	ctx := context.Background()

	t.Run("NamesAndSubjectEncoded", func(t *testing.T) {
		sg := newFakeSendGrid(t)
		_, err := mail.NewSendGridSender("SG.k", sg.URL, nil).Send(ctx, headerTestMessage())
		require.NoError(t, err)
		reqs := sg.Requests()
		require.Len(t, reqs, 1)
		body := reqs[0].Body
		require.True(t, strings.HasPrefix(body.Subject, "=?utf-8?q?"), body.Subject)
		require.Equal(t, encodedWordSubject, decodeHeader(t, body.Subject))
		require.NotNil(t, body.ReplyTo)
		require.Equal(t, "ion@example.ro", body.ReplyTo.Email)
		require.NotContains(t, body.ReplyTo.Name, "attacker@evil.com")
		require.NotContains(t, decodeHeader(t, body.ReplyTo.Name), "attacker@evil.com")
		require.Equal(t, "MetalPro", decodeHeader(t, body.From.Name))
		require.True(t, strings.HasPrefix(body.From.Name, "=?utf-8?q?"), body.From.Name)
	})

	t.Run("ErrUTF8LocalPart", func(t *testing.T) {
		sg := newFakeSendGrid(t)
		m := headerTestMessage()
		m.To = mail.Address{Email: "ștefan@example.ro"}
		_, err := mail.NewSendGridSender("SG.k", sg.URL, nil).Send(ctx, m)
		require.Error(t, err)
		require.True(t, mail.IsPermanent(err))
		var herr *mail.HTTPError
		require.False(t, errors.As(err, &herr), "refused before any request")
		require.Empty(t, sg.Requests())
	})
}
