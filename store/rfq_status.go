package store

import "slices"

// The RFQ workflow (the seed's RFQStatus): SUBMITTED → ACKNOWLEDGED → IN_PROGRESS → QUOTED →
// COMPLETED, CANCELLED from any open state, and QUOTED → IN_PROGRESS to revise a quote.
// COMPLETED and CANCELLED are final. The customer's acceptance of a sent quote completes
// the RFQ; a decline cancels it.
var rfqNext = map[string][]string{
	RFQSubmitted:    {RFQAcknowledged, RFQCancelled},
	RFQAcknowledged: {RFQInProgress, RFQCancelled},
	RFQInProgress:   {RFQQuoted, RFQCancelled},
	RFQQuoted:       {RFQInProgress, RFQCompleted, RFQCancelled},
	RFQCompleted:    {},
	RFQCancelled:    {},
}

// AllowedNextStatuses returns the statuses an RFQ in status from may move to (a new slice;
// empty for a final status or an unknown one).
func AllowedNextStatuses(from string) []string {
	return slices.Clone(rfqNext[from])
}

// CanMoveRFQ reports whether the workflow allows from → to.
func CanMoveRFQ(from, to string) bool {
	return slices.Contains(rfqNext[from], to)
}

// IsOpenRFQ: the RFQ still waits for something (neither completed nor cancelled).
func IsOpenRFQ(status string) bool {
	return status != RFQCompleted && status != RFQCancelled
}
