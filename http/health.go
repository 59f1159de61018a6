package apphttp

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/metalpro/backend/store"
)

// DefaultMinFreeBytes is the free disk space under which /health reports the storage as
// failing: enough for SQLite's WAL to grow by a checkpoint's worth and the outbox to keep
// working while someone frees space.
const DefaultMinFreeBytes = 100 << 20

// healthReport is the body of GET /health for operators (token or loopback, ops_access.go).
type healthReport struct {
	Status    string         `json:"status"` // "ok" or "degraded"
	Version   string         `json:"version"`
	Uptime    float64        `json:"uptime"` // seconds
	Timestamp time.Time      `json:"timestamp"`
	Checks    map[string]any `json:"checks"`
}

// publicHealth is all that anyone else learns: whether the server is well.
type publicHealth struct {
	Status string `json:"status"`
}

type checkResult struct {
	Status string `json:"status"` // "ok" or "error"
	Detail any    `json:"detail,omitempty"`
}

// storageDetail is the "storage" check's detail: free space and the last write failure.
type storageDetail struct {
	FreeBytes    uint64            `json:"freeBytes"`
	MinFreeBytes uint64            `json:"minFreeBytes"`
	Problem      string            `json:"problem,omitempty"`
	LastWrite    store.WriteHealth `json:"lastWrite"`
}

// handleHealth checks the database, the storage and every registered dependency; any
// failure makes the whole report "degraded" with a 503, so a load balancer or uptime check
// notices. Only operators see which check failed and the details.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	report := healthReport{
		Status:    "ok",
		Version:   s.cfg.Version,
		Uptime:    time.Since(s.started).Seconds(),
		Timestamp: time.Now().UTC().Truncate(time.Millisecond), // the API's one precision
		Checks:    map[string]any{},
	}
	if err := s.db.Ping(ctx); err != nil {
		s.logger.Error("health: database check failed", "err", err)
		report.Status = "degraded"
		report.Checks["database"] = checkResult{Status: "error", Detail: "database unavailable"}
	} else {
		report.Checks["database"] = checkResult{Status: "ok"}
	}
	checks := map[string]HealthCheck{"storage": HealthFunc(s.storageHealth)}
	for name, c := range s.health {
		checks[name] = c
	}
	for name, c := range checks {
		ok, detail := c.Health(ctx)
		res := checkResult{Status: "ok", Detail: detail}
		if !ok {
			res.Status = "error"
			report.Status = "degraded"
		}
		report.Checks[name] = res
	}
	status := http.StatusOK
	if report.Status != "ok" {
		status = http.StatusServiceUnavailable
	}
	w.Header().Set("Cache-Control", "no-store")
	if !s.opsAllowed(r) {
		writeJSON(w, status, publicHealth{Status: report.Status})
		return
	}
	writeJSON(w, status, report)
}

// storageHealth fails while free space is under the minimum or the last write failed for
// lack of the database (disk full, write lock held elsewhere): writes are failing then,
// even though reads and the ping still work.
func (s *Server) storageHealth(context.Context) (bool, any) {
	d := storageDetail{MinFreeBytes: s.cfg.MinFreeBytes, LastWrite: s.db.WriteHealth()}
	free, err := s.db.FreeBytes()
	switch {
	case err != nil:
		d.Problem = "free space unknown: " + err.Error()
	case free < s.cfg.MinFreeBytes:
		d.Problem = fmt.Sprintf("low disk space: %d bytes free, under the minimum of %d", free, s.cfg.MinFreeBytes)
	}
	d.FreeBytes = free
	if !d.LastWrite.OK {
		d.Problem = d.LastWrite.LastError
	}
	return d.Problem == "" || err != nil && d.LastWrite.OK, d
}

// diskGauges expose the database filesystem's free space and size on /metrics: the alert
// "disk almost full" is on their ratio (deploy/prometheus/alerts.yml).
func diskGauges(db *store.DB) []prometheus.Collector {
	gauge := func(name, help string, read func() (uint64, error)) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 {
			v, err := read()
			if err != nil {
				return -1
			}
			return float64(v)
		})
	}
	return []prometheus.Collector{
		gauge("metalpro_disk_free_bytes", "Free bytes on the filesystem that holds the database (-1: unknown).", db.FreeBytes),
		gauge("metalpro_disk_size_bytes", "Size in bytes of the filesystem that holds the database (-1: unknown).", db.DiskSizeBytes),
	}
}

// handleReady answers 200 once the database answers: the signal to send traffic.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Cache-Control", "no-store")
	if err := s.db.Ping(ctx); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "not ready"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// handleLive answers 200 while the process can serve at all.
func (s *Server) handleLive(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]string{"status": "alive"})
}
