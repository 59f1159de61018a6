package apphttp

import (
	"bufio"
	"net"
	"net/http"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestConnGuard_TrustedProxyExempt: behind a proxy every connection comes from the proxy's
// address, so a per-IP cap on it would cap every customer at once.
func TestConnGuard_TrustedProxyExempt(t *testing.T) {
	for _, tc := range []struct {
		name    string
		trusted []netip.Prefix
		open    int
	}{
		{"Client", nil, 1},
		{"TrustedProxy", []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			g := NewConnGuard(ln, ConnLimits{MaxPerIP: 1, TrustedProxies: tc.trusted})
			defer g.Close()
			accepted := make(chan net.Conn, 3)
			go func() {
				for {
					c, err := g.Accept()
					if err != nil {
						return
					}
					accepted <- c
				}
			}()
			var clients []net.Conn
			for range 2 {
				c, err := net.Dial("tcp", ln.Addr().String())
				require.NoError(t, err)
				defer c.Close()
				clients = append(clients, c)
			}
			first := <-accepted
			defer first.Close()
			require.Equal(t, tc.open, g.Open(netip.MustParseAddr("127.0.0.1")))
			if tc.open == 0 {
				second := <-accepted // a trusted proxy's second connection is served
				second.Close()
				return
			}
			require.NoError(t, clients[1].SetDeadline(time.Now().Add(30*time.Second)))
			resp, err := http.ReadResponse(bufio.NewReader(clients[1]), nil)
			require.NoError(t, err)
			resp.Body.Close()
			require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
			first.Close()
			require.Zero(t, g.Open(netip.MustParseAddr("127.0.0.1")), "closing gives the slot back")
		})
	}
}
