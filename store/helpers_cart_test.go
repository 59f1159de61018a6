package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
)

// mustOpenCartDB opens a real database file with the project's schema; now may be nil.
func mustOpenCartDB(tb testing.TB, now func() time.Time) *store.DB {
	tb.Helper()
	schema, err := os.ReadFile(filepath.Join("..", "schema.sql"))
	require.NoError(tb, err)
	db, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "app.db"), string(schema), store.Options{Now: now})
	require.NoError(tb, err)
	tb.Cleanup(func() { db.Close() })
	return db
}

// testProduct describes a catalog row for tests.
type testProduct struct {
	SKU, Title, BaseUnit string
	Price                float64
	Weight, LengthM      float64 // 0 = NULL
	Inactive             bool
}

// MustCreateProduct inserts a category (once) and a product with plain SQL, and returns
// the product id.
func MustCreateProduct(tb testing.TB, db *store.DB, p testProduct) string {
	tb.Helper()
	ctx := context.Background()
	now := store.FormatTime(time.Now())
	_, err := db.WriteDB().ExecContext(ctx, `INSERT OR IGNORE INTO categories (id, slug, name, created_at, updated_at)
		VALUES ('11111111-1111-4111-8111-111111111111', 'test', 'Test', ?, ?)`, now, now)
	require.NoError(tb, err)
	id := store.NewID()
	nullable := func(v float64) any {
		if v == 0 {
			return nil
		}
		return v
	}
	active := 1
	if p.Inactive {
		active = 0
	}
	_, err = db.WriteDB().ExecContext(ctx, `INSERT INTO products (id, category_id, sku, title, base_unit, price_per_unit,
			weight, length_m, is_active, created_at, updated_at)
		VALUES (?, '11111111-1111-4111-8111-111111111111', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, p.SKU, p.Title, p.BaseUnit, p.Price, nullable(p.Weight), nullable(p.LengthM), active, now, now)
	require.NoError(tb, err)
	return id
}

// MustCreateUser inserts a user with plain SQL and returns its id.
func MustCreateUser(tb testing.TB, db *store.DB, email string) string {
	tb.Helper()
	id := store.NewID()
	now := store.FormatTime(time.Now())
	_, err := db.WriteDB().ExecContext(context.Background(), `INSERT INTO users (id, email, password_hash, name, created_at, updated_at)
		VALUES (?, ?, 'x', 'Test User', ?, ?)`, id, email, now, now)
	require.NoError(tb, err)
	return id
}

// catalog is a small catalog of the three kinds of product.
type catalog struct {
	Pipe     string // sold by m: 8.5 kg/m, 6 m bars, 51 RON/m
	Sheet    string // sold by pcs: 31.4 kg a sheet, 175.84 RON
	Wire     string // sold by kg: 7.2 RON/kg
	Inactive string
}

func mustCatalog(tb testing.TB, db *store.DB) catalog {
	tb.Helper()
	return catalog{
		Pipe:     MustCreateProduct(tb, db, testProduct{SKU: "TR-40x40x3", Title: "Țeavă rectangulară 40x40x3 mm S235JR", BaseUnit: "m", Price: 51, Weight: 8.5, LengthM: 6}),
		Sheet:    MustCreateProduct(tb, db, testProduct{SKU: "TN-2x1000x2000", Title: "Tablă neagră 2x1000x2000 mm", BaseUnit: "pcs", Price: 175.84, Weight: 31.4}),
		Wire:     MustCreateProduct(tb, db, testProduct{SKU: "SR-6", Title: "Sârmă neagră 6 mm", BaseUnit: "kg", Price: 7.2, Weight: 1}),
		Inactive: MustCreateProduct(tb, db, testProduct{SKU: "OLD-1", Title: "Produs retras", BaseUnit: "m", Price: 10, Inactive: true}),
	}
}

// validRFQ is a complete, valid RFQ form.
func validRFQ() store.RFQInput {
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
			Street: "Șos. Industriilor 3", City: "Florești", County: "cluj", PostalCode: "407280", Country: "România",
		},
		Incoterm: "dap",
		Notes:    "Livrare cu macara.",
	}
}
