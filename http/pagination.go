package apphttp

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/metalpro/backend/store"
)

// Every list endpoint pages the same way (API.md): ?page=1&limit=24, limit 1–100, and the
// envelope {"<plural>": [...], "pagination": {...}}.
const (
	defaultPageSize = store.DefaultPageLimit
	maxPageSize     = store.MaxPageLimit
	// maxListPage bounds a customer's own lists (RFQs, projects): any real page fits.
	maxListPage = 1_000_000
)

// pagination is the list envelope's "pagination" object.
type pagination struct {
	Page       int `json:"page"`
	Limit      int `json:"limit"`
	Total      int `json:"total"`
	TotalPages int `json:"totalPages"`
}

func newPagination(page, limit, total int) pagination {
	return pagination{Page: page, Limit: limit, Total: total, TotalPages: (total + limit - 1) / limit}
}

// parsePage reads ?page= (1–maxPage, default 1) and ?limit= (1–100, default 24), adding
// any problem to v. A bad value is refused, never replaced by the default: the client
// would get another page than it asked for.
func parsePage(v *store.Validator, query url.Values, maxPage int) (page, limit int) {
	return queryInt(v, query, "page", 1, maxPage, 1), queryInt(v, query, "limit", 1, maxPageSize, defaultPageSize)
}

// queryInt reads an optional whole-number query parameter within [min, max]; a parameter
// given twice is refused, since which of the two a proxy or cache keys on is anyone's guess.
func queryInt(v *store.Validator, query url.Values, name string, min, max, def int) int {
	vals, ok := query[name]
	if !ok {
		return def
	}
	if len(vals) > 1 {
		v.Add(name, "Parametrul poate apărea o singură dată.", "The parameter may appear only once.")
	}
	n, err := strconv.Atoi(strings.TrimSpace(vals[0]))
	if err != nil || n < min || n > max {
		v.Add(name, fmt.Sprintf("Trebuie să fie un număr întreg între %d și %d.", min, max),
			fmt.Sprintf("Must be a whole number from %d to %d.", min, max))
		return def
	}
	return n
}
