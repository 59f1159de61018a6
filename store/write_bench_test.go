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
			for _, in := range []store.CartItemInput{
				{ProductID: cat.Pipe, Quantity: 12, Unit: "m"},
				{ProductID: cat.Sheet, Quantity: 250.5, Unit: "kg"},
				{ProductID: cat.Wire, Quantity: 40, Unit: "kg"},
			} {
				if _, err := db.AddCartItem(ctx, owner, in); err != nil {
					b.Error(err)
					return
				}
			}
			if _, err := submitRFQ(ctx, db, store.RFQSubmission{Owner: owner, Input: validRFQ(), OperatorEmail: "ops@x.ro"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rfq/s")
	b.ReportMetric(float64(db.WriteCommits()-commits)/float64(b.N), "commits/rfq")
}

// BenchmarkCart_AddParallel: parallel guests each add one line to their own cart.
func BenchmarkCart_AddParallel(b *testing.B) {
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
			if _, err := db.AddCartItem(ctx, owner, store.CartItemInput{ProductID: cat.Pipe, Quantity: 6, Unit: "m"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "adds/s")
	b.ReportMetric(float64(db.WriteCommits()-commits)/float64(b.N), "commits/add")
}
