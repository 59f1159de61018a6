package store

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
)

// CategoryFields are a category's editable fields (the back office's JSON, the audit log).
type CategoryFields struct {
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	NameEn      string `json:"nameEn"`
	Description string `json:"description"`
	Icon        string `json:"icon"`
	SortOrder   int    `json:"sortOrder"`
}

// CategoryPatch changes the fields it carries.
type CategoryPatch struct {
	Slug        *string `json:"slug"`
	Name        *string `json:"name"`
	NameEn      *string `json:"nameEn"`
	Description *string `json:"description"`
	Icon        *string `json:"icon"`
	SortOrder   *int    `json:"sortOrder"`
}

// AdminCategory is a category as the back office sees it.
type AdminCategory struct {
	ID string `json:"id"`
	CategoryFields
}

// slugPattern: the storefront puts slugs in URLs (tevi-rectangulare).
var slugPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

var errCategoryNotFound = ErrNotFound("Categoria nu a fost găsită.", "Category not found.")

func checkCategory(ctx context.Context, tx *Tx, id string, f *CategoryFields) error {
	var v Validator
	f.Slug = v.Text("slug", f.Slug, 2, 60, "Identificatorul (slug) trebuie să aibă între 2 și 60 de caractere.", "The slug must have 2 to 60 characters.")
	if !v.has("slug") && !slugPattern.MatchString(f.Slug) {
		v.Add("slug", "Identificatorul (slug) poate conține doar litere mici fără diacritice, cifre și cratime.", "The slug may contain only lower-case ASCII letters, digits and hyphens.")
	}
	f.Name = v.Text("name", f.Name, 2, 100, "Numele trebuie să aibă între 2 și 100 de caractere.", "The name must have 2 to 100 characters.")
	f.NameEn = v.Text("nameEn", f.NameEn, 0, 100, "Numele în engleză are cel mult 100 de caractere.", "The English name has at most 100 characters.")
	f.Icon = v.Text("icon", f.Icon, 0, 40, "Pictograma are cel mult 40 de caractere.", "The icon has at most 40 characters.")
	if n := len([]rune(f.Description)); n > 1000 {
		v.Add("description", "Descrierea are cel mult 1000 de caractere.", "The description has at most 1000 characters.")
	}
	if f.SortOrder < 0 || f.SortOrder > 1_000_000 {
		v.Add("sortOrder", "Ordinea trebuie să fie între 0 și 1.000.000.", "The sort order must be between 0 and 1,000,000.")
	}
	if err := v.Err(); err != nil {
		return err
	}
	var other string
	err := tx.QueryRowContext(ctx, `SELECT id FROM categories WHERE slug = ? AND id <> ?`, f.Slug, id).Scan(&other)
	if err == nil {
		v.Add("slug", "Există deja o categorie cu acest identificator.", "A category with this slug already exists.")
		return v.Err()
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	return err
}

// CreateCategory validates f and adds the category.
func (db *DB) CreateCategory(ctx context.Context, f CategoryFields) (*AdminCategory, error) {
	var out *AdminCategory
	err := db.WriteCatalog(ctx, func(tx *Tx) error {
		if err := checkCategory(ctx, tx, "", &f); err != nil {
			return err
		}
		id, now := NewID(), FormatTime(tx.Now)
		if _, err := tx.ExecContext(ctx, `INSERT INTO categories (id, slug, name, name_en, description, icon, sort_order,
				created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, f.Slug, f.Name, nullIfEmpty(f.NameEn), nullIfEmpty(f.Description), nullIfEmpty(f.Icon), f.SortOrder, now, now); err != nil {
			return err
		}
		out = &AdminCategory{ID: id, CategoryFields: f}
		return Audit(ctx, tx, "category.create", "category", id, nil, f)
	})
	return out, err
}

// UpdateCategory applies patch to the category. Its products follow it (they refer to its
// id), so a new slug moves them all to the new address.
func (db *DB) UpdateCategory(ctx context.Context, id string, patch CategoryPatch) (*AdminCategory, error) {
	var out *AdminCategory
	err := db.WriteCatalog(ctx, func(tx *Tx) error {
		var before CategoryFields
		err := tx.QueryRowContext(ctx, `SELECT slug, name, coalesce(name_en, ''), coalesce(description, ''),
				coalesce(icon, ''), sort_order FROM categories WHERE id = ?`, id).
			Scan(&before.Slug, &before.Name, &before.NameEn, &before.Description, &before.Icon, &before.SortOrder)
		if errors.Is(err, sql.ErrNoRows) {
			return errCategoryNotFound
		} else if err != nil {
			return err
		}
		f := before
		for dst, v := range map[*string]*string{&f.Slug: patch.Slug, &f.Name: patch.Name, &f.NameEn: patch.NameEn,
			&f.Description: patch.Description, &f.Icon: patch.Icon} {
			if v != nil {
				*dst = *v
			}
		}
		if patch.SortOrder != nil {
			f.SortOrder = *patch.SortOrder
		}
		if err := checkCategory(ctx, tx, id, &f); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE categories SET slug = ?, name = ?, name_en = ?, description = ?, icon = ?,
				sort_order = ?, updated_at = ? WHERE id = ?`,
			f.Slug, f.Name, nullIfEmpty(f.NameEn), nullIfEmpty(f.Description), nullIfEmpty(f.Icon), f.SortOrder,
			FormatTime(tx.Now), id); err != nil {
			return err
		}
		out = &AdminCategory{ID: id, CategoryFields: f}
		return Audit(ctx, tx, "category.update", "category", id, before, f)
	})
	return out, err
}
