package apphttp

import (
	"time"

	"github.com/metalpro/backend/files"
	"github.com/metalpro/backend/store"
)

// NewServerWithFiles is NewServerOver with a file store and a BOM mapper (either may be nil).
func NewServerWithFiles(db *store.DB, blobs files.Blobs, mapper BOMMapper, mutate func(*Config)) *Server {
	cfg := Config{Env: "development", FrontendURL: "http://localhost:8080", JWTSecret: "files-test-secret-0123456789abcdef",
		CORSOrigins: []string{"http://localhost:8080"}, OperatorEmail: "sales@metalpro.ro"}
	cfg.RateLimits.NewGuests, cfg.RateLimits.NewGuestsPerIP = Limit{Window: time.Minute}, Limit{Window: time.Minute}
	if mutate != nil {
		mutate(&cfg)
	}
	return NewServer(db, cfg, Deps{Files: blobs, BOMMapper: mapper})
}

// SetFileClock sets the clock of the server's download-URL signer.
func (s *Server) SetFileClock(now func() time.Time) { s.files.urls.SetClock(now) }
