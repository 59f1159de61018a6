package apphttp

import (
	"fmt"
	"math"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/metalpro/backend/store"
)

// Limits of the product list's query string.
const (
	maxCatalogPage  = 10_000 // deeper pages are a crawler, not a customer
	maxQueryRunes   = 200
	maxFilterValues = 20
	maxFilterRunes  = 100
	maxPrice        = 1e9
)

var (
	validSorts = map[string]bool{store.SortRelevance: true, store.SortPriceAsc: true, store.SortPriceDesc: true,
		store.SortTitleAsc: true, store.SortNewest: true}
	validAvailability = map[string]bool{"in_stock": true, "on_order": true, "out_of_stock": true}
	validSlug         = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
)

// parseProductFilter validates the query string of GET /api/products. It reports every
// bad parameter at once and returns, with the filter, a canonical form of it that keys the
// cache (so "?limit=24&page=1" and "?page=1" share one entry).
func parseProductFilter(query url.Values) (store.ProductFilter, string, error) {
	var v store.Validator
	f := store.ProductFilter{Page: 1, Limit: defaultPageSize}
	canon := url.Values{}

	for name, vals := range query {
		for _, val := range vals {
			if !utf8.ValidString(val) || !utf8.ValidString(name) {
				v.Add(name, "Parametrul conține caractere UTF-8 invalide.", "The parameter is not valid UTF-8.")
			}
		}
	}
	if v.HasErrors() {
		return f, "", v.Err()
	}
	one := func(name string) (string, bool) {
		vals, ok := query[name]
		if !ok {
			return "", false
		}
		if len(vals) > 1 {
			v.Add(name, "Parametrul poate apărea o singură dată.", "The parameter may appear only once.")
		}
		return strings.TrimSpace(vals[0]), true
	}
	// list accepts repeated parameters and comma-separated values: ?grade=S235JR,S355J2.
	list := func(name string) []string {
		var out []string
		for _, raw := range query[name] {
			for _, s := range strings.Split(raw, ",") {
				if s = strings.TrimSpace(s); s != "" {
					out = append(out, s)
				}
			}
		}
		if len(out) > maxFilterValues {
			v.Add(name, fmt.Sprintf("Cel mult %d valori.", maxFilterValues), fmt.Sprintf("At most %d values.", maxFilterValues))
			return nil
		}
		for _, s := range out {
			if utf8.RuneCountInString(s) > maxFilterRunes {
				v.Add(name, fmt.Sprintf("Fiecare valoare are cel mult %d caractere.", maxFilterRunes), fmt.Sprintf("Each value has at most %d characters.", maxFilterRunes))
				return nil
			}
		}
		sort.Strings(out)
		for _, s := range out {
			canon.Add(name, s)
		}
		return out
	}
	priceParam := func(name string) *float64 {
		s, ok := one(name)
		if !ok || s == "" {
			return nil
		}
		p, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(p) || math.IsInf(p, 0) || p < 0 || p > maxPrice {
			v.Add(name, "Trebuie să fie un preț în RON, un număr pozitiv.", "Must be a price in RON, a non-negative number.")
			return nil
		}
		canon.Set(name, strconv.FormatFloat(p, 'f', -1, 64))
		return &p
	}

	f.Page, f.Limit = parsePage(&v, query, maxCatalogPage)
	canon.Set("page", strconv.Itoa(f.Page))
	canon.Set("limit", strconv.Itoa(f.Limit))

	if s, ok := one("category"); ok && s != "" {
		if !validSlug.MatchString(s) {
			v.Add("category", "Categoria nu este validă.", "The category is not valid.")
		}
		f.Category = s
		canon.Set("category", s)
	}
	if q, ok := one("q"); ok && q != "" {
		if utf8.RuneCountInString(q) > maxQueryRunes {
			v.Add("q", fmt.Sprintf("Căutarea are cel mult %d caractere.", maxQueryRunes), fmt.Sprintf("The search has at most %d characters.", maxQueryRunes))
		}
		f.Query = q
		canon.Set("q", q)
	}
	f.Availability = list("availability")
	for _, a := range f.Availability {
		if !validAvailability[a] {
			v.Add("availability", "Disponibilitatea este una dintre in_stock, on_order, out_of_stock.",
				"Availability is one of in_stock, on_order, out_of_stock.")
		}
	}
	f.Grades = list("grade")
	f.Standards = list("standard")
	f.MinPrice = priceParam("minPrice")
	f.MaxPrice = priceParam("maxPrice")
	if f.MinPrice != nil && f.MaxPrice != nil && *f.MinPrice > *f.MaxPrice {
		v.Add("minPrice", "Prețul minim nu poate depăși prețul maxim.", "The minimum price cannot exceed the maximum price.")
	}
	if s, ok := one("sort"); ok && s != "" {
		if !validSorts[s] {
			v.Add("sort", "Sortarea este una dintre relevance, price_asc, price_desc, title_asc, newest.",
				"Sort is one of relevance, price_asc, price_desc, title_asc, newest.")
		}
		f.Sort = s
	}
	if f.Sort == "" {
		f.Sort = store.SortRelevance
	}
	canon.Set("sort", f.Sort)
	if err := v.Err(); err != nil {
		return f, "", err
	}
	return f, "products?" + canon.Encode(), nil
}
