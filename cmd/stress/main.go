// Command stress runs the test suite several times, shuffled and with the race detector,
// while stress-ng keeps the CPUs busy, and lists every test that failed at least once with
// the output of its first failure. `make stress` runs it; see the README, "Flaky tests".
//
//	go run ./cmd/stress [-count 5] [-load N] [-run REGEXP] [-json FILE] [packages]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"syscall"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("stress", flag.ContinueOnError)
	fs.SetOutput(stderr)
	count := fs.Int("count", envInt("STRESS_COUNT", 5), "repetitions of every test (STRESS_COUNT)")
	load := fs.Int("load", envInt("STRESS_LOAD", runtime.NumCPU()), "stress-ng CPU workers beside the tests; 0: none, bring your own load (STRESS_LOAD)")
	runRe := fs.String("run", "", "only the tests matching this regexp (go test -run)")
	tags := fs.String("tags", "sqlite_fts5", "build tags")
	timeout := fs.Duration("timeout", 0, "go test -timeout for a package binary, every repetition together (default: 30m per repetition)")
	jsonOut := fs.String("json", "", "also keep the raw go test -json stream in this file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *timeout <= 0 {
		// The deadline covers all repetitions of a package at once, and the root package
		// takes up to 15 min per repetition under load: a fixed -timeout cut the last
		// repetitions short, and every test then failed "before the test's deadline".
		*timeout = time.Duration(max(*count, 1)) * 30 * time.Minute
	}
	pkgs := fs.Args()
	if len(pkgs) == 0 {
		pkgs = []string{"./..."}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if *load > 0 {
		stopLoad, err := startLoad(ctx, *load, stderr)
		if err != nil {
			fmt.Fprintln(stderr, "stress:", err)
			return 2
		}
		defer stopLoad()
	}

	goArgs := []string{"test", "-json", "-race", "-tags", *tags, "-shuffle=on",
		"-count", strconv.Itoa(*count), "-timeout", timeout.String()}
	if *runRe != "" {
		goArgs = append(goArgs, "-run", *runRe)
	}
	goArgs = append(goArgs, pkgs...)
	fmt.Fprintf(stderr, "stress: go %v (load: %d stress-ng CPU worker(s))\n", goArgs, *load)

	cmd := exec.CommandContext(ctx, "go", goArgs...)
	cmd.Stderr = stderr
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(stderr, "stress:", err)
		return 2
	}
	var in io.Reader = pipe
	if *jsonOut != "" {
		f, err := os.Create(*jsonOut)
		if err != nil {
			fmt.Fprintln(stderr, "stress:", err)
			return 2
		}
		defer f.Close()
		in = io.TeeReader(pipe, f)
	}
	started := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(stderr, "stress:", err)
		return 2
	}
	report := NewReport()
	readErr := report.Read(in)
	waitErr := cmd.Wait()
	fmt.Fprintf(stderr, "stress: %d repetition(s) in %s\n", *count, time.Since(started).Round(time.Second))
	report.Write(stdout)
	if readErr != nil {
		fmt.Fprintln(stderr, "stress: reading go test's output:", readErr)
		return 2
	}
	var exit *exec.ExitError
	if waitErr != nil && !errors.As(waitErr, &exit) {
		fmt.Fprintln(stderr, "stress:", waitErr)
		return 2
	}
	if report.Failed || waitErr != nil {
		return 1
	}
	return 0
}

// startLoad keeps n CPUs busy with stress-ng until the returned function is called.
func startLoad(ctx context.Context, n int, stderr io.Writer) (func(), error) {
	path, err := exec.LookPath("stress-ng")
	if err != nil {
		return nil, errors.New("stress-ng is not installed: `sudo apt-get install stress-ng` " +
			"(Debian, Ubuntu), or STRESS_LOAD=0 and load the machine yourself (a parallel `make test`)")
	}
	cmd := exec.CommandContext(ctx, path, "--cpu", strconv.Itoa(n), "--quiet")
	cmd.Stdout, cmd.Stderr = stderr, stderr
	// Its workers are its children: stop the whole group, not only the parent. SIGKILL, as
	// busy loops have nothing to clean up, and SIGTERM makes stress-ng warn that it
	// "finished prematurely", which reads like a problem of the run.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	}, nil
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}
