package apphttp

import (
	"net/http"

	"github.com/gorilla/mux"

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
	var req addressRequest
	if err := s.readJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	a, err := s.db.CreateAddress(r.Context(), userFrom(r.Context()).ID, req.input())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}

// handleUpdateAddress edits a saved address: PATCH /api/addresses/{id}.
func (s *Server) handleUpdateAddress(w http.ResponseWriter, r *http.Request) {
	var req addressRequest
	if err := s.readJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	a, err := s.db.UpdateAddress(r.Context(), userFrom(r.Context()).ID, mux.Vars(r)["id"], req.input())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

// handleDeleteAddress removes a saved address: DELETE /api/addresses/{id}.
func (s *Server) handleDeleteAddress(w http.ResponseWriter, r *http.Request) {
	if err := s.db.DeleteAddress(r.Context(), userFrom(r.Context()).ID, mux.Vars(r)["id"]); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
