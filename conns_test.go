package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// dialKeepAlive opens a connection, makes one request on it and leaves it open and idle,
// as a browser (or an attacker) does. It returns the status of that request.
func dialKeepAlive(t *testing.T, hostport string) (net.Conn, *bufio.Reader, int) {
	t.Helper()
	c, err := net.Dial("tcp", hostport)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	require.NoError(t, c.SetDeadline(testDeadline(t))) // a liveness guard, not a speed limit
	_, err = io.WriteString(c, "GET /health/live HTTP/1.1\r\nHost: metalpro\r\n\r\n")
	require.NoError(t, err)
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return c, br, resp.StatusCode
}

// TestServe_ConnectionsPerIP: one address holding idle keep-alive connections cannot take
// more than MAX_CONNS_PER_IP; the next one is answered 429 at once, and a slot freed is
// usable again.
func TestServe_ConnectionsPerIP(t *testing.T) {
	t.Parallel()
	srv := startServer(t, map[string]string{"MAX_CONNS_PER_IP": "3"})
	hostport := strings.TrimPrefix(srv.URL, "http://")
	// The readiness probe's keep-alive connection counts too until the server sees it closed.
	http.DefaultClient.CloseIdleConnections()
	var held []net.Conn
	for range 3 {
		waitUntil(t, "a connection within the limit is served", func() bool {
			c, _, status := dialKeepAlive(t, hostport)
			if status != http.StatusOK {
				c.Close()
				return false
			}
			held = append(held, c)
			return true
		})
	}

	refused := func() bool {
		c, err := net.Dial("tcp", hostport)
		require.NoError(t, err)
		defer c.Close()
		require.NoError(t, c.SetDeadline(testDeadline(t)))
		_, err = io.WriteString(c, "GET /health/live HTTP/1.1\r\nHost: metalpro\r\n\r\n")
		require.NoError(t, err)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode == http.StatusTooManyRequests {
			require.Equal(t, "5", resp.Header.Get("Retry-After"))
			require.Contains(t, string(body), `"code":"rate_limited"`)
			return true
		}
		require.Equal(t, http.StatusOK, resp.StatusCode)
		return false
	}
	require.True(t, refused(), "a fourth connection is refused")

	held[0].Close()
	// The server learns of the close when its read fails, later on a loaded machine: ask
	// until the slot is back, for as long as the test may run.
	waitUntil(t, "a closed connection gives its slot back", func() bool { return !refused() })
}

// TestServe_IdleTimeout: an idle keep-alive connection is closed after IDLE_TIMEOUT
// (it was held for 2 minutes).
func TestServe_IdleTimeout(t *testing.T) {
	t.Parallel()
	srv := startServer(t, map[string]string{"IDLE_TIMEOUT": "200ms"})
	_, br, status := dialKeepAlive(t, strings.TrimPrefix(srv.URL, "http://"))
	require.Equal(t, http.StatusOK, status)
	_, err := br.ReadByte() // returns when the server closes the connection, or at the test's deadline
	require.ErrorIs(t, err, io.EOF, "the server closed the idle connection")
}

func TestFileLimitPlan(t *testing.T) {
	t.Parallel()
	target, low := fileLimitPlan(1024, 1048576)
	require.Equal(t, uint64(1048576), target, "the soft limit is raised to the hard limit")
	require.False(t, low)
	_, low = fileLimitPlan(1024, 1024)
	require.True(t, low, "1,024 descriptors is low")
}
