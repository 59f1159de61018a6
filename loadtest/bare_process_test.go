package loadtest

import (
	"context"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The comparison's bare handler can run in a process of its own: here this test binary,
// started again to run TestHelperBareProcess, stands in for `metalpro loadtest -bare-body`.
func TestRatio_BareInItsOwnProcess(t *testing.T) {
	t.Setenv("LOADTEST_BARE_HELPER", "1")
	srv := httptest.NewServer(newFakeShop())
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	command := []string{os.Args[0], "-test.run=^TestHelperBareProcess$", "--"}
	server, bare, size, err := ratio(ctx, srv.URL, 2, 40, command)
	require.NoError(t, err)
	require.Positive(t, server)
	require.Positive(t, bare)
	require.Positive(t, size)

	_, _, err = func() (string, func(), error) {
		return startBare(ctx, []byte("x"), []string{os.Args[0], "-test.run=^$", "--"})
	}()
	require.ErrorContains(t, err, "the bare handler process did not start")
}

// TestHelperBareProcess is the bare handler's process of TestRatio_BareInItsOwnProcess.
func TestHelperBareProcess(t *testing.T) {
	if os.Getenv("LOADTEST_BARE_HELPER") != "1" {
		t.Skip("the bare handler's process, started by TestRatio_BareInItsOwnProcess")
	}
	if err := ServeBare(context.Background(), os.Args[len(os.Args)-1], os.Stdin, os.Stdout); err != nil {
		t.Fatal(err)
	}
}
