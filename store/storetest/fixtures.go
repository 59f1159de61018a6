package storetest

import (
	"context"
	"testing"

	"github.com/metalpro/backend/store"
)

// testCategoryID is the category every fixture product belongs to.
const testCategoryID = "11111111-1111-4111-8111-111111111111"

// Product describes a catalog row for tests.
type Product struct {
	SKU, Title, BaseUnit string
	Price                float64
	Weight, LengthM      float64 // 0 = NULL
	Inactive             bool
}

// MustCreateProduct inserts the test category (once) and a product with plain SQL, and
// returns the product id.
func MustCreateProduct(tb testing.TB, db *store.DB, p Product) string {
	tb.Helper()
	nullable := func(v float64) any {
		if v == 0 {
			return nil
		}
		return v
	}
	id := store.NewID()
	// Through WriteCatalog, so a server's catalog cache over db forgets what it kept.
	err := db.WriteCatalog(context.Background(), func(tx *store.Tx) error {
		now := store.FormatTime(tx.Now)
		if _, err := tx.Exec(`INSERT OR IGNORE INTO categories (id, slug, name, created_at, updated_at)
			VALUES (?, 'test', 'Test', ?, ?)`, testCategoryID, now, now); err != nil {
			return err
		}
		_, err := tx.Exec(`INSERT INTO products (id, category_id, sku, title, base_unit, price_per_unit,
				weight, length_m, is_active, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, testCategoryID, p.SKU, p.Title, p.BaseUnit, p.Price, nullable(p.Weight), nullable(p.LengthM),
			!p.Inactive, now, now)
		return err
	})
	if err != nil {
		tb.Fatalf("create product %s: %v", p.SKU, err)
	}
	return id
}

// Catalog is the small test catalog: one product per base unit and a withdrawn one.
type Catalog struct {
	Pipe     string // sold by m: 8.5 kg/m, 6 m bars, 51 RON/m
	Sheet    string // sold by pcs: 31.4 kg a sheet, 175.84 RON
	Wire     string // sold by kg: 7.2 RON/kg
	Inactive string
}

// MustCreateCatalog inserts the test catalog and returns its product ids.
func MustCreateCatalog(tb testing.TB, db *store.DB) Catalog {
	tb.Helper()
	return Catalog{
		Pipe:     MustCreateProduct(tb, db, Product{SKU: "TR-40x40x3", Title: "Țeavă rectangulară 40x40x3 mm S235JR", BaseUnit: "m", Price: 51, Weight: 8.5, LengthM: 6}),
		Sheet:    MustCreateProduct(tb, db, Product{SKU: "TN-2x1000x2000", Title: "Tablă neagră 2x1000x2000 mm", BaseUnit: "pcs", Price: 175.84, Weight: 31.4}),
		Wire:     MustCreateProduct(tb, db, Product{SKU: "SR-6", Title: "Sârmă neagră 6 mm", BaseUnit: "kg", Price: 7.2, Weight: 1}),
		Inactive: MustCreateProduct(tb, db, Product{SKU: "OLD-1", Title: "Produs retras", BaseUnit: "m", Price: 10, Inactive: true}),
	}
}

// MustCreateUser inserts a user with plain SQL (no password hashing: it is fast) and
// returns its id. Tests that sign in create users through the API or store.CreateUser.
func MustCreateUser(tb testing.TB, db *store.DB, email string) string {
	tb.Helper()
	id := store.NewID()
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		now := store.FormatTime(tx.Now)
		_, err := tx.Exec(`INSERT INTO users (id, email, password_hash, name, created_at, updated_at)
			VALUES (?, ?, 'x', 'Test User', ?, ?)`, id, email, now, now)
		return err
	})
	if err != nil {
		tb.Fatalf("create user %s: %v", email, err)
	}
	return id
}
