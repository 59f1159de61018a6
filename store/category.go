package store

import "context"

// Category is a catalog section with the number of active products in it.
type Category struct {
	ID           string  `json:"id"`
	Slug         string  `json:"slug"`
	Name         string  `json:"name"`
	NameEn       *string `json:"nameEn"`
	Description  *string `json:"description"`
	Icon         *string `json:"icon"`
	SortOrder    int     `json:"sortOrder"`
	ProductCount int     `json:"productCount"`
}

// ListCategories returns every category in display order with its count of active products.
func (db *DB) ListCategories(ctx context.Context) ([]Category, error) {
	var out []Category
	err := db.Read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `
			SELECT c.id, c.slug, c.name, c.name_en, c.description, c.icon, c.sort_order,
			       (SELECT count(*) FROM products p WHERE p.category_id = c.id AND p.is_active = 1)
			FROM categories c
			ORDER BY c.sort_order, c.slug`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c Category
			if err := rows.Scan(&c.ID, &c.Slug, &c.Name, &c.NameEn, &c.Description, &c.Icon, &c.SortOrder, &c.ProductCount); err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	if out == nil {
		out = []Category{}
	}
	return out, err
}

// CategoryExists reports whether a category has this slug.
func (db *DB) CategoryExists(ctx context.Context, slug string) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM categories WHERE slug = ?`, slug).Scan(&n)
	return n > 0, err
}
