package apphttp

import (
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

var errTooManyLogins = store.Text{
	RO: "Prea multe încercări de autentificare. Te rugăm să încerci mai târziu.",
	EN: "Too many sign-in attempts. Please try again later.",
}

var errTooManyAccountRequests = store.Text{
	RO: "Prea multe cereri. Te rugăm să încerci mai târziu.",
	EN: "Too many requests. Please try again later.",
}

// blocked answers 429 when l has no room left for the client's address.
func (s *Server) blocked(w http.ResponseWriter, r *http.Request, l *limiter, msg store.Text) bool {
	if ok, retry := l.Blocked(clientIPFrom(r.Context()), time.Now()); ok {
		s.writeError(w, r, errRateLimited(retry, msg.RO, msg.EN))
		return true
	}
	return false
}

// startSession signs the user in: a new session row, its tokens, and the guest's cart
// joined to the user's.
func (s *Server) startSession(r *http.Request, u *store.User) (tokenPair, error) {
	tokens, sess, err := s.issueTokens(u.ID, store.NewID())
	if err != nil {
		return tokenPair{}, err
	}
	sess.IPAddress = clientIPFrom(r.Context())
	sess.UserAgent = r.UserAgent()
	if err := s.db.CreateSession(r.Context(), sess); err != nil {
		return tokenPair{}, err
	}
	if err := s.mergeGuestCart(r, u.ID); err != nil {
		// The sign-in worked; a cart that failed to merge is still the guest's, not lost.
		s.logger.Error("merge guest cart", "err", err, "user_id", u.ID, "request_id", requestID(r.Context()))
	}
	return tokens, nil
}

// handleSignup creates a customer account: POST /api/auth/signup.
func (s *Server) handleSignup(w http.ResponseWriter, r *http.Request) {
	if s.blocked(w, r, s.limits.account, errTooManyAccountRequests) {
		return
	}
	var req signupRequest
	if err := s.readJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	in := store.Signup{Email: req.Email, Password: req.Password, Name: req.Name, Phone: req.Phone,
		Role: req.Role, Lang: lang(r)}
	if c := req.Company; c != nil {
		in.Company = &store.CompanyInput{LegalName: &c.Name, CUI: c.CUI, Address: c.Address, City: c.City,
			County: c.County, PostalCode: c.PostalCode}
	}
	// Validate before the captcha: its token is single-use, and a typo should not cost the
	// visitor another puzzle. Only well-formed attempts count against the limit.
	if err := in.Validate(); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.limits.account.Add(clientIPFrom(r.Context()), time.Now())
	if err := s.checkCaptcha(r, req.HCaptchaToken); err != nil {
		s.writeError(w, r, err)
		return
	}
	u, err := s.db.CreateUser(r.Context(), in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	tokens, err := s.startSession(r, u)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, authResponse{User: u, Tokens: tokens})
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// handleLogin signs a user in: POST /api/auth/login. Only failures count against the
// client's limit (seed: 5 per 15 minutes, successful logins skipped).
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	if s.blocked(w, r, s.limits.login, errTooManyLogins) {
		return
	}
	var req loginRequest
	if err := s.readJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	u, err := s.db.Authenticate(r.Context(), req.Email, req.Password)
	if err != nil {
		if store.ErrorCode(err) == store.ECodeUnauth {
			s.limits.login.Add(clientIPFrom(r.Context()), time.Now())
		}
		s.writeError(w, r, err)
		return
	}
	tokens, err := s.startSession(r, u)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, authResponse{User: u, Tokens: tokens})
}

// handleLogout ends the session of the request's access token: POST /api/auth/logout.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if err := s.db.EndSession(r.Context(), authSessionFrom(r.Context()).ID); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type refreshRequest struct {
	RefreshToken string `json:"refreshToken"`
}

// handleRefresh swaps a refresh token for a new pair: POST /api/auth/refresh. A refresh
// token works once; presenting it again ends its session.
func (s *Server) handleRefresh(w http.ResponseWriter, r *http.Request) {
	var req refreshRequest
	if err := s.readJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	c, err := s.parseToken(req.RefreshToken, tokenRefresh)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	tokens, next, err := s.issueTokens(c.Subject, c.SID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	u, err := s.db.RotateSession(r.Context(), c.SID, store.HashToken(req.RefreshToken), next, s.cfg.SessionIdleTimeout)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, authResponse{User: u, Tokens: tokens})
}

type resetRequest struct {
	Email         string `json:"email"`
	HCaptchaToken string `json:"hcaptchaToken"`
}

// handleResetPassword emails a reset link: POST /api/auth/reset-password. The answer is the
// same whether or not the email has an account.
func (s *Server) handleResetPassword(w http.ResponseWriter, r *http.Request) {
	if s.blocked(w, r, s.limits.account, errTooManyAccountRequests) {
		return
	}
	var req resetRequest
	if err := s.readJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if _, ok := store.NormalizeEmail(req.Email); !ok {
		v := &store.Validator{}
		v.Add("email", "Adresa de email nu este validă.", "The email address is not valid.")
		s.writeError(w, r, v.Err())
		return
	}
	s.limits.account.Add(clientIPFrom(r.Context()), time.Now())
	if err := s.checkCaptcha(r, req.HCaptchaToken); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.db.RequestPasswordReset(r.Context(), req.Email); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, messageResponse{Message: store.Text{
		RO: "Dacă există un cont cu acest email, vei primi în câteva minute un link pentru resetarea parolei.",
		EN: "If an account with this email exists, a password reset link is on its way.",
	}.In(lang(r))})
}

type resetConfirmRequest struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

// handleResetPasswordConfirm sets a new password with an emailed token:
// POST /api/auth/reset-password/confirm. Every session of the user ends.
func (s *Server) handleResetPasswordConfirm(w http.ResponseWriter, r *http.Request) {
	var req resetConfirmRequest
	if err := s.readJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.db.ResetPassword(r.Context(), req.Token, req.Password); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type verifyRequest struct {
	Token string `json:"token"`
}

// handleVerifyEmail confirms an email address with its emailed token:
// POST /api/auth/verify-email.
func (s *Server) handleVerifyEmail(w http.ResponseWriter, r *http.Request) {
	var req verifyRequest
	if err := s.readJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	u, err := s.db.VerifyEmail(r.Context(), req.Token)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		User *store.User `json:"user"`
	}{u})
}

// handleResendVerification emails a new verification link to the signed-in user:
// POST /api/auth/verify-email/resend.
func (s *Server) handleResendVerification(w http.ResponseWriter, r *http.Request) {
	if s.blocked(w, r, s.limits.account, errTooManyAccountRequests) {
		return
	}
	s.limits.account.Add(clientIPFrom(r.Context()), time.Now())
	if err := s.db.ResendVerification(r.Context(), userFrom(r.Context()).ID); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, messageResponse{Message: store.Text{
		RO: "Ți-am trimis un nou link de confirmare.",
		EN: "A new verification link is on its way.",
	}.In(lang(r))})
}
