package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

func bomLine(line int, productID string, qty float64, unit string) store.BOMCartLine {
	return store.BOMCartLine{Line: line, CartItemInput: store.CartItemInput{ProductID: productID, Quantity: qty, Unit: unit}}
}

func TestAddBOMToCart(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	cat := storetest.MustCreateCatalog(t, db)
	guest := store.CartOwner{GuestID: "guest-bom"}

	t.Run("AllLinesPricedFromTheCatalog", func(t *testing.T) {
		cart, err := db.AddBOMToCart(ctx, guest, []store.BOMCartLine{
			bomLine(4, cat.Pipe, 12, "m"),
			bomLine(5, cat.Sheet, 3, "pcs"),
			bomLine(6, cat.Wire, 85, "kg"),
			{Line: 7, CartItemInput: store.CartItemInput{ProductID: cat.Pipe, Quantity: 30, Unit: "m", Specs: json.RawMessage(`{"lengthM":3,"cutToLength":true}`)}},
			bomLine(8, cat.Pipe, 6, "m"), // the same line as row 4: adds up
		})
		require.NoError(t, err)
		require.Len(t, cart.Items, 4)
		require.Equal(t, 18.0, cart.Items[0].Quantity)
		require.Equal(t, 51.0, *cart.Items[0].UnitPrice)
		require.Equal(t, 18*51+3*175.84+85*7.2+30*51, cart.EstimatedTotal)
	})

	t.Run("OneBadRowAddsNothing", func(t *testing.T) {
		before, err := db.Cart(ctx, guest)
		require.NoError(t, err)
		_, err = db.AddBOMToCart(ctx, guest, []store.BOMCartLine{
			bomLine(10, cat.Pipe, 1, "m"),
			bomLine(11, cat.Sheet, 2, "m"), // a sheet has no length
			bomLine(12, cat.Inactive, 1, "m"),
			bomLine(13, cat.Pipe, 1.5, "pcs"),
		})
		var e *store.Error
		require.ErrorAs(t, err, &e)
		require.Equal(t, store.ECodeInvalid, e.Code)
		fields := map[string]string{}
		for _, f := range e.Fields {
			fields[f.Field] = f.Message.RO
		}
		require.Contains(t, fields, "rows[1].unit")
		require.Contains(t, fields, "rows[2].productId")
		require.Contains(t, fields, "rows[3].quantity")
		require.NotContains(t, fields, "rows[0].productId")
		require.Contains(t, fields["rows[1].unit"], "Linia 11:")
		after, err := db.Cart(ctx, guest)
		require.NoError(t, err)
		require.Equal(t, before.EstimatedTotal, after.EstimatedTotal)
		require.Len(t, after.Items, len(before.Items))
	})

	t.Run("RowCount", func(t *testing.T) {
		_, err := db.AddBOMToCart(ctx, guest, nil)
		require.Equal(t, "rows", fieldOf(t, err))
		rows := make([]store.BOMCartLine, store.MaxCartItems+1)
		for i := range rows {
			rows[i] = bomLine(i+1, cat.Pipe, 1, "m")
		}
		_, err = db.AddBOMToCart(ctx, guest, rows)
		require.Equal(t, "rows", fieldOf(t, err))
	})
}

// The cart's 200 lines hold for a BOM too: a BOM that would overfill the cart is refused
// whole, naming the first row that does not fit.
func TestAddBOMToCart_CartQuota(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	user := store.CartOwner{UserID: storetest.MustCreateUser(t, db, "bom-quota@example.ro")}
	var ids []string
	for i := 0; i < store.MaxCartItems+2; i++ {
		ids = append(ids, storetest.MustCreateProduct(t, db, storetest.Product{
			SKU: fmt.Sprintf("PL-%dx5", 10+i), Title: fmt.Sprintf("Platbandă %dx5", 10+i), BaseUnit: "m", Price: 10, Weight: 1, LengthM: 6}))
	}
	var first []store.BOMCartLine
	for i := 0; i < store.MaxCartItems-1; i++ {
		first = append(first, bomLine(i+1, ids[i], 1, "m"))
	}
	cart, err := db.AddBOMToCart(ctx, user, first)
	require.NoError(t, err)
	require.Len(t, cart.Items, store.MaxCartItems-1)

	_, err = db.AddBOMToCart(ctx, user, []store.BOMCartLine{
		bomLine(1, ids[0], 1, "m"), // adds up on an existing line: fits
		bomLine(2, ids[store.MaxCartItems-1], 1, "m"),
		bomLine(3, ids[store.MaxCartItems], 1, "m"), // the 201st line
	})
	var e *store.Error
	require.ErrorAs(t, err, &e)
	require.Len(t, e.Fields, 1)
	require.Equal(t, "rows[2]", e.Fields[0].Field)
	require.Contains(t, e.Fields[0].Message.RO, "cel mult 200")
	cart, err = db.Cart(ctx, user)
	require.NoError(t, err)
	require.Len(t, cart.Items, store.MaxCartItems-1)
	require.Equal(t, 1.0, cart.Items[0].Quantity, "nothing of the refused BOM was added")
}
