package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fakeShop is a tiny server with the API's shapes: one guest cookie per visitor, a cart
// per guest and RFQs only their guest can read. dropRFQ makes it acknowledge the Nth
// RFQ and then lose it; fail5xx answers one search with a 500.
type fakeShop struct {
	mu            sync.Mutex
	next          int
	carts         map[string]int    // guest → items in the cart
	rfqs          map[string]string // rfq id → its guest
	items         map[string]int    // rfq id → items
	dropRFQ       int
	fail5xx       bool
	limitFilter   bool
	limitAccounts bool
}

func newFakeShop() *fakeShop {
	return &fakeShop{carts: map[string]int{}, rfqs: map[string]string{}, items: map[string]int{}}
}

func (f *fakeShop) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	guest := ""
	if c, err := r.Cookie("metalpro_session"); err == nil {
		guest = c.Value
	} else {
		f.next++
		guest = fmt.Sprintf("g%d", f.next)
		http.SetCookie(w, &http.Cookie{Name: "metalpro_session", Value: guest, Path: "/"})
	}
	reply := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(v)
	}
	products := map[string]any{"products": []map[string]string{
		{"id": "p1", "sku": "TV-1", "baseUnit": "m"}, {"id": "p2", "sku": "TB-2", "baseUnit": "kg"}, {"id": "p3", "sku": "SR-3", "baseUnit": "pcs"}}}
	switch p := r.URL.Path; {
	case p == "/api/auth/signup" && r.Method == "POST":
		if f.limitAccounts {
			reply(429, map[string]string{"error": "Prea multe conturi noi.", "code": "rate_limited"})
			return
		}
		reply(201, map[string]any{"user": map[string]string{"id": "u1"}})
	case p == "/api/auth/login" && r.Method == "POST":
		reply(200, map[string]any{"user": map[string]string{"id": "u1"}})
	case p == "/debug/pprof/profile":
		w.Write([]byte("fake profile of " + r.URL.Query().Get("seconds") + " s"))
	case p == "/api/categories":
		reply(200, map[string]any{"categories": []map[string]string{{"slug": "teava"}, {"slug": "tabla"}}})
	case p == "/api/products":
		if f.limitFilter && r.URL.Query().Get("minPrice") != "" {
			reply(429, map[string]string{"error": "Prea multe cereri.", "code": "rate_limited"})
			return
		}
		if f.fail5xx && r.URL.Query().Get("q") != "" {
			f.fail5xx = false
			reply(500, map[string]string{"error": "Eroare internă.", "code": "internal"})
			return
		}
		reply(200, products)
	case strings.HasPrefix(p, "/api/products/"):
		reply(200, map[string]string{"id": "p1"})
	case p == "/api/cart/items" && r.Method == "POST":
		f.carts[guest]++
		reply(201, map[string]any{"itemCount": f.carts[guest]})
	case p == "/api/cart":
		reply(200, map[string]any{"itemCount": f.carts[guest]})
	case p == "/api/rfq" && r.Method == "POST":
		f.next++
		id := fmt.Sprintf("r%d", f.next)
		f.rfqs[id], f.items[id] = guest, f.carts[guest]
		f.carts[guest] = 0
		if f.dropRFQ--; f.dropRFQ == 0 {
			delete(f.rfqs, id) // acknowledged, then lost
		}
		reply(201, map[string]string{"id": id, "referenceNumber": "RFQ-" + id})
	case strings.HasPrefix(p, "/api/rfq/"):
		id := strings.TrimPrefix(p, "/api/rfq/")
		if f.rfqs[id] != guest {
			reply(404, map[string]string{"error": "Cererea nu există.", "code": "not_found"})
			return
		}
		items := make([]map[string]string, f.items[id])
		reply(200, map[string]any{"id": id, "referenceNumber": "RFQ-" + id, "items": items})
	default:
		reply(404, map[string]string{"error": "Nu există.", "code": "not_found"})
	}
}

func runAgainst(t *testing.T, shop *fakeShop, args ...string) (string, error) {
	t.Helper()
	srv := httptest.NewServer(shop) // listens on 127.0.0.1
	t.Cleanup(srv.Close)
	o, err := ParseFlags(append([]string{"-url", srv.URL, "-ratio-requests", "50"}, args...), &strings.Builder{})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out strings.Builder
	err = Run(ctx, o, &out)
	return out.String(), err
}

