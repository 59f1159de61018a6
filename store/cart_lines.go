package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// Helpers of the cart's public methods (cart.go): line validation, line arithmetic, the
// cart row, and reading a priced cart.

// validateLine checks a line against the catalog and returns the product and canonical
// specs. Every problem is reported at once, per field.
func validateLine(ctx context.Context, tx *Tx, productID string, qty float64, unit string, rawSpecs json.RawMessage) (SaleProduct, string, error) {
	v := &Validator{}
	var p *SaleProduct
	if _, err := uuid.Parse(productID); err != nil {
		v.Add("productId", "Produsul nu există sau nu mai este disponibil.", "The product does not exist or is no longer available.")
	} else {
		var err error
		if p, err = saleProduct(ctx, tx, productID); err != nil {
			return SaleProduct{}, "", err
		}
		if p == nil || !p.IsActive {
			v.Add("productId", "Produsul nu există sau nu mai este disponibil.", "The product does not exist or is no longer available.")
		}
	}
	unitOK := unit == UnitKg || unit == UnitM || unit == UnitPcs
	if !unitOK {
		v.Add("unit", "Unitatea trebuie să fie kg, m sau buc. (pcs).", "Unit must be kg, m or pcs.")
	} else if p != nil && p.IsActive {
		if _, ok := p.unitFactor(unit); !ok {
			v.Add("unit", "Produsul se vinde doar în: "+unitsRO(p.Units())+".", "This product is sold only in: "+strings.Join(p.Units(), ", ")+".")
			unitOK = false
		}
	}
	if unitOK {
		if msg := quantityProblem(qty, unit); msg.RO != "" {
			v.Add("quantity", msg.RO, msg.EN)
		}
	} else if msg := quantityProblem(qty, ""); msg.RO != "" {
		v.Add("quantity", msg.RO, msg.EN)
	}
	specs, ferr := NormalizeSpecs(rawSpecs)
	if ferr != nil {
		v.Add(ferr.Field, ferr.Message.RO, ferr.Message.EN)
	}
	if err := v.Err(); err != nil {
		return SaleProduct{}, "", err
	}
	return *p, specs, nil
}

func unitsRO(units []string) string {
	out := make([]string, len(units))
	for i, u := range units {
		out[i] = unitRO(u)
	}
	return strings.Join(out, ", ")
}

// addToLine adds qty to the line (product, unit, specs) of the cart, or inserts it. With
// capped set (merging carts) an overflowing quantity is capped and a full cart skips the
// line; otherwise both are errors the customer reads.
func addToLine(ctx context.Context, tx *Tx, cartID string, p SaleProduct, qty float64, unit, specs string, capped bool) error {
	var id string
	var have float64
	err := tx.QueryRowContext(ctx, `SELECT id, quantity FROM cart_items
		WHERE cart_id = ? AND product_id = ? AND unit = ? AND COALESCE(specs, '') = ?`,
		cartID, p.ID, unit, specs).Scan(&id, &have)
	switch {
	case err == nil:
		total := roundQty(have + qty)
		if max := MaxQuantity[unit]; total > max {
			if !capped {
				v := &Validator{}
				v.Add("quantity",
					fmt.Sprintf("Coșul are deja %s %s din acest produs; totalul ar depăși maximul de %s.", formatQty(have), unitRO(unit), formatQty(max)),
					fmt.Sprintf("The cart already holds %s %s of this product; the total would exceed the maximum of %s.", formatQty(have), unit, formatQty(max)))
				return v.Err()
			}
			total = max
		}
		_, err = tx.ExecContext(ctx, `UPDATE cart_items SET quantity = ?, updated_at = ? WHERE id = ?`,
			total, FormatTime(tx.Now), id)
		return err
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM cart_items WHERE cart_id = ?`, cartID).Scan(&n); err != nil {
		return err
	}
	if n >= MaxCartItems {
		if capped {
			return nil
		}
		return Errorf(ECodeInvalid,
			fmt.Sprintf("Coșul poate avea cel mult %d de produse.", MaxCartItems),
			fmt.Sprintf("A cart may hold at most %d lines.", MaxCartItems))
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO cart_items (id, cart_id, product_id, quantity, unit, specs, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		NewID(), cartID, p.ID, roundQty(qty), unit, nullIfEmpty(specs), FormatTime(tx.Now), FormatTime(tx.Now))
	return err
}

// ensureCart returns the id of owner's live cart, creating it (and dropping an expired one).
func ensureCart(ctx context.Context, tx *Tx, owner CartOwner) (string, error) {
	cond, arg := owner.where()
	var id, expires string
	err := tx.QueryRowContext(ctx, `SELECT id, expires_at FROM carts WHERE `+cond, arg).Scan(&id, &expires)
	switch {
	case err == nil && expires > FormatTime(tx.Now):
		return id, nil
	case err == nil: // expired but not yet swept: start afresh
		if _, err := tx.ExecContext(ctx, `DELETE FROM carts WHERE id = ?`, id); err != nil {
			return "", err
		}
	case !errors.Is(err, sql.ErrNoRows):
		return "", err
	}
	id = NewID()
	now := FormatTime(tx.Now)
	var userID, guestID any
	if owner.UserID != "" {
		userID = owner.UserID
	} else {
		guestID = owner.GuestID
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO carts (id, user_id, session_id, created_at, updated_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`, id, userID, guestID, now, now, FormatTime(tx.Now.Add(owner.ttl())))
	return id, err
}

