package apphttp

import (
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/metalpro/backend/store"
)

// authResponse is the answer of signup, login and refresh.
type authResponse struct {
	User   *store.User `json:"user"`
	Tokens tokenPair   `json:"tokens"`
}

// messageResponse is a 202 answer with a message for a person.
type messageResponse struct {
	Message string `json:"message"`
}

type signupCompany struct {
	Name       string  `json:"name"`
	CUI        *string `json:"cui"`
	Address    *string `json:"address"`
	City       *string `json:"city"`
	County     *string `json:"county"`
	PostalCode *string `json:"postalCode"`
}

type signupRequest struct {
	Email         string         `json:"email"`
	Password      string         `json:"password"`
	Name          string         `json:"name"`
	Phone         *string        `json:"phone"`
	Role          string         `json:"role"`
	Company       *signupCompany `json:"company"`
	HCaptchaToken string         `json:"hcaptchaToken"`
}

// tooManyLogins says when sign-in works again and that a password reset works meanwhile:
// a customer locked out with the right password should not wait for nothing.
func tooManyLogins(retry time.Duration) store.Text {
	ro, en := waitText(retry)
	return store.Text{
		RO: "Prea multe încercări de autentificare eșuate. Încearcă din nou " + ro +
			", sau resetează-ți parola chiar acum („Ai uitat parola?”).",
		EN: "Too many failed sign-in attempts. Try again " + en +
			", or reset your password now (\"Forgot password?\").",
	}
}

// waitText is "peste 15 minute" / "in 15 minutes", rounded up to whole minutes.
func waitText(retry time.Duration) (ro, en string) {
	m := int(math.Ceil(retry.Minutes()))
	switch {
	case m <= 1:
		return "peste un minut", "in a minute"
	case m < 20: // Romanian puts "de" before a count from 20 up
		return fmt.Sprintf("peste %d minute", m), fmt.Sprintf("in %d minutes", m)
	}
	return fmt.Sprintf("peste %d de minute", m), fmt.Sprintf("in %d minutes", m)
}

var tooManyAccountRequests = store.Text{
	RO: "Prea multe cereri. Te rugăm să încerci mai târziu.",
	EN: "Too many requests. Please try again later.",
}

// always is a 429 message that does not depend on the wait.
func always(t store.Text) func(time.Duration) store.Text {
	return func(time.Duration) store.Text { return t }
}

// blocked answers 429 when l has no room left for the client's address.
func (s *Server) blocked(w http.ResponseWriter, r *http.Request, l *limiter, msg func(retry time.Duration) store.Text) bool {
	if ok, retry := l.Blocked(clientIPFrom(r.Context()), time.Now()); ok {
		t := msg(retry)
		s.writeError(w, r, errRateLimited(retry, t.RO, t.EN))
		return true
	}
	return false
}

// countAttempt spends one of the client's attempts on l.
func (s *Server) countAttempt(r *http.Request, l *limiter) {
	l.Add(clientIPFrom(r.Context()), time.Now())
}

// admitValidated is what a valid account request (signup, password reset) costs: an attempt
// on the account limit, then the captcha. The caller validates first: the captcha's token is
// single-use, and a typo should not cost the visitor another puzzle nor an attempt.
func (s *Server) admitValidated(r *http.Request, captchaToken string) error {
	s.countAttempt(r, s.limits.account)
	return s.checkCaptcha(r, captchaToken)
}

// signIn starts a session for u: a new session row, its tokens, and the guest's cart
// joined to the user's.
func (s *Server) signIn(r *http.Request, u *store.User) (authResponse, error) {
	tokens, sess, err := s.issueTokens(u.ID, store.NewID())
	if err != nil {
		return authResponse{}, err
	}
	sess.IPAddress = clientIPFrom(r.Context())
	sess.UserAgent = r.UserAgent()
	if err := s.db.CreateSession(r.Context(), sess); err != nil {
		return authResponse{}, err
	}
	// A new guest cookie value at sign-in (session fixation): whoever planted or copied the
	// old value cannot add lines that merge into this user's cart later. The guest id
	// inside the session stays, so RFQs sent as a guest remain visible from this browser.
	if s.sessions.Token(r.Context()) != "" {
		if err := s.sessions.RenewToken(r.Context()); err != nil {
			return authResponse{}, err
		}
	}
	if err := s.mergeGuestCart(r, u.ID); err != nil {
		// The sign-in worked; a cart that failed to merge is still the guest's, not lost.
		s.logger.Error("merge guest cart", "err", err, "user_id", u.ID, "request_id", requestID(r.Context()))
	}
	// The RFQs this browser sent as a guest (and, for a verified address, those sent with
	// it) join the account, as the confirmation email promises.
	if _, err := s.db.ClaimGuestRFQs(r.Context(), u.ID, s.guestID(r)); err != nil {
		s.logger.Error("claim guest RFQs", "err", err, "user_id", u.ID, "request_id", requestID(r.Context()))
	}
	return authResponse{User: u, Tokens: tokens}, nil
}

