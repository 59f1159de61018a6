package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Cart lifetimes after the last change, and the size of a cart. A guest's cart lives as
// long as the seed's expiresAt suggests (30 days); a customer's account cart longer, since
// it is theirs and not tied to one browser.
const (
	GuestCartTTL = 30 * 24 * time.Hour
	UserCartTTL  = 90 * 24 * time.Hour
	MaxCartItems = 200
)

// CartOwner says whose cart: a signed-in user or a guest (the random guest id kept in the
// guest's session). Exactly one is set.
type CartOwner struct {
	UserID  string
	GuestID string
}

func (o CartOwner) ttl() time.Duration {
	if o.UserID != "" {
		return UserCartTTL
	}
	return GuestCartTTL
}

// where is the SQL condition selecting the owner's cart and its argument.
func (o CartOwner) where() (string, string) {
	if o.UserID != "" {
		return "user_id = ?", o.UserID
	}
	return "session_id = ?", o.GuestID
}

func (o CartOwner) check() error {
	if (o.UserID == "") == (o.GuestID == "") {
		return fmt.Errorf("cart owner: exactly one of user and guest id must be set")
	}
	return nil
}

// Cart is the API's cart: every price computed here from current catalog prices.
type Cart struct {
	ID             *string    `json:"id"` // null until the first item is added
	Items          []CartItem `json:"items"`
	ItemCount      int        `json:"itemCount"` // number of lines
	EstimatedTotal float64    `json:"estimatedTotal"`
	Currency       string     `json:"currency"`
	UpdatedAt      *time.Time `json:"updatedAt"`
	ExpiresAt      *time.Time `json:"expiresAt"`
}

// CartItem is one line. A line whose product was withdrawn from the catalog (or no longer
// sells in the line's unit) stays visible with available false and no price, so the
// customer sees what to remove; it does not count in the total.
type CartItem struct {
	ID        string          `json:"id"`
	ProductID string          `json:"productId"`
	Product   CartProduct     `json:"product"`
	Quantity  float64         `json:"quantity"`
	Unit      string          `json:"unit"`
	Specs     json.RawMessage `json:"specs"`
	UnitPrice *float64        `json:"unitPrice"`
	LineTotal *float64        `json:"lineTotal"`
	Available bool            `json:"available"`

	product   SaleProduct
	specs     string
	unitBani  int64
	totalBani int64
}

// CartProduct is the product summary inside a cart line.
type CartProduct struct {
	ID           string   `json:"id"`
	SKU          string   `json:"sku"`
	Title        string   `json:"title"`
	BaseUnit     string   `json:"baseUnit"`
	PricePerUnit float64  `json:"pricePerUnit"`
	Availability string   `json:"availability"`
	Units        []string `json:"units"` // the units this product can be ordered in
}

// EmptyCart is the cart of someone who never added anything.
func EmptyCart() *Cart { return &Cart{Items: []CartItem{}, Currency: "RON"} }

// CartItemInput adds a line.
type CartItemInput struct {
	ProductID string
	Quantity  float64
	Unit      string
	Specs     json.RawMessage
}

// CartItemPatch changes a line; nil fields stay. SpecsSet with a null Specs clears them.
type CartItemPatch struct {
	Quantity *float64
	Unit     *string
	Specs    json.RawMessage
	SpecsSet bool
}

var errCartItemNotFound = ErrNotFound("Produsul nu a fost găsit în coș.", "Cart item not found.")

// Cart returns owner's cart, priced now; an empty cart when there is none (or it expired).
func (db *DB) Cart(ctx context.Context, owner CartOwner) (*Cart, error) {
	if err := owner.check(); err != nil {
		return nil, err
	}
	var cart *Cart
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		cart, err = findCart(ctx, tx, owner)
		return err
	})
	return cart, err
}

// AddCartItem adds a line to owner's cart (creating the cart), or raises the quantity of
// the line with the same product, unit and specs.
func (db *DB) AddCartItem(ctx context.Context, owner CartOwner, in CartItemInput) (*Cart, error) {
	if err := owner.check(); err != nil {
		return nil, err
	}
	var cart *Cart
	err := db.Write(ctx, func(tx *Tx) error {
		p, specs, err := validateLine(ctx, tx, in.ProductID, in.Quantity, in.Unit, in.Specs)
		if err != nil {
			return err
		}
		cartID, err := ensureCart(ctx, tx, owner)
		if err != nil {
			return err
		}
		if err := addToLine(ctx, tx, cartID, p, in.Quantity, in.Unit, specs, false); err != nil {
			return err
		}
		cart, err = touchAndLoad(ctx, tx, owner, cartID)
		return err
	})
	return cart, err
}

