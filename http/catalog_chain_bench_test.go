package apphttp

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/metalpro/backend/store/storetest"
)

// BenchmarkCachedListChain is what every cached catalog hit pays in the server's own code,
// without the network: the whole middleware chain into a recorder, configured as a load run
// configures production (JSON access log, a per-IP API limit that is counted, metrics),
// against a handler that only writes the same bytes. CachedListGuest carries a guest's
// session cookie, as the storefront's calls do once a visitor has a cart. Run it with
// -benchmem (allocations per hit) and -cpuprofile to split the chain up.
func BenchmarkCachedListChain(b *testing.B) {
	db := storetest.MustOpenSeeded(b)
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil)) // encoded, as in production, then dropped
	s := NewServer(db, Config{Env: "development", FrontendURL: "http://localhost:8080",
		CORSOrigins: []string{"http://localhost:8080"},
		RateLimits:  RateLimits{API: Limit{Max: 1 << 30, Window: time.Minute}}}, Deps{Logger: logger})
	b.Cleanup(s.Close)
	h := s.Handler()

	const path = "/api/products?page=1&limit=24"
	newReq := func(cookie string) *http.Request {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.Header.Set("Accept-Encoding", "gzip")
		if cookie != "" {
			r.Header.Set("Cookie", cookie)
		}
		r.RemoteAddr = "127.0.0.1:40000"
		return r
	}
	warm := httptest.NewRecorder()
	h.ServeHTTP(warm, newReq(""))
	wire := warm.Body.Bytes()
	cookie := guestCookieForBench(b, h)

	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(wire)
	})
	for _, c := range []struct {
		name, cookie string
		h            http.Handler
	}{{"Bare", "", bare}, {"CachedList", "", h}, {"CachedListGuest", cookie, h}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					w := httptest.NewRecorder()
					c.h.ServeHTTP(w, newReq(c.cookie))
					if w.Code != http.StatusOK || w.Body.Len() != len(wire) {
						b.Errorf("status %d, %d bytes", w.Code, w.Body.Len())
						return
					}
				}
			})
		})
	}
}

// guestCookieForBench adds a product to a new guest's cart and returns the session cookie
// the server set ("name=value").
func guestCookieForBench(b *testing.B, h http.Handler) string {
	b.Helper()
	list := httptest.NewRecorder()
	h.ServeHTTP(list, httptest.NewRequest(http.MethodGet, "/api/products?limit=1", nil))
	var products struct {
		Products []struct {
			ID string `json:"id"`
		} `json:"products"`
	}
	if err := json.Unmarshal(list.Body.Bytes(), &products); err != nil || len(products.Products) == 0 {
		b.Fatalf("product list: %v %s", err, list.Body.String())
	}
	body := `{"productId":"` + products.Products[0].ID + `","quantity":2,"unit":"pcs"}`
	r := httptest.NewRequest(http.MethodPost, "/api/cart/items", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.RemoteAddr = "127.0.0.1:40000"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusCreated {
		b.Fatalf("cart add: %d %s", w.Code, w.Body.String())
	}
	for _, c := range w.Result().Cookies() {
		if c.Name == sessionCookieName {
			return c.Name + "=" + c.Value
		}
	}
	b.Fatal("no guest session cookie")
	return ""
}
