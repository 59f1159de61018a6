package mail

import (
	"context"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/sendgrid/rest"
	"github.com/sendgrid/sendgrid-go"
	sgmail "github.com/sendgrid/sendgrid-go/helpers/mail"
)

// SendGridSender sends through SendGrid's v3 mail/send API with the official client.
type SendGridSender struct {
	apiKey  string
	baseURL string
	client  *rest.Client
}

// NewSendGridSender sends with apiKey to baseURL (https://api.sendgrid.com, or a test
// endpoint). A nil httpClient gets one with a 30 s timeout.
func NewSendGridSender(apiKey, baseURL string, httpClient *http.Client) *SendGridSender {
	if baseURL == "" {
		baseURL = "https://api.sendgrid.com"
	}
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 30 * time.Second}
	}
	return &SendGridSender{
		apiKey:  apiKey,
		baseURL: strings.TrimRight(baseURL, "/"),
		// The client's own request/response code, with our HTTP client rather than the
		// package-global one (which has no timeout).
		client: &rest.Client{HTTPClient: httpClient},
	}
}

// Send posts m to SendGrid. It returns SendGrid's X-Message-Id. Errors: network failures,
// 429 and 5xx are retryable; 401/403 too (a wrong or revoked key is fixed by an operator,
// and the emails should then still go out); any other 4xx is Permanent (SendGrid rejected
// this message and will again).
func (s *SendGridSender) Send(ctx context.Context, m *Message) (string, error) {
	req := sendgrid.GetRequest(s.apiKey, "/v3/mail/send", s.baseURL)
	req.Method = rest.Post
	sg, err := sendGridMail(m)
	if err != nil {
		return "", err
	}
	req.Body = sgmail.GetRequestBody(sg)

	resp, err := s.client.SendWithContext(ctx, req)
	if err != nil {
		return "", err // network error or timeout: retryable
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return firstHeader(resp.Headers, "X-Message-Id"), nil
	}
	body := resp.Body
	if len(body) > 500 {
		body = body[:500]
	}
	herr := &HTTPError{Provider: "sendgrid", StatusCode: resp.StatusCode, Body: body}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests, resp.StatusCode >= 500,
		resp.StatusCode == http.StatusUnauthorized, resp.StatusCode == http.StatusForbidden:
		return "", herr
	default:
		return "", Permanent(herr)
	}
}

// sendGridMail builds the v3 request body. Names and the subject go in already encoded
// (header.go), as in a .eml file, rather than left to SendGrid: what a customer typed
// reaches the header as text. The outbox id travels as a custom arg (in SendGrid's event
// webhook and activity feed) and as a header (in the delivered email), so a duplicate
// send can be traced to its outbox row.
func sendGridMail(m *Message) (*sgmail.SGMailV3, error) {
	email := func(a Address) (*sgmail.Email, error) {
		addr, err := headerEmail(a.Email)
		if err != nil {
			return nil, err
		}
		return sgmail.NewEmail(encodeDisplayName(a.Name), addr), nil
	}
	sg := sgmail.NewV3Mail()
	from, err := email(m.From)
	if err != nil {
		return nil, err
	}
	to, err := email(m.To)
	if err != nil {
		return nil, err
	}
	sg.SetFrom(from)
	sg.Subject = encodeSubject(m.Subject)
	p := sgmail.NewPersonalization()
	p.AddTos(to)
	sg.AddPersonalizations(p)
	if m.ReplyTo != nil {
		replyTo, err := email(*m.ReplyTo)
		if err != nil {
			return nil, err
		}
		sg.SetReplyTo(replyTo)
	}
	// SendGrid requires text/plain before text/html.
	sg.AddContent(sgmail.NewContent("text/plain", m.Text), sgmail.NewContent("text/html", m.HTML))
	for _, a := range m.Attachments {
		sg.AddAttachment(sgmail.NewAttachment().
			SetContent(base64.StdEncoding.EncodeToString(a.Content)).
			SetType(a.ContentType).
			SetFilename(a.Filename).
			SetDisposition("attachment"))
	}
	if m.ID != "" {
		sg.SetCustomArg("outbox_id", m.ID)
		sg.SetHeader("X-MetalPro-Outbox-ID", m.ID)
	}
	if m.Template != "" {
		sg.SetCustomArg("template", m.Template)
		sg.AddCategories(m.Template)
	}
	return sg, nil
}

func firstHeader(h map[string][]string, key string) string {
	for k, v := range h {
		if strings.EqualFold(k, key) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}
