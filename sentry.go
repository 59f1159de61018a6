package main

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/getsentry/sentry-go"

	apphttp "github.com/metalpro/backend/http"
)

// setupSentry turns on error reporting when SENTRY_DSN is set. It returns the reporter
// for unexpected API errors (nil when off) and a flush for shutdown.
func setupSentry(cfg config, logger *slog.Logger) (report func(*http.Request, error), flush func()) {
	if cfg.SentryDSN == "" {
		return nil, func() {}
	}
	err := sentry.Init(sentry.ClientOptions{
		Dsn:         cfg.SentryDSN,
		Environment: cfg.Env,
		Release:     "metalpro@" + version,
		// Request bodies carry passwords and personal data: never send them.
		SendDefaultPII: false,
	})
	if err != nil {
		logger.Error("sentry disabled: bad SENTRY_DSN", "err", err)
		return nil, func() {}
	}
	logger.Info("sentry error reporting on")
	report = func(r *http.Request, err error) {
		hub := sentry.CurrentHub().Clone()
		hub.WithScope(func(scope *sentry.Scope) {
			scope.SetTag("method", r.Method)
			scope.SetTag("path", r.URL.Path)
			scope.SetTag("request_id", apphttp.RequestID(r.Context()))
			hub.CaptureException(fmt.Errorf("%s %s: %w", r.Method, r.URL.Path, err))
		})
	}
	return report, func() { sentry.Flush(2 * time.Second) }
}
