package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
)

// Metal prices move every week: the back office changes the prices of a whole category,
// grade or standard at once, by a percentage or by an amount per base unit.

// PriceChange selects products (every filter given must match; at least one is) and says
// how their prices move: Percent (+5 raises by 5 %) or Amount (RON per base unit, negative
// lowers), exactly one. Inactive products move too, so one brought back has today's price.
type PriceChange struct {
	Category string   `json:"category"`
	Grade    string   `json:"grade"`
	Standard string   `json:"standard"`
	Percent  *float64 `json:"percent"`
	Amount   *float64 `json:"amount"`
	DryRun   bool     `json:"dryRun"`
	// Expect is the fingerprint of the preview the person saw (PriceChangeResult.Fingerprint):
	// when set, the change applies only if it would change exactly those products from
	// exactly those prices, else it is refused as a conflict. The back office sets it; the
	// API does not take it.
	Expect string `json:"-"`
}

// PriceChangeLine is one product's price before and after.
type PriceChangeLine struct {
	ID       string  `json:"id"`
	SKU      string  `json:"sku"`
	Title    string  `json:"title"`
	BaseUnit string  `json:"baseUnit"`
	IsActive bool    `json:"isActive"`
	OldPrice float64 `json:"oldPrice"`
	NewPrice float64 `json:"newPrice"`
}

// PriceChangeResult lists the changes made, or that would be made in a dry run.
type PriceChangeResult struct {
	DryRun  bool              `json:"dryRun"`
	Count   int               `json:"count"`
	Changes []PriceChangeLine `json:"changes"`
	// Fingerprint names this exact plan: the products and their old and new prices.
	Fingerprint string `json:"-"`
}

