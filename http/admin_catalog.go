package apphttp

import (
	"encoding/json"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/metalpro/backend/store"
)

// Catalog management (ADMIN): products and categories. The store validates with the
// seed's rules, invalidates the catalog cache and the search index in the same commit, and
// writes the audit row.

// productPatchRequest is the body of PATCH /api/admin/products/{id}.
type productPatchRequest struct{ store.ProductPatch }

// nullMeans: null clears the optional texts and the bar length, and empties the metadata.
func (*productPatchRequest) nullMeans(field string) (json.RawMessage, bool) {
	switch field {
	case "grade", "standard", "dimensions":
		return json.RawMessage(`""`), true
	case "lengthM":
		return json.RawMessage(`0`), true
	case "metadata":
		return json.RawMessage(`{}`), true
	}
	return nil, false
}

// categoryPatchRequest is the body of PATCH /api/admin/categories/{id}.
type categoryPatchRequest struct{ store.CategoryPatch }

func (*categoryPatchRequest) nullMeans(field string) (json.RawMessage, bool) {
	switch field {
	case "nameEn", "description", "icon":
		return json.RawMessage(`""`), true
	}
	return nil, false
}

// newProductRequest: a new product is active unless it says otherwise.
type newProductRequest struct {
	store.ProductFields
	IsActive *bool `json:"isActive"`
}

func (s *Server) handleCreateProduct(w http.ResponseWriter, r *http.Request) {
	serveJSON(s, w, r, http.StatusCreated, func(req *newProductRequest) (any, error) {
		f := req.ProductFields
		f.IsActive = req.IsActive == nil || *req.IsActive
		return s.db.CreateProduct(r.Context(), f)
	})
}

func (s *Server) handleUpdateProduct(w http.ResponseWriter, r *http.Request) {
	serveJSON(s, w, r, http.StatusOK, func(req *productPatchRequest) (any, error) {
		return s.db.UpdateProduct(r.Context(), mux.Vars(r)["id"], req.ProductPatch)
	})
}

func (s *Server) handleDeactivateProduct(w http.ResponseWriter, r *http.Request) {
	err := s.db.DeactivateProduct(r.Context(), mux.Vars(r)["id"])
	s.respond(w, r, http.StatusNoContent, nil, err)
}

func (s *Server) handleCreateCategory(w http.ResponseWriter, r *http.Request) {
	serveJSON(s, w, r, http.StatusCreated, func(req *store.CategoryFields) (any, error) {
		return s.db.CreateCategory(r.Context(), *req)
	})
}

func (s *Server) handleUpdateCategory(w http.ResponseWriter, r *http.Request) {
	serveJSON(s, w, r, http.StatusOK, func(req *categoryPatchRequest) (any, error) {
		return s.db.UpdateCategory(r.Context(), mux.Vars(r)["id"], req.CategoryPatch)
	})
}

// handleChangePrices serves POST /api/admin/catalog/prices: a bulk price change by
// category, grade or standard, by a percentage or an amount, with a dry run.
func (s *Server) handleChangePrices(w http.ResponseWriter, r *http.Request) {
	serveJSON(s, w, r, http.StatusOK, func(req *store.PriceChange) (any, error) {
		return s.db.ChangePrices(r.Context(), *req)
	})
}
