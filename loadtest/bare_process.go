package loadtest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// bareAnnounce starts the line a bare handler process prints with its address.
const bareAnnounce = "bare handler listening on "

// startBare serves body as the bare handler and returns its URL and how to stop it. With
// a command (Options.BareCommand: this program's own `loadtest -bare-body FILE`) it runs in
// a process of its own, as the server does; in the tool's process, a bare handler shares
// the clients' scheduler and answers them faster than any other process could, which the
// comparison would then charge to the server's code.
func startBare(ctx context.Context, body []byte, command []string) (string, func(), error) {
	if len(command) == 0 {
		return serveBareHere(body)
	}
	f, err := os.CreateTemp("", "metalpro-bare-*.gz")
	if err != nil {
		return "", nil, err
	}
	defer os.Remove(f.Name()) // the child has read it once it announces itself
	if _, err := f.Write(body); err != nil {
		f.Close()
		return "", nil, err
	}
	f.Close()
	cmd := exec.CommandContext(ctx, command[0], append(command[1:], f.Name())...)
	var stderr strings.Builder // said in the error when it does not start
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe() // the child serves until this closes
	if err != nil {
		return "", nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() { stdin.Close(); _ = cmd.Wait() }
	line, err := bufio.NewReader(stdout).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), bareAnnounce)
	if err != nil || !ok {
		_ = cmd.Process.Kill()
		stop()
		return "", nil, fmt.Errorf("the bare handler process did not start: %q %v %s", line, err, strings.TrimSpace(stderr.String()))
	}
	return "http://" + addr + "/api/products", stop, nil
}

// serveBareHere serves body on 127.0.0.1 from this process.
func serveBareHere(body []byte) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: bareHandler(body)}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String() + "/api/products", func() { srv.Close() }, nil
}

// bareHandler writes body as the catalog list's gzipped JSON, and nothing else.
func bareHandler(body []byte) http.Handler {
	size := strconv.Itoa(len(body))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Content-Encoding", "gzip")
		h.Set("Content-Length", size)
		w.Write(body)
	})
}

// ServeBare is `loadtest -bare-body FILE`: the bare handler's own process. It serves FILE's
// bytes on 127.0.0.1, announces the address on out, and stops when in closes (the tool
// that started it is done) or ctx ends; it stops by itself after an hour in any case.
func ServeBare(ctx context.Context, file string, in io.Reader, out io.Writer) error {
	body, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: bareHandler(body)}
	defer srv.Close()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintln(out, bareAnnounce+ln.Addr().String())
	closed := make(chan struct{})
	go func() { _, _ = io.Copy(io.Discard, in); close(closed) }()
	select {
	case <-closed:
	case <-ctx.Done():
	case <-time.After(time.Hour):
	case err := <-served:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	return nil
}
