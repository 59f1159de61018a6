package main

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// Socket activation: systemd (deploy/metalpro.socket) holds the listening sockets and hands
// them to each server process it starts. The sockets outlive the process, so during a
// restart the kernel queues new connections in the socket's backlog instead of refusing
// them, and the next process accepts them: nobody gets "connection refused".

// listenFDsStart is the first descriptor systemd passes (SD_LISTEN_FDS_START).
const listenFDsStart = 3

// activationEnv is what systemd tells a socket-activated process, read once at start.
type activationEnv struct {
	PID   int      // LISTEN_PID: the process the sockets are meant for
	FDs   int      // LISTEN_FDS: how many, from descriptor 3 on
	Names []string // LISTEN_FDNAMES: FileDescriptorName= of each, colon-separated
}

func loadActivationEnv(getenv func(string) string) activationEnv {
	pid, _ := strconv.Atoi(getenv("LISTEN_PID"))
	n, _ := strconv.Atoi(getenv("LISTEN_FDS"))
	var names []string
	if v := getenv("LISTEN_FDNAMES"); v != "" {
		names = strings.Split(v, ":")
	}
	return activationEnv{PID: pid, FDs: n, Names: names}
}

// listeners are the server's sockets: main serves the API (https when TLS is on), plain
// serves HTTP_PORT when TLS is on (nil otherwise).
type listeners struct {
	main, plain net.Listener
	inherited   bool
}

// openListeners takes the sockets systemd passed, when it passed some to this process, or
// binds them itself. Inherited sockets are matched by name ("https", "http") when the
// socket units name them, else by order: the API's first, HTTP_PORT's second.
func openListeners(cfg config) (listeners, error) {
	act := cfg.Activation
	if act.FDs > 0 && act.PID == os.Getpid() {
		return inheritedListeners(cfg, act)
	}
	ln, err := net.Listen("tcp", cfg.listenAddr())
	if err != nil {
		return listeners{}, fmt.Errorf("listen on %s: %w", cfg.listenAddr(), err)
	}
	ls := listeners{main: ln}
	if cfg.tlsOn() {
		addr := net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.HTTPPort))
		if ls.plain, err = net.Listen("tcp", addr); err != nil {
			ln.Close()
			return listeners{}, fmt.Errorf("listen on %s (HTTP_PORT, for ACME challenges and the redirect to https): %w", addr, err)
		}
	}
	return ls, nil
}

func inheritedListeners(cfg config, act activationEnv) (listeners, error) {
	var all []net.Listener
	byName := map[string]net.Listener{}
	for i := 0; i < act.FDs; i++ {
		fd := listenFDsStart + i
		syscall.CloseOnExec(fd) // the replicator child must not hold the sockets
		name := "LISTEN_FD_" + strconv.Itoa(fd)
		if i < len(act.Names) && act.Names[i] != "" {
			name = act.Names[i]
		}
		f := os.NewFile(uintptr(fd), name)
		ln, err := net.FileListener(f) // a duplicate: closing it leaves systemd's socket open
		f.Close()
		if err != nil {
			for _, l := range all {
				l.Close()
			}
			return listeners{}, fmt.Errorf("socket %s passed by systemd (LISTEN_FDS): %w", name, err)
		}
		all = append(all, ln)
		byName[name] = ln
	}
	ls := listeners{main: all[0], inherited: true}
	if l, ok := byName["https"]; ok {
		ls.main = l
	}
	if cfg.tlsOn() {
		switch {
		case byName["http"] != nil:
			ls.plain = byName["http"]
		case len(all) > 1 && all[1] != ls.main:
			ls.plain = all[1]
		default:
			ls.main.Close()
			return listeners{}, fmt.Errorf("TLS is on but systemd passed no second socket for HTTP_PORT (ListenStream=80 after ListenStream=443)")
		}
	}
	return ls, nil
}

// httpsPort is the port the main socket listens on, for the redirects to https (the
// configured HTTPS_PORT when the socket is not TCP, or PORT 0 was bound to a free port).
func (ls listeners) httpsPort(cfg config) int {
	if a, ok := ls.main.Addr().(*net.TCPAddr); ok {
		return a.Port
	}
	return cfg.HTTPSPort
}
