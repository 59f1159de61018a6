package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
	"github.com/metalpro/backend/web"
)

// benchRFQs is how many RFQs the pages are measured over: the promise is every
// page under 50 ms server time with 10,000 RFQs in the database.
const benchRFQs = 10_000

// BenchmarkPages measures each back-office page's server time through the API's whole
// middleware and the back office's handler (no network), signed in as an admin, over the
// seeded catalog and 10,000 RFQs with their items, history, audit rows and quote drafts.
//
//	go test -tags sqlite_fts5 -run '^$' -bench BenchmarkPages -benchtime 20x ./web/
func BenchmarkPages(b *testing.B) {
	ctx := context.Background()
	db := storetest.MustOpenSeededWith(b, store.Options{PasswordCost: bcrypt.MinCost})
	admin := storetest.MustCreateStaff(b, db, "admin@metalpro.ro", "Radu Admin", store.RoleAdmin, staffPassword)
	sample := fillBusyBackOffice(b, db, admin)

	api := apphttp.NewServer(db, apphttp.Config{Env: "development"}, apphttp.Deps{
		Logger: slog.New(slog.DiscardHandler),
		BackOffice: func(g apphttp.SignInGuard) http.Handler {
			return web.New(db, web.Config{}, web.Deps{Guard: g})
		},
	})
	b.Cleanup(api.Close)
	handler := api.Handler()
	cookie := signedInCookie(b, handler, admin.Email)

	var n int
	if err := db.Read(ctx, func(tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM rfqs`).Scan(&n)
	}); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d RFQs; the RFQ and quote pages show %s, which has a quote draft", n, sample.ReferenceNumber)

	pages := []struct{ name, path string }{
		{"queue", "/admin/rfqs"},
		{"queue_status", "/admin/rfqs?status=ACKNOWLEDGED"},
		{"queue_search", "/admin/rfqs?status=all&q=" + url.QueryEscape("ardeal 42")},
		{"rfq", "/admin/rfq/" + sample.ID},
		{"quote_editor", "/admin/rfq/" + sample.ID + "/quote"},
		{"catalog_search", "/admin/catalog?q=" + url.QueryEscape("teava 40x40")},
		{"audit", "/admin/audit"},
		{"audit_rfq", "/admin/audit?entity=rfq&entityId=" + url.QueryEscape(sample.ID)},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			get := func() int {
				req := httptest.NewRequest(http.MethodGet, p.path, nil)
				req.RemoteAddr = "127.0.0.1:1234"
				req.Header.Set("Cookie", cookie)
				rec := httptest.NewRecorder()
				handler.ServeHTTP(rec, req)
				return rec.Code
			}
			switch code := get(); code {
			case http.StatusOK:
			case http.StatusNotFound:
				b.Skipf("%s answers 404: that page is not merged yet", p.path)
			default:
				b.Fatalf("%s answers %d, want 200", p.path, code)
			}
			for b.Loop() {
				if code := get(); code != http.StatusOK {
					b.Fatalf("%s answers %d", p.path, code)
				}
			}
		})
	}
}

// signedInCookie signs in over real HTTP on loopback, as a browser would, and returns the
// session's Cookie header.
func signedInCookie(b *testing.B, handler http.Handler, email string) string {
	b.Helper()
	srv := httptest.NewUnstartedServer(handler)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv.Listener = ln
	srv.Start()
	defer srv.Close()
	jar, err := cookiejar.New(nil)
	if err != nil {
		b.Fatal(err)
	}
	client := &http.Client{Jar: jar}
	resp, err := client.Get(srv.URL + "/admin/signin")
	if err != nil {
		b.Fatal(err)
	}
	m := csrfInput.FindStringSubmatch(responseText(b, resp))
	if m == nil {
		b.Fatal("no CSRF token on the sign-in page")
	}
	form := url.Values{"csrf": {m[1]}, "email": {email}, "password": {staffPassword}}
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/admin/signin", strings.NewReader(form.Encode()))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", srv.URL)
	resp, err = client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	responseText(b, resp)
	if resp.StatusCode != http.StatusOK || strings.HasPrefix(resp.Request.URL.Path, "/admin/signin") {
		b.Fatalf("sign in: %d at %s", resp.StatusCode, resp.Request.URL)
	}
	u, _ := url.Parse(srv.URL + "/admin/") // the session cookie's path
	var parts []string
	for _, c := range jar.Cookies(u) {
		parts = append(parts, c.Name+"="+c.Value)
	}
	return strings.Join(parts, "; ")
}

func responseText(b *testing.B, resp *http.Response) string {
	b.Helper()
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.Fatal(err)
	}
	return string(body)
}

// fillBusyBackOffice makes the database a busy back office's: a few RFQs go through the store (cart,
// submission, acknowledgement, a quote draft, a note, a message), then SQL copies them to
// benchRFQs with new ids, references, companies and dates, together with the rows that
// hang off an RFQ (items, history, notes, messages, audit rows), and the year's reference
// counter follows. Quote drafts stay with the store-made RFQs: a draft names its RFQ's
// item ids, so a copy would point at another RFQ's items. Returns one of the store-made
// RFQs with a draft.
func fillBusyBackOffice(b testing.TB, db *store.DB, admin *store.User) *store.RFQ {
	b.Helper()
	ctx := store.WithActor(context.Background(), store.Actor{UserID: admin.ID, Label: admin.Email})
	const made = 10
	var base []*store.RFQ
	for i := range made {
		in := storetest.RFQInput()
		in.CompanyName = fmt.Sprintf("Construcții Ardeal %d SRL", i)
		r := storetest.MustSubmitRFQ(b, db, fmt.Sprintf("bench-guest-%d", i), in)
		base = append(base, r)
	}
	// Half acknowledged, of which some with a quote draft (which puts them IN_PROGRESS).
	var sample *store.RFQ
	for i, r := range base[:made/2] {
		if _, err := db.ChangeRFQStatus(ctx, store.RFQStatusChange{RFQID: r.ID, Status: store.RFQAcknowledged, ExpectedVersion: 1}); err != nil {
			b.Fatal(err)
		}
		if _, err := db.AddRFQNote(ctx, r.ID, "Clientul vrea livrare până vineri."); err != nil {
			b.Fatal(err)
		}
		if i%2 == 1 {
			continue
		}
		detail, err := db.AdminRFQDetail(ctx, r.ID)
		if err != nil {
			b.Fatal(err)
		}
		var in store.QuoteInput
		raw := `{"items": [`
		for j, it := range detail.Items {
			if j > 0 {
				raw += ","
			}
			raw += fmt.Sprintf(`{"id": %q, "finalPrice": %d}`, it.ID, 100+j)
		}
		raw += `], "extraLines": [{"description": "Transport", "amount": 150}], "validUntil": "` +
			time.Now().AddDate(0, 0, 30).Format(time.DateOnly) + `"}`
		if err := json.Unmarshal([]byte(raw), &in); err != nil {
			b.Fatal(err)
		}
		if _, err := db.SaveQuoteDraft(ctx, r.ID, in, store.DefaultVATRateBP); err != nil {
			b.Fatal(err)
		}
		if sample == nil {
			sample = detail.RFQ
		}
	}

	start := time.Now()
	year := time.Now().Year()
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		copies := map[string]*rowCopier{}
		for _, t := range []struct{ table, key, where string }{
			{"rfqs", "id", ""}, {"rfq_items", "rfq_id", ""}, {"rfq_history", "rfq_id", ""}, {"rfq_notes", "rfq_id", ""},
			{"rfq_messages", "rfq_id", ""}, {"audit_log", "entity_id", "entity = 'rfq'"}, // its index: (entity, entity_id, at)
		} {
			c, err := newRowCopier(ctx, tx, t.table, t.key, t.where)
			if err != nil {
				return err
			}
			copies[t.table] = c
		}
		for i := made; i < benchRFQs; i++ {
			from := base[i%made]
			id := store.NewID()
			at := store.FormatTime(time.Now().Add(-time.Duration(benchRFQs-i) * time.Minute))
			if err := copies["rfqs"].copy(ctx, tx, from.ID, map[string]any{
				"id": id, "reference_number": fmt.Sprintf("RFQ-%d-%05d", year, i+1),
				"company_name": fmt.Sprintf("Construcții Ardeal %d SRL", i), "guest_session_id": nil,
				"tracking_token_hash": nil, "submitted_at": at, "created_at": at, "updated_at": at,
			}); err != nil {
				return err
			}
			for _, table := range []string{"rfq_items", "rfq_history", "rfq_notes", "rfq_messages"} {
				if err := copies[table].copy(ctx, tx, from.ID, map[string]any{"rfq_id": id}); err != nil {
					return err
				}
			}
			if err := copies["audit_log"].copy(ctx, tx, from.ID, map[string]any{"entity_id": id}); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE rfq_sequences SET last_value = ? WHERE year = ?`, benchRFQs, year)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("copied %d RFQs with their rows in %v", benchRFQs-made, time.Since(start).Round(time.Millisecond))
	return sample
}

// rowCopier copies the rows of a table that belong to one RFQ, giving each copy a new id
// and the overridden columns; every other column keeps its value. The columns come from
// the table itself, so a column a later migration adds is copied too.
type rowCopier struct {
	table, key string
	where      string // more conditions on the rows, "" for none
	columns    []string
}

func newRowCopier(ctx context.Context, tx *store.Tx, table, key, where string) (*rowCopier, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	c := &rowCopier{table: table, key: key, where: where}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		c.columns = append(c.columns, name)
	}
	return c, rows.Err()
}

// copy inserts a copy of every row whose key column is from. "id" is new for each row
// (a UUID made by SQLite) unless set.
func (c *rowCopier) copy(ctx context.Context, tx *store.Tx, from string, set map[string]any) error {
	var exprs []string
	var args []any
	for _, col := range c.columns {
		v, ok := set[col]
		switch {
		case ok:
			exprs = append(exprs, "?")
			args = append(args, v)
		case col == "id":
			exprs = append(exprs, `lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2)
				|| '-8' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))`)
		default:
			exprs = append(exprs, col)
		}
	}
	args = append(args, from)
	where := c.key + ` = ?`
	if c.where != "" {
		where += ` AND ` + c.where
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO `+c.table+` (`+strings.Join(c.columns, ", ")+`) SELECT `+
		strings.Join(exprs, ", ")+` FROM `+c.table+` WHERE `+where, args...)
	return err
}
