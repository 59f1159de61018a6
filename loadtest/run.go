// Package loadtest is `metalpro loadtest`: guest shoppers against a running server, in a
// burst (N users at once, no think time) or at a steady arrival rate with think time.
// It reports per-endpoint latencies, the server's RSS and the cached list's rate against a
// bare net/http handler, and fails on any 5xx or any acknowledged RFQ it cannot read back.
package loadtest

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Options are the command's flags.
type Options struct {
	URL        string
	Mode       string        // "burst" or "steady"
	Users      int           // burst: users at once
	Iterations int           // burst: visits per user
	Rate       float64       // steady: new visitors per second
	Duration   time.Duration // steady: how long visitors arrive
	MaxActive  int           // steady: visitors in flight at most (the bound of the open model)
	ThinkMin   time.Duration // steady: pause between a visitor's steps
	ThinkMax   time.Duration
	PID        int // the server's process for RSS; 0 finds the listener of a local URL
	RatioN     int // requests per side of the bare-handler comparison; 0 skips it
	// AccountsEvery: in steady mode every Nth visitor also signs up and logs in first
	// (0: none). The server's RATE_LIMIT_ACCOUNT and RATE_LIMIT_LOGIN must allow it.
	AccountsEvery int
	// Profile: a file for the server's CPU profile of the first ProfileSeconds of the load
	// ("": none).
	Profile        string
	ProfileSeconds int
	// BareCommand runs the bare handler of the comparison in a process of its own (this
	// program's `loadtest -bare-body`, which the file name is appended to); empty: in the
	// tool's process. BareBody is set in that process: the file to serve.
	BareCommand []string
	BareBody    string
}

// ParseFlags reads the command line after "loadtest".
func ParseFlags(args []string, out io.Writer) (Options, error) {
	var o Options
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&o.URL, "url", "http://127.0.0.1:3000", "the running server")
	fs.StringVar(&o.Mode, "mode", "burst", "burst (N users at once, no think time) or steady (arrival rate with think time)")
	fs.IntVar(&o.Users, "users", 200, "burst: users at once")
	fs.IntVar(&o.Iterations, "iterations", 1, "burst: visits per user")
	fs.Float64Var(&o.Rate, "rate", 20, "steady: new visitors per second")
	fs.DurationVar(&o.Duration, "duration", 30*time.Second, "steady: how long visitors arrive")
	fs.IntVar(&o.MaxActive, "max-active", 5000, "steady: visitors in flight at most")
	fs.DurationVar(&o.ThinkMin, "think-min", 500*time.Millisecond, "steady: shortest pause between steps")
	fs.DurationVar(&o.ThinkMax, "think-max", 1500*time.Millisecond, "steady: longest pause between steps")
	fs.IntVar(&o.PID, "pid", 0, "the server's process id for RSS (default: the listener of a local -url)")
	fs.IntVar(&o.RatioN, "ratio-requests", 2000, "requests per side of the catalog list vs bare handler comparison (0 skips it)")
	fs.IntVar(&o.AccountsEvery, "accounts-every", 10, "steady: every Nth visitor also signs up and logs in (0: none)")
	fs.StringVar(&o.Profile, "profile", "", "write the server's CPU profile of the load's first -profile-seconds to this file (the server's /debug/pprof, loopback or METRICS_TOKEN)")
	fs.IntVar(&o.ProfileSeconds, "profile-seconds", 30, "how long -profile profiles the server")
	fs.StringVar(&o.BareBody, "bare-body", "", "internal: serve this file as the comparison's bare handler (the tool starts itself so)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.URL = strings.TrimRight(o.URL, "/")
	switch {
	case o.Mode != "burst" && o.Mode != "steady":
		return o, fmt.Errorf("-mode must be burst or steady, not %q", o.Mode)
	case o.Users < 1 || o.Iterations < 1 || o.Rate <= 0 || o.Duration <= 0 || o.MaxActive < 1 || o.AccountsEvery < 0:
		return o, errors.New("-users, -iterations, -rate, -duration and -max-active must be positive")
	case o.Profile != "" && o.ProfileSeconds < 1:
		return o, errors.New("-profile-seconds must be positive")
	}
	return o, nil
}

