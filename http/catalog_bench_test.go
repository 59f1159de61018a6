package apphttp_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"testing"
	"time"

	apphttp "github.com/metalpro/backend/http"
)

// BenchmarkCatalog measures catalog reads over real HTTP on 127.0.0.1 against the seeded
// database: a plain list, a filtered list and two searches, with the catalog cache warm
// and with it off (every request hits SQLite), from one client (ns/op is the latency of a
// request) and from 4×GOMAXPROCS concurrent clients (throughput; latency includes
// queueing). It reports requests per second and latency percentiles.
func BenchmarkCatalog(b *testing.B) {
	s, _ := apphttp.MustCatalogServerForTest(b)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

	queries := []struct{ name, query string }{
		{"List", "page=1&limit=24"},
		{"Filtered", "category=tevi-rectangulare&availability=in_stock&grade=S235JR&minPrice=5&maxPrice=200&sort=price_asc"},
		{"Search", "q=" + url.QueryEscape("teava 40x20x2")},
		{"SearchSheet", "q=" + url.QueryEscape("tabla inox 2 mm 304")},
	}
	for _, mode := range []struct {
		name  string
		cache bool
	}{{"Warm", true}, {"Cold", false}} {
		for _, q := range queries {
			b.Run(mode.name+"/"+q.name+"/Serial", func(b *testing.B) {
				s.SetCatalogCache(mode.cache)
				target := srv.URL + "/api/products?" + q.query
				all := make([]time.Duration, 0, b.N)
				b.ResetTimer()
				start := time.Now()
				for i := 0; i < b.N; i++ {
					t0 := time.Now()
					resp, err := client.Get(target)
					if err != nil {
						b.Fatal(err)
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					all = append(all, time.Since(t0))
				}
				elapsed := time.Since(start)
				b.StopTimer()
				reportLatency(b, all, elapsed)
			})
			b.Run(mode.name+"/"+q.name+"/Parallel", func(b *testing.B) {
				s.SetCatalogCache(mode.cache)
				target := srv.URL + "/api/products?" + q.query
				get := func() time.Duration {
					start := time.Now()
					resp, err := client.Get(target)
					if err != nil {
						b.Error(err)
						return 0
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						b.Errorf("status %d", resp.StatusCode)
					}
					return time.Since(start)
				}
				get() // fill the cache when it is on
				lat := make(chan []time.Duration, 64)
				b.SetParallelism(4)
				b.ResetTimer()
				start := time.Now()
				b.RunParallel(func(pb *testing.PB) {
					var mine []time.Duration
					for pb.Next() {
						mine = append(mine, get())
					}
					lat <- mine
				})
				elapsed := time.Since(start)
				b.StopTimer()
				close(lat)
				var all []time.Duration
				for l := range lat {
					all = append(all, l...)
				}
				reportLatency(b, all, elapsed)
			})
		}
	}
	s.SetCatalogCache(true)
}

func reportLatency(b *testing.B, all []time.Duration, elapsed time.Duration) {
	if len(all) == 0 {
		return
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(all[len(all)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-µs")
}
