package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/internal/testclock"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// TestRFQ_DeliveryDate: API.md's contract, an RFC 3339 time like every time (a plain date
// too), read as the calendar day it names in Bucharest and echoed as RFC 3339.
func TestRFQ_DeliveryDate(t *testing.T) {
	ctx := context.Background()
	clk := testclock.New(time.Date(2026, 5, 10, 9, 0, 0, 0, time.UTC))
	db := storetest.MustOpenWith(t, store.Options{Now: clk.Now})
	cat := storetest.MustCreateCatalog(t, db)
	cases := []struct{ in, echo string }{
		{"2026-12-30T00:00:00Z", "2026-12-30T00:00:00Z"},
		{"2026-12-30", "2026-12-30T00:00:00Z"},
		{"2026-12-30T00:00:00+02:00", "2026-12-30T00:00:00Z"},
		{"2026-12-29T22:00:00.000Z", "2026-12-30T00:00:00Z"}, // a browser's local midnight in Bucharest
		{"2026-05-09T22:30:00Z", "2026-05-10T00:00:00Z"},     // today in Bucharest, though yesterday in UTC
	}
	for i, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			guest := store.CartOwner{GuestID: fmt.Sprint("g-date-", i)}
			_, err := db.AddCartItem(ctx, guest, store.CartItemInput{ProductID: cat.Pipe, Quantity: 6, Unit: "m"})
			require.NoError(t, err)
			in := validRFQ()
			in.DeliveryDate = c.in
			sub, err := submitRFQ(ctx, db, store.RFQSubmission{Owner: guest, Input: in})
			require.NoError(t, err)
			var body struct{ DeliveryDate string }
			require.NoError(t, json.Unmarshal(sub.Response.Body, &body))
			require.Equal(t, c.echo, body.DeliveryDate)
			got, err := db.RFQForViewer(ctx, sub.RFQ.ID, store.RFQViewer{GuestID: guest.GuestID})
			require.NoError(t, err)
			raw, err := json.Marshal(got)
			require.NoError(t, err)
			require.Contains(t, string(raw), `"deliveryDate":"`+c.echo+`"`, "read back")
		})
	}
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, bad := range []string{"2026-02-30", "30.12.2026", "2026-12-30T25:00:00Z", "2026-12-30 00:00", "2026-05-09T20:59:59Z"} { // the last: 23:59:59 yesterday in Bucharest (UTC+3 in May)
			in := validRFQ()
			in.DeliveryDate = bad
			require.Equal(t, "deliveryDate", fieldOf(t, in.Validate(clk.Now())), bad)
		}
	})
}