func (c *PriceChange) check(ctx context.Context, tx *Tx) error {
	var v Validator
	c.Category = v.Text("category", c.Category, 0, 60, "Categorie prea lungă.", "Category too long.")
	c.Grade = v.Text("grade", c.Grade, 0, 60, "Marcă prea lungă.", "Grade too long.")
	c.Standard = v.Text("standard", c.Standard, 0, 60, "Standard prea lung.", "Standard too long.")
	if c.Category == "" && c.Grade == "" && c.Standard == "" && !v.HasErrors() {
		v.Add("category", "Alege categoria, marca sau standardul produselor de schimbat.", "Choose the category, grade or standard of the products to change.")
	}
	if c.Category != "" && !v.has("category") {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM categories WHERE slug = ?`, c.Category).Scan(&n); err != nil {
			return err
		}
		v.Check(n > 0, "category", "Categoria nu există.", "The category does not exist.")
	}
	switch {
	case (c.Percent == nil) == (c.Amount == nil):
		v.Add("percent", "Dă fie un procent, fie o sumă pe unitate, nu amândouă.", "Give either a percentage or an amount per unit, not both.")
	case c.Percent != nil && (math.IsNaN(*c.Percent) || *c.Percent == 0 || *c.Percent < -90 || *c.Percent > 500 || !hasDecimals(*c.Percent, 2)):
		v.Add("percent", "Procentul trebuie să fie între -90 și 500, diferit de zero, cu cel mult 2 zecimale.", "The percentage must be between -90 and 500, not zero, with at most 2 decimals.")
	case c.Amount != nil && (math.IsNaN(*c.Amount) || *c.Amount == 0 || math.Abs(*c.Amount) > maxProductPrice || !hasDecimals(*c.Amount, 2)):
		v.Add("amount", "Suma trebuie să fie diferită de zero, cel mult 1.000.000 lei, cu cel mult 2 zecimale.", "The amount must be non-zero, at most 1,000,000 RON, with at most 2 decimals.")
	}
	return v.Err()
}

// newPriceBani applies the change to a price in bani, rounded to the ban.
func (c *PriceChange) newPriceBani(old int64) int64 {
	if c.Percent != nil {
		return int64(math.Round(float64(old) * (100 + *c.Percent) / 100))
	}
	return old + int64(math.Round(*c.Amount*100))
}

// ChangePrices lists (DryRun) or applies the change in one transaction, with one audit row
// for the whole operation (action catalog.prices) listing every product's old and new
// price. A change that would bring any price to zero or below, or above the limit, is
// refused whole.
func (db *DB) ChangePrices(ctx context.Context, c PriceChange) (PriceChangeResult, error) {
	res := PriceChangeResult{DryRun: c.DryRun, Changes: []PriceChangeLine{}}
	plan := func(tx *Tx) error {
		if err := c.check(ctx, tx); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT p.id, p.sku, p.title, p.base_unit, p.is_active, p.price_per_unit
			FROM products p JOIN categories c ON c.id = p.category_id
			WHERE (? = '' OR c.slug = ?) AND (? = '' OR p.grade = ?) AND (? = '' OR p.standard = ?)
			ORDER BY c.sort_order, p.sku`, c.Category, c.Category, c.Grade, c.Grade, c.Standard, c.Standard)
		if err != nil {
			return err
		}
		defer rows.Close()
		var refused []string
		for rows.Next() {
			var l PriceChangeLine
			if err := rows.Scan(&l.ID, &l.SKU, &l.Title, &l.BaseUnit, &l.IsActive, &l.OldPrice); err != nil {
				return err
			}
			nb := c.newPriceBani(int64(math.Round(l.OldPrice * 100)))
			l.NewPrice = Lei(nb)
			if nb <= 0 || l.NewPrice > maxProductPrice {
				refused = append(refused, l.SKU)
			}
			res.Changes = append(res.Changes, l)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		res.Count = len(res.Changes)
		res.Fingerprint = fingerprintPrices(res.Changes)
		if len(refused) > 0 {
			field := "amount"
			if c.Percent != nil {
				field = "percent"
			}
			var v Validator
			n := strconv.Itoa(len(refused))
			v.Add(field, "Schimbarea ar duce prețul a "+n+" produse la zero, sub zero sau peste limită (de exemplu "+refused[0]+").",
				"The change would take the price of "+n+" products to zero, below zero or over the limit (such as "+refused[0]+").")
			return v.Err()
		}
		if c.Expect != "" && c.Expect != res.Fingerprint {
			return errPricesMoved
		}
		return nil
	}
	if c.DryRun {
		return res, db.Read(ctx, plan)
	}
	err := db.WriteCatalog(ctx, func(tx *Tx) error {
		if err := plan(tx); err != nil || res.Count == 0 {
			return err
		}
		// pricePerKg in the specs follows the price (RON/kg = price per unit / kg per unit).
		stmt, err := tx.PrepareContext(ctx, `UPDATE products SET price_per_unit = ?1, updated_at = ?2,
			metadata = CASE WHEN weight > 0 AND json_valid(metadata) AND json_type(metadata, '$.pricePerKg') IS NOT NULL
				THEN json_set(metadata, '$.pricePerKg', round(?1 / weight, 2)) ELSE metadata END
			WHERE id = ?3`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		now := FormatTime(tx.Now)
		type price struct {
			ID    string  `json:"id"`
			SKU   string  `json:"sku"`
			Price float64 `json:"pricePerUnit"`
		}
		before, after := make([]price, 0, res.Count), make([]price, 0, res.Count)
		for _, l := range res.Changes {
			if _, err := stmt.ExecContext(ctx, l.NewPrice, now, l.ID); err != nil {
				return err
			}
			before = append(before, price{l.ID, l.SKU, l.OldPrice})
			after = append(after, price{l.ID, l.SKU, l.NewPrice})
		}
		change := c
		change.DryRun = false
		return Audit(ctx, tx, "catalog.prices", "catalog", NewID(),
			map[string]any{"products": before}, map[string]any{"change": change, "products": after})
	})
	return res, err
}

var errPricesMoved = Errorf(ECodeConflict,
	"Produsele sau prețurile lor s-au schimbat de la previzualizare; nu s-a aplicat nimic. Verifică din nou lista.",
	"The products or their prices changed since the preview; nothing was applied. Check the list again.")

// fingerprintPrices is a short hash of a plan's lines (ids, old and new prices, in order).
func fingerprintPrices(lines []PriceChangeLine) string {
	h := sha256.New()
	for _, l := range lines {
		fmt.Fprintf(h, "%s|%s|%s\n", l.ID, formatNumber(l.OldPrice), formatNumber(l.NewPrice))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
