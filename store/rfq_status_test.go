package store_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
)

func TestRFQStatus_Workflow(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		ok       bool
	}{
		{store.RFQSubmitted, store.RFQAcknowledged, true},
		{store.RFQAcknowledged, store.RFQInProgress, true},
		{store.RFQInProgress, store.RFQQuoted, true},
		{store.RFQQuoted, store.RFQCompleted, true},
		{store.RFQQuoted, store.RFQInProgress, true}, // a revision
		{store.RFQSubmitted, store.RFQCancelled, true},
		{store.RFQQuoted, store.RFQCancelled, true},
		{store.RFQSubmitted, store.RFQQuoted, false}, // no skipping
		{store.RFQCompleted, store.RFQCancelled, false},
		{store.RFQCancelled, store.RFQSubmitted, false},
		{store.RFQInProgress, store.RFQAcknowledged, false},
	} {
		require.Equal(t, tc.ok, store.CanMoveRFQ(tc.from, tc.to), "%s → %s", tc.from, tc.to)
	}
	for _, s := range store.RFQStatuses {
		require.Equal(t, store.IsOpenRFQ(s), len(store.AllowedNextStatuses(s)) > 0, s)
	}
}
