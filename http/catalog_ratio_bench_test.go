package apphttp_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	apphttp "github.com/metalpro/backend/http"
)

// BenchmarkCachedListVsBare compares the cached catalog list (through every middleware:
// logging, metrics, rate limiter, sessions, routing, compression) with a bare net/http
// handler that writes the very bytes the list puts on the wire, in the same run, from
// 4×GOMAXPROCS clients. The ratio of their req/s is what the full stack costs a hit.
func BenchmarkCachedListVsBare(b *testing.B) {
	s, _ := apphttp.MustCatalogServerForTest(b)
	shop := httptest.NewServer(s.Handler())
	defer shop.Close()
	const path = "/api/products?page=1&limit=24"

	// What the shop sends a browser (gzip accepted): the bare handler sends the same.
	req, _ := http.NewRequest(http.MethodGet, shop.URL+path, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		b.Fatal(err)
	}
	wire, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	encoding := resp.Header.Get("Content-Encoding")
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json; charset=utf-8")
		if encoding != "" {
			h.Set("Content-Encoding", encoding)
		}
		h.Set("Content-Length", strconv.Itoa(len(wire)))
		_, _ = w.Write(wire)
	}))
	defer bare.Close()
	b.Logf("body on the wire: %d bytes (%s)", len(wire), encoding)

	for _, target := range []struct{ name, url string }{{"Bare", bare.URL + path}, {"CachedList", shop.URL + path}} {
		b.Run(target.name, func(b *testing.B) {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			b.SetParallelism(4)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					resp, err := client.Get(target.url)
					if err != nil {
						b.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						b.Errorf("status %d", resp.StatusCode)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}

// BenchmarkCachedListStack is what the server's own code costs a cached list hit, without
// the network: the whole handler chain into a recorder, against a handler that only writes
// the same bytes. Profile it (-cpuprofile) to split the chain up.
func BenchmarkCachedListStack(b *testing.B) {
	s, _ := apphttp.MustCatalogServerForTest(b)
	h := s.Handler()
	newReq := func() *http.Request {
		r := httptest.NewRequest(http.MethodGet, "/api/products?page=1&limit=24", nil)
		r.Header.Set("Accept-Encoding", "gzip")
		r.RemoteAddr = "127.0.0.1:40000"
		return r
	}
	warm := httptest.NewRecorder()
	h.ServeHTTP(warm, newReq())
	wire := warm.Body.Bytes()
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(wire)
	})
	for _, c := range []struct {
		name string
		h    http.Handler
	}{{"Bare", bare}, {"CachedList", h}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					w := httptest.NewRecorder()
					c.h.ServeHTTP(w, newReq())
					if w.Code != http.StatusOK {
						b.Errorf("status %d", w.Code)
						return
					}
				}
			})
		})
	}
}
