package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"
)

// Catalog management (ADMIN): every change goes through WriteCatalog, so the API's cache
// and the search index change in the same commit, and writes its audit row in that
// transaction (one row per product changed: action product.create, product.update,
// product.deactivate, product.import).

// AdminProduct is a product as the back office sees it: its editable fields (inactive ones
// too) with its id and times.
type AdminProduct struct {
	ID string `json:"id"`
	ProductFields
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// ProductPatch changes the fields it carries; nil leaves a field as it is.
type ProductPatch struct {
	SKU          *string          `json:"sku"`
	Title        *string          `json:"title"`
	Category     *string          `json:"category"`
	Grade        *string          `json:"grade"`
	Standard     *string          `json:"standard"`
	Dimensions   *string          `json:"dimensions"`
	Availability *string          `json:"availability"`
	BaseUnit     *string          `json:"baseUnit"`
	PricePerUnit *float64         `json:"pricePerUnit"`
	Weight       *float64         `json:"weight"`
	LengthM      *float64         `json:"lengthM"` // 0 clears it
	IsActive     *bool            `json:"isActive"`
	Metadata     *json.RawMessage `json:"metadata"`
}

func (p ProductPatch) apply(f *ProductFields) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&f.SKU, p.SKU)
	set(&f.Title, p.Title)
	set(&f.Category, p.Category)
	set(&f.Grade, p.Grade)
	set(&f.Standard, p.Standard)
	set(&f.Dimensions, p.Dimensions)
	set(&f.Availability, p.Availability)
	set(&f.BaseUnit, p.BaseUnit)
	if p.PricePerUnit != nil {
		f.PricePerUnit = *p.PricePerUnit
	}
	if p.Weight != nil {
		f.Weight = p.Weight
	}
	if p.LengthM != nil {
		f.LengthM = p.LengthM
	}
	if p.IsActive != nil {
		f.IsActive = *p.IsActive
	}
	if p.Metadata != nil {
		f.Metadata = *p.Metadata
	}
}

var errSKUTaken = func() error {
	var v Validator
	v.Add("sku", "Există deja un produs cu acest cod (SKU).", "A product with this SKU already exists.")
	return v.Err()
}()

// CreateProduct validates f and adds the product, indexed for search.
func (db *DB) CreateProduct(ctx context.Context, f ProductFields) (*AdminProduct, error) {
	var out *AdminProduct
	err := db.WriteCatalog(ctx, func(tx *Tx) error {
		if err := checkProduct(ctx, tx, "", &f); err != nil {
			return err
		}
		id := NewID()
		if err := saveProduct(ctx, tx, id, nil, f); err != nil {
			return err
		}
		if err := Audit(ctx, tx, "product.create", "product", id, nil, f); err != nil {
			return err
		}
		var err error
		out, err = adminProduct(ctx, tx, id)
		return err
	})
	return out, err
}

// UpdateProduct applies patch to the product (active or not) and validates the result as a
// whole: changing the base unit to m without a weight is refused like a new product would be.
// A patch that changes nothing writes nothing, audit row included.
func (db *DB) UpdateProduct(ctx context.Context, id string, patch ProductPatch) (*AdminProduct, error) {
	var out *AdminProduct
	err := db.WriteCatalog(ctx, func(tx *Tx) error {
		before, err := adminProduct(ctx, tx, id)
		if err != nil {
			return err
		}
		f := before.ProductFields
		patch.apply(&f)
		if err := checkProduct(ctx, tx, id, &f); err != nil {
			return err
		}
		if len(changedFields(before.ProductFields, f)) == 0 {
			out = before // nothing to write, nothing to audit
			return nil
		}
		if err := saveProduct(ctx, tx, id, &before.ProductFields, f); err != nil {
			return err
		}
		if err := Audit(ctx, tx, "product.update", "product", id, before.ProductFields, f); err != nil {
			return err
		}
		out, err = adminProduct(ctx, tx, id)
		return err
	})
	return out, err
}

// DeactivateProduct withdraws a product from the storefront's list, search and product
// page. Carts and RFQs keep their lines: a cart shows the line as unavailable, without a
// price, until the customer removes it (an RFQ cannot be sent with it). Deactivating an
// inactive product changes nothing and writes no audit row.
func (db *DB) DeactivateProduct(ctx context.Context, id string) error {
	return db.WriteCatalog(ctx, func(tx *Tx) error {
		before, err := adminProduct(ctx, tx, id)
		if err != nil || !before.IsActive {
			return err
		}
		after := before.ProductFields
		after.IsActive = false
		if err := saveProduct(ctx, tx, id, &before.ProductFields, after); err != nil {
			return err
		}
		return Audit(ctx, tx, "product.deactivate", "product", id, before.ProductFields, after)
	})
}

