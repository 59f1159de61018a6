package store

import (
	"context"
	"fmt"
	"time"
	_ "time/tzdata" // Europe/Bucharest even on a minimal image without zoneinfo
)

// Bucharest is the business's time zone: the year of a reference number and "today" for
// delivery dates are Romanian, not UTC (an RFQ sent at 00:30 on 1 January in Cluj belongs to
// the new year).
var Bucharest = mustLoadLocation("Europe/Bucharest")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// BucharestDate is t's calendar date in Romania, as YYYY-MM-DD.
func BucharestDate(t time.Time) string { return t.In(Bucharest).Format("2006-01-02") }

// nextReferenceNumber hands out the next RFQ-<year>-<NNNNN> inside tx. The counter row is
// bumped in the same write transaction that inserts the RFQ, and SQLite has one writer at a
// time: numbers are unique, and a rolled-back submission gives its number back, so there
// are no gaps. Each year starts again at 00001 (a new row). Past 99999 the number simply
// grows a digit.
func nextReferenceNumber(ctx context.Context, tx *Tx) (string, error) {
	year := tx.Now.In(Bucharest).Year()
	var n int
	err := tx.QueryRowContext(ctx, `INSERT INTO rfq_sequences (year, last_value) VALUES (?, 1)
		ON CONFLICT (year) DO UPDATE SET last_value = last_value + 1
		RETURNING last_value`, year).Scan(&n)
	if err != nil {
		return "", fmt.Errorf("next reference number: %w", err)
	}
	return fmt.Sprintf("RFQ-%d-%05d", year, n), nil
}
