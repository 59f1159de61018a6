package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/internal/testclock"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

func fieldOf(tb testing.TB, err error) string {
	tb.Helper()
	var e *store.Error
	require.ErrorAs(tb, err, &e)
	require.Equal(tb, store.ECodeInvalid, e.Code, "err: %v", err)
	require.NotEmpty(tb, e.Fields, "err: %v", err)
	return e.Fields[0].Field
}

func TestSaleProduct_UnitsAndPrices(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	pipe := store.SaleProduct{BaseUnit: "m", PricePerUnit: 51, Weight: f(8.5), LengthM: f(6)}
	require.Equal(t, []string{"m", "pcs", "kg"}, pipe.Units())
	for unit, want := range map[string]int64{"m": 5100, "pcs": 30600, "kg": 600} {
		got, ok := pipe.UnitPriceBani(unit)
		require.True(t, ok, unit)
		require.Equal(t, want, got, unit)
	}

	sheet := store.SaleProduct{BaseUnit: "pcs", PricePerUnit: 175.84, Weight: f(31.4)}
	require.Equal(t, []string{"pcs", "kg"}, sheet.Units())
	perKg, _ := sheet.UnitPriceBani("kg")
	require.Equal(t, int64(560), perKg, "175.84 / 31.4 = 5.6 RON/kg")
	_, ok := sheet.UnitPriceBani("m")
	require.False(t, ok, "a sheet has no length")

	bar := store.SaleProduct{BaseUnit: "pcs", PricePerUnit: 120, Weight: f(24), LengthM: f(6)}
	require.Equal(t, []string{"pcs", "m", "kg"}, bar.Units())
	perM, _ := bar.UnitPriceBani("m")
	require.Equal(t, int64(2000), perM)

	wire := store.SaleProduct{BaseUnit: "kg", PricePerUnit: 7.2, Weight: f(1)}
	require.Equal(t, []string{"kg"}, wire.Units())

	t.Run("LineTotalIsExactInBani", func(t *testing.T) {
		require.Equal(t, int64(3), store.LineTotalBani(1, 2.5), "0.025 RON rounds half up")
		require.Equal(t, int64(1_000_000*720), store.LineTotalBani(720, 1_000_000))
		require.Equal(t, int64(1260), store.LineTotalBani(1050, 1.2), "10.50 × 1.2 = 12.60 with no float drift")
	})
}

