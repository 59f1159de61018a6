package apphttp

import (
	"time"

	"github.com/metalpro/backend/store"
)

// NewServerOver builds the API over db with development settings.
func NewServerOver(db *store.DB, mutate func(*Config)) *Server {
	return NewServer(db, testConfig(mutate), Deps{})
}

// testConfig is the configuration NewServerOver's servers run with, mutate applied.
func testConfig(mutate func(*Config)) Config {
	cfg := Config{Env: "development", FrontendURL: "http://localhost:8080",
		CORSOrigins: []string{"http://localhost:8080"}, OperatorEmail: "sales@metalpro.ro"}
	// Many visitors come from 127.0.0.1 within a minute: the new-guest budget is off
	// unless a test sets it (guest_budget_test.go).
	cfg.RateLimits.NewGuests, cfg.RateLimits.NewGuestsPerIP = Limit{Window: time.Minute}, Limit{Window: time.Minute}
	if mutate != nil {
		mutate(&cfg)
	}
	return cfg
}

// SetCaptcha installs a captcha verifier (as Deps.Captcha does).
func (s *Server) SetCaptcha(c Captcha) { s.captcha = c }
