package store

import (
	"encoding/json"
	"fmt"
	"time"
)

// Date is a calendar day (an RFQ's delivery date), stored as YYYY-MM-DD. The API writes
// it as RFC 3339, midnight UTC of that day, as API.md writes every time; read back in
// Bucharest, that instant is the same day.
type Date string

// MarshalJSON writes the day as RFC 3339 ("2026-12-30T00:00:00Z").
func (d Date) MarshalJSON() ([]byte, error) {
	t, err := time.Parse(time.DateOnly, string(d))
	if err != nil {
		return nil, fmt.Errorf("date %q: %w", string(d), err)
	}
	return json.Marshal(t.Format(time.RFC3339))
}