func TestCart_AddItem(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	cat := storetest.MustCreateCatalog(t, db)
	guest := store.CartOwner{GuestID: "guest-1"}

	t.Run("EmptyCartWithoutRows", func(t *testing.T) {
		cart, err := db.Cart(ctx, guest)
		require.NoError(t, err)
		require.Nil(t, cart.ID)
		require.Empty(t, cart.Items)
		require.Equal(t, "RON", cart.Currency)
	})

	t.Run("OK", func(t *testing.T) {
		cart, err := db.AddCartItem(ctx, guest, store.CartItemInput{ProductID: cat.Pipe, Quantity: 12.5, Unit: "m"})
		require.NoError(t, err)
		require.NotNil(t, cart.ID)
		require.Len(t, cart.Items, 1)
		it := cart.Items[0]
		require.Equal(t, 12.5, it.Quantity)
		require.Equal(t, 51.0, *it.UnitPrice)
		require.Equal(t, 637.5, *it.LineTotal)
		require.Equal(t, 637.5, cart.EstimatedTotal)
		require.Equal(t, "TR-40x40x3", it.Product.SKU)
		require.JSONEq(t, "null", string(it.Specs))
	})

	t.Run("SameLineAddsUp", func(t *testing.T) {
		cart, err := db.AddCartItem(ctx, guest, store.CartItemInput{ProductID: cat.Pipe, Quantity: 0.25, Unit: "m"})
		require.NoError(t, err)
		require.Len(t, cart.Items, 1)
		require.Equal(t, 12.75, cart.Items[0].Quantity)
	})

	t.Run("OtherUnitOrSpecsIsAnotherLine", func(t *testing.T) {
		_, err := db.AddCartItem(ctx, guest, store.CartItemInput{ProductID: cat.Pipe, Quantity: 2, Unit: "pcs"})
		require.NoError(t, err)
		cart, err := db.AddCartItem(ctx, guest, store.CartItemInput{ProductID: cat.Pipe, Quantity: 2, Unit: "pcs",
			Specs: json.RawMessage(`{"lengthM": 3, "cutToLength": true}`)})
		require.NoError(t, err)
		require.Len(t, cart.Items, 3)
		// the same specs written differently are the same line
		cart, err = db.AddCartItem(ctx, guest, store.CartItemInput{ProductID: cat.Pipe, Quantity: 1, Unit: "pcs",
			Specs: json.RawMessage(`{"cutToLength":true,"lengthM":3.0}`)})
		require.NoError(t, err)
		require.Len(t, cart.Items, 3)
		require.Equal(t, 3.0, cart.Items[2].Quantity)
		require.JSONEq(t, `{"cutToLength":true,"lengthM":3}`, string(cart.Items[2].Specs))
		require.Equal(t, 306.0, *cart.Items[1].UnitPrice, "a whole 6 m bar at 51 RON/m")
	})

	t.Run("KgOfAPieceProduct", func(t *testing.T) {
		cart, err := db.AddCartItem(ctx, store.CartOwner{GuestID: "guest-kg"}, store.CartItemInput{ProductID: cat.Sheet, Quantity: 100.5, Unit: "kg"})
		require.NoError(t, err)
		require.Equal(t, 5.6, *cart.Items[0].UnitPrice)
		require.Equal(t, 562.8, *cart.Items[0].LineTotal)
	})

	errCases := []struct {
		name  string
		in    store.CartItemInput
		field string
	}{
		{"ErrInactiveProduct", store.CartItemInput{ProductID: cat.Inactive, Quantity: 1, Unit: "m"}, "productId"},
		{"ErrUnknownProduct", store.CartItemInput{ProductID: store.NewID(), Quantity: 1, Unit: "m"}, "productId"},
		{"ErrMalformedProductID", store.CartItemInput{ProductID: "1 OR 1=1", Quantity: 1, Unit: "m"}, "productId"},
		{"ErrWrongUnit", store.CartItemInput{ProductID: cat.Wire, Quantity: 1, Unit: "m"}, "unit"},
		{"ErrNoSuchUnit", store.CartItemInput{ProductID: cat.Pipe, Quantity: 1, Unit: "tons"}, "unit"},
		{"ErrNegative", store.CartItemInput{ProductID: cat.Pipe, Quantity: -1, Unit: "m"}, "quantity"},
		{"ErrZero", store.CartItemInput{ProductID: cat.Pipe, Quantity: 0, Unit: "m"}, "quantity"},
		{"ErrFractionalPieces", store.CartItemInput{ProductID: cat.Sheet, Quantity: 1.5, Unit: "pcs"}, "quantity"},
		{"ErrVanishinglySmall", store.CartItemInput{ProductID: cat.Wire, Quantity: 1e-10, Unit: "kg"}, "quantity"},
		{"ErrFourDecimals", store.CartItemInput{ProductID: cat.Wire, Quantity: 1.2345, Unit: "kg"}, "quantity"},
		{"ErrHugeKg", store.CartItemInput{ProductID: cat.Wire, Quantity: 1_000_001, Unit: "kg"}, "quantity"},
		{"ErrHugeMetres", store.CartItemInput{ProductID: cat.Pipe, Quantity: 100_001, Unit: "m"}, "quantity"},
		{"ErrSpecsNotObject", store.CartItemInput{ProductID: cat.Pipe, Quantity: 1, Unit: "m", Specs: json.RawMessage(`[1,2]`)}, "specs"},
		{"ErrSpecsNested", store.CartItemInput{ProductID: cat.Pipe, Quantity: 1, Unit: "m", Specs: json.RawMessage(`{"a":{"b":1}}`)}, "specs"},
		{"ErrSpecsTooBig", store.CartItemInput{ProductID: cat.Pipe, Quantity: 1, Unit: "m", Specs: json.RawMessage(`{"finish":"` + strings.Repeat("a", 2100) + `"}`)}, "specs"},
		{"ErrSpecsBadLength", store.CartItemInput{ProductID: cat.Pipe, Quantity: 1, Unit: "m", Specs: json.RawMessage(`{"lengthM":-2}`)}, "specs"},
	}
	for _, tc := range errCases {
		t.Run(tc.name, func(t *testing.T) {
			owner := store.CartOwner{GuestID: "guest-err"}
			_, err := db.AddCartItem(ctx, owner, tc.in)
			require.Equal(t, tc.field, fieldOf(t, err))
			cart, err := db.Cart(ctx, owner)
			require.NoError(t, err)
			require.Nil(t, cart.ID, "a refused item changes nothing")
		})
	}

	t.Run("ErrSumBeyondMaximum", func(t *testing.T) {
		owner := store.CartOwner{GuestID: "guest-max"}
		_, err := db.AddCartItem(ctx, owner, store.CartItemInput{ProductID: cat.Wire, Quantity: 999_999, Unit: "kg"})
		require.NoError(t, err)
		_, err = db.AddCartItem(ctx, owner, store.CartItemInput{ProductID: cat.Wire, Quantity: 2, Unit: "kg"})
		require.Equal(t, "quantity", fieldOf(t, err))
	})

	t.Run("ErrTooManyLines", func(t *testing.T) {
		owner := store.CartOwner{GuestID: "guest-full"}
		for i := 0; i < store.MaxCartItems; i++ {
			_, err := db.AddCartItem(ctx, owner, store.CartItemInput{ProductID: cat.Pipe, Quantity: 1, Unit: "m",
				Specs: json.RawMessage(fmt.Sprintf(`{"finish":"f%d"}`, i))})
			require.NoError(t, err)
		}
		_, err := db.AddCartItem(ctx, owner, store.CartItemInput{ProductID: cat.Wire, Quantity: 1, Unit: "kg"})
		require.Equal(t, store.ECodeInvalid, store.ErrorCode(err))
	})
}

