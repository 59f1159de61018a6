package main

import (
	"context"
	"io"
	"os"

	"github.com/metalpro/backend/loadtest"
)

// runLoadtest is `metalpro loadtest`: it loads a running server (see package loadtest);
// it opens no database and reads no server configuration.
func runLoadtest(ctx context.Context, args []string, stdout io.Writer) error {
	o, err := loadtest.ParseFlags(args, stdout)
	if err != nil {
		return err
	}
	if o.BareBody != "" { // started by the tool below: the comparison's bare handler
		return loadtest.ServeBare(ctx, o.BareBody, os.Stdin, stdout)
	}
	// The comparison's bare handler runs in a process of its own, as the server does.
	if self, err := os.Executable(); err == nil {
		o.BareCommand = []string{self, "loadtest", "-bare-body"}
	}
	return loadtest.Run(ctx, o, stdout)
}
