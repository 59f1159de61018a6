package store_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/catalog"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

func adminCtx(t testing.TB, db *store.DB) context.Context {
	t.Helper()
	return store.WithActor(context.Background(), store.Actor{UserID: storetest.MustCreateUser(t, db, "admin@metalpro.ro"), Label: "admin@metalpro.ro"})
}

// The back office's rules are the seed's: every seeded product passes them as it is.
func TestCheckProductFields_AcceptsTheSeed(t *testing.T) {
	slugs := map[string]bool{}
	for _, c := range catalog.Categories() {
		slugs[c.Slug] = true
	}
	for _, p := range catalog.Products() {
		meta, err := json.Marshal(p.Metadata)
		require.NoError(t, err)
		w, l := p.Weight, p.LengthM
		f := store.ProductFields{SKU: p.SKU, Title: p.Title, Category: p.CategorySlug, Grade: p.Grade, Standard: p.Standard,
			Dimensions: p.Dimensions, Availability: p.Availability, BaseUnit: p.BaseUnit, PricePerUnit: p.PricePerUnit,
			Weight: &w, LengthM: &l, IsActive: true, Metadata: meta}
		var v store.Validator
		store.CheckProductFields(&v, &f, func(s string) bool { return slugs[s] })
		require.NoError(t, v.Err(), p.SKU)
	}
}

func newPipe() store.ProductFields {
	w, l := 2.5, 6.0
	return store.ProductFields{SKU: "TR-99x33x3-S235", Title: "Țeavă rectangulară 99x33x3 mm S235JR", Category: catalog.CatRectPipes,
		Grade: "S235JR", Standard: "EN 10219", Dimensions: "99x33x3 mm", Availability: "in_stock", BaseUnit: "m",
		PricePerUnit: 21.5, Weight: &w, LengthM: &l, IsActive: true}
}

func searchSKUs(t *testing.T, db *store.DB, q string) []string {
	t.Helper()
	l, err := db.SearchProducts(context.Background(), store.ProductFilter{Query: q, Page: 1, Limit: 50})
	require.NoError(t, err)
	var out []string
	for _, p := range l.Items {
		out = append(out, p.SKU)
	}
	return out
}

func TestProductAdmin(t *testing.T) {
	db := storetest.MustOpenSeeded(t)
	ctx := adminCtx(t, db)

	created, err := db.CreateProduct(ctx, newPipe())
	require.NoError(t, err)
	require.Contains(t, searchSKUs(t, db, "teava 99x33x3"), "TR-99x33x3-S235", "a new product is found by its joined dimensions")

	t.Run("InvalidFieldsAreAllNamed", func(t *testing.T) {
		f := newPipe()
		f.SKU, f.BaseUnit, f.Weight, f.PricePerUnit, f.Category, f.Availability = "a b", "m", nil, 1.234, "nu-exista", "maybe"
		_, err := db.CreateProduct(ctx, f)
		require.ErrorContains(t, err, "sku:")
		for _, field := range []string{"weight", "pricePerUnit", "category", "availability"} {
			require.ErrorContains(t, err, "; "+field+":")
		}
	})
	t.Run("SKUIsUniqueWhateverTheCase", func(t *testing.T) {
		f := newPipe()
		f.SKU = "tr-99x33x3-s235"
		_, err := db.CreateProduct(ctx, f)
		require.Equal(t, "sku", fieldOf(t, err))
	})
	t.Run("KgProductsWeighOne", func(t *testing.T) {
		f := newPipe()
		f.SKU, f.BaseUnit, f.Weight = "SR-99", "kg", nil
		p, err := db.CreateProduct(ctx, f)
		require.NoError(t, err)
		require.Equal(t, 1.0, *p.Weight)
	})
	t.Run("UpdateKeepsWhatThePatchOmits", func(t *testing.T) {
		price := 23.1
		title := "Țeavă rectangulară 99x33x3 mm S235JR laminată"
		p, err := db.UpdateProduct(ctx, created.ID, store.ProductPatch{PricePerUnit: &price, Title: &title})
		require.NoError(t, err)
		require.Equal(t, 23.1, p.PricePerUnit)
		require.Equal(t, "EN 10219", p.Standard)
		require.Contains(t, searchSKUs(t, db, "laminata 99x33x3"), "TR-99x33x3-S235")
		entries, _, err := db.FindAudit(ctx, store.AuditFilter{Entity: "product", EntityID: created.ID, Page: 1, Limit: 10})
		require.NoError(t, err)
		require.Len(t, entries, 2)
		require.Equal(t, "product.update", entries[0].Action)
		require.Contains(t, string(entries[0].Before), `"pricePerUnit":21.5`)
		require.Contains(t, string(entries[0].After), `"pricePerUnit":23.1`)
		_, err = db.UpdateProduct(ctx, created.ID, store.ProductPatch{PricePerUnit: &price})
		require.NoError(t, err)
		entries, _, err = db.FindAudit(ctx, store.AuditFilter{Entity: "product", EntityID: created.ID, Page: 1, Limit: 10})
		require.NoError(t, err)
		require.Len(t, entries, 2, "a patch that changes nothing is not a change")
	})
	t.Run("AnInvalidUpdateChangesNothing", func(t *testing.T) {
		unit := "pcs"
		zero := 0.0
		_, err := db.UpdateProduct(ctx, created.ID, store.ProductPatch{BaseUnit: &unit, Weight: &zero})
		require.Equal(t, "weight", fieldOf(t, err))
		p, err := db.GetProduct(ctx, created.ID)
		require.NoError(t, err)
		require.Equal(t, "m", p.BaseUnit)
	})
	t.Run("ReindexingASeededProductKeepsItsPlace", func(t *testing.T) {
		first, err := db.SearchProducts(ctx, store.ProductFilter{Page: 1, Limit: 1})
		require.NoError(t, err)
		title := first.Items[0].Title + " nou"
		_, err = db.UpdateProduct(ctx, first.Items[0].ID, store.ProductPatch{Title: &title})
		require.NoError(t, err)
		again, err := db.SearchProducts(ctx, store.ProductFilter{Page: 1, Limit: 1})
		require.NoError(t, err)
		require.Equal(t, first.Items[0].ID, again.Items[0].ID)
	})
	t.Run("DeactivatedLeavesTheStorefront", func(t *testing.T) {
		require.NoError(t, db.DeactivateProduct(ctx, created.ID))
		require.NotContains(t, searchSKUs(t, db, "teava 99x33x3"), "TR-99x33x3-S235")
		_, err := db.GetProduct(ctx, created.ID)
		require.Equal(t, store.ECodeNotFound, store.ErrorCode(err))
		require.NoError(t, db.DeactivateProduct(ctx, created.ID), "twice is not an error")
		entries, _, err := db.FindAudit(ctx, store.AuditFilter{Entity: "product", EntityID: created.ID, Page: 1, Limit: 10})
		require.NoError(t, err)
		require.Len(t, entries, 3, "the second deactivation changed nothing, so it wrote nothing")
		active := true
		_, err = db.UpdateProduct(ctx, created.ID, store.ProductPatch{IsActive: &active})
		require.NoError(t, err)
		require.Contains(t, searchSKUs(t, db, "teava 99x33x3"), "TR-99x33x3-S235")
	})
	t.Run("NoActorNoChange", func(t *testing.T) {
		f := newPipe()
		f.SKU = "TR-NOBODY"
		_, err := db.CreateProduct(context.Background(), f)
		require.Error(t, err)
		_, err = db.GetProduct(ctx, "TR-NOBODY")
		require.Equal(t, store.ECodeNotFound, store.ErrorCode(err))
	})
}