// UpdateCartItem changes a line of owner's cart. When the change makes it identical to
// another line (same product, unit and specs), the two become one line with the summed
// quantity.
func (db *DB) UpdateCartItem(ctx context.Context, owner CartOwner, itemID string, patch CartItemPatch) (*Cart, error) {
	if err := owner.check(); err != nil {
		return nil, err
	}
	var cart *Cart
	err := db.Write(ctx, func(tx *Tx) error {
		cartID, line, err := ownedLine(ctx, tx, owner, itemID)
		if err != nil {
			return err
		}
		qty, unit, rawSpecs := line.quantity, line.unit, json.RawMessage(nil)
		if line.specs.Valid {
			rawSpecs = json.RawMessage(line.specs.String)
		}
		if patch.Quantity != nil {
			qty = *patch.Quantity
		}
		if patch.Unit != nil {
			unit = *patch.Unit
		}
		if patch.SpecsSet {
			rawSpecs = patch.Specs
		}
		p, specs, err := validateLine(ctx, tx, line.productID, qty, unit, rawSpecs)
		if err != nil {
			return err
		}
		var twin string
		err = tx.QueryRowContext(ctx, `SELECT id FROM cart_items
			WHERE cart_id = ? AND product_id = ? AND unit = ? AND COALESCE(specs, '') = ? AND id <> ?`,
			cartID, p.ID, unit, specs, itemID).Scan(&twin)
		switch {
		case err == nil: // now the same as another line: fold this one into it
			if _, err := tx.ExecContext(ctx, `DELETE FROM cart_items WHERE id = ?`, itemID); err != nil {
				return err
			}
			if err := addToLine(ctx, tx, cartID, p, qty, unit, specs, false); err != nil {
				return err
			}
		case errors.Is(err, sql.ErrNoRows):
			if _, err := tx.ExecContext(ctx, `UPDATE cart_items SET quantity = ?, unit = ?, specs = ?, updated_at = ? WHERE id = ?`,
				roundQty(qty), unit, nullIfEmpty(specs), FormatTime(tx.Now), itemID); err != nil {
				return err
			}
		default:
			return err
		}
		cart, err = touchAndLoad(ctx, tx, owner, cartID)
		return err
	})
	return cart, err
}

// RemoveCartItem deletes a line of owner's cart.
func (db *DB) RemoveCartItem(ctx context.Context, owner CartOwner, itemID string) (*Cart, error) {
	if err := owner.check(); err != nil {
		return nil, err
	}
	var cart *Cart
	err := db.Write(ctx, func(tx *Tx) error {
		cartID, _, err := ownedLine(ctx, tx, owner, itemID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM cart_items WHERE id = ?`, itemID); err != nil {
			return err
		}
		cart, err = touchAndLoad(ctx, tx, owner, cartID)
		return err
	})
	return cart, err
}

// ClearCart deletes owner's cart and its lines.
func (db *DB) ClearCart(ctx context.Context, owner CartOwner) error {
	if err := owner.check(); err != nil {
		return err
	}
	return db.Write(ctx, func(tx *Tx) error {
		cond, arg := owner.where()
		_, err := tx.ExecContext(ctx, `DELETE FROM carts WHERE `+cond, arg)
		return err
	})
}

// MergeGuestCart moves the guest's cart into the user's at login or signup: a line with
// the same product, unit and specs adds its quantity (capped at the per-line maximum rather
// than failing the login); other lines are appended while the cart has room. The guest
// cart is deleted.
func (db *DB) MergeGuestCart(ctx context.Context, guestID, userID string) error {
	if guestID == "" || userID == "" {
		return nil
	}
	return db.Write(ctx, func(tx *Tx) error {
		var guestCartID string
		err := tx.QueryRowContext(ctx, `SELECT id FROM carts WHERE session_id = ? AND expires_at > ?`,
			guestID, FormatTime(tx.Now)).Scan(&guestCartID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		lines, err := cartLines(ctx, tx, guestCartID)
		if err != nil {
			return err
		}
		if len(lines) > 0 {
			owner := CartOwner{UserID: userID}
			userCartID, err := ensureCart(ctx, tx, owner)
			if err != nil {
				return err
			}
			for _, l := range lines {
				if err := addToLine(ctx, tx, userCartID, l.product, l.Quantity, l.Unit, l.specs, true); err != nil {
					return err
				}
			}
			if err := touchCart(ctx, tx, owner, userCartID); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM carts WHERE id = ?`, guestCartID)
		return err
	})
}
