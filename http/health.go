package apphttp

import (
	"context"
	"net/http"
	"time"
)

// healthReport is the body of GET /health.
type healthReport struct {
	Status    string         `json:"status"` // "ok" or "degraded"
	Version   string         `json:"version"`
	Uptime    float64        `json:"uptime"` // seconds
	Timestamp time.Time      `json:"timestamp"`
	Checks    map[string]any `json:"checks"`
}

type checkResult struct {
	Status string `json:"status"` // "ok" or "error"
	Detail any    `json:"detail,omitempty"`
}

// handleHealth checks the database and every registered dependency; any failure makes the
// whole report "degraded" with a 503, so a load balancer or uptime check notices.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	report := healthReport{
		Status:    "ok",
		Version:   s.cfg.Version,
		Uptime:    time.Since(s.started).Seconds(),
		Timestamp: time.Now().UTC(),
		Checks:    map[string]any{},
	}
	if err := s.db.Ping(ctx); err != nil {
		s.logger.Error("health: database check failed", "err", err)
		report.Status = "degraded"
		report.Checks["database"] = checkResult{Status: "error", Detail: "database unavailable"}
	} else {
		report.Checks["database"] = checkResult{Status: "ok"}
	}
	for name, c := range s.health {
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
	writeJSON(w, status, report)
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
