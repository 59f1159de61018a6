package store_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// The parallel write benchmarks: 16 clients per CPU at once, as under a burst of
// customers. Each write pays an fsync (synchronous=FULL); group commit shares it.

// BenchmarkRFQ_SubmitParallel: parallel guests each fill a three-line cart and submit it.
func BenchmarkRFQ_SubmitParallel(b *testing.B) {
	benchParallelGuests(b, "rfq/s", "commits/rfq", func(ctx context.Context, db *store.DB, cat storetest.Catalog, owner store.CartOwner) error {
		for _, in := range []store.CartItemInput{
			{ProductID: cat.Pipe, Quantity: 12, Unit: "m"},
			{ProductID: cat.Sheet, Quantity: 250.5, Unit: "kg"},
			{ProductID: cat.Wire, Quantity: 40, Unit: "kg"},
		} {
			if _, err := db.AddCartItem(ctx, owner, in); err != nil {
				return err
			}
		}
		_, err := submitRFQ(ctx, db, store.RFQSubmission{Owner: owner, Input: validRFQ(), OperatorEmail: "ops@x.ro"})
		return err
	})
}

// BenchmarkCart_AddParallel: parallel guests each add one line to their own cart.
func BenchmarkCart_AddParallel(b *testing.B) {
	benchParallelGuests(b, "adds/s", "commits/add", func(ctx context.Context, db *store.DB, cat storetest.Catalog, owner store.CartOwner) error {
		_, err := db.AddCartItem(ctx, owner, store.CartItemInput{ProductID: cat.Pipe, Quantity: 6, Unit: "m"})
		return err
	})
}

// benchParallelGuests runs one new guest's work per iteration from 16 clients per CPU and
// reports the rate and the commits per operation under the given metric names.
func benchParallelGuests(b *testing.B, rateUnit, commitUnit string, work func(context.Context, *store.DB, storetest.Catalog, store.CartOwner) error) {
	ctx := context.Background()
	db := storetest.MustOpen(b)
	cat := storetest.MustCreateCatalog(b, db)
	var guests atomic.Int64
	commits := db.WriteCommits()
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			owner := store.CartOwner{GuestID: fmt.Sprintf("bench-%d", guests.Add(1))}
			if err := work(ctx, db, cat, owner); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), rateUnit)
	b.ReportMetric(float64(db.WriteCommits()-commits)/float64(b.N), commitUnit)
}
