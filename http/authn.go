package apphttp

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/metalpro/backend/store"
)

// Token lifetimes (seed): the access token 24 h, the refresh token 7 d. A session also ends
// when it has been idle longer than Config.SessionIdleTimeout.
const (
	AccessTokenTTL  = 24 * time.Hour
	RefreshTokenTTL = 7 * 24 * time.Hour
	// DefaultSessionIdleTimeout: 12 h covers a working day with long gaps (site visits,
	// meetings) without signing the buyer out, yet a session left open on a shared office
	// computer is dead by the next morning. A stolen token then has to be used within hours
	// of the last real activity. The 7-day refresh token only helps a session that is in
	// use, which is the point of a refresh token.
	DefaultSessionIdleTimeout = 12 * time.Hour
	// DefaultStaffSessionIdleTimeout: a back-office session opens every customer's data and
	// the workflow, so one left unused for two hours (lunch, a meeting) ends.
	DefaultStaffSessionIdleTimeout = 2 * time.Hour
)

// idleLimits are the configured idle timeouts by kind of account.
func (s *Server) idleLimits() store.IdleLimits {
	return store.IdleLimits{Customer: s.cfg.SessionIdleTimeout, Staff: s.cfg.StaffSessionIdleTimeout}
}

const (
	tokenIssuer  = "metalpro"
	tokenAccess  = "access"
	tokenRefresh = "refresh"
)

// tokenClaims are the JWT claims of both tokens: the session id (sid) ties a token to its
// row in auth_sessions; typ keeps a refresh token from being used as an access token and
// the other way round; jti makes every token unique (two issued in the same second differ).
type tokenClaims struct {
	SID  string `json:"sid"`
	Type string `json:"typ"`
	jwt.RegisteredClaims
}

// tokenPair is the tokens object of API.md.
type tokenPair struct {
	AccessToken  string `json:"accessToken"`
	RefreshToken string `json:"refreshToken"`
}

// jwtKey returns the HS256 key, generating a per-process one when none is configured (tests;
// main always passes one).
func jwtKey(secret string) []byte {
	if secret != "" {
		return []byte(secret)
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return b
}

// issueTokens signs a new access and refresh token for session sid and returns them with
// the session row that remembers their hashes.
func (s *Server) issueTokens(userID, sid string) (tokenPair, store.AuthSession, error) {
	now := s.db.Now()
	sign := func(typ string, ttl time.Duration) (string, error) {
		c := tokenClaims{SID: sid, Type: typ, RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    tokenIssuer,
			Subject:   userID,
			ID:        store.NewID(),
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
		}}
		return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(s.jwtKey)
	}
	access, err := sign(tokenAccess, AccessTokenTTL)
	if err != nil {
		return tokenPair{}, store.AuthSession{}, err
	}
	refresh, err := sign(tokenRefresh, RefreshTokenTTL)
	if err != nil {
		return tokenPair{}, store.AuthSession{}, err
	}
	return tokenPair{AccessToken: access, RefreshToken: refresh}, store.AuthSession{
		ID:               sid,
		UserID:           userID,
		TokenHash:        store.HashToken(access),
		RefreshTokenHash: store.HashToken(refresh),
		ExpiresAt:        now.Add(AccessTokenTTL),
		RefreshExpiresAt: now.Add(RefreshTokenTTL),
	}, nil
}

var errBadToken = store.Errorf(store.ECodeUnauth,
	"Autentificare invalidă. Te rugăm să te autentifici din nou.",
	"Invalid credentials. Please sign in again.")

// parseToken verifies a token's signature and claims and that it is of type typ. The
// algorithm is pinned to HS256: a token signed with "none", RS256 (with our secret taken as
// a public key) or another HMAC size is refused before its signature is even looked at.
func (s *Server) parseToken(raw, typ string) (*tokenClaims, error) {
	c := &tokenClaims{}
	_, err := jwt.ParseWithClaims(raw, c, func(*jwt.Token) (any, error) { return s.jwtKey, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(tokenIssuer),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(s.db.Now),
	)
	if err != nil {
		if errors.Is(err, jwt.ErrTokenExpired) {
			return nil, store.ErrSessionEnded
		}
		return nil, errBadToken
	}
	if c.Type != typ || c.SID == "" || c.Subject == "" || c.ID == "" {
		return nil, errBadToken
	}
	return c, nil
}

type authCtxKey int

const (
	ctxAuthSession authCtxKey = iota // *store.AuthSession of the request's access token
	ctxAuthError                     // error: why a presented Bearer token was refused
)

// authSessionFrom is the session of the request's access token, or nil.
func authSessionFrom(ctx context.Context) *store.AuthSession {
	s, _ := ctx.Value(ctxAuthSession).(*store.AuthSession)
	return s
}

// authenticate resolves an `Authorization: Bearer` access token into the request's user and
// session. A token that fails leaves the request a guest's (public routes still work, as the
// seed's optionalAuth does) and remembers why, so requireUser can say it.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		if h == "" {
			next.ServeHTTP(w, r)
			return
		}
		raw, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			raw, ok = strings.CutPrefix(h, "bearer ")
		}
		var err error
		var sess *store.AuthSession
		var u *store.User
		if !ok || strings.TrimSpace(raw) == "" {
			err = errBadToken
		} else {
			sess, u, err = s.checkAccessToken(r.Context(), strings.TrimSpace(raw))
		}
		ctx := r.Context()
		if err != nil {
			if store.ErrorCode(err) == store.ECodeInternal {
				s.writeError(w, r, err)
				return
			}
			ctx = context.WithValue(ctx, ctxAuthError, err)
		} else {
			ctx = context.WithValue(withUser(ctx, u), ctxAuthSession, sess)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// checkAccessToken accepts an access token only while its session row holds it and is
// neither expired nor idle: logout, refresh and password changes take effect at once.
func (s *Server) checkAccessToken(ctx context.Context, raw string) (*store.AuthSession, *store.User, error) {
	c, err := s.parseToken(raw, tokenAccess)
	if err != nil {
		return nil, nil, err
	}
	sess, u, err := s.db.SessionUser(ctx, c.SID, store.HashToken(raw), s.idleLimits())
	if err != nil {
		return nil, nil, err
	}
	if u.ID != c.Subject {
		return nil, nil, errBadToken
	}
	return sess, u, nil
}