// Run runs the load, prints the report to out and returns an error when any request got
// a 5xx or any acknowledged RFQ is lost.
func Run(ctx context.Context, o Options, out io.Writer) error {
	st := newStats()
	transport := &http.Transport{MaxIdleConns: 10000, MaxIdleConnsPerHost: 10000}
	defer transport.CloseIdleConnections()

	var mu sync.Mutex
	var acked []*ackedRFQ
	var visitErrs []error
	runID := time.Now().UnixNano() // account emails stay new from one run to the next
	one := func(i int, think func() error) {
		var accountErr error
		if o.Mode == "steady" && o.AccountsEvery > 0 && i%o.AccountsEvery == 0 {
			accountErr = signUpAndLogIn(ctx, newGuest(o.URL, transport, st), runID, i, think)
		}
		a, err := visit(ctx, newGuest(o.URL, transport, st), i, think)
		mu.Lock()
		defer mu.Unlock()
		if a != nil {
			acked = append(acked, a)
		}
		for _, e := range []error{accountErr, err} {
			if e != nil && len(visitErrs) < 5 {
				visitErrs = append(visitErrs, e)
			}
		}
	}
	if o.RatioN > 0 {
		// Before the load as well: afterwards the server is still sending the RFQs' emails
		// and shipping the WAL to its replica, and the comparison measures that too.
		reportRatio(ctx, out, o, "before the load")
	}
	profiled := func() error { return nil }
	if o.Profile != "" {
		profiled = profileServer(ctx, o.URL, o.Profile, o.ProfileSeconds)
	}
	began := time.Now()
	dropped := 0
	if o.Mode == "burst" {
		burst(o, one)
	} else {
		dropped = steady(ctx, o, one)
	}
	elapsed := time.Since(began)

	requests, errs, serverErrs := st.total()
	fmt.Fprintf(out, "%s against %s: %d requests in %s, %.0f req/s, %d errors (%d 5xx), %d RFQs acknowledged (%.1f/s)\n",
		describe(o), o.URL, requests, elapsed.Round(time.Millisecond), float64(requests)/elapsed.Seconds(),
		errs, serverErrs, len(acked), float64(len(acked))/elapsed.Seconds())
	st.report(out)
	if l := st.limits(); l != "" {
		fmt.Fprintf(out, "rate limited (429): %s; raise the server's RATE_LIMIT_* and, for sign-up and login (3 at once per address by default), LOGIN_CONCURRENCY_PER_IP in its environment for a load run\n", l)
	}
	if dropped > 0 {
		fmt.Fprintf(out, "%d arrivals not started: %d visitors were already in flight (-max-active)\n", dropped, o.MaxActive)
	}
	for _, err := range visitErrs {
		fmt.Fprintln(out, "error:", err)
	}
	if rss, err := serverRSS(o.URL, o.PID); err != nil {
		fmt.Fprintln(out, "server RSS: unknown:", err)
	} else {
		fmt.Fprintln(out, "server RSS:", rss)
	}

	checks := newStats()
	lost := checkRFQs(ctx, acked, checks)
	fmt.Fprintf(out, "read-back: %d acknowledged RFQs checked, %d lost\n", len(acked), len(lost))
	for i, l := range lost {
		if i == 10 {
			fmt.Fprintf(out, "lost: … and %d more\n", len(lost)-10)
			break
		}
		fmt.Fprintln(out, "lost:", l)
	}

	if o.Profile != "" {
		// Waits for the rest of -profile-seconds when the load ended sooner.
		if err := profiled(); err != nil {
			fmt.Fprintln(out, "CPU profile: failed:", err)
		} else {
			fmt.Fprintf(out, "CPU profile of the server's first %d s under load: %s\n", o.ProfileSeconds, o.Profile)
		}
	}
	if o.RatioN > 0 {
		reportRatio(ctx, out, o, "after the load")
	}

	switch {
	case serverErrs > 0 || len(lost) > 0:
		return fmt.Errorf("%d server errors (5xx), %d acknowledged RFQs lost", serverErrs, len(lost))
	}
	return nil
}

func describe(o Options) string {
	if o.Mode == "burst" {
		return fmt.Sprintf("burst of %d users × %d visits", o.Users, o.Iterations)
	}
	accounts := "no sign-ups"
	if o.AccountsEvery > 0 {
		accounts = fmt.Sprintf("1 in %d signs up and logs in", o.AccountsEvery)
	}
	return fmt.Sprintf("steady %.1f visitors/s for %s (think %s–%s, %s)", o.Rate, o.Duration, o.ThinkMin, o.ThinkMax, accounts)
}

// burst starts every user at once; each makes its visits back to back.
func burst(o Options, one func(int, func() error)) {
	start := make(chan struct{})
	var wg sync.WaitGroup
	for u := 0; u < o.Users; u++ {
		wg.Add(1)
		go func(u int) {
			defer wg.Done()
			<-start
			for it := 0; it < o.Iterations; it++ {
				one(u*o.Iterations+it, nil)
			}
		}(u)
	}
	close(start)
	wg.Wait()
}

// steady starts visitors at a fixed rate whatever the server's speed (an open model),
// for o.Duration, with at most o.MaxActive in flight; a visitor that would exceed it is
// counted as "dropped" instead of queued, so a slow server shows up rather than hides.
func steady(ctx context.Context, o Options, one func(int, func() error)) (dropped int) {
	interval := time.Duration(float64(time.Second) / o.Rate)
	total := int(o.Duration / interval)
	slots := make(chan struct{}, o.MaxActive)
	var wg sync.WaitGroup
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for i := 0; i < total; i++ {
		select {
		case <-tick.C:
		case <-ctx.Done():
			wg.Wait()
			return dropped
		}
		select {
		case slots <- struct{}{}:
		default:
			dropped++ // at the bound: this arrival is not started
			continue
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer func() { <-slots }()
			one(i, thinker(ctx, rand.New(rand.NewSource(int64(i))), o.ThinkMin, o.ThinkMax))
		}(i)
	}
	wg.Wait()
	return dropped
}

// reportRatio prints the catalog list's rate against the bare handler's (ratio), when.
func reportRatio(ctx context.Context, out io.Writer, o Options, when string) {
	server, bare, size, err := ratio(ctx, o.URL, 8, o.RatioN, o.BareCommand)
	if err != nil {
		fmt.Fprintf(out, "catalog list vs bare handler, %s: failed: %v\n", when, err)
		return
	}
	where := "in the tool's process"
	if len(o.BareCommand) > 0 {
		where = "in a process of its own"
	}
	fmt.Fprintf(out, "catalog list vs bare handler (%s), %s (%d gzipped bytes, 8 clients, %d requests per side in %d alternating turns): %.0f vs %.0f req/s, ratio %.2f\n",
		where, when, size, o.RatioN, ratioRounds, server, bare, server/bare)
}
