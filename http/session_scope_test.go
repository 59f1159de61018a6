package apphttp_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
)

// TestCatalogReads_NeverLoadTheGuestSession: a guest with a cart browses the catalog. Those
// answers are the same for everyone, so they must not read the guest's session row: with
// the sessions table gone, the catalog still answers (and sends no Set-Cookie a shared cache
// could hand to others), while the cart, which needs the session, fails.
func TestCatalogReads_NeverLoadTheGuestSession(t *testing.T) {
	s := MustStartShop(t, nil)
	v := s.NewVisitor(t)
	v.MustAdd(s.cat.Pipe, 6, "m")
	sku := "TR-40x40x3"

	require.NoError(t, s.DB.Write(context.Background(), func(tx *store.Tx) error {
		_, err := tx.ExecContext(context.Background(), `ALTER TABLE sessions RENAME TO sessions_elsewhere`)
		return err
	}))
	for _, path := range []string{"/api/products?limit=5", "/api/products/" + sku, "/api/categories", "/api/openapi.json"} {
		r := v.Do(http.MethodGet, path, nil)
		require.Equal(t, http.StatusOK, r.StatusCode, "%s: %s", path, r.Body)
		require.Empty(t, r.Header.Values("Set-Cookie"), path)
		require.Contains(t, r.Header.Values("Vary"), "Cookie", path)
	}
	r := v.Do(http.MethodGet, "/api/cart", nil)
	require.GreaterOrEqual(t, r.StatusCode, 500, "the cart reads the session, which is gone: %s", r.Body)
}
