package apphttp

import (
	"net/http"
	"net/http/pprof"
)

// pprofPrefix is where the Go runtime's profiles are served (the path `go tool pprof`
// expects).
const pprofPrefix = "/debug/pprof/"

// profiler serves the runtime's profiles (CPU, heap, goroutines, mutex, trace) under
// pprofPrefix, behind the same guard as /metrics: a loopback caller that no proxy forwarded,
// or a caller presenting METRICS_TOKEN. A profile shows the code's structure and the
// program's arguments, and a CPU profile or trace costs CPU while it runs, so strangers get
// 401. It is its own mux, not http.DefaultServeMux, which the pprof package also fills but
// which this server never serves.
func (s *Server) profiler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(pprofPrefix, pprof.Index) // the index and the named profiles (heap, goroutine, …)
	mux.HandleFunc(pprofPrefix+"cmdline", pprof.Cmdline)
	mux.HandleFunc(pprofPrefix+"profile", pprof.Profile)
	mux.HandleFunc(pprofPrefix+"symbol", pprof.Symbol)
	mux.HandleFunc(pprofPrefix+"trace", pprof.Trace)
	return s.requireOps(mux)
}
