package main

import (
	"context"
	"io"

	"github.com/metalpro/backend/loadtest"
)

// runLoadtest is `metalpro loadtest`: it loads a running server (see package loadtest);
// it opens no database and reads no server configuration.
func runLoadtest(ctx context.Context, args []string, stdout io.Writer) error {
	o, err := loadtest.ParseFlags(args, stdout)
	if err != nil {
		return err
	}
	return loadtest.Run(ctx, o, stdout)
}