func TestCart_UpdateAndRemove(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	cat := storetest.MustCreateCatalog(t, db)
	alice, bob := store.CartOwner{GuestID: "alice"}, store.CartOwner{GuestID: "bob"}
	cart, err := db.AddCartItem(ctx, alice, store.CartItemInput{ProductID: cat.Pipe, Quantity: 6, Unit: "m"})
	require.NoError(t, err)
	itemID := cart.Items[0].ID
	_, err = db.AddCartItem(ctx, bob, store.CartItemInput{ProductID: cat.Wire, Quantity: 1, Unit: "kg"})
	require.NoError(t, err)

	t.Run("ChangeQuantityKeepsTheLine", func(t *testing.T) {
		q := 7.5
		cart, err := db.UpdateCartItem(ctx, alice, itemID, store.CartItemPatch{Quantity: &q})
		require.NoError(t, err)
		require.Equal(t, itemID, cart.Items[0].ID)
		require.Equal(t, 7.5, cart.Items[0].Quantity)
	})
	t.Run("ErrChangeUnitToPiecesWithFraction", func(t *testing.T) {
		u := "pcs"
		_, err := db.UpdateCartItem(ctx, alice, itemID, store.CartItemPatch{Unit: &u})
		require.Equal(t, "quantity", fieldOf(t, err))
	})
	t.Run("SpecsSetAndCleared", func(t *testing.T) {
		cart, err := db.UpdateCartItem(ctx, alice, itemID, store.CartItemPatch{SpecsSet: true, Specs: json.RawMessage(`{"finish":"vopsit"}`)})
		require.NoError(t, err)
		require.JSONEq(t, `{"finish":"vopsit"}`, string(cart.Items[0].Specs))
		cart, err = db.UpdateCartItem(ctx, alice, itemID, store.CartItemPatch{SpecsSet: true, Specs: json.RawMessage(`null`)})
		require.NoError(t, err)
		require.JSONEq(t, `null`, string(cart.Items[0].Specs))
	})
	t.Run("BecomingAnotherLineMergesThem", func(t *testing.T) {
		cart, err := db.AddCartItem(ctx, alice, store.CartItemInput{ProductID: cat.Pipe, Quantity: 1, Unit: "m", Specs: json.RawMessage(`{"finish":"x"}`)})
		require.NoError(t, err)
		require.Len(t, cart.Items, 2)
		cart, err = db.UpdateCartItem(ctx, alice, cart.Items[1].ID, store.CartItemPatch{SpecsSet: true, Specs: nil})
		require.NoError(t, err)
		require.Len(t, cart.Items, 1)
		require.Equal(t, 8.5, cart.Items[0].Quantity)
	})
	t.Run("ErrSomeoneElsesItem", func(t *testing.T) {
		q := 1.0
		_, err := db.UpdateCartItem(ctx, bob, itemID, store.CartItemPatch{Quantity: &q})
		require.Equal(t, store.ECodeNotFound, store.ErrorCode(err))
		_, err = db.RemoveCartItem(ctx, bob, itemID)
		require.Equal(t, store.ECodeNotFound, store.ErrorCode(err))
		_, err = db.RemoveCartItem(ctx, bob, "not-a-uuid")
		require.Equal(t, store.ECodeNotFound, store.ErrorCode(err))
	})
	t.Run("Remove", func(t *testing.T) {
		cart, err := db.RemoveCartItem(ctx, alice, itemID)
		require.NoError(t, err)
		require.Empty(t, cart.Items)
		require.Zero(t, cart.EstimatedTotal)
	})
	t.Run("Clear", func(t *testing.T) {
		require.NoError(t, db.ClearCart(ctx, bob))
		cart, err := db.Cart(ctx, bob)
		require.NoError(t, err)
		require.Nil(t, cart.ID)
	})
	t.Run("WithdrawnProductStaysVisibleWithoutPrice", func(t *testing.T) {
		_, err := db.AddCartItem(ctx, alice, store.CartItemInput{ProductID: cat.Sheet, Quantity: 2, Unit: "pcs"})
		require.NoError(t, err)
		_, err = db.WriteDB().Exec(`UPDATE products SET is_active = 0 WHERE id = ?`, cat.Sheet)
		require.NoError(t, err)
		t.Cleanup(func() { _, _ = db.WriteDB().Exec(`UPDATE products SET is_active = 1 WHERE id = ?`, cat.Sheet) })
		cart, err := db.Cart(ctx, alice)
		require.NoError(t, err)
		last := cart.Items[len(cart.Items)-1]
		require.False(t, last.Available)
		require.Nil(t, last.UnitPrice)
		require.Nil(t, last.LineTotal)
	})
}

