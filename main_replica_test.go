package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"testing"
)

// TestMain lets this test binary be the replicator child: serve, running in
// the test process, re-executes os.Executable() (the test binary) with
// "replicate", exactly as the real binary re-executes itself.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "replicate" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err := runReplicate(ctx)
		stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, "metalpro replicate:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	cleanupBuiltBinary()
	os.Exit(code)
}
