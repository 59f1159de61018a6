package apphttp_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCart_RefusedBearer: a Bearer token that is forged, expired or ended is a 401 on the
// cart and the RFQ, not a silent switch to a guest cart.
func TestCart_RefusedBearer(t *testing.T) {
	s := MustStartShop(t, nil)
	v := s.NewVisitor(t)
	v.Signup("client@firma.ro")
	v.MustAdd(s.cat.Pipe, 1, "m")

	ended := v.token
	require.Equal(t, http.StatusNoContent, v.Do(http.MethodPost, "/api/auth/logout", nil).StatusCode)
	for name, token := range map[string]string{"Forged": "nu.e.un.token", "Ended": ended} {
		t.Run(name, func(t *testing.T) {
			v.token = token
			for _, c := range []struct {
				method, path string
				body         any
			}{
				{http.MethodGet, "/api/cart", nil},
				{http.MethodPost, "/api/cart/items", `{"productId":"` + s.cat.Sheet + `","quantity":1,"unit":"pcs"}`},
				{http.MethodDelete, "/api/cart", nil},
				{http.MethodPost, "/api/rfq", rfqForm()},
			} {
				r := v.Do(c.method, c.path, c.body)
				require.Equal(t, http.StatusUnauthorized, r.StatusCode, "%s %s: %s", c.method, c.path, r.Body)
				require.Equal(t, "unauthorized", r.Err(t).Code)
			}
		})
	}
	var guestLines int
	require.NoError(t, s.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM cart_items ci JOIN carts c ON c.id = ci.cart_id
		WHERE c.user_id IS NULL`).Scan(&guestLines))
	require.Zero(t, guestLines, "nothing went into a guest cart")
}