// touchCart records a change: the cart lives on for another TTL from now.
func touchCart(ctx context.Context, tx *Tx, owner CartOwner, cartID string) error {
	_, err := tx.ExecContext(ctx, `UPDATE carts SET updated_at = ?, expires_at = ? WHERE id = ?`,
		FormatTime(tx.Now), FormatTime(tx.Now.Add(owner.ttl())), cartID)
	return err
}

func touchAndLoad(ctx context.Context, tx *Tx, owner CartOwner, cartID string) (*Cart, error) {
	if err := touchCart(ctx, tx, owner, cartID); err != nil {
		return nil, err
	}
	return findCart(ctx, tx, owner)
}

type lineRow struct {
	productID string
	quantity  float64
	unit      string
	specs     sql.NullString
}

// ownedLine finds itemID in owner's live cart; anyone else's line is not found.
func ownedLine(ctx context.Context, tx *Tx, owner CartOwner, itemID string) (string, lineRow, error) {
	var l lineRow
	if _, err := uuid.Parse(itemID); err != nil {
		return "", l, errCartItemNotFound
	}
	cond, arg := owner.where()
	var cartID string
	err := tx.QueryRowContext(ctx, `SELECT c.id, ci.product_id, ci.quantity, ci.unit, ci.specs
		FROM cart_items ci JOIN carts c ON c.id = ci.cart_id
		WHERE ci.id = ? AND c.expires_at > ? AND c.`+cond, itemID, FormatTime(tx.Now), arg).
		Scan(&cartID, &l.productID, &l.quantity, &l.unit, &l.specs)
	if errors.Is(err, sql.ErrNoRows) {
		return "", l, errCartItemNotFound
	}
	return cartID, l, err
}

// findCart loads owner's live cart with its lines priced from the catalog now.
func findCart(ctx context.Context, tx *Tx, owner CartOwner) (*Cart, error) {
	cond, arg := owner.where()
	var id, updated, expires string
	err := tx.QueryRowContext(ctx, `SELECT id, updated_at, expires_at FROM carts WHERE expires_at > ? AND `+cond,
		FormatTime(tx.Now), arg).Scan(&id, &updated, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return EmptyCart(), nil
	}
	if err != nil {
		return nil, err
	}
	cart := EmptyCart()
	cart.ID = &id
	if t, err := ParseTime(updated); err == nil {
		cart.UpdatedAt = &t
	}
	if t, err := ParseTime(expires); err == nil {
		cart.ExpiresAt = &t
	}
	lines, err := cartLines(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	var total int64
	for _, l := range lines {
		total += l.totalBani
	}
	cart.Items = lines
	cart.ItemCount = len(lines)
	cart.EstimatedTotal = Lei(total)
	return cart, nil
}

// cartLines reads a cart's lines with their products, priced.
func cartLines(ctx context.Context, tx *Tx, cartID string) ([]CartItem, error) {
	rows, err := tx.QueryContext(ctx, `SELECT ci.id, ci.quantity, ci.unit, ci.specs,
			p.id, p.sku, p.title, p.base_unit, p.price_per_unit, p.weight, p.length_m, p.availability, p.is_active
		FROM cart_items ci JOIN products p ON p.id = ci.product_id
		WHERE ci.cart_id = ? ORDER BY ci.created_at, ci.rowid`, cartID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	items := []CartItem{}
	for rows.Next() {
		var it CartItem
		var specs sql.NullString
		p := &it.product
		if err := rows.Scan(&it.ID, &it.Quantity, &it.Unit, &specs,
			&p.ID, &p.SKU, &p.Title, &p.BaseUnit, &p.PricePerUnit, &p.Weight, &p.LengthM, &p.Availability, &p.IsActive); err != nil {
			return nil, err
		}
		it.ProductID = p.ID
		it.specs = specs.String
		it.Specs = specsJSON(&it.specs)
		it.Product = CartProduct{ID: p.ID, SKU: p.SKU, Title: p.Title, BaseUnit: p.BaseUnit,
			PricePerUnit: p.PricePerUnit, Availability: p.Availability, Units: p.Units()}
		if bani, ok := p.UnitPriceBani(it.Unit); ok && p.IsActive {
			it.Available = true
			it.unitBani = bani
			it.totalBani = LineTotalBani(bani, it.Quantity)
			up, lt := Lei(it.unitBani), Lei(it.totalBani)
			it.UnitPrice, it.LineTotal = &up, &lt
		}
		items = append(items, it)
	}
	return items, rows.Err()
}

// saleProduct reads what pricing needs of one product; nil when it does not exist. (A
// small query of its own so the cart does not depend on the catalog's code.)
func saleProduct(ctx context.Context, tx *Tx, id string) (*SaleProduct, error) {
	var p SaleProduct
	err := tx.QueryRowContext(ctx, `SELECT id, sku, title, base_unit, price_per_unit, weight, length_m, availability, is_active
		FROM products WHERE id = ?`, id).
		Scan(&p.ID, &p.SKU, &p.Title, &p.BaseUnit, &p.PricePerUnit, &p.Weight, &p.LengthM, &p.Availability, &p.IsActive)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &p, nil
}
