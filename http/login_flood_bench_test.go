package apphttp_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/store"
)

// BenchmarkLogin_UnderFlood measures what a real customer's login costs while 50
// connections flood login with wrong passwords, at the production bcrypt cost and with the
// rate limits off (the flood is never stopped by the 5-failure limit). Run it alone:
//
//	go test -tags sqlite_fts5 -run '^$' -bench Login_UnderFlood -benchtime 20x ./http/
//
// It reports the customer's median and worst login time and the share answered 503 (no
// bcrypt slot within the queue's wait), for a flood from one address at one account and
// from 50 addresses at 50 emails.
func BenchmarkLogin_UnderFlood(b *testing.B) {
	for _, addrs := range []int{1, 50} {
		b.Run(fmt.Sprintf("FloodFrom%dAddresses", addrs), func(b *testing.B) {
			api := mustStartAPI(b, store.DefaultPasswordCost, func(c *apphttp.Config) {
				c.RateLimits.API = apphttp.Limit{Max: 0, Window: time.Minute}
				c.RateLimits.Login = apphttp.Limit{Max: 0, Window: time.Minute}
				c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
			}, apphttp.Deps{})
			api.MustSignup("client@firma.ro")
			api.MustSignup("tinta@firma.ro")

			ctx, stop := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			for i := range 50 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					// One address guesses one account; many addresses each try their own
					// email, so neither the per-address nor the per-account cap applies.
					ip, email := "10.0.0.1", "tinta@firma.ro"
					if addrs > 1 {
						ip, email = fmt.Sprintf("10.0.0.%d", 1+i%addrs), fmt.Sprintf("nimeni%d@firma.ro", i)
					}
					body := `{"email":"` + email + `","password":"parola-gresita-123"}`
					for ctx.Err() == nil {
						floodLogin(ctx, api.URL, ip, body)
					}
				}()
			}
			var took []time.Duration
			busy := 0
			body := `{"email":"client@firma.ro","password":"` + testPassword + `"}`
			b.ResetTimer()
			for range b.N {
				start := time.Now()
				status := floodLogin(context.Background(), api.URL, "192.0.2.7", body)
				took = append(took, time.Since(start))
				switch status {
				case http.StatusOK:
				case http.StatusServiceUnavailable:
					busy++
				default:
					b.Errorf("customer login: %d", status)
				}
			}
			b.StopTimer()
			stop()
			wg.Wait()
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Milliseconds()), "ms-p50")
			b.ReportMetric(float64(took[len(took)-1].Milliseconds()), "ms-max")
			b.ReportMetric(100*float64(busy)/float64(len(took)), "%-503")
		})
	}
}

// floodLogin posts one login as if from ip (behind a trusted proxy) and returns the status,
// or 0 when the request failed or ctx ended.
func floodLogin(ctx context.Context, base, ip, body string) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/auth/login", strings.NewReader(body))
	if err != nil {
		return 0
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", ip)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}