func TestBurst_ReportsEveryEndpointAndChecksEveryRFQ(t *testing.T) {
	out, err := runAgainst(t, newFakeShop(), "-mode", "burst", "-users", "4", "-iterations", "2")
	require.NoError(t, err, out)
	require.Contains(t, out, "burst of 4 users × 2 visits")
	require.Contains(t, out, "0 errors (0 5xx), 8 RFQs acknowledged")
	for _, step := range []string{"categories", "list", "filter", "search", "product", "add_to_cart", "cart", "submit_rfq", "read_rfq"} {
		require.Regexp(t, `(?m)^`+step+` +\d+ +0 `, out, "a line for %s with no errors", step)
	}
	require.Regexp(t, `(?m)^add_to_cart +24 `, out, "three adds per visit")
	require.Contains(t, out, "read-back: 8 acknowledged RFQs checked, 0 lost")
	require.Regexp(t, `catalog list vs bare handler \(in the tool.s process\), before the load .*in 4 alternating turns\): \d+ vs \d+ req/s, ratio \d`, out)
	require.Regexp(t, `catalog list vs bare handler \(in the tool.s process\), after the load .*ratio \d`, out)
	if runtime.GOOS == "linux" { // RSS comes from /proc
		require.Contains(t, out, "server RSS: pid ", "the test server is this process, found by its port")
	}
}

func TestBurst_AnAcknowledgedRFQThatIsGoneFailsTheRun(t *testing.T) {
	shop := newFakeShop()
	shop.dropRFQ = 3
	out, err := runAgainst(t, shop, "-mode", "burst", "-users", "3")
	require.Error(t, err, out)
	require.Contains(t, err.Error(), "1 acknowledged RFQs lost")
	require.Contains(t, out, "read-back: 3 acknowledged RFQs checked, 1 lost")
	require.Regexp(t, `lost: RFQ r\d+ \(RFQ-r\d+\): GET /api/rfq/r\d+: status 404`, out)
}

func TestBurst_A5xxFailsTheRun(t *testing.T) {
	shop := newFakeShop()
	shop.fail5xx = true
	out, err := runAgainst(t, shop, "-mode", "burst", "-users", "2")
	require.Error(t, err, out)
	require.Contains(t, err.Error(), "1 server errors (5xx)")
	require.Regexp(t, `(?m)^search +2 +1 `, out)
}

func TestSteady_StartsVisitorsAtTheRateWithThinkTime(t *testing.T) {
	out, err := runAgainst(t, newFakeShop(), "-mode", "steady", "-rate", "20", "-duration", "500ms",
		"-think-min", "1ms", "-think-max", "5ms")
	require.NoError(t, err, out)
	require.Contains(t, out, "steady 20.0 visitors/s for 500ms (think 1ms–5ms, 1 in 10 signs up and logs in)")
	require.Contains(t, out, "10 RFQs acknowledged")
	require.Regexp(t, `(?m)^signup +1 +0 `, out)
	require.Regexp(t, `(?m)^login +1 +0 `, out)
	require.Contains(t, out, "read-back: 10 acknowledged RFQs checked, 0 lost")
}

func TestParseFlags_RejectsAnUnknownMode(t *testing.T) {
	_, err := ParseFlags([]string{"-mode", "spike"}, &strings.Builder{})
	require.ErrorContains(t, err, "-mode must be burst or steady")
}

func TestBurst_SaysWhichRateLimitsCutTheRunShort(t *testing.T) {
	shop := newFakeShop()
	shop.limitFilter = true
	out, err := runAgainst(t, shop, "-mode", "burst", "-users", "2")
	require.NoError(t, err, "a 429 is not a server error nor a lost write")
	require.Contains(t, out, "rate limited (429): filter 2;")
	require.Contains(t, out, "0 RFQs acknowledged")
}

func TestSteady_SaysWhenTheAccountLimitStopsSignUps(t *testing.T) {
	shop := newFakeShop()
	shop.limitAccounts = true
	out, err := runAgainst(t, shop, "-mode", "steady", "-rate", "40", "-duration", "100ms",
		"-think-min", "1ms", "-think-max", "2ms", "-accounts-every", "2")
	require.NoError(t, err, out)
	require.Contains(t, out, "rate limited (429): signup 2;")
	require.Contains(t, out, "4 RFQs acknowledged", "the visit goes on as a guest")
}

// -profile asks the server for a CPU profile of the load's first seconds and keeps it.
func TestBurst_ProfilesTheServer(t *testing.T) {
	file := filepath.Join(t.TempDir(), "burst.pprof")
	out, err := runAgainst(t, newFakeShop(), "-mode", "burst", "-users", "2", "-profile", file, "-profile-seconds", "7")
	require.NoError(t, err)
	require.Contains(t, out, "CPU profile of the server's first 7 s under load: "+file)
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	require.Equal(t, "fake profile of 7 s", string(b))
}
