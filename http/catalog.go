package apphttp

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/gorilla/mux"

	"github.com/metalpro/backend/catalog/search"
	"github.com/metalpro/backend/store"
)

type categoriesResponse struct {
	Categories []store.Category `json:"categories"`
}

type productsResponse struct {
	Products   []*store.Product    `json:"products"`
	Pagination pagination          `json:"pagination"`
	Facets     store.ProductFacets `json:"facets"`
	// Match is "all" when every word of q matched, "partial" for the closest matches
	// (the storefront says so); absent without q.
	Match   string             `json:"match,omitempty"`
	Explain *searchExplanation `json:"explain,omitempty"`
}

// searchExplanation answers explain=true for staff: how q was parsed and what each result
// on the page was ranked by.
type searchExplanation struct {
	Query   search.Explanation `json:"query"`
	Results []store.ScoreParts `json:"results"`
}

// isStaff: operators and admins may see how search ranks (explain=true).
func isStaff(u *store.User) bool { return u != nil && isStaffRole(u.Role) }

// handleListCategories serves GET /api/categories.
func (s *Server) handleListCategories(w http.ResponseWriter, r *http.Request) {
	s.serveCatalog(w, r, "categories", func() (any, error) {
		cats, err := s.db.ListCategories(r.Context())
		return categoriesResponse{Categories: cats}, err
	})
}

// handleListProducts serves GET /api/products.
func (s *Server) handleListProducts(w http.ResponseWriter, r *http.Request) {
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		s.writeError(w, r, store.Errorf(store.ECodeInvalid, "Parametrii cererii nu pot fi citiți.", "The query string is malformed."))
		return
	}
	f, key, err := parseProductFilter(query)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	load := func() (any, error) {
		if err := s.checkCategory(r.Context(), f.Category); err != nil {
			return nil, err
		}
		l, err := s.db.SearchProducts(r.Context(), f)
		if err != nil {
			return nil, err
		}
		resp := productsResponse{Products: l.Items, Pagination: newPagination(f.Page, f.Limit, l.Total), Facets: l.Facets, Match: l.Match}
		if f.Explain && l.Query != nil {
			resp.Explain = &searchExplanation{Query: l.Query.Explain(), Results: l.Scores}
			if resp.Explain.Results == nil {
				resp.Explain.Results = []store.ScoreParts{}
			}
		}
		return resp, nil
	}
	// explain=true is for staff and never cached; anyone else gets the ordinary
	// (cached) answer: the parameter is ignored, so it reveals nothing and costs nothing.
	if query.Get("explain") == "true" && f.Query != "" && isStaff(userFrom(r.Context())) {
		f.Explain = true
		body, err := load()
		if err == nil {
			w.Header().Set("Cache-Control", "private, no-store")
		}
		s.respond(w, r, http.StatusOK, body, err)
		return
	}
	s.serveCatalog(w, r, key, load)
}

// handleGetProduct serves GET /api/products/{idOrSku}.
func (s *Server) handleGetProduct(w http.ResponseWriter, r *http.Request) {
	key := mux.Vars(r)["idOrSku"]
	if key == "" || len(key) > 100 || !utf8.ValidString(key) {
		s.writeError(w, r, store.ErrNotFound("Produsul nu a fost găsit.", "Product not found."))
		return
	}
	s.serveCatalog(w, r, "product|"+strings.ToLower(key), func() (any, error) {
		return s.db.GetProduct(r.Context(), key)
	})
}

// checkCategory refuses a category slug no category has: an empty list would look like an
// empty category, and the storefront would show a broken link as a page with no products.
func (s *Server) checkCategory(ctx context.Context, slug string) error {
	if slug == "" {
		return nil
	}
	ok, err := s.db.CategoryExists(ctx, slug)
	if err != nil || ok {
		return err
	}
	var v store.Validator
	v.Add("category", "Categoria „"+slug+"” nu există.", "There is no category \""+slug+"\".")
	return v.Err()
}
