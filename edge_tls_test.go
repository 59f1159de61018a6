package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/letsencrypt/pebble/v2/ca"
	pebbledb "github.com/letsencrypt/pebble/v2/db"
	"github.com/letsencrypt/pebble/v2/va"
	"github.com/letsencrypt/pebble/v2/wfe"
	"github.com/miekg/dns"
	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store/storetest"
)

const tlsTestDomain = "shop.metalpro.test"

// The whole program gets its certificate from a real ACME server (Pebble, in this process,
// on 127.0.0.1) over HTTP-01, serves https with HSTS, redirects plain http, and after a
// restart serves the certificate it kept in its database without asking the CA again.
func TestTLS_ACMECertificateFromPebble(t *testing.T) {
	// Pebble's knobs: no random waits before validating, no deliberately rejected nonces.
	t.Setenv("PEBBLE_VA_NOSLEEP", "1")
	t.Setenv("PEBBLE_WFE_NONCEREJECT", "0")

	dnsAddr := startLoopbackDNS(t)
	acmeSrv := newSwappableTLSServer(t)
	caFile := filepath.Join(t.TempDir(), "pebble-https.pem")
	require.NoError(t, os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: acmeSrv.Certificate().Raw}), 0o644))

	dataDir := t.TempDir()
	storetest.MustCopySeeded(t, filepath.Join(dataDir, "metalpro.db"))
	env := productionEnv(map[string]string{
		"HOST": "127.0.0.1", "DATA_DIR": dataDir, "REPLICA_URL": "off", "LOG_LEVEL": "debug",
		"FRONTEND_URL":       "https://" + tlsTestDomain,
		"TLS_DOMAINS":        tlsTestDomain,
		"HTTPS_PORT":         "0",
		"HTTP_PORT":          "0",
		"ACME_DIRECTORY_URL": acmeSrv.URL + wfe.DirectoryPath,
		"ACME_CA_FILE":       caFile,
		"ACME_EMAIL":         "ops@metalpro.test",
	})

	srv := startTLSServer(t, env)
	_, httpPort, err := net.SplitHostPort(srv.httpAddr)
	require.NoError(t, err)
	port, err := strconv.Atoi(httpPort)
	require.NoError(t, err)

	// Pebble validates on the server's real HTTP port (as Let's Encrypt does on :80). Its
	// TLS-ALPN-01 port is the same plain-http port, so that challenge fails and the client
	// goes on to HTTP-01: the path this test is about.
	pebbleLog := &syncBuffer{}
	logger := log.New(pebbleLog, "pebble ", 0)
	db := pebbledb.NewMemoryStore()
	authority := ca.New(logger, db, "", "ecdsa", 0, 1, map[string]ca.Profile{"default": {Description: "default"}})
	validator := va.New(logger, port, port, false, dnsAddr, db)
	front := wfe.New(logger, db, validator, authority, []string{"pebble.letsencrypt.org"}, false, false, 1, 1)
	var acmeCalls atomic.Int64
	acmeSrv.set(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		acmeCalls.Add(1)
		front.Handler().ServeHTTP(w, r)
	}))

	roots := x509.NewCertPool()
	roots.AddCert(authority.GetRootCert(0).Cert)
	client := httpsClient(roots, srv.httpsAddr)

	ctx, cancel := testContext(t)
	defer cancel()
	httpsURL := "https://" + net.JoinHostPort(tlsTestDomain, portOf(t, srv.httpsAddr))
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, httpsURL+"/health/ready", nil)
	require.NoError(t, err)
	resp, err := client.Do(req)
	require.NoError(t, err, "pebble's log:\n%s", pebbleLog.String())
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "max-age=31536000; includeSubDomains; preload", resp.Header.Get("Strict-Transport-Security"))
	require.Equal(t, []string{tlsTestDomain}, resp.TLS.PeerCertificates[0].DNSNames)
	require.Contains(t, pebbleLog.String(), "Attempting to validate w/ HTTP", "the certificate came over HTTP-01")

	// Plain http: everything but the challenges goes to https, same host, path and query.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, err = http.NewRequestWithContext(ctx, http.MethodGet, "http://"+srv.httpAddr+"/produse/tevi?pagina=2", nil)
	require.NoError(t, err)
	req.Host = tlsTestDomain
	resp, err = noFollow.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusMovedPermanently, resp.StatusCode)
	require.Equal(t, httpsURL+"/produse/tevi?pagina=2", resp.Header.Get("Location"))

	// A restart serves the kept certificate: the CA is not asked again.
	require.NoError(t, srv.stop())
	acmeCalls.Store(0)
	srv = startTLSServer(t, env)
	client = httpsClient(roots, srv.httpsAddr)
	httpsURL = "https://" + net.JoinHostPort(tlsTestDomain, portOf(t, srv.httpsAddr))
	req, err = http.NewRequestWithContext(ctx, http.MethodGet, httpsURL+"/health/ready", nil)
	require.NoError(t, err)
	resp, err = client.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Zero(t, acmeCalls.Load(), "the restarted server asked the CA again")
}

