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
// database: a plain list, a filtered list and a search, with the catalog cache warm and
// with it off (every request hits SQLite). It reports requests per second over all
// client goroutines and per-request latency percentiles.
func BenchmarkCatalog(b *testing.B) {
	s, db := apphttp.MustCatalogServerForTest(b)
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
			b.Run(mode.name+"/"+q.name, func(b *testing.B) {
				db.SetCatalogCache(mode.cache)
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
				sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
				if len(all) > 0 {
					b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
					b.ReportMetric(float64(all[len(all)/2].Microseconds()), "p50-µs")
					b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-µs")
				}
			})
		}
	}
	db.SetCatalogCache(true)
}
