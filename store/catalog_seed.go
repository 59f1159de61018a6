package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/metalpro/backend/catalog"
	"github.com/metalpro/backend/catalog/search"
)

// catalogNS makes seeded ids deterministic: the same SKU gets the same id in every
// database, so links and carts survive a re-seed or a fresh install.
var catalogNS = uuid.MustParse("6f0c2c64-5d8e-4b5a-9a43-3f1e7c1d2b90")

// CatalogSeedID returns the id the seed gives a category slug or product SKU.
func CatalogSeedID(kind, key string) string {
	return uuid.NewSHA1(catalogNS, []byte(kind+":"+key)).String()
}

// SeedResult says what SeedCatalog did.
type SeedResult struct {
	Seeded     bool // false when the catalog already had products and force was off
	Categories int
	Products   int
}

// SeedCatalog loads the catalog of package catalog. With force it upserts every category
// and product (the `seed` command: running it twice leaves the same data); without, it
// does so only when there are no products yet (first start). Products keep their id
// across re-seeds; the search index is rebuilt for every seeded product.
func (db *DB) SeedCatalog(ctx context.Context, force bool) (SeedResult, error) {
	var res SeedResult
	err := db.Write(ctx, func(tx *Tx) error {
		if !force {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM products`).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
		}
		res.Seeded = true
		now := FormatTime(tx.Now)
		catIDs := map[string]string{}
		for _, c := range catalog.Categories() {
			id := CatalogSeedID("category", c.Slug)
			if err := tx.QueryRowContext(ctx, `
				INSERT INTO categories(id, slug, name, name_en, description, icon, sort_order, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT(slug) DO UPDATE SET name = excluded.name, name_en = excluded.name_en,
					description = excluded.description, icon = excluded.icon,
					sort_order = excluded.sort_order, updated_at = excluded.updated_at
				RETURNING id`,
				id, c.Slug, c.Name, c.NameEn, c.Description, c.Icon, c.SortOrder, now, now).Scan(&id); err != nil {
				return fmt.Errorf("seed category %s: %w", c.Slug, err)
			}
			catIDs[c.Slug] = id
			res.Categories++
		}
		insProduct, err := tx.PrepareContext(ctx, `
			INSERT INTO products(id, category_id, sku, title, grade, standard, dimensions, availability,
				base_unit, price_per_unit, weight, length_m, metadata, is_active, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
			ON CONFLICT(sku) DO UPDATE SET category_id = excluded.category_id, title = excluded.title,
				grade = excluded.grade, standard = excluded.standard, dimensions = excluded.dimensions,
				availability = excluded.availability, base_unit = excluded.base_unit,
				price_per_unit = excluded.price_per_unit, weight = excluded.weight,
				length_m = excluded.length_m, metadata = excluded.metadata, is_active = 1,
				updated_at = excluded.updated_at
			RETURNING id`)
		if err != nil {
			return err
		}
		defer insProduct.Close()
		insSearch, err := prepareSearchUpsert(ctx, tx)
		if err != nil {
			return err
		}
		defer insSearch.Close()
		for i, p := range catalog.Products() {
			meta, err := json.Marshal(p.Metadata)
			if err != nil {
				return err
			}
			var length any
			if p.LengthM > 0 {
				length = p.LengthM
			}
			id := CatalogSeedID("product", p.SKU)
			if err := insProduct.QueryRowContext(ctx, id, catIDs[p.CategorySlug], p.SKU, p.Title, p.Grade, p.Standard,
				p.Dimensions, p.Availability, p.BaseUnit, p.PricePerUnit, p.Weight, length, string(meta), now, now).Scan(&id); err != nil {
				return fmt.Errorf("seed product %s: %w", p.SKU, err)
			}
			if err := upsertSearch(ctx, insSearch, id, p, i); err != nil {
				return fmt.Errorf("index product %s: %w", p.SKU, err)
			}
			res.Products++
		}
		// Fresh statistics let the planner drive list pages from the sort indexes.
		if _, err := tx.ExecContext(ctx, `ANALYZE`); err != nil {
			return err
		}
		tx.AfterCommit(db.catalogChanged)
		return nil
	})
	return res, err
}

func prepareSearchUpsert(ctx context.Context, tx *Tx) (*sql.Stmt, error) {
	return tx.PrepareContext(ctx, `
		INSERT INTO product_search(product_id, family, d1, d2, d3, thickness, grade_key, popularity, seq,
			title_sort, title_tokens, keyword_tokens)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(product_id) DO UPDATE SET family = excluded.family, d1 = excluded.d1,
			d2 = excluded.d2, d3 = excluded.d3, thickness = excluded.thickness, grade_key = excluded.grade_key,
			popularity = excluded.popularity, seq = excluded.seq, title_sort = excluded.title_sort,
			title_tokens = excluded.title_tokens, keyword_tokens = excluded.keyword_tokens`)
}

func upsertSearch(ctx context.Context, stmt *sql.Stmt, productID string, p catalog.Product, seq int) error {
	doc := search.Document(p)
	dims := make([]any, 3)
	for i := range dims {
		if i < len(p.Dims) {
			dims[i] = p.Dims[i]
		}
	}
	var thick any
	if p.Thickness > 0 {
		thick = p.Thickness
	}
	_, err := stmt.ExecContext(ctx, productID, p.Family, dims[0], dims[1], dims[2], thick, search.GradeKey(p.Grade), p.Popularity, seq,
		doc.Sort, doc.Title, doc.Keywords)
	return err
}

// IndexProduct (re)builds the search entry of one product from its stored row, inside
// the caller's write transaction (use WriteCatalog so the catalog hooks run). A
// product inserted or renamed without it is still found by the words of its title and
// SKU (a trigger indexes them raw); IndexProduct adds the full normalisation: joined
// dimension chains, synonyms, grade aliases. New products it indexes sort after the seeded
// ones; a seeded product indexed again keeps its place.
func IndexProduct(ctx context.Context, tx *Tx, productID string) error {
	stmt, err := prepareSearchUpsert(ctx, tx)
	if err != nil {
		return err
	}
	defer stmt.Close()
	return indexProduct(ctx, tx, stmt, productID)
}

// indexProduct is IndexProduct with the upsert already prepared (imports index thousands).
func indexProduct(ctx context.Context, tx *Tx, stmt *sql.Stmt, productID string) error {
	var p catalog.Product
	var grade, standard, dims sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT sku, title, grade, standard, dimensions FROM products WHERE id = ?`, productID).
		Scan(&p.SKU, &p.Title, &grade, &standard, &dims)
	if err == sql.ErrNoRows {
		return errProductNotFound
	} else if err != nil {
		return err
	}
	p.Grade, p.Standard, p.Dimensions = grade.String, standard.String, dims.String
	q := search.ParseQuery(p.Title + " " + p.Dimensions)
	p.Dims, p.Thickness, p.Family = q.Dims, q.Thickness, q.Family
	if len(q.Format) == 2 {
		p.Format = strconv.FormatFloat(q.Format[0], 'f', -1, 64) + "x" + strconv.FormatFloat(q.Format[1], 'f', -1, 64)
	}
	p.Keywords = strings.Fields(p.Dimensions)
	// A product indexed again (renamed, re-graded) keeps its place in the default order and
	// its popularity; a new one sorts after the seeded catalog.
	seq := 1 << 30
	err = tx.QueryRowContext(ctx, `SELECT seq, popularity FROM product_search WHERE product_id = ? AND seq < ?`, productID, 1000000000).
		Scan(&seq, &p.Popularity)
	if err != nil && err != sql.ErrNoRows {
		return err
	}
	return upsertSearch(ctx, stmt, productID, p, seq)
}
