package apphttp

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/metalpro/backend/store"
)

// sessionGuestKey names the random guest id in the scs session. Carts and guest RFQs are
// keyed by it rather than by the session token, which changes when the token is renewed.
const sessionGuestKey = "guestId"

// guestID is the session's guest id, or "" when the visitor has none yet.
func (s *Server) guestID(r *http.Request) string {
	return s.sessions.GetString(r.Context(), sessionGuestKey)
}

func newGuestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// cartOwner is whose cart the request reads: the signed-in user's, else the guest
// session's; false for a visitor who never wrote anything (no session is made for reads).
func (s *Server) cartOwner(r *http.Request) (store.CartOwner, bool) {
	if u := userFrom(r.Context()); u != nil {
		return store.CartOwner{UserID: u.ID}, true
	}
	if g := s.guestID(r); g != "" {
		return store.CartOwner{GuestID: g}, true
	}
	return store.CartOwner{}, false
}

// cartOwnerForWrite is like cartOwner but gives a new visitor a guest id, within the
// budget of new guests (guest_budget.go). done(true) after the write succeeded puts the id
// into the session (and so sets the cookie); done(false) gives the budget back: a refused
// request leaves no session behind and costs nothing.
func (s *Server) cartOwnerForWrite(r *http.Request) (owner store.CartOwner, done func(ok bool), err error) {
	if owner, ok := s.cartOwner(r); ok {
		return owner, func(bool) {}, nil
	}
	release, err := s.admitNewGuest(r)
	if err != nil {
		return store.CartOwner{}, nil, err
	}
	g := newGuestID()
	return store.CartOwner{GuestID: g}, func(ok bool) {
		if !ok {
			release()
			return
		}
		s.sessions.Put(r.Context(), sessionGuestKey, g)
	}, nil
}

// joinNewGuestSession is the context for a write that makes a new guest's first data: the
// guest session is committed in that write's transaction rather than by the session
// middleware in a second one (one fsync per request). For a known visitor it is the
// request's context as it is.
func (s *Server) joinNewGuestSession(r *http.Request, owner store.CartOwner) context.Context {
	ctx := r.Context()
	if owner.GuestID == "" || s.guestID(r) != "" {
		return ctx
	}
	return store.JoinWrite(ctx, func(txCtx context.Context) error {
		s.sessions.Put(ctx, sessionGuestKey, owner.GuestID)
		// The middleware commits the session again before answering; the store sees
		// the same data already committed and skips that write (store/guest_session.go).
		_, _, err := s.sessions.Commit(txCtx)
		return err
	})
}

// writePrivateJSON answers with a personal document no cache may keep.
func writePrivateJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, v)
}

func (s *Server) handleGetCart(w http.ResponseWriter, r *http.Request) {
	owner, ok := s.cartOwner(r)
	if !ok {
		writePrivateJSON(w, http.StatusOK, store.EmptyCart())
		return
	}
	cart, err := s.db.Cart(r.Context(), owner)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writePrivateJSON(w, http.StatusOK, cart)
}

// addCartItemRequest is POST /api/cart/items. There is no price field: prices come from the
// catalog, and readJSON refuses unknown fields, so a client-sent price is a 400.
type addCartItemRequest struct {
	ProductID string          `json:"productId"`
	Quantity  json.RawMessage `json:"quantity"`
	Unit      string          `json:"unit"`
	Specs     json.RawMessage `json:"specs"`
}

func (s *Server) handleAddCartItem(w http.ResponseWriter, r *http.Request) {
	var req addCartItemRequest
	if err := s.readJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	qty, err := parseQuantity(req.Quantity)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	owner, done, err := s.cartOwnerForWrite(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	cart, err := s.db.AddCartItem(s.joinNewGuestSession(r, owner), owner, store.CartItemInput{
		ProductID: req.ProductID, Quantity: qty, Unit: req.Unit, Specs: req.Specs,
	})
	done(err == nil)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writePrivateJSON(w, http.StatusCreated, cart)
}

// updateCartItemRequest is PATCH /api/cart/items/{id}; absent fields stay as they are and
// "specs": null clears the specs.
type updateCartItemRequest struct {
	Quantity json.RawMessage `json:"quantity"`
	Unit     *string         `json:"unit"`
	Specs    json.RawMessage `json:"specs"`
}

// nullMeans keeps "specs": null, which clears the specs.
func (*updateCartItemRequest) nullMeans(field string) (json.RawMessage, bool) {
	return json.RawMessage("null"), field == "specs"
}

func (s *Server) handleUpdateCartItem(w http.ResponseWriter, r *http.Request) {
	var req updateCartItemRequest
	if err := s.readJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	patch := store.CartItemPatch{Unit: req.Unit, Specs: req.Specs, SpecsSet: req.Specs != nil}
	if req.Quantity != nil {
		qty, err := parseQuantity(req.Quantity)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		patch.Quantity = &qty
	}
	owner, ok := s.cartOwner(r)
	if !ok {
		s.writeError(w, r, errNoSuchCartItem)
		return
	}
	cart, err := s.db.UpdateCartItem(r.Context(), owner, mux.Vars(r)["id"], patch)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writePrivateJSON(w, http.StatusOK, cart)
}

var errNoSuchCartItem = store.ErrNotFound("Produsul nu a fost găsit în coș.", "Cart item not found.")

func (s *Server) handleRemoveCartItem(w http.ResponseWriter, r *http.Request) {
	owner, ok := s.cartOwner(r)
	if !ok {
		s.writeError(w, r, errNoSuchCartItem)
		return
	}
	cart, err := s.db.RemoveCartItem(r.Context(), owner, mux.Vars(r)["id"])
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writePrivateJSON(w, http.StatusOK, cart)
}

func (s *Server) handleClearCart(w http.ResponseWriter, r *http.Request) {
	if owner, ok := s.cartOwner(r); ok {
		if err := s.db.ClearCart(r.Context(), owner); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// parseQuantity reads the quantity as a JSON number token. It is decoded by hand so that
// a string ("5"), a boolean or 1e309 (valid JSON, beyond float64) each get a clear message
// on the quantity field; the range and decimals are the store's to check.
func parseQuantity(raw json.RawMessage) (float64, error) {
	v := &store.Validator{}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		v.Add("quantity", "Cantitatea este obligatorie.", "Quantity is required.")
		return 0, v.Err()
	}
	if c := raw[0]; c != '-' && (c < '0' || c > '9') {
		v.Add("quantity", "Cantitatea trebuie să fie un număr.", "Quantity must be a number.")
		return 0, v.Err()
	}
	q, err := strconv.ParseFloat(string(raw), 64)
	if errors.Is(err, strconv.ErrRange) {
		v.Add("quantity", "Cantitatea este prea mare.", "Quantity is too large.")
		return 0, v.Err()
	}
	if err != nil {
		v.Add("quantity", "Cantitatea trebuie să fie un număr.", "Quantity must be a number.")
		return 0, v.Err()
	}
	return q, nil
}
