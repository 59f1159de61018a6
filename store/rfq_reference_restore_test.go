package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// A restored database lacks the RFQs of the lost window, whose numbers customers already
// have by email: every sequence must move past what that window could have used.
func TestAdvanceReferencesAfterRestore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "restored.db")
	db := storetest.MustOpenAt(t, path, store.Options{})
	newest := time.Date(2026, 12, 31, 21, 59, 50, 0, time.UTC) // 23:59:50 in Bucharest
	w := db.WriteDB()
	_, err := w.Exec(`INSERT INTO rfq_sequences (year, last_value) VALUES (2026, 300)`)
	require.NoError(t, err)
	// A burst: 150 RFQs within 10 seconds, 15 a second.
	for i := 0; i < 150; i++ {
		_, err := w.Exec(`INSERT INTO rfqs (id, reference_number, company_name, contact_person, email, phone,
			billing_address, delivery_address, cart_snapshot, estimated_total, submitted_at, created_at, updated_at)
			VALUES (?, ?, 'SC Test SRL', 'Ion', 'ion@example.ro', '0722123456', '{}', '{}', '{}', 1, ?, ?, ?)`,
			fmt.Sprint("r", i), fmt.Sprintf("RFQ-2026-%05d", 241+i), store.FormatTime(newest), store.FormatTime(newest), store.FormatTime(newest))
		require.NoError(t, err)
	}
	require.NoError(t, db.Close())

	// Restored 200 s after the newest RFQ, already in the new year in Bucharest.
	now := newest.Add(200 * time.Second)
	adv, err := store.AdvanceReferencesAfterRestore(context.Background(), path, now)
	require.NoError(t, err)
	require.Equal(t, 200*time.Second, adv.Window)
	require.Equal(t, 30.0, adv.Rate, "twice the busiest 10 s")
	require.Equal(t, 6000, adv.Margin, "30 RFQs/s × 200 s")
	require.ElementsMatch(t, []store.YearAdvance{{Year: 2026, From: 300, To: 6300}, {Year: 2027, From: 0, To: 6000}}, adv.Years,
		"the new year's sequence too: the lost window may have crossed midnight")

	db = storetest.MustOpenAt(t, path, store.Options{})
	var last int
	require.NoError(t, db.ReadDB().QueryRow(`SELECT last_value FROM rfq_sequences WHERE year = 2026`).Scan(&last))
	require.Equal(t, 6300, last, "the next 2026 number is RFQ-2026-06301")

	// A restore right after the crash still skips at least the floor.
	require.NoError(t, db.Close())
	adv, err = store.AdvanceReferencesAfterRestore(context.Background(), path, newest.Add(time.Second))
	require.NoError(t, err)
	require.Equal(t, 1000, adv.Margin)
}
