package apphttp_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestOneCommitPerRequest follows a guest from the first cart add to reading the RFQ back
// and counts the database commits each request makes: a write request makes one (one
// fsync), a read makes none, even though the session middleware re-saves the guest
// session on every request to push its idle expiry forward.
func TestOneCommitPerRequest(t *testing.T) {
	s := MustStartShop(t, nil)
	v := s.NewVisitor(t)
	commits := func(do func() shopResponse, want int, what string) shopResponse {
		t.Helper()
		before := s.DB.WriteCommits()
		r := do()
		require.Less(t, r.StatusCode, 300, "%s: %s", what, r.Body)
		require.Equal(t, int64(want), s.DB.WriteCommits()-before, "commits made by %s", what)
		return r
	}

	r := commits(func() shopResponse {
		return v.Do(http.MethodPost, "/api/cart/items", map[string]any{"productId": s.cat.Pipe, "quantity": 6, "unit": "m"})
	}, 1, "a new guest's first cart add (session and cart in one transaction)")
	require.NotEmpty(t, r.Header.Values("Set-Cookie"), "the first add starts the guest session")
	var sessions int
	require.NoError(t, s.DB.ReadDB().QueryRow(`SELECT count(*) FROM sessions`).Scan(&sessions))
	require.Equal(t, 1, sessions, "the session is stored")

	commits(func() shopResponse { return v.Do(http.MethodGet, "/api/cart", nil) }, 0, "reading the cart")
	c := v.Cart()
	require.Len(t, c.Items, 1, "the guest keeps the cart the first add made")
	commits(func() shopResponse { return v.Do(http.MethodGet, "/api/products?limit=5", nil) }, 0, "browsing the catalog")
	commits(func() shopResponse {
		return v.Do(http.MethodPost, "/api/cart/items", map[string]any{"productId": s.cat.Sheet, "quantity": 2, "unit": "pcs"})
	}, 1, "a second cart add")
	r = commits(func() shopResponse { return v.Do(http.MethodPost, "/api/rfq", rfqForm()) }, 1, "submitting the RFQ")
	var rfq rfqJSON
	r.JSON(t, &rfq)
	commits(func() shopResponse { return v.Do(http.MethodGet, "/api/rfq/"+rfq.ID, nil) }, 0, "reading the RFQ back")
}
