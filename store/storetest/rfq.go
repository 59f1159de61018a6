package storetest

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"github.com/metalpro/backend/store"
)

// RFQInput is a valid RFQ form: a Romanian company with billing and delivery addresses.
func RFQInput() store.RFQInput {
	return store.RFQInput{
		CompanyName:   "Construcții Oțel SRL",
		CUI:           "RO14399840",
		ContactPerson: "Ana Popescu",
		Email:         "ana@example.ro",
		Phone:         "0722 123 456",
		BillingAddress: &store.RFQAddress{
			Street: "Str. Fabricii 12", City: "Cluj-Napoca", County: "Cluj", PostalCode: "400001",
		},
		DeliveryAddress: &store.RFQAddress{
			Street: "Șos. Industriilor 3", City: "Florești", County: "Cluj", PostalCode: "407280", Country: "România",
		},
		Incoterm: "dap",
		Notes:    "Livrare cu macara.",
	}
}

// MustSubmitRFQ submits a guest RFQ for 12 m of the test catalog's pipe and 2 sheets (the
// catalog is created when missing) and returns it. Each guest id gets its own cart, so
// call it with a new one per RFQ.
func MustSubmitRFQ(tb testing.TB, db *store.DB, guestID string, in store.RFQInput) *store.RFQ {
	tb.Helper()
	ctx := context.Background()
	pipe, sheet := productID(tb, db, "TR-40x40x3"), productID(tb, db, "TN-2x1000x2000")
	if pipe == "" {
		c := MustCreateCatalog(tb, db)
		pipe, sheet = c.Pipe, c.Sheet
	}
	owner := store.CartOwner{GuestID: guestID}
	for _, it := range []store.CartItemInput{{ProductID: pipe, Quantity: 12, Unit: "m"}, {ProductID: sheet, Quantity: 2, Unit: "pcs"}} {
		if _, err := db.AddCartItem(ctx, owner, it); err != nil {
			tb.Fatalf("add to cart: %v", err)
		}
	}
	checked, err := db.CheckRFQ(ctx, store.RFQSubmission{Owner: owner, Input: in, Lang: "ro", OperatorEmail: "sales@metalpro.ro"})
	if err != nil {
		tb.Fatalf("check rfq: %v", err)
	}
	res, err := db.SubmitRFQ(ctx, checked)
	if err != nil {
		tb.Fatalf("submit rfq: %v", err)
	}
	return res.RFQ
}

func productID(tb testing.TB, db *store.DB, sku string) string {
	var id string
	err := db.ReadDB().QueryRow(`SELECT id FROM products WHERE sku = ?`, sku).Scan(&id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		tb.Fatalf("find %s: %v", sku, err)
	}
	return id
}

// MustCreateStaff creates a staff account (role store.RoleOperator or store.RoleAdmin)
// with this password and returns it. The database should be opened with a low
// PasswordCost (see MustOpenWith), or this takes a second under the race detector.
func MustCreateStaff(tb testing.TB, db *store.DB, email, name, role, password string) *store.User {
	tb.Helper()
	u, err := db.CreateStaff(context.Background(), store.Signup{Email: email, Password: password, Name: name, Role: role})
	if err != nil {
		tb.Fatalf("create staff %s: %v", email, err)
	}
	return u
}
