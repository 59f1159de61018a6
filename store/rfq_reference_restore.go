package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"net/url"
	"time"
)

// After a restore, the database may lack the newest RFQs: those the lost server committed
// after its last upload (≈1 s normally, a whole S3 outage's worth when the machine died
// during one, everything after the target of a point-in-time restore). Their reference
// numbers were already emailed to customers and to sales, so the restored server must not
// hand them out again. AdvanceReferencesAfterRestore moves every sequence past anything the
// lost window could have used; the numbers skipped are a visible gap, which is the point:
// the RUNBOOK tells the operator to look for the lost RFQs in the operator emails that
// carry numbers inside the gap.

// Reference margin bounds. The lost server can have issued at most (its peak rate) ×
// (time between the restored state and now); the rate assumed is twice the fastest 10
// seconds in the restored data's last hour, and never under minReferenceRate: the DR drill
// pushed 16–112 RFQs/s through the API on 2 cores, MetalPro expects a few hundred a day.
const (
	minReferenceMargin = 1000
	minReferenceRate   = 20.0 // RFQs per second
)

// ReferenceAdvance says how far AdvanceReferencesAfterRestore moved the RFQ numbers.
type ReferenceAdvance struct {
	Margin int
	// Newest is the creation time of the newest RFQ in the restored database (zero if none);
	// Window is now minus Newest: how long the lost server may have been issuing numbers.
	Newest time.Time
	Window time.Duration
	Rate   float64 // RFQs per second assumed for the window
	Years  []YearAdvance
}

// YearAdvance is one year's sequence: numbers From+1 .. To-1 may belong to lost RFQs (or
// were never used); the next RFQ gets To+1.
type YearAdvance struct {
	Year     int
	From, To int
}

// AdvanceReferencesAfterRestore opens the restored database file at path (before any
// server opens it) and moves every RFQ reference sequence forward, including the current
// year's (the lost window may have crossed New Year), by a margin larger than the lost
// window could have used.
func AdvanceReferencesAfterRestore(ctx context.Context, path string, now time.Time) (ReferenceAdvance, error) {
	var adv ReferenceAdvance
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?_busy_timeout=10000&_txlock=immediate"
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return adv, err
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return adv, fmt.Errorf("advance references: %w", err)
	}
	defer tx.Rollback()

	var newest sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT max(created_at) FROM rfqs`).Scan(&newest); err != nil {
		return adv, fmt.Errorf("advance references: newest RFQ: %w", err)
	}
	adv.Rate = minReferenceRate
	if newest.Valid {
		if adv.Newest, err = ParseTime(newest.String); err != nil {
			return adv, fmt.Errorf("advance references: newest RFQ time %q: %w", newest.String, err)
		}
		adv.Window = max(0, now.Sub(adv.Newest))
		// The busiest 10 s of the last hour (created_at is fixed-width UTC text, so its
		// first 18 characters name a 10-second bucket).
		var peak int
		err := tx.QueryRowContext(ctx, `SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM rfqs
			WHERE created_at >= ? GROUP BY substr(created_at, 1, 18))`, FormatTime(adv.Newest.Add(-time.Hour))).Scan(&peak)
		if err != nil {
			return adv, fmt.Errorf("advance references: peak rate: %w", err)
		}
		adv.Rate = max(adv.Rate, 2*float64(peak)/10)
	}
	adv.Margin = max(minReferenceMargin, int(math.Ceil(adv.Rate*adv.Window.Seconds())))

	year := now.In(Bucharest).Year()
	if _, err := tx.ExecContext(ctx, `INSERT INTO rfq_sequences (year, last_value) VALUES (?, 0)
		ON CONFLICT (year) DO NOTHING`, year); err != nil {
		return adv, fmt.Errorf("advance references: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `UPDATE rfq_sequences SET last_value = last_value + ?
		RETURNING year, last_value`, adv.Margin)
	if err != nil {
		return adv, fmt.Errorf("advance references: %w", err)
	}
	for rows.Next() {
		var y YearAdvance
		if err := rows.Scan(&y.Year, &y.To); err != nil {
			rows.Close()
			return adv, err
		}
		y.From = y.To - adv.Margin
		adv.Years = append(adv.Years, y)
	}
	if err := rows.Close(); err != nil {
		return adv, fmt.Errorf("advance references: %w", err)
	}
	return adv, tx.Commit()
}
