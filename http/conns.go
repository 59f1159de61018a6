package apphttp

import (
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"
)

// Defaults for ConnLimits.
const (
	DefaultMaxConnsPerIP = 100              // a busy office behind one NAT, six connections per browser
	DefaultIdleTimeout   = 15 * time.Second // a browser reconnects in one round trip; a held socket is a descriptor
)

// ConnLimits bounds what one client address may hold open. Without them, one address
// holding idle keep-alive connections used up the process's file descriptors and new
// customers waited at the door.
type ConnLimits struct {
	// MaxPerIP is the most connections one client IP may have open; 0 means no cap.
	MaxPerIP int
	// IdleTimeout closes a client's keep-alive connection idle this long. Trusted proxies
	// keep the server's own (longer) idle timeout: a proxy must close first, or it may
	// send a request on a connection we are closing.
	IdleTimeout time.Duration
	// TrustedProxies are exempt from both: behind a proxy every connection comes from it,
	// and it enforces its own limits per real client.
	TrustedProxies []netip.Prefix
}

// ConnGuard is a listener that enforces ConnLimits. Serve with it and set the server's
// ConnState to its ConnState method.
type ConnGuard struct {
	net.Listener
	limits ConnLimits

	mu   sync.Mutex
	open map[netip.Addr]int
	// refusing bounds the goroutines answering refused connections, so a flood cannot
	// turn refusals into the same descriptor exhaustion.
	refusing chan struct{}
}

// NewConnGuard wraps ln.
func NewConnGuard(ln net.Listener, limits ConnLimits) *ConnGuard {
	return &ConnGuard{Listener: ln, limits: limits, open: map[netip.Addr]int{}, refusing: make(chan struct{}, 64)}
}

// Accept returns the next connection within the limits; connections over a client's cap
// are answered 429 and closed without reaching the server.
func (g *ConnGuard) Accept() (net.Conn, error) {
	for {
		c, err := g.Listener.Accept()
		if err != nil {
			return nil, err
		}
		addr := remoteAddr(c)
		exempt := !addr.IsValid() || g.trusted(addr)
		if !exempt && !g.take(addr) {
			g.refuse(c)
			continue
		}
		return &guardedConn{Conn: c, guard: g, addr: addr, exempt: exempt}, nil
	}
}

func remoteAddr(c net.Conn) netip.Addr {
	if ap, err := netip.ParseAddrPort(c.RemoteAddr().String()); err == nil {
		return ap.Addr().Unmap()
	}
	return netip.Addr{}
}

func (g *ConnGuard) trusted(a netip.Addr) bool {
	for _, p := range g.limits.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// take counts a new connection from addr, unless addr is at its cap.
func (g *ConnGuard) take(addr netip.Addr) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.limits.MaxPerIP > 0 && g.open[addr] >= g.limits.MaxPerIP {
		return false
	}
	g.open[addr]++
	return true
}

func (g *ConnGuard) release(addr netip.Addr) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.open[addr]--; g.open[addr] <= 0 {
		delete(g.open, addr)
	}
}

// Open is how many counted connections addr has now.
func (g *ConnGuard) Open(addr netip.Addr) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.open[addr]
}

var tooManyConnsResponse = func() []byte {
	body, _ := json.Marshal(errorBody{Code: "rate_limited",
		Error: "Prea multe conexiuni deschise de la adresa ta. Încearcă din nou în câteva secunde."})
	return fmt.Appendf(nil, "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json; charset=utf-8\r\n"+
		"Retry-After: 5\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
}()

// refuse answers a connection over its cap with a 429 and closes it. The request is read
// and dropped first (briefly, at most 64 KB): closing with unread data makes the kernel
// reset the connection, and the client would never see the answer.
func (g *ConnGuard) refuse(c net.Conn) {
	select {
	case g.refusing <- struct{}{}:
	default:
		c.Close() // already answering many: no courtesy under a flood
		return
	}
	go func() {
		defer func() { <-g.refusing }()
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(2 * time.Second))
		if _, err := c.Write(tooManyConnsResponse); err != nil {
			return
		}
		if tc, ok := c.(interface{ CloseWrite() error }); ok {
			_ = tc.CloseWrite()
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(c, 64<<10))
	}()
}

// ConnState closes a client's keep-alive connection once it has been idle for the
// IdleTimeout (http.Server has one idle timeout for all; trusted proxies keep that one).
func (g *ConnGuard) ConnState(c net.Conn, state http.ConnState) {
	if tc, isTLS := c.(*tls.Conn); isTLS { // TLS_DOMAINS: the guard is under the TLS layer
		c = tc.NetConn()
	}
	gc, ok := c.(*guardedConn)
	if !ok || gc.exempt || g.limits.IdleTimeout <= 0 {
		return
	}
	gc.mu.Lock()
	defer gc.mu.Unlock()
	if gc.idle != nil {
		gc.idle.Stop()
		gc.idle = nil
	}
	if state == http.StateIdle {
		gc.idle = time.AfterFunc(g.limits.IdleTimeout, func() { gc.Close() })
	}
}

// guardedConn gives its count back once, however often it is closed.
type guardedConn struct {
	net.Conn
	guard  *ConnGuard
	addr   netip.Addr
	exempt bool

	mu   sync.Mutex
	idle *time.Timer

	closeOnce sync.Once
}

// Read disarms the idle timer as soon as the next request's first bytes arrive (the server
// marks the connection active only once the headers are read).
func (c *guardedConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if n > 0 && !c.exempt {
		c.mu.Lock()
		if c.idle != nil {
			c.idle.Stop()
			c.idle = nil
		}
		c.mu.Unlock()
	}
	return n, err
}

func (c *guardedConn) Close() error {
	err := c.Conn.Close()
	c.closeOnce.Do(func() {
		if !c.exempt {
			c.guard.release(c.addr)
		}
	})
	return err
}
