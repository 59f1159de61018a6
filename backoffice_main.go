package main

import (
	"log/slog"
	"net/http"

	"github.com/metalpro/backend/files"
	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/web"
)

// backOffice builds the back office the API serves at /admin (package web).
func backOffice(db *store.DB, cfg config, logger *slog.Logger, blobs files.Blobs,
	report func(*http.Request, error)) apphttp.BackOfficeFactory {
	return func(guard apphttp.SignInGuard) http.Handler {
		return web.New(db, web.Config{
			Production:  cfg.production(),
			IdleTimeout: cfg.StaffSessionIdleTimeout,
			VATRateBP:   cfg.Quote.VATRateBP,
			Company:     cfg.Quote.Company,
			FilesURL:    cfg.APIURL,
		}, web.Deps{Logger: logger.With("component", "backoffice"), Guard: guard, Files: blobs, ReportError: report})
	}
}
