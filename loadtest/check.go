package loadtest

import (
	"context"
	"fmt"
	"net/url"
)

// checkRFQs reads every acknowledged RFQ back with its guest's cookie and counts the
// ones that are missing or lost items: an acknowledged write that is not there is lost.
func checkRFQs(ctx context.Context, acked []*ackedRFQ, st *stats) (lost []string) {
	refs := map[string]bool{}
	for _, a := range acked {
		if refs[a.ref] {
			lost = append(lost, fmt.Sprintf("reference %s handed out twice", a.ref))
		}
		refs[a.ref] = true
		var got struct {
			ReferenceNumber string
			Items           []struct{ ProductID string }
		}
		g := *a.guest
		g.stats = st
		if err := g.call(ctx, "check_rfq", "GET", "/api/rfq/"+url.PathEscape(a.id), nil, 200, &got); err != nil {
			lost = append(lost, fmt.Sprintf("RFQ %s (%s): %v", a.id, a.ref, err))
			continue
		}
		if len(got.Items) != a.items || got.ReferenceNumber != a.ref {
			lost = append(lost, fmt.Sprintf("RFQ %s: %d items under %q, acknowledged %d items under %q",
				a.id, len(got.Items), got.ReferenceNumber, a.items, a.ref))
		}
	}
	return lost
}
