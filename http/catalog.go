package apphttp

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/gorilla/mux"

	"github.com/metalpro/backend/store"
)

// catalogCacheControl lets browsers and CDNs reuse a catalog answer for a minute and then
// revalidate it with If-None-Match (a cheap 304). A minute bounds how long a price change
// takes to reach every customer; the server-side cache is cleared on every write.
const catalogCacheControl = "public, max-age=60"

type categoriesResponse struct {
	Categories []store.Category `json:"categories"`
}

type productsResponse struct {
	Products   []*store.Product    `json:"products"`
	Pagination pagination          `json:"pagination"`
	Facets     store.ProductFacets `json:"facets"`
}

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
	s.serveCatalog(w, r, key, func() (any, error) {
		items, total, facets, err := s.db.ListProducts(r.Context(), f)
		if err != nil {
			return nil, err
		}
		return productsResponse{Products: items, Pagination: newPagination(f.Page, f.Limit, total), Facets: facets}, nil
	})
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

// serveCatalog answers a public catalog read from the catalog cache, rendering it with
// load on a miss, with an ETag and Cache-Control, and 304 when the client's copy is
// current. The ETag is weak because the gzip middleware may re-encode the bytes.
func (s *Server) serveCatalog(w http.ResponseWriter, r *http.Request, key string, load func() (any, error)) {
	cached, err := s.db.CatalogCached(key, func() ([]byte, error) {
		v, err := load()
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("ETag", cached.ETag)
	h.Set("Cache-Control", catalogCacheControl)
	if etagMatches(r.Header.Get("If-None-Match"), cached.ETag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(cached.Body)
}

// etagMatches implements If-None-Match's weak comparison (RFC 9110 §13.1.2): "*" or any
// listed tag equal to etag once the W/ prefixes are ignored.
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	want := strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == want {
			return true
		}
	}
	return false
}
