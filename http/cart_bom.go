package apphttp

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/metalpro/backend/store"
)

// maxBOMCartBody bounds POST /api/cart/bom: 200 rows (the cart's size) with specs of up
// to 2 KB each.
const maxBOMCartBody = 512 << 10

// bomCartRequest is POST /api/cart/bom: the rows of a mapped BOM the buyer keeps, each
// with the product they accepted or picked among the alternatives. A skipped row is
// simply not sent. As on POST /api/cart/items there is no price field.
type bomCartRequest struct {
	Rows []bomCartRow `json:"rows"`
}

type bomCartRow struct {
	Line      int             `json:"line"`
	ProductID string          `json:"productId"`
	Quantity  json.RawMessage `json:"quantity"`
	Unit      string          `json:"unit"`
	Specs     json.RawMessage `json:"specs"`
}

// handleAddBOMToCart turns a BOM's chosen rows into cart lines in one transaction: all
// or nothing, every refused row named in details ("rows[3].unit").
func (s *Server) handleAddBOMToCart(w http.ResponseWriter, r *http.Request) {
	var req bomCartRequest
	if err := s.readJSONMax(w, r, &req, maxBOMCartBody); err != nil {
		s.writeError(w, r, err)
		return
	}
	lines := make([]store.BOMCartLine, len(req.Rows))
	v := &store.Validator{}
	for i, row := range req.Rows {
		qty, err := parseQuantity(row.Quantity)
		var e *store.Error
		if errors.As(err, &e) {
			for _, f := range e.Fields { // "quantity" becomes "rows[i].quantity"
				v.Add(fmt.Sprintf("rows[%d].%s", i, f.Field), f.Message.RO, f.Message.EN)
			}
		}
		lines[i] = store.BOMCartLine{Line: row.Line, CartItemInput: store.CartItemInput{
			ProductID: row.ProductID, Quantity: qty, Unit: row.Unit, Specs: row.Specs}}
	}
	if err := v.Err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	owner, done, err := s.cartOwnerForWrite(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	cart, err := s.db.AddBOMToCart(r.Context(), owner, lines)
	done(err == nil)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writePrivateJSON(w, http.StatusCreated, cart)
}
