package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/metalpro/backend/store"
)

// The catalog as the team reads it: the storefront's own search (same words, same
// ranking), a category filter and, for admins, the withdrawn products too.

const (
	catalogPageSize = 50
	maxCatalogQuery = 200 // the storefront's limit on a search text
)

// catalogFilter is the search form, as typed (the page shows it back).
type catalogFilter struct {
	Q, Category string
	Inactive    bool
}

// Link is the catalog's URL with this filter at page.
func (f catalogFilter) Link(page int) string {
	q := url.Values{}
	if f.Q != "" {
		q.Set("q", f.Q)
	}
	if f.Category != "" {
		q.Set("category", f.Category)
	}
	if f.Inactive {
		q.Set("inactive", "1")
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	if len(q) == 0 {
		return Prefix + "/catalog"
	}
	return Prefix + "/catalog?" + q.Encode()
}

type catalogView struct {
	Filter     catalogFilter
	Categories []store.Category
	Products   []*store.Product
	Total      int
	Partial    bool // the search fell back to the closest matches
	Page       int
	Pages      int
	Error      string
}

// handleCatalog serves GET /admin/catalog.
func (h *Handler) handleCatalog(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := h.newPage(w, r, "catalog", "catalog.title", nil)
	f := catalogFilter{Q: strings.TrimSpace(q.Get("q")), Category: q.Get("category"),
		Inactive: q.Get("inactive") == "1" && p.IsAdmin()}
	page, _ := strconv.Atoi(q.Get("page"))
	page = min(max(page, 1), 10_000)
	view := catalogView{Filter: f, Page: page}
	var err error
	if view.Categories, err = h.db.ListCategories(r.Context()); err != nil {
		h.serverError(w, r, err)
		return
	}
	v := &store.Validator{}
	if utf8.RuneCountInString(f.Q) > maxCatalogQuery {
		v.Add("q", "Căutarea are cel mult 200 de caractere.", "The search has at most 200 characters.")
	}
	if f.Category != "" && !hasCategory(view.Categories, f.Category) {
		v.Add("category", "Categoria nu există.", "The category does not exist.")
	}
	status := http.StatusOK
	if err := v.Err(); err != nil {
		status, view.Error = http.StatusBadRequest, invalidText(err, p.Lang)
	} else {
		list, err := h.db.SearchProducts(r.Context(), store.ProductFilter{Query: f.Q, Category: f.Category,
			IncludeInactive: f.Inactive, Page: page, Limit: catalogPageSize})
		if err != nil {
			h.renderError(w, r, err)
			return
		}
		view.Products, view.Total, view.Partial = list.Items, list.Total, list.Match == store.MatchPartial
		view.Pages = (list.Total + catalogPageSize - 1) / catalogPageSize
	}
	p.Data = view
	h.render(w, r, status, "catalog", p)
}

func hasCategory(cats []store.Category, slug string) bool {
	for _, c := range cats {
		if c.Slug == slug {
			return true
		}
	}
	return false
}
