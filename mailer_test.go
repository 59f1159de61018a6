package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/emails"
	"github.com/metalpro/backend/store"
)

// enqueueBeforeStart writes an email to the outbox of the database in dataDir, as if a
// previous run had committed it and died before sending.
func enqueueBeforeStart(tb testing.TB, dataDir string, e store.OutboxEmail) string {
	tb.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(dataDir, "metalpro.db"), store.Schema, store.Options{})
	require.NoError(tb, err)
	defer db.Close()
	var id string
	require.NoError(tb, db.Write(ctx, func(tx *store.Tx) error {
		id, err = store.EnqueueEmail(ctx, tx, e)
		return err
	}))
	return id
}

func resetEmail(to string) store.OutboxEmail {
	return store.OutboxEmail{To: to, Lang: "ro",
		Email: emails.PasswordReset{Name: "Ana Ionescu", Token: "reset-token-1"}}
}

func TestRun_Email(t *testing.T) {
	t.Parallel()
	t.Run("LocalSenderWritesFilesOnStart", func(t *testing.T) {
		dataDir := t.TempDir()
		enqueueBeforeStart(t, dataDir, resetEmail("ana@example.ro"))
		srv := startServer(t, map[string]string{"DATA_DIR": dataDir, "FRONTEND_URL": "https://shop.example.ro"})

		var files []string
		waitUntil(t, "the email queued before the restart goes out", func() bool {
			files = emailFiles(t, dataDir)
			return len(files) == 1
		})
		raw, err := os.ReadFile(files[0])
		require.NoError(t, err)
		require.Contains(t, string(raw), "To: <ana@example.ro>")
		require.Contains(t, string(raw), "https://shop.example.ro/reset-password?token=3Dreset-token-1", "quoted-printable link")

		resp, err := http.Get(srv.URL + "/health")
		require.NoError(t, err)
		defer resp.Body.Close()
		var h struct {
			Checks map[string]struct {
				Status string
				Detail map[string]any
			}
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&h))
		require.Equal(t, "ok", h.Checks["email"].Status)
		require.Equal(t, "local", h.Checks["email"].Detail["sender"])
	})

	t.Run("SendGridWhenKeyIsSet", func(t *testing.T) {
		var mu sync.Mutex
		var auths, bodies []string
		delivered := make(chan struct{}, 10)
		sg := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			auths, bodies = append(auths, r.Header.Get("Authorization")), append(bodies, string(b))
			mu.Unlock()
			delivered <- struct{}{}
			w.Header().Set("X-Message-Id", "sg-1")
			w.WriteHeader(http.StatusAccepted)
		}))
		defer sg.Close()

		dataDir := t.TempDir()
		id := enqueueBeforeStart(t, dataDir, resetEmail("ana@example.ro"))
		srv := startServer(t, map[string]string{
			"DATA_DIR": dataDir, "SENDGRID_API_KEY": "SG.main-test", "SENDGRID_API_URL": sg.URL,
			"FROM_EMAIL": "MetalPro Vânzări <noreply@metalpro.ro>",
		})
		waitCtx, cancel := testContext(t)
		defer cancel()
		select {
		case <-delivered:
		case <-waitCtx.Done():
			t.Fatal("SendGrid was not called before the test's deadline")
		}
		require.NoError(t, srv.Stop())
		mu.Lock()
		defer mu.Unlock()
		require.Len(t, bodies, 1)

		require.Equal(t, "Bearer SG.main-test", auths[0])
		// Names and subjects travel RFC 2047-encoded, as in the local sender's files.
		require.Contains(t, bodies[0], `"subject":"`+mime.QEncoding.Encode("utf-8", "Resetare Parolă - MetalPro")+`"`)
		require.Contains(t, bodies[0], `"from":{"name":"`+mime.QEncoding.Encode("utf-8", "MetalPro Vânzări")+`","email":"noreply@metalpro.ro"}`)
		require.Contains(t, bodies[0], `"outbox_id":"`+id+`"`)
		files := emailFiles(t, dataDir)
		require.Empty(t, files, "no local files when SendGrid sends")

		db, err := store.Open(context.Background(), filepath.Join(dataDir, "metalpro.db"), store.Schema, store.Options{})
		require.NoError(t, err)
		defer db.Close()
		row, err := db.GetEmail(context.Background(), id)
		require.NoError(t, err)
		require.Equal(t, store.OutboxSent, row.Status)
		require.Equal(t, "sg-1", row.ProviderMessageID)
		require.Empty(t, row.LastError)
	})
}

func TestRun_EmailsCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dataDir := t.TempDir()
	id := enqueueBeforeStart(t, dataDir, resetEmail("ana@example.ro"))
	db, err := store.Open(ctx, filepath.Join(dataDir, "metalpro.db"), store.Schema, store.Options{})
	require.NoError(t, err)
	_, err = db.ClaimDueEmails(ctx, 1, time.Minute)
	require.NoError(t, err)
	err = db.MarkEmailFailed(ctx, id, errors.New("sendgrid answered 400: invalid\naddress"))
	require.NoError(t, err)
	require.NoError(t, db.Close())

	env := func(k string) string { return map[string]string{"DATA_DIR": dataDir}[k] }
	var out strings.Builder
	require.NoError(t, run(ctx, []string{"metalpro", "emails"}, env, &out))
	require.Contains(t, out.String(), "0 pending, 0 sending, 0 sent, 1 failed")
	require.Contains(t, out.String(), id)
	require.Contains(t, out.String(), "sendgrid answered 400: invalid address")

	out.Reset()
	require.NoError(t, run(ctx, []string{"metalpro", "emails", "retry", id}, env, &out))
	out.Reset()
	require.NoError(t, run(ctx, []string{"metalpro", "emails", "pending"}, env, &out))
	require.Contains(t, out.String(), "1 pending")
	require.Contains(t, out.String(), id)

	require.Error(t, run(ctx, []string{"metalpro", "emails", "retry", id}, env, io.Discard), "no longer failed")
	require.Error(t, run(ctx, []string{"metalpro", "emails", "bogus"}, env, io.Discard))
}
