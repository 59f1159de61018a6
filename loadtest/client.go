package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"time"
)

// guest is one shopper: its own cookie jar, so the server sees one guest session.
type guest struct {
	base   string
	client *http.Client
	stats  *stats
}

func newGuest(base string, transport http.RoundTripper, st *stats) *guest {
	jar, _ := cookiejar.New(nil)
	return &guest{base: base, client: &http.Client{Transport: transport, Jar: jar, Timeout: 2 * time.Minute}, stats: st}
}

// call sends one request, records it under step and decodes a 2xx body into out.
func (g *guest) call(ctx context.Context, step, method, path string, body any, want int, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, g.base+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	t0 := time.Now()
	resp, err := g.client.Do(req)
	if err != nil {
		g.stats.record(step, time.Since(t0), 0, true)
		return fmt.Errorf("%s: %w", step, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	failed := err != nil || resp.StatusCode != want
	g.stats.record(step, time.Since(t0), resp.StatusCode, failed)
	if err != nil {
		return fmt.Errorf("%s: %w", step, err)
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: status %d, want %d: %.200s", method, path, resp.StatusCode, want, bytes.TrimSpace(raw))
	}
	if out != nil {
		return json.Unmarshal(raw, out)
	}
	return nil
}
