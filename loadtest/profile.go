package loadtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"
)

// profileServer asks the server for a CPU profile of the next seconds
// (GET /debug/pprof/profile, allowed to loopback callers and METRICS_TOKEN) and writes it
// to file; wait returns once it is written. Started as the load starts, it shows what the
// server spends the load's CPU on: `go tool pprof -top -cum bin/metalpro FILE`.
func profileServer(ctx context.Context, base, file string, seconds int) (wait func() error) {
	done := make(chan error, 1)
	go func() { done <- fetchProfile(ctx, base, file, seconds) }()
	return func() error { return <-done }
}

func fetchProfile(ctx context.Context, base, file string, seconds int) error {
	// The server takes seconds to answer; the client waits that long and a little more.
	ctx, cancel := context.WithTimeout(ctx, time.Duration(seconds)*time.Second+time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/debug/pprof/profile?seconds="+strconv.Itoa(seconds), nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("the server answered %d: %s", resp.StatusCode, b)
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