func TestCategoryAdmin(t *testing.T) {
	db := storetest.MustOpenSeeded(t)
	ctx := adminCtx(t, db)
	c, err := db.CreateCategory(ctx, store.CategoryFields{Slug: "tevi-cupru", Name: "Țevi cupru", SortOrder: 170})
	require.NoError(t, err)
	_, err = db.CreateCategory(ctx, store.CategoryFields{Slug: "tevi-cupru", Name: "Altceva"})
	require.Equal(t, "slug", fieldOf(t, err))
	_, err = db.CreateCategory(ctx, store.CategoryFields{Slug: "Țevi Cupru", Name: "Altceva"})
	require.Equal(t, "slug", fieldOf(t, err))
	name := "Țevi de cupru"
	u, err := db.UpdateCategory(ctx, c.ID, store.CategoryPatch{Name: &name})
	require.NoError(t, err)
	require.Equal(t, "tevi-cupru", u.Slug)
	cats, err := db.ListCategories(ctx)
	require.NoError(t, err)
	require.Equal(t, "Țevi de cupru", cats[len(cats)-1].Name)
	_, err = db.UpdateCategory(ctx, store.NewID(), store.CategoryPatch{Name: &name})
	require.Equal(t, store.ECodeNotFound, store.ErrorCode(err))
}

// An RFQ sent before a product is withdrawn keeps its line: RFQ items are the cart's
// snapshot, not a live join on the catalog.
func TestDeactivatedProductStaysInSentRFQs(t *testing.T) {
	db := storetest.MustOpen(t)
	cat := storetest.MustCreateCatalog(t, db)
	ctx := adminCtx(t, db)
	guest := store.CartOwner{GuestID: "g-before-withdrawal"}
	_, err := db.AddCartItem(ctx, guest, store.CartItemInput{ProductID: cat.Wire, Quantity: 5, Unit: "kg"})
	require.NoError(t, err)
	sent, err := submitRFQ(ctx, db, store.RFQSubmission{Owner: guest, Input: validRFQ(), OperatorEmail: "ops@x.ro"})
	require.NoError(t, err)
	require.NoError(t, db.DeactivateProduct(ctx, cat.Wire))
	rfq, err := db.RFQForViewer(ctx, sent.RFQ.ID, store.RFQViewer{Token: sent.TrackingToken})
	require.NoError(t, err)
	require.Len(t, rfq.Items, 1)
}
