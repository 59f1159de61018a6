package loadtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// ratioRounds is how many turns each side of the comparison takes. The two sides run in
// alternating turns, not one after the other: on a machine shared with other work the load
// changes within seconds, and it then weighs on both sides alike.
const ratioRounds = 4

// ratio compares the server's catalog list with a bare net/http handler that writes a
// body of the same size, both over real HTTP on 127.0.0.1 from the same clients, and
// returns both rates in requests per second.
func ratio(ctx context.Context, base string, clients, requests int, bareCommand []string) (server, bare float64, size int, err error) {
	path := base + "/api/products?page=1&limit=24"
	body, err := fetchGzipped(ctx, path) // also fills the server's catalog cache
	if err != nil {
		return 0, 0, 0, err
	}
	bareURL, stop, err := startBare(ctx, body, bareCommand)
	if err != nil {
		return 0, 0, 0, err
	}
	defer stop()
	bareTr := &http.Transport{MaxIdleConnsPerHost: clients, DisableCompression: true}
	serverTr := &http.Transport{MaxIdleConnsPerHost: clients, DisableCompression: true}
	defer bareTr.CloseIdleConnections()
	defer serverTr.CloseIdleConnections()
	per := max(requests/ratioRounds, 1)
	// One untimed turn each first: connections, the runtime's first allocations.
	if _, err := hammer(ctx, bareTr, bareURL, clients, per); err != nil {
		return 0, 0, 0, err
	}
	if _, err := hammer(ctx, serverTr, path, clients, per); err != nil {
		return 0, 0, 0, err
	}
	var bareTook, serverTook time.Duration
	for range ratioRounds {
		d, err := hammer(ctx, bareTr, bareURL, clients, per)
		if err != nil {
			return 0, 0, 0, err
		}
		bareTook += d
		if d, err = hammer(ctx, serverTr, path, clients, per); err != nil {
			return 0, 0, 0, err
		}
		serverTook += d
	}
	n := float64(per * ratioRounds)
	return n / serverTook.Seconds(), n / bareTook.Seconds(), len(body), nil
}

// fetchGzipped gets the body as the server sends it to a browser (gzipped).
func fetchGzipped(ctx context.Context, u string) ([]byte, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("catalog list: status %d", resp.StatusCode)
	}
	return b, err
}

// hammer sends requests GETs from clients goroutines over tr and returns how long they took.
func hammer(ctx context.Context, tr *http.Transport, u string, clients, requests int) (time.Duration, error) {
	work := make(chan struct{}, requests)
	for i := 0; i < requests; i++ {
		work <- struct{}{}
	}
	close(work)
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	began := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range work {
				req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
				req.Header.Set("Accept-Encoding", "gzip")
				resp, err := tr.RoundTrip(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						err = fmt.Errorf("%s: status %d", u, resp.StatusCode)
					}
				}
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	return time.Since(began), firstErr
}
