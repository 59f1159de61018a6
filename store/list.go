package store

import (
	"context"
	"fmt"
)

// Lists: every FindX(ctx, filter) takes its owner inside the filter, returns (items,
// total, err) and reads the total with COUNT(*) OVER() on the page's own rows.

// MaxPageLimit is the largest page a list serves (API.md: limit 1–100).
const MaxPageLimit = 100

// DefaultPageLimit is the page size of a filter that leaves Limit at 0.
const DefaultPageLimit = 24

// pageBounds returns the LIMIT and OFFSET of a page. Zero page and limit are the first
// page and the default size (a zero filter is useful in code); anything else out of range
// is the caller's bug and an error, never quietly swapped for another page.
func pageBounds(page, limit int) (lim, offset int, err error) {
	if page == 0 {
		page = 1
	}
	if limit == 0 {
		limit = DefaultPageLimit
	}
	if page < 1 || limit < 1 || limit > MaxPageLimit {
		return 0, 0, fmt.Errorf("list page %d, limit %d: want page ≥ 1 and limit 1–%d", page, limit, MaxPageLimit)
	}
	return limit, (page - 1) * limit, nil
}

// totalPastEnd is the total of a page that came back empty. COUNT(*) OVER() rides on the
// page's rows, so a page past the end carries no total; only then is it counted apart, so
// the envelope still says how many there are.
func totalPastEnd(ctx context.Context, tx *Tx, offset int, countQuery string, args ...any) (int, error) {
	if offset == 0 {
		return 0, nil
	}
	var n int
	err := tx.QueryRowContext(ctx, countQuery, args...).Scan(&n)
	return n, err
}

// withTotal scans a row whose last column is COUNT(*) OVER() into total, the others with
// the row's own scanner.
func withTotal(row rowScanner, total *int) rowScanner {
	return totalScanner{row, total}
}

type totalScanner struct {
	row   rowScanner
	total *int
}

func (t totalScanner) Scan(dest ...any) error { return t.row.Scan(append(dest, t.total)...) }
