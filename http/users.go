package apphttp

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/metalpro/backend/store"
)

// handleMe returns the signed-in user: GET /api/users/me.
func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	// Re-read rather than echo the middleware's copy: the same snapshot, but it keeps this
	// handler correct if authentication ever caches users.
	u, err := s.db.UserByID(r.Context(), userFrom(r.Context()).ID)
	s.respond(w, r, http.StatusOK, u, err)
}

type profileRequest struct {
	Name     *string `json:"name"`
	Phone    *string `json:"phone"`
	Language *string `json:"language"`
}

// nullMeans lets "phone": null remove the phone, as "" does.
func (*profileRequest) nullMeans(field string) (json.RawMessage, bool) {
	return json.RawMessage(`""`), field == "phone"
}

// handleUpdateMe changes the user's name, phone or email language: PATCH /api/users/me.
func (s *Server) handleUpdateMe(w http.ResponseWriter, r *http.Request) {
	serveJSON(s, w, r, http.StatusOK, func(req *profileRequest) (any, error) {
		return s.db.UpdateProfile(r.Context(), userFrom(r.Context()).ID,
			store.ProfileInput{Name: req.Name, Phone: req.Phone, Language: req.Language})
	})
}

type passwordRequest struct {
	CurrentPassword string `json:"currentPassword"`
	NewPassword     string `json:"newPassword"`
}

// handleChangePassword replaces the password: PATCH /api/users/me/password. The user's other
// sessions end; this one stays. A wrong current password counts as a failed login, so a
// stolen access token cannot be used to guess the password.
func (s *Server) handleChangePassword(w http.ResponseWriter, r *http.Request) {
	if s.blocked(w, r, s.limits.login, tooManyLogins) {
		return
	}
	serveJSON(s, w, r, http.StatusNoContent, func(req *passwordRequest) (_ any, err error) {
		ctx := r.Context()
		u := userFrom(ctx)
		settle, err := s.admitLogin(r, s.limits.login, u.Email)
		if err != nil {
			return nil, err
		}
		defer func() { settle(err) }()
		return nil, s.db.ChangePassword(ctx, u.ID, authSessionFrom(ctx).ID, req.CurrentPassword, req.NewPassword)
	})
}

func hasField(err error, field string) bool {
	var e *store.Error
	if errors.As(err, &e) {
		for _, f := range e.Fields {
			if f.Field == field {
				return true
			}
		}
	}
	return false
}

type companyRequest struct {
	LegalName  *string `json:"legalName"`
	CUI        *string `json:"cui"`
	Address    *string `json:"address"`
	City       *string `json:"city"`
	County     *string `json:"county"`
	PostalCode *string `json:"postalCode"`
}

// handleUpdateCompany edits (or adds) the user's company: PATCH /api/users/me/company.
func (s *Server) handleUpdateCompany(w http.ResponseWriter, r *http.Request) {
	serveJSON(s, w, r, http.StatusOK, func(req *companyRequest) (any, error) {
		return s.db.UpdateCompany(r.Context(), userFrom(r.Context()).ID, store.CompanyInput{
			LegalName: req.LegalName, CUI: req.CUI, Address: req.Address, City: req.City,
			County: req.County, PostalCode: req.PostalCode,
		})
	})
}
