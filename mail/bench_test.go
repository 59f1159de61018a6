package mail_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/metalpro/backend/emails"
	"github.com/metalpro/backend/mail"
)

func BenchmarkRenderer_Render(b *testing.B) {
	r := MustRenderer(b)
	data := sampleData()[emails.TemplateRFQConfirmation]
	for b.Loop() {
		if _, err := r.Render(data, "ro"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWorker_Local is the whole path of one email: enqueue (a committed write), claim,
// render, write the .eml file, mark sent.
func BenchmarkWorker_Local(b *testing.B) {
	db, _ := MustOpenTempDB(b)
	w := NewTestWorker(b, db, mail.NewLocalSender(filepath.Join(b.TempDir(), "mail"), nil))
	ctx := context.Background()
	for b.Loop() {
		MustEnqueue(b, db, emails.TemplateRFQConfirmation, "ion@example.ro", "ro")
		if n, err := w.RunOnce(ctx); err != nil || n != 1 {
			b.Fatal(n, err)
		}
	}
}

// BenchmarkWorker_SendGrid: the same through the SendGrid client to a loopback endpoint.
func BenchmarkWorker_SendGrid(b *testing.B) {
	db, _ := MustOpenTempDB(b)
	sg := newFakeSendGrid(b)
	w := NewTestWorker(b, db, mail.NewSendGridSender("SG.k", sg.URL, nil))
	ctx := context.Background()
	for b.Loop() {
		MustEnqueue(b, db, emails.TemplateRFQConfirmation, "ion@example.ro", "ro")
		if n, err := w.RunOnce(ctx); err != nil || n != 1 {
			b.Fatal(n, err)
		}
	}
}
