package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// BenchmarkRFQPage opens one RFQ's page (with a note, messages and history) in a database
// of 10,000 RFQs, each with its items, history, notes and messages: every query of the
// page must be an index lookup, so the page's time does not grow with the table. The time
// is a whole HTTP round trip on loopback, an upper bound of the server's time.
func BenchmarkRFQPage(b *testing.B) {
	for _, n := range []int{1, 10_000} {
		b.Run(fmt.Sprintf("rfqs=%d", n), func(b *testing.B) { benchmarkRFQPage(b, n) })
	}
}

func benchmarkRFQPage(b *testing.B, rfqs int) {
	e, _ := newFilesEnv(b)
	ctx := context.Background()
	staff := store.WithActor(ctx, store.Actor{UserID: e.Admin.ID, Label: e.Admin.Email})
	rfq := storetest.MustSubmitRFQ(b, e.DB, "g-bench", storetest.RFQInput())
	if _, err := e.DB.ChangeRFQStatus(staff, store.RFQStatusChange{RFQID: rfq.ID, Status: store.RFQAcknowledged, ExpectedVersion: 1}); err != nil {
		b.Fatal(err)
	}
	if _, err := e.DB.AddRFQNote(staff, rfq.ID, "Notă de test."); err != nil {
		b.Fatal(err)
	}
	if _, err := e.DB.AddStaffRFQMessage(staff, rfq.ID, "Mesaj de test."); err != nil {
		b.Fatal(err)
	}
	copyRFQ(b, e.DB, rfq.ID, rfqs-1)
	var count int
	if err := e.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM rfqs`).Scan(&count); err != nil || count != rfqs {
		b.Fatalf("%d RFQs (%v)", count, err)
	}
	client := benchSignIn(b, e, e.Operator)
	page := e.URL + "/admin/rfq/" + rfq.ID
	for b.Loop() {
		resp, err := client.Get(page)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/admin/rfq/"+rfq.ID {
			b.Fatalf("status %d at %s", resp.StatusCode, resp.Request.URL)
		}
	}
}

// benchSignIn signs u in with a plain client (the test browser wants a *testing.T).
func benchSignIn(b *testing.B, e *testEnv, u *store.User) *http.Client {
	b.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		b.Fatal(err)
	}
	client := &http.Client{Jar: jar}
	resp, err := client.Get(e.URL + "/admin/signin")
	if err != nil {
		b.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfInput.FindSubmatch(page)
	if m == nil {
		b.Fatal("no CSRF token on the sign-in page")
	}
	form := url.Values{"email": {u.Email}, "password": {staffPassword}, "csrf": {string(m[1])}}
	req, _ := http.NewRequest(http.MethodPost, e.URL+"/admin/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", e.URL)
	resp, err = client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("sign in: %d", resp.StatusCode)
	}
	return client
}

// copyRFQ adds n copies of RFQ id, with its items, history, notes and messages, in one
// transaction (submitting 10,000 RFQs one by one would take minutes).
func copyRFQ(b *testing.B, db *store.DB, id string, n int) {
	b.Helper()
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		if _, err := tx.ExecContext(context.Background(), `CREATE TEMP TABLE bench_rfq AS SELECT * FROM rfqs WHERE id = ?`, id); err != nil {
			return err
		}
		for i := range n {
			copyID := fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
			stmts := []struct {
				q    string
				args []any
			}{
				{`UPDATE temp.bench_rfq SET id = ?, reference_number = ?, tracking_token_hash = NULL, guest_session_id = NULL`,
					[]any{copyID, fmt.Sprintf("RFQ-2025-%05d", i)}},
				{`INSERT INTO rfqs SELECT * FROM temp.bench_rfq`, nil},
				{`INSERT INTO rfq_items (id, rfq_id, product_id, product_sku, product_name, quantity, unit, specs, unit_price, gross_price, created_at)
					SELECT lower(hex(randomblob(16))), ?, product_id, product_sku, product_name, quantity, unit, specs, unit_price, gross_price, created_at
					FROM rfq_items WHERE rfq_id = ?`, []any{copyID, id}},
				{`INSERT INTO rfq_history (id, rfq_id, from_status, to_status, reason, actor_id, actor_label, at)
					SELECT lower(hex(randomblob(16))), ?, from_status, to_status, reason, actor_id, actor_label, at FROM rfq_history WHERE rfq_id = ?`, []any{copyID, id}},
				{`INSERT INTO rfq_notes (id, rfq_id, author_id, author_label, text, created_at)
					SELECT lower(hex(randomblob(16))), ?, author_id, author_label, text, created_at FROM rfq_notes WHERE rfq_id = ?`, []any{copyID, id}},
				{`INSERT INTO rfq_messages (id, rfq_id, author_kind, author_id, author_label, text, created_at)
					SELECT lower(hex(randomblob(16))), ?, author_kind, author_id, author_label, text, created_at FROM rfq_messages WHERE rfq_id = ?`, []any{copyID, id}},
			}
			for _, s := range stmts {
				if _, err := tx.ExecContext(context.Background(), s.q, s.args...); err != nil {
					return err
				}
			}
		}
		_, err := tx.ExecContext(context.Background(), `DROP TABLE temp.bench_rfq`)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
}
