package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
)

// TestLoad_ConcurrentShoppers is the seed's "200 concurrent users" check, done as a
// customer would notice it: 200 browsers at once browse the catalog, search, fill a cart
// and send an RFQ as guests. Every request must succeed, and every RFQ the server
// acknowledged must be in the database with its own reference number and both emails.
// Latencies are logged (p50/p95/p99 per step), not asserted: `make loadtest` runs it
// without the race detector for the figures in the README.
func TestLoad_ConcurrentShoppers(t *testing.T) {
	t.Parallel()
	users := 200
	if v, err := strconv.Atoi(os.Getenv("LOADTEST_USERS")); err == nil && v > 0 {
		users = v
	}
	srv := startServer(t, map[string]string{
		"RATE_LIMIT_API": "1000000/1m",
		"RATE_LIMIT_RFQ": "1000000/1m",
		// Every shopper is a new guest from 127.0.0.1; real ones have their own addresses.
		"RATE_LIMIT_NEW_GUESTS": "1000000/1m", "RATE_LIMIT_NEW_GUESTS_PER_IP": "1000000/1m",
		"MAX_CONNS_PER_IP": "0",
		// This test checks that nothing acknowledged is lost, not speed: under -race on a
		// busy machine 200 writers queue for longer than the 5 s default write wait.
		"DB_WRITE_WAIT": patientWriteWait,
		"LOG_LEVEL":     "info", // startServer finds the port in the "listening" line
	})
	transport := &http.Transport{MaxIdleConns: users, MaxIdleConnsPerHost: users, MaxConnsPerHost: users}
	defer transport.CloseIdleConnections()

	lat := newLatencies()
	type result struct {
		rfqID, ref string
		err        error
	}
	results := make(chan result, users)
	ctx, cancel := testContext(t)
	defer cancel()
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < users; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			id, ref, err := shopOnce(ctx, srv.URL, transport, lat, i)
			results <- result{id, ref, err}
		}(i)
	}
	began := time.Now()
	close(start)
	wg.Wait()
	elapsed := time.Since(began)
	close(results)

	refs := map[string]string{}
	for r := range results {
		require.NoError(t, r.err)
		_, dup := refs[r.ref]
		require.False(t, dup, "reference %s handed out twice", r.ref)
		refs[r.ref] = r.rfqID
	}
	require.Len(t, refs, users)

	db := srv.openDB(t)
	var rfqs, emails int
	require.NoError(t, db.ReadDB().QueryRow(`SELECT count(*) FROM rfqs`).Scan(&rfqs))
	require.NoError(t, db.ReadDB().QueryRow(
		`SELECT count(*) FROM email_outbox WHERE template IN ('rfq_confirmation', 'operator_new_rfq')`).Scan(&emails))
	require.Equal(t, users, rfqs, "every acknowledged RFQ is stored")
	require.Equal(t, 2*users, emails, "every RFQ queued both emails")

	t.Logf("%d concurrent shoppers, %d requests in %s (%.0f req/s)", users, lat.count(), elapsed.Round(time.Millisecond),
		float64(lat.count())/elapsed.Seconds())
	for _, line := range lat.report() {
		t.Log(line)
	}
}

