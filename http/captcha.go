package apphttp

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/metalpro/backend/store"
)

// Captcha verifies a bot-protection token a browser obtained. Verify returns nil when the
// token is good, an invalid *store.Error on the hcaptchaToken field when it is not, and an
// unavailable *store.Error when the provider cannot be asked.
type Captcha interface {
	Verify(ctx context.Context, token, remoteIP string) error
}

// HCaptcha verifies tokens with hCaptcha's siteverify endpoint. (The kataras/hcaptcha
// module is not available to us, and the protocol is one form POST.)
type HCaptcha struct {
	Secret    string
	VerifyURL string // https://api.hcaptcha.com/siteverify, or a local endpoint in tests
	Client    *http.Client
}

// NewHCaptcha returns a verifier with a 5-second timeout: a signup should not hang on a
// slow provider.
func NewHCaptcha(secret, verifyURL string) *HCaptcha {
	return &HCaptcha{Secret: secret, VerifyURL: verifyURL, Client: &http.Client{Timeout: 5 * time.Second}}
}

// CaptchaField is the request field that carries the token.
const CaptchaField = "hcaptchaToken"

func errCaptchaFailed() error {
	v := &store.Validator{}
	v.Add(CaptchaField, "Verificarea anti-robot a eșuat. Te rugăm să încerci din nou.",
		"The anti-robot check failed. Please try again.")
	return v.Err()
}

func errCaptchaUnavailable(cause error) error {
	e := store.Errorf(store.ECodeUnavailable,
		"Verificarea anti-robot nu este disponibilă acum. Te rugăm să încerci din nou în câteva minute.",
		"The anti-robot check is unavailable right now. Please try again in a few minutes.")
	e.Err = cause
	return e
}

// Verify asks hCaptcha about token. It fails closed: anything but an explicit success is a
// refusal (or, when hCaptcha cannot answer, "unavailable").
func (h *HCaptcha) Verify(ctx context.Context, token, remoteIP string) error {
	token = strings.TrimSpace(token)
	if token == "" || len(token) > 8192 {
		return errCaptchaFailed()
	}
	form := url.Values{"secret": {h.Secret}, "response": {token}}
	if remoteIP != "" {
		form.Set("remoteip", remoteIP)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.VerifyURL, strings.NewReader(form.Encode()))
	if err != nil {
		return errCaptchaUnavailable(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	client := h.Client
	if client == nil {
		client = &http.Client{Timeout: 5 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return errCaptchaUnavailable(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return errCaptchaUnavailable(fmt.Errorf("hcaptcha siteverify: HTTP %d", resp.StatusCode))
	}
	var out struct {
		Success    bool     `json:"success"`
		ErrorCodes []string `json:"error-codes"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&out); err != nil {
		return errCaptchaUnavailable(fmt.Errorf("hcaptcha siteverify: %w", err))
	}
	if !out.Success {
		for _, c := range out.ErrorCodes {
			// Our own misconfiguration is not the visitor's fault: say "unavailable" and
			// let the logs tell us.
			if c == "missing-input-secret" || c == "invalid-input-secret" || c == "sitekey-secret-mismatch" {
				return errCaptchaUnavailable(fmt.Errorf("hcaptcha siteverify: %s", strings.Join(out.ErrorCodes, ",")))
			}
		}
		return errCaptchaFailed()
	}
	return nil
}

// checkCaptcha verifies token when a captcha is configured; without one it lets everything
// through (development).
func (s *Server) checkCaptcha(r *http.Request, token string) error {
	if s.captcha == nil {
		return nil
	}
	err := s.captcha.Verify(r.Context(), token, clientIPFrom(r.Context()))
	if store.ErrorCode(err) == store.ECodeUnavailable {
		s.logger.Warn("captcha unavailable", "err", err, "request_id", requestID(r.Context()))
	}
	return err
}
