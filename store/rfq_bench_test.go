package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// BenchmarkRFQ_Submit: one guest fills a three-line cart and submits it (4 write
// transactions, the last with the reference number, RFQ, items, two outbox rows).
func BenchmarkRFQ_Submit(b *testing.B) {
	ctx := context.Background()
	db := storetest.MustOpen(b)
	cat := storetest.MustCreateCatalog(b, db)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		owner := store.CartOwner{GuestID: fmt.Sprintf("bench-%d", i)}
		for _, in := range []store.CartItemInput{
			{ProductID: cat.Pipe, Quantity: 12, Unit: "m"},
			{ProductID: cat.Sheet, Quantity: 250.5, Unit: "kg"},
			{ProductID: cat.Wire, Quantity: 40, Unit: "kg"},
		} {
			if _, err := db.AddCartItem(ctx, owner, in); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := submitRFQ(ctx, db, store.RFQSubmission{Owner: owner, Input: validRFQ(), OperatorEmail: "ops@x.ro"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCart_Get reads and prices a 20-line cart (the storefront does it on every page).
func BenchmarkCart_Get(b *testing.B) {
	ctx := context.Background()
	db := storetest.MustOpen(b)
	cat := storetest.MustCreateCatalog(b, db)
	owner := store.CartOwner{GuestID: "bench"}
	for i := 0; i < 20; i++ {
		specs := fmt.Sprintf(`{"finish":"f%d"}`, i)
		if _, err := db.AddCartItem(ctx, owner, store.CartItemInput{ProductID: cat.Pipe, Quantity: 6, Unit: "m", Specs: []byte(specs)}); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := db.Cart(ctx, owner); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
