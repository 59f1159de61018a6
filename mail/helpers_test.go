package mail_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/internal/testclock"
	"github.com/metalpro/backend/mail"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// MustOpenTempDB opens a fresh database with a fixed clock.
func MustOpenTempDB(tb testing.TB) (*store.DB, *testclock.Clock) {
	tb.Helper()
	clock := testclock.New(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	return storetest.MustOpenWith(tb, store.Options{Now: clock.Now}), clock
}

// untilDeadline is cancelled a little before the test's deadline (go test -timeout), so a
// wait for a signal fails with its own message instead of the binary's timeout panic.
func untilDeadline(t *testing.T) context.Context {
	ctx := t.Context()
	if deadline, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline.Add(-5*time.Second))
		t.Cleanup(cancel)
	}
	return ctx
}

// MustEnqueue commits one email with the sample data of its template.
func MustEnqueue(tb testing.TB, db *store.DB, template, to, lang string) string {
	tb.Helper()
	var id string
	require.NoError(tb, db.Write(context.Background(), func(tx *store.Tx) error {
		var err error
		id, err = store.EnqueueEmail(context.Background(), tx, store.OutboxEmail{
			To: to, Lang: lang, Email: sampleData()[template],
		})
		return err
	}))
	return id
}

// NewTestWorker builds a worker over db with the test renderer.
func NewTestWorker(tb testing.TB, db *store.DB, sender mail.Sender, opts ...func(*mail.WorkerConfig)) *mail.Worker {
	tb.Helper()
	cfg := mail.WorkerConfig{
		DB:            db,
		Sender:        sender,
		Renderer:      MustRenderer(tb),
		From:          mail.Address{Name: "MetalPro", Email: "noreply@metalpro.ro"},
		OperatorEmail: "sales@metalpro.ro",
		Retry:         mail.RetryPolicy{MaxAttempts: 5, BaseDelay: time.Minute, MaxDelay: time.Hour},
		PollInterval:  time.Hour, // tests drive the worker, or Notify it
		SenderName:    "test",
	}
	for _, o := range opts {
		o(&cfg)
	}
	return mail.NewWorker(cfg)
}

// recordingSender remembers what it was asked to send.
type recordingSender struct {
	mu   sync.Mutex
	sent []*mail.Message
	fail func(m *mail.Message) error // nil: accept everything
	got  chan struct{}
}

func newRecordingSender() *recordingSender { return &recordingSender{got: make(chan struct{}, 100)} }

func (s *recordingSender) Send(_ context.Context, m *mail.Message) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		if err := s.fail(m); err != nil {
			return "", err
		}
	}
	s.sent = append(s.sent, m)
	s.got <- struct{}{}
	return "rec-" + m.ID, nil
}

func (s *recordingSender) Sent() []*mail.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*mail.Message(nil), s.sent...)
}

// sgAddress, sgRequest: the parts of a SendGrid v3 mail/send body the tests check.
type sgAddress struct {
	Email string `json:"email"`
	Name  string `json:"name"`
}

type sgBody struct {
	From             sgAddress  `json:"from"`
	ReplyTo          *sgAddress `json:"reply_to"`
	Subject          string     `json:"subject"`
	Personalizations []struct {
		To []sgAddress `json:"to"`
	} `json:"personalizations"`
	Content []struct {
		Type  string `json:"type"`
		Value string `json:"value"`
	} `json:"content"`
	Attachments []struct {
		Content     string `json:"content"`
		Type        string `json:"type"`
		Filename    string `json:"filename"`
		Disposition string `json:"disposition"`
	} `json:"attachments"`
	CustomArgs map[string]string `json:"custom_args"`
	Headers    map[string]string `json:"headers"`
	Categories []string          `json:"categories"`
}

type sgRequest struct {
	Method, Path, Auth, ContentType string
	Body                            sgBody
}

// fakeSendGrid is a SendGrid mail/send endpoint on 127.0.0.1 that records what the real
// client sends and answers with the scripted statuses (then 202).
type fakeSendGrid struct {
	URL      string
	mu       sync.Mutex
	statuses []int
	requests []sgRequest
	accepted int
}

func newFakeSendGrid(tb testing.TB, statuses ...int) *fakeSendGrid {
	tb.Helper()
	f := &fakeSendGrid{statuses: statuses}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		req := sgRequest{Method: r.Method, Path: r.URL.Path, Auth: r.Header.Get("Authorization"), ContentType: r.Header.Get("Content-Type")}
		if err := json.Unmarshal(raw, &req.Body); err != nil {
			http.Error(w, `{"errors":[{"message":"bad json"}]}`, http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		f.requests = append(f.requests, req)
		status := http.StatusAccepted
		if len(f.statuses) > 0 {
			status, f.statuses = f.statuses[0], f.statuses[1:]
		}
		if status == http.StatusAccepted {
			f.accepted++
		}
		n := len(f.requests)
		f.mu.Unlock()
		if status == http.StatusAccepted {
			w.Header().Set("X-Message-Id", "sg-msg-"+string(rune('0'+n)))
			w.WriteHeader(status)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, `{"errors":[{"message":"scripted failure"}]}`)
	}))
	tb.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

func (f *fakeSendGrid) Requests() []sgRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sgRequest(nil), f.requests...)
}

func (f *fakeSendGrid) Accepted() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.accepted
}
