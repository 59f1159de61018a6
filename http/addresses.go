package apphttp

import (
	"context"
	"net/http"

	"github.com/metalpro/backend/store"
)

type addressRequest struct {
	Type       *string `json:"type"`
	IsDefault  *bool   `json:"isDefault"`
	Street     *string `json:"street"`
	City       *string `json:"city"`
	County     *string `json:"county"`
	PostalCode *string `json:"postalCode"`
	Country    *string `json:"country"`
}

func (a addressRequest) input() store.AddressInput {
	return store.AddressInput{Type: a.Type, IsDefault: a.IsDefault, Street: a.Street, City: a.City,
		County: a.County, PostalCode: a.PostalCode, Country: a.Country}
}

// handleListAddresses lists the user's saved addresses: GET /api/addresses?type=.
func (s *Server) handleListAddresses(w http.ResponseWriter, r *http.Request) {
	list, _, err := s.db.FindAddresses(r.Context(),
		store.AddressFilter{UserID: userFrom(r.Context()).ID, Type: r.URL.Query().Get("type")})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Addresses []store.Address `json:"addresses"`
	}{list})
}

// handleCreateAddress saves an address: POST /api/addresses.
func (s *Server) handleCreateAddress(w http.ResponseWriter, r *http.Request) {
	saveOwned(s, w, r, s.cfg.MaxBodyBytes, http.StatusCreated,
		func(ctx context.Context, userID, _ string, req addressRequest) (*store.Address, error) {
			return s.db.CreateAddress(ctx, userID, req.input())
		})
}

// handleUpdateAddress edits a saved address: PATCH /api/addresses/{id}.
func (s *Server) handleUpdateAddress(w http.ResponseWriter, r *http.Request) {
	saveOwned(s, w, r, s.cfg.MaxBodyBytes, http.StatusOK,
		func(ctx context.Context, userID, id string, req addressRequest) (*store.Address, error) {
			return s.db.UpdateAddress(ctx, userID, id, req.input())
		})
}

// handleDeleteAddress removes a saved address: DELETE /api/addresses/{id}.
func (s *Server) handleDeleteAddress(w http.ResponseWriter, r *http.Request) {
	deleteOwned(s, w, r, s.db.DeleteAddress)
}
