package store

import (
	"context"
	"errors"
	"fmt"
)

// BOMCartLine is one row of a mapped bill of materials that the buyer turns into a cart
// line: the product they accepted or picked, the quantity and unit. Line is the row's
// line in the BOM file, so a refusal can say which row.
type BOMCartLine struct {
	Line int
	CartItemInput
}

// AddBOMToCart adds the lines to owner's cart in one transaction: all of them, or none
// when any is refused. Every refused line is reported at once, as the field
// "rows[i].<field>" with the BOM's line number in the message. Lines follow the cart's
// own rules (prices from the catalog, units, quantities, the 200-line cart), and lines
// with the same product, unit and specs add up, as POST /api/cart/items does.
func (db *DB) AddBOMToCart(ctx context.Context, owner CartOwner, lines []BOMCartLine) (*Cart, error) {
	if err := owner.check(); err != nil {
		return nil, err
	}
	if len(lines) == 0 || len(lines) > MaxCartItems {
		v := &Validator{}
		v.Add("rows", fmt.Sprintf("Trimiteți între 1 și %d de rânduri.", MaxCartItems),
			fmt.Sprintf("Send between 1 and %d rows.", MaxCartItems))
		return nil, v.Err()
	}
	var cart *Cart
	err := db.Write(ctx, func(tx *Tx) error {
		v := &Validator{}
		valid := make([]SaleProduct, len(lines))
		specs := make([]string, len(lines))
		for i, l := range lines {
			p, s, err := validateLine(ctx, tx, l.ProductID, l.Quantity, l.Unit, l.Specs)
			if !rowErrors(v, i, l.Line, err) {
				return err
			}
			valid[i], specs[i] = p, s
		}
		if v.HasErrors() {
			return v.Err()
		}
		cartID, err := ensureCart(ctx, tx, owner)
		if err != nil {
			return err
		}
		for i, l := range lines {
			err := addToLine(ctx, tx, cartID, valid[i], l.Quantity, l.Unit, specs[i], false)
			if !rowErrors(v, i, l.Line, err) {
				return err
			}
		}
		if v.HasErrors() {
			return v.Err() // the transaction rolls back: nothing of the BOM is added
		}
		cart, err = touchAndLoad(ctx, tx, owner, cartID)
		return err
	})
	return cart, err
}

// rowErrors files err (from validating or adding row i) under "rows[i]..." in v and
// reports whether it was such a refusal; false means err is another failure to return.
func rowErrors(v *Validator, i, line int, err error) bool {
	if err == nil {
		return true
	}
	var e *Error
	if !errors.As(err, &e) || e.Code != ECodeInvalid {
		return false
	}
	prefix := fmt.Sprintf("rows[%d]", i)
	if line <= 0 {
		line = i + 1 // no BOM line sent: the row's place in the request
	}
	ro, en := fmt.Sprintf("Linia %d: ", line), fmt.Sprintf("Line %d: ", line)
	if len(e.Fields) == 0 { // a refusal of the whole line (the cart is full)
		v.Add(prefix, ro+e.Message.RO, en+e.Message.EN)
		return true
	}
	for _, f := range e.Fields {
		v.Add(prefix+"."+f.Field, ro+f.Message.RO, en+f.Message.EN)
	}
	return true
}
