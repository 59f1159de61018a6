package main

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The subcommand reaches the load tool without reading the server's configuration
// (no JWT secret, no data directory): it only talks to a URL.
func TestRun_LoadtestIsASubcommand(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	getenv := func(string) string { return "" }
	err := run(context.Background(), []string{"metalpro", "loadtest", "-mode", "spike"}, getenv, &out)
	require.ErrorContains(t, err, "-mode must be burst or steady")

	out.Reset()
	require.NoError(t, run(context.Background(), []string{"metalpro", "help"}, getenv, &out))
	require.Contains(t, out.String(), "loadtest")
}