// A certificate you bring (TLS_CERT_FILE) is served, and replaced without a restart when
// the file changes.
func TestTLS_CertificateFromFiles(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	writeKeyPair(t, certFile, keyFile)

	env := map[string]string{"HOST": "127.0.0.1", "DATA_DIR": dir, "TLS_CERT_FILE": certFile, "TLS_KEY_FILE": keyFile,
		"HTTPS_PORT": "0", "HTTP_PORT": "0", "REPLICA_URL": "off"}
	storetest.MustCopySeeded(t, filepath.Join(dir, "metalpro.db"))
	srv := startTLSServer(t, func(k string) string { return env[k] })

	serial := func() string {
		conn, err := tls.Dial("tcp", srv.httpsAddr, &tls.Config{InsecureSkipVerify: true, ServerName: "example.com"}) //nolint:gosec // the test reads the served certificate
		require.NoError(t, err)
		defer conn.Close()
		return conn.ConnectionState().PeerCertificates[0].SerialNumber.String()
	}
	before := serial()
	writeKeyPair(t, certFile, keyFile)
	require.NotEqual(t, before, serial(), "a renewed certificate file is served without a restart")
}

// writeKeyPair writes a fresh self-signed certificate (a new serial each time) the way a
// renewal tool does: the key, then the certificate renamed into place.
func writeKeyPair(t *testing.T, certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: serial, DNSNames: []string{"example.com"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600))
	require.NoError(t, os.WriteFile(certFile+".tmp", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644))
	require.NoError(t, os.Rename(certFile+".tmp", certFile))
}

// tlsServer is the whole program running with TLS on.
type tlsServer struct {
	httpsAddr, httpAddr string
	stop                func() error
	logs                *logBuffer
}

// startTLSServer boots run() and waits for both listeners' log lines.
func startTLSServer(t *testing.T, getenv func(string) string) *tlsServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	logs := newLogBuffer()
	httpsCh, httpCh := make(chan string, 1), make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			logs.add(sc.Text())
			var m map[string]any
			if json.Unmarshal(sc.Bytes(), &m) != nil {
				continue
			}
			switch {
			case m["msg"] == "listening":
				httpsCh <- m["addr"].(string)
			case strings.HasPrefix(m["msg"].(string), "listening for http"):
				httpCh <- m["addr"].(string)
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"metalpro", "serve"}, getenv, pw)
		pw.Close()
		done <- err
	}()
	s := &tlsServer{logs: logs}
	var once sync.Once
	var stopErr error
	s.stop = func() error {
		once.Do(func() { cancel(); stopErr = <-done })
		return stopErr
	}
	t.Cleanup(func() {
		_ = s.stop()
		if t.Failed() {
			logs.dump(t)
		}
	})
	waitCtx, stopWaiting := testContext(t)
	defer stopWaiting()
	for s.httpsAddr == "" || s.httpAddr == "" {
		select {
		case s.httpsAddr = <-httpsCh:
		case s.httpAddr = <-httpCh:
		case err := <-done:
			logs.dump(t)
			t.Fatalf("server exited before listening: %v", err)
		case <-waitCtx.Done():
			t.Fatal("server did not start listening before the test's deadline")
		}
	}
	return s
}

// httpsClient trusts roots only and dials addr whatever the URL's host says (the test's
// domain has no DNS outside the test).
func httpsClient(roots *x509.CertPool, addr string) *http.Client {
	return &http.Client{Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: roots},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}}
}

func portOf(t *testing.T, addr string) string {
	t.Helper()
	_, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)
	return port
}

// startLoopbackDNS answers every A query with 127.0.0.1 (and AAAA with nothing), over TCP
// as Pebble's validator asks: its "custom resolver" setting points here.
func startLoopbackDNS(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &dns.Server{Listener: ln, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		for _, q := range r.Question {
			if q.Qtype == dns.TypeA {
				m.Answer = append(m.Answer, &dns.A{
					Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeA, Class: dns.ClassINET},
					A:   net.IPv4(127, 0, 0, 1),
				})
			}
		}
		_ = w.WriteMsg(m)
	})}
	go func() { _ = srv.ActivateAndServe() }()
	t.Cleanup(func() { _ = srv.Shutdown() })
	return ln.Addr().String()
}

// swappableTLSServer is an https test server whose handler is set once its collaborators
// exist (Pebble's validator needs the MetalPro server's port, which needs this URL).
type swappableTLSServer struct {
	*httptest.Server
	h atomic.Pointer[http.Handler]
}

func newSwappableTLSServer(t *testing.T) *swappableTLSServer {
	t.Helper()
	s := &swappableTLSServer{}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h := s.h.Load(); h != nil {
			(*h).ServeHTTP(w, r)
			return
		}
		http.Error(w, "not ready", http.StatusServiceUnavailable)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *swappableTLSServer) set(h http.Handler) { s.h.Store(&h) }

// syncBuffer is a bytes.Buffer safe for Pebble's goroutines and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