func TestCart_MergeGuestCart(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	cat := storetest.MustCreateCatalog(t, db)
	userID := storetest.MustCreateUser(t, db, "merge@example.ro")
	user := store.CartOwner{UserID: userID}
	guest := store.CartOwner{GuestID: "g-merge"}

	_, err := db.AddCartItem(ctx, user, store.CartItemInput{ProductID: cat.Pipe, Quantity: 6, Unit: "m"})
	require.NoError(t, err)
	_, err = db.AddCartItem(ctx, guest, store.CartItemInput{ProductID: cat.Pipe, Quantity: 4, Unit: "m"})
	require.NoError(t, err)
	_, err = db.AddCartItem(ctx, guest, store.CartItemInput{ProductID: cat.Sheet, Quantity: 3, Unit: "pcs"})
	require.NoError(t, err)
	_, err = db.AddCartItem(ctx, guest, store.CartItemInput{ProductID: cat.Wire, Quantity: 999_999, Unit: "kg"})
	require.NoError(t, err)
	_, err = db.AddCartItem(ctx, user, store.CartItemInput{ProductID: cat.Wire, Quantity: 10, Unit: "kg"})
	require.NoError(t, err)

	require.NoError(t, db.MergeGuestCart(ctx, "g-merge", userID))
	cart, err := db.Cart(ctx, user)
	require.NoError(t, err)
	got := map[string]float64{}
	for _, it := range cart.Items {
		got[it.Product.SKU+"/"+it.Unit] = it.Quantity
	}
	require.Equal(t, map[string]float64{
		"TR-40x40x3/m": 10, "TN-2x1000x2000/pcs": 3, "SR-6/kg": 1_000_000, // capped, not refused
	}, got)
	guestCart, err := db.Cart(ctx, guest)
	require.NoError(t, err)
	require.Nil(t, guestCart.ID, "the guest cart is gone")

	t.Run("NothingToMerge", func(t *testing.T) {
		require.NoError(t, db.MergeGuestCart(ctx, "nobody", userID))
		require.NoError(t, db.MergeGuestCart(ctx, "", userID))
	})
}

func TestCart_Expiry(t *testing.T) {
	ctx := context.Background()
	clk := testclock.New(time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC))
	db := storetest.MustOpenWith(t, store.Options{Now: clk.Now})
	cat := storetest.MustCreateCatalog(t, db)
	guest := store.CartOwner{GuestID: "g-exp"}
	cart, err := db.AddCartItem(ctx, guest, store.CartItemInput{ProductID: cat.Pipe, Quantity: 1, Unit: "m"})
	require.NoError(t, err)
	require.Equal(t, clk.Now().Add(store.GuestCartTTL), *cart.ExpiresAt)

	clk.Add(29 * 24 * time.Hour)
	_, err = db.AddCartItem(ctx, guest, store.CartItemInput{ProductID: cat.Pipe, Quantity: 1, Unit: "m"})
	require.NoError(t, err, "a change extends the cart's life")
	clk.Add(29 * 24 * time.Hour)
	cart, err = db.Cart(ctx, guest)
	require.NoError(t, err)
	require.Len(t, cart.Items, 1)

	clk.Add(2 * 24 * time.Hour)
	cart, err = db.Cart(ctx, guest)
	require.NoError(t, err)
	require.Nil(t, cart.ID, "an expired cart reads as empty")
	require.Equal(t, int64(1), mustSweep(t, db)["expired carts"])
	var rows int
	require.NoError(t, db.ReadDB().QueryRow(`SELECT COUNT(*) FROM cart_items`).Scan(&rows))
	require.Zero(t, rows, "lines go with their cart")
}
