package loadtest

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// ratio compares the server's catalog list with a bare net/http handler that writes a
// body of the same size, both over real HTTP on 127.0.0.1 from the same clients, and
// returns both rates in requests per second.
func ratio(ctx context.Context, base string, clients, requests int) (server, bare float64, size int, err error) {
	path := base + "/api/products?page=1&limit=24"
	body, err := fetchGzipped(ctx, path)
	if err != nil {
		return 0, 0, 0, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, 0, 0, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(body)
	})}
	go srv.Serve(ln)
	defer srv.Close()
	if bare, err = hammer(ctx, "http://"+ln.Addr().String()+"/api/products", clients, requests); err != nil {
		return 0, 0, 0, err
	}
	if server, err = hammer(ctx, path, clients, requests); err != nil {
		return 0, 0, 0, err
	}
	return server, bare, len(body), nil
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

// hammer sends requests GETs from clients goroutines and returns requests per second.
func hammer(ctx context.Context, u string, clients, requests int) (float64, error) {
	tr := &http.Transport{MaxIdleConnsPerHost: clients, DisableCompression: true}
	defer tr.CloseIdleConnections()
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
	return float64(requests) / time.Since(began).Seconds(), firstErr
}