// checkProduct validates f for the product id ("" for a new one), SKU uniqueness included.
func checkProduct(ctx context.Context, tx *Tx, id string, f *ProductFields) error {
	var v Validator
	CheckProductFields(&v, f, func(slug string) bool {
		var n int
		_ = tx.QueryRowContext(ctx, `SELECT count(*) FROM categories WHERE slug = ?`, slug).Scan(&n)
		return n > 0
	})
	if err := v.Err(); err != nil {
		return err
	}
	var other string
	err := tx.QueryRowContext(ctx, `SELECT id FROM products WHERE sku = ? COLLATE NOCASE AND id <> ?`, f.SKU, id).Scan(&other)
	if err == nil {
		return errSKUTaken
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	return err
}

// productWriter writes products with statements prepared once per transaction (an import
// writes thousands).
type productWriter struct {
	insert, update, search *sql.Stmt
}

func newProductWriter(ctx context.Context, tx *Tx) (*productWriter, error) {
	w := &productWriter{}
	var err error
	if w.insert, err = tx.PrepareContext(ctx, `INSERT INTO products (sku, title, category_id, grade, standard, dimensions,
			availability, base_unit, price_per_unit, weight, length_m, metadata, is_active, updated_at, created_at, id)
		VALUES (?, ?, (SELECT id FROM categories WHERE slug = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`); err != nil {
		return nil, err
	}
	if w.update, err = tx.PrepareContext(ctx, `UPDATE products SET sku = ?, title = ?,
			category_id = (SELECT id FROM categories WHERE slug = ?), grade = ?, standard = ?, dimensions = ?,
			availability = ?, base_unit = ?, price_per_unit = ?, weight = ?, length_m = ?, metadata = ?, is_active = ?,
			updated_at = ? WHERE id = ?`); err != nil {
		w.close()
		return nil, err
	}
	if w.search, err = prepareSearchUpsert(ctx, tx); err != nil {
		w.close()
		return nil, err
	}
	return w, nil
}

func (w *productWriter) close() {
	for _, s := range []*sql.Stmt{w.insert, w.update, w.search} {
		if s != nil {
			s.Close()
		}
	}
}

// save writes f as product id: an insert when before is nil, else an update. The search
// entry is rebuilt when a searched field changed (a price change leaves it alone).
func (w *productWriter) save(ctx context.Context, tx *Tx, id string, before *ProductFields, f ProductFields) error {
	now := FormatTime(tx.Now)
	args := []any{f.SKU, f.Title, f.Category, nullIfEmpty(f.Grade), nullIfEmpty(f.Standard), nullIfEmpty(f.Dimensions),
		f.Availability, f.BaseUnit, f.PricePerUnit, f.Weight, f.LengthM, string(f.Metadata), f.IsActive, now}
	var err error
	if before == nil {
		_, err = w.insert.ExecContext(ctx, append(args, now, id)...)
	} else {
		_, err = w.update.ExecContext(ctx, append(args, id)...)
	}
	if err != nil {
		return err
	}
	if before == nil || before.SKU != f.SKU || before.Title != f.Title || before.Grade != f.Grade ||
		before.Standard != f.Standard || before.Dimensions != f.Dimensions {
		return indexProduct(ctx, tx, w.search, id)
	}
	return nil
}

// saveProduct writes one product (see productWriter.save).
func saveProduct(ctx context.Context, tx *Tx, id string, before *ProductFields, f ProductFields) error {
	w, err := newProductWriter(ctx, tx)
	if err != nil {
		return err
	}
	defer w.close()
	return w.save(ctx, tx, id, before, f)
}

const adminProductColumns = `p.id, p.sku, p.title, c.slug, coalesce(p.grade, ''), coalesce(p.standard, ''),
	coalesce(p.dimensions, ''), p.availability, p.base_unit, p.price_per_unit, p.weight, p.length_m, p.is_active,
	coalesce(p.metadata, '{}'), p.created_at, p.updated_at`

func scanAdminProduct(sc interface{ Scan(...any) error }) (*AdminProduct, error) {
	var p AdminProduct
	var meta, created, updated string
	if err := sc.Scan(&p.ID, &p.SKU, &p.Title, &p.Category, &p.Grade, &p.Standard, &p.Dimensions, &p.Availability,
		&p.BaseUnit, &p.PricePerUnit, &p.Weight, &p.LengthM, &p.IsActive, &meta, &created, &updated); err != nil {
		return nil, err
	}
	if !json.Valid([]byte(meta)) {
		meta = "{}"
	}
	p.Metadata = json.RawMessage(meta)
	p.CreatedAt, _ = ParseTime(created)
	p.UpdatedAt, _ = ParseTime(updated)
	return &p, nil
}

// adminProduct reads one product, active or not.
func adminProduct(ctx context.Context, tx *Tx, id string) (*AdminProduct, error) {
	p, err := scanAdminProduct(tx.QueryRowContext(ctx, `SELECT `+adminProductColumns+`
		FROM products p JOIN categories c ON c.id = p.category_id WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errProductNotFound
	}
	return p, err
}