// handleSignup creates a customer account: POST /api/auth/signup.
func (s *Server) handleSignup(w http.ResponseWriter, r *http.Request) {
	if s.blocked(w, r, s.limits.account, always(tooManyAccountRequests)) {
		return
	}
	serveJSON(s, w, r, http.StatusCreated, func(req *signupRequest) (any, error) {
		in := store.Signup{Email: req.Email, Password: req.Password, Name: req.Name, Phone: req.Phone,
			Role: req.Role, Lang: lang(r)}
		if c := req.Company; c != nil {
			in.Company = &store.CompanyInput{LegalName: &c.Name, CUI: c.CUI, Address: c.Address, City: c.City,
				County: c.County, PostalCode: c.PostalCode}
		}
		if err := in.Validate(); err != nil {
			return nil, err
		}
		if err := s.admitValidated(r, req.HCaptchaToken); err != nil {
			return nil, err
		}
		release, err := s.admitPasswordWork(r)
		if err != nil {
			return nil, err
		}
		defer release()
		u, err := s.db.CreateUser(r.Context(), in)
		if err != nil {
			return nil, err
		}
		return s.signIn(r, u)
	})
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// handleLogin signs a user in: POST /api/auth/login. Only failures count against the
// client's limit (seed: 5 per 15 minutes, successful logins skipped): each attempt is
// counted as it starts and given back when it succeeds.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	if s.blocked(w, r, s.limits.login, tooManyLogins) {
		return
	}
	serveJSON(s, w, r, http.StatusOK, func(req *loginRequest) (_ any, err error) {
		settle, err := s.admitLogin(r, s.limits.login, req.Email)
		if err != nil {
			return nil, err
		}
		defer func() { settle(err) }()
		u, err := s.db.Authenticate(r.Context(), req.Email, req.Password)
		if err != nil {
			return nil, err
		}
		return s.signIn(r, u)
	})
}

// handleLogout ends the session of the request's access token: POST /api/auth/logout.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	err := s.db.EndSession(r.Context(), authSessionFrom(r.Context()).ID)
	s.respond(w, r, http.StatusNoContent, nil, err)
}

type refreshRequest struct {
	RefreshToken string `json:"refreshToken"`
}

// handleRefresh swaps a refresh token for a new pair: POST /api/auth/refresh. A refresh
// token works once; presenting it again ends its session.
func (s *Server) handleRefresh(w http.ResponseWriter, r *http.Request) {
	serveJSON(s, w, r, http.StatusOK, func(req *refreshRequest) (any, error) {
		c, err := s.parseToken(req.RefreshToken, tokenRefresh)
		if err != nil {
			return nil, err
		}
		tokens, next, err := s.issueTokens(c.Subject, c.SID)
		if err != nil {
			return nil, err
		}
		u, err := s.db.RotateSession(r.Context(), c.SID, store.HashToken(req.RefreshToken), next, s.idleLimits())
		if err != nil {
			return nil, err
		}
		return authResponse{User: u, Tokens: tokens}, nil
	})
}

type resetRequest struct {
	Email         string `json:"email"`
	HCaptchaToken string `json:"hcaptchaToken"`
}

// handleResetPassword emails a reset link: POST /api/auth/reset-password. The answer is the
// same whether or not the email has an account.
func (s *Server) handleResetPassword(w http.ResponseWriter, r *http.Request) {
	if s.blocked(w, r, s.limits.account, always(tooManyAccountRequests)) {
		return
	}
	serveJSON(s, w, r, http.StatusAccepted, func(req *resetRequest) (any, error) {
		v := &store.Validator{}
		if v.CheckEmail("email", &req.Email); v.HasErrors() {
			return nil, v.Err()
		}
		if err := s.admitValidated(r, req.HCaptchaToken); err != nil {
			return nil, err
		}
		if err := s.db.RequestPasswordReset(r.Context(), req.Email); err != nil {
			return nil, err
		}
		return messageResponse{Message: store.Text{
			RO: "Dacă există un cont cu acest email, vei primi în câteva minute un link pentru resetarea parolei.",
			EN: "If an account with this email exists, a password reset link is on its way.",
		}.In(lang(r))}, nil
	})
}

type resetConfirmRequest struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

// handleResetPasswordConfirm sets a new password with an emailed token:
// POST /api/auth/reset-password/confirm. Every session of the user ends.
func (s *Server) handleResetPasswordConfirm(w http.ResponseWriter, r *http.Request) {
	serveJSON(s, w, r, http.StatusNoContent, func(req *resetConfirmRequest) (any, error) {
		release, err := s.admitPasswordWork(r)
		if err != nil {
			return nil, err
		}
		defer release()
		return nil, s.db.ResetPassword(r.Context(), req.Token, req.Password)
	})
}

type verifyRequest struct {
	Token string `json:"token"`
}

// verifyResponse is the answer of an email confirmation.
type verifyResponse struct {
	User *store.User `json:"user"`
	// AlreadyVerified is true for a link clicked again: the address was confirmed before.
	AlreadyVerified bool   `json:"alreadyVerified"`
	Message         string `json:"message"`
}

// handleVerifyEmail confirms an email address with its emailed token:
// POST /api/auth/verify-email.
func (s *Server) handleVerifyEmail(w http.ResponseWriter, r *http.Request) {
	serveJSON(s, w, r, http.StatusOK, func(req *verifyRequest) (any, error) {
		u, already, err := s.db.VerifyEmail(r.Context(), req.Token)
		if err != nil {
			return nil, err
		}
		msg := store.Text{RO: "Adresa de email a fost confirmată.", EN: "Your email address is verified."}
		if already {
			msg = store.Text{RO: "Adresa de email este deja confirmată.", EN: "Your email address is already verified."}
		}
		return verifyResponse{User: u, AlreadyVerified: already, Message: msg.In(lang(r))}, nil
	})
}

// handleResendVerification emails a new verification link to the signed-in user:
// POST /api/auth/verify-email/resend.
func (s *Server) handleResendVerification(w http.ResponseWriter, r *http.Request) {
	if s.blocked(w, r, s.limits.account, always(tooManyAccountRequests)) {
		return
	}
	s.countAttempt(r, s.limits.account)
	err := s.db.ResendVerification(r.Context(), userFrom(r.Context()).ID)
	s.respond(w, r, http.StatusAccepted, messageResponse{Message: store.Text{
		RO: "Ți-am trimis un nou link de confirmare.",
		EN: "A new verification link is on its way.",
	}.In(lang(r))}, err)
}
