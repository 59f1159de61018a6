package loadtest

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"
)

// stats collects every request's duration and outcome per endpoint.
type stats struct {
	mu        sync.Mutex
	durations map[string][]time.Duration
	errors    map[string]int
	serverErr int            // 5xx answers: any one fails the run
	limited   map[string]int // 429 answers per endpoint: the server's rate limits, not its speed
}

func newStats() *stats {
	return &stats{durations: map[string][]time.Duration{}, errors: map[string]int{}, limited: map[string]int{}}
}

func (s *stats) record(step string, d time.Duration, status int, failed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.durations[step] = append(s.durations[step], d)
	if failed {
		s.errors[step]++
	}
	if status == 429 {
		s.limited[step]++
	}
	if status >= 500 {
		s.serverErr++
	}
}

func (s *stats) total() (requests, errors, serverErrors int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for step, ds := range s.durations {
		requests += len(ds)
		errors += s.errors[step]
	}
	return requests, errors, s.serverErr
}

// report prints one line per endpoint: count, errors and the latency quantiles.
func (s *stats) report(w io.Writer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.durations))
	for k := range s.durations {
		names = append(names, k)
	}
	sort.Strings(names)
	fmt.Fprintf(w, "%-12s %7s %6s %10s %10s %10s %10s\n", "endpoint", "count", "errors", "p50", "p95", "p99", "max")
	for _, k := range names {
		ds := append([]time.Duration(nil), s.durations[k]...)
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		q := func(p float64) time.Duration { return ds[int(p*float64(len(ds)-1))].Round(10 * time.Microsecond) }
		fmt.Fprintf(w, "%-12s %7d %6d %10s %10s %10s %10s\n", k, len(ds), s.errors[k], q(.50), q(.95), q(.99), ds[len(ds)-1].Round(10*time.Microsecond))
	}
}

// limits names the endpoints the server rate-limited, for example "add_to_cart 12, search 3".
func (s *stats) limits() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.limited))
	for k, n := range s.limited {
		names = append(names, fmt.Sprintf("%s %d", k, n))
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