// shopOnce is one guest's visit; it returns the RFQ id and reference number it was given.
// Its requests last until ctx ends: queued writers may wait DB_WRITE_WAIT, and a client
// timeout shorter than that (it was 60 s) failed the test on a loaded machine.
func shopOnce(ctx context.Context, base string, transport http.RoundTripper, lat *latencies, i int) (string, string, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Transport: transport, Jar: jar}
	call := func(step, method, path string, body any, want int, out any) error {
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		req, _ := http.NewRequestWithContext(ctx, method, base+path, rd)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		t0 := time.Now()
		resp, err := c.Do(req)
		if err != nil {
			return fmt.Errorf("%s: %w", step, err)
		}
		defer resp.Body.Close()
		raw, err := io.ReadAll(resp.Body)
		lat.add(step, time.Since(t0))
		if err != nil {
			return fmt.Errorf("%s: %w", step, err)
		}
		if resp.StatusCode != want {
			return fmt.Errorf("%s: status %d, want %d: %.300s", step, resp.StatusCode, want, raw)
		}
		if out != nil {
			return json.Unmarshal(raw, out)
		}
		return nil
	}

	var cats struct{ Categories []struct{ Slug string } }
	if err := call("categories", "GET", "/api/categories", nil, 200, &cats); err != nil {
		return "", "", err
	}
	if len(cats.Categories) == 0 {
		return "", "", fmt.Errorf("no categories")
	}
	type productList struct {
		Products []struct {
			ID, SKU, BaseUnit string
		}
	}
	var list productList
	slug := cats.Categories[i%len(cats.Categories)].Slug
	if err := call("list", "GET", "/api/products?category="+slug+"&page=1&limit=24", nil, 200, &list); err != nil {
		return "", "", err
	}
	queries := []string{"teava 40x20x2", "hea 200", "tabla inox 2mm 304", "cornier 50x50x5", "platbanda 40x4", "bara rotunda 20"}
	var found productList
	if err := call("search", "GET", "/api/products?q="+url.QueryEscape(queries[i%len(queries)]), nil, 200, &found); err != nil {
		return "", "", err
	}
	picks := append(found.Products[:min(2, len(found.Products))], list.Products[:min(1, len(list.Products))]...)
	if len(picks) == 0 {
		return "", "", fmt.Errorf("nothing to buy")
	}
	for _, p := range picks {
		if err := call("product", "GET", "/api/products/"+url.PathEscape(p.SKU), nil, 200, nil); err != nil {
			return "", "", err
		}
		qty := 3.0
		if err := call("add_to_cart", "POST", "/api/cart/items",
			map[string]any{"productId": p.ID, "quantity": qty, "unit": p.BaseUnit}, 201, nil); err != nil {
			return "", "", err
		}
	}
	if err := call("cart", "GET", "/api/cart", nil, 200, nil); err != nil {
		return "", "", err
	}
	addr := map[string]string{"street": "Str. Fabricii 12", "city": "Cluj-Napoca", "county": "Cluj", "postalCode": "400000", "country": "Romania"}
	var rfq struct{ ID, ReferenceNumber string }
	err := call("submit_rfq", "POST", "/api/rfq", map[string]any{
		"companyName": fmt.Sprintf("Construcții Metalice %d SRL", i), "contactPerson": "Ana Popescu",
		"email": fmt.Sprintf("ana%d@example.ro", i), "phone": "0722123456",
		"billingAddress": addr, "deliveryAddress": addr,
	}, 201, &rfq)
	if err != nil {
		return "", "", err
	}
	if err := call("read_rfq", "GET", "/api/rfq/"+rfq.ID, nil, 200, nil); err != nil {
		return "", "", err
	}
	return rfq.ID, rfq.ReferenceNumber, nil
}

// latencies collects request durations per step.
type latencies struct {
	mu    sync.Mutex
	steps map[string][]time.Duration
}

func newLatencies() *latencies { return &latencies{steps: map[string][]time.Duration{}} }

func (l *latencies) add(step string, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.steps[step] = append(l.steps[step], d)
}

func (l *latencies) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, ds := range l.steps {
		n += len(ds)
	}
	return n
}

func (l *latencies) report() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	names := make([]string, 0, len(l.steps))
	for k := range l.steps {
		names = append(names, k)
	}
	sort.Strings(names)
	var out []string
	for _, k := range names {
		ds := append([]time.Duration(nil), l.steps[k]...)
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		q := func(p float64) time.Duration { return ds[int(p*float64(len(ds)-1))].Round(10 * time.Microsecond) }
		out = append(out, fmt.Sprintf("%-12s n=%-4d p50=%-9s p95=%-9s p99=%-9s max=%s", k, len(ds), q(.50), q(.95), q(.99), ds[len(ds)-1].Round(10*time.Microsecond)))
	}
	return out
}

// openDB opens the test server's database read-side for assertions (the server's own
// pools stay open; SQLite's WAL lets both read).
func (s *testServer) openDB(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), s.DataDir+"/metalpro.db", store.Schema, store.Options{})
	require.NoError(tb, err)
	tb.Cleanup(func() { db.Close() })
	return db
}
