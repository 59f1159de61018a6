package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// The queue's total is what its tab lists: the open tab leaves out completed and
// cancelled requests, a status tab counts its own, and a page past the end still says how
// many there are. The search ignores case in the reference, company and email.
func TestRFQWorkflow_QueueTotals(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	ana, _ := staffCtx(t, db, "ana@metalpro.ro", "Ana Pop")
	var rfqs []*store.RFQ
	for _, guest := range []string{"g-a", "g-b", "g-c"} {
		rfqs = append(rfqs, guestRFQ(t, db, guest, "ro").RFQ)
	}
	_, err := db.ChangeRFQStatus(ana, store.RFQStatusChange{RFQID: rfqs[2].ID, Status: store.RFQCancelled,
		Reason: "Clientul a renunțat.", ExpectedVersion: 1})
	require.NoError(t, err)

	for _, tc := range []struct {
		name   string
		filter store.AdminRFQFilter
		total  int
		listed int
	}{
		{"every status", store.AdminRFQFilter{}, 3, 3},
		{"open", store.AdminRFQFilter{Open: true}, 2, 2},
		{"one status", store.AdminRFQFilter{Status: store.RFQCancelled}, 1, 1},
		{"a closed status among the open", store.AdminRFQFilter{Status: store.RFQCancelled, Open: true}, 0, 0},
		{"second page of one", store.AdminRFQFilter{Page: 2, Limit: 1}, 3, 1},
		{"past the end", store.AdminRFQFilter{Page: 4, Limit: 1}, 3, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := db.FindAdminRFQs(ctx, tc.filter)
			require.NoError(t, err)
			require.Equal(t, tc.total, p.Total)
			require.Len(t, p.RFQs, tc.listed)
			require.Equal(t, 2, p.Counts[store.RFQSubmitted], "the tabs' counts ignore the status filters")
			require.Equal(t, 1, p.Counts[store.RFQCancelled])
		})
	}
	p, err := db.FindAdminRFQs(ctx, store.AdminRFQFilter{Q: strings.ToLower(rfqs[0].ReferenceNumber)})
	require.NoError(t, err)
	require.Equal(t, 1, p.Total, "the reference in lower case")
	require.Equal(t, rfqs[0].ID, p.RFQs[0].ID)
	p, err = db.FindAdminRFQs(ctx, store.AdminRFQFilter{Q: strings.ToUpper(rfqs[0].Email)})
	require.NoError(t, err)
	require.Equal(t, 3, p.Total, "the same email on every RFQ, found in capitals")
}
