package apphttp_test

import (
	"fmt"
	"net/http"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	apphttp "github.com/metalpro/backend/http"
)

// TestGuestBudget: cookie-less POST /api/cart/items each make a session, a cart and a line
// that live 30 days; new guests have a global budget per minute and a share per IP, while
// guests who already have a cart and signed-in customers carry on.
func TestGuestBudget(t *testing.T) {
	s := MustStartShop(t, func(c *apphttp.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
		// An hour, not the default minute: a loaded machine must not see the window renew.
		c.RateLimits.NewGuests = apphttp.Limit{Max: 10, Window: time.Hour}
		c.RateLimits.NewGuestsPerIP = apphttp.DefaultNewGuestsPerIP
	})
	add := map[string]any{"productId": s.cat.Pipe, "quantity": 6, "unit": "m"}
	from := func(ip string) []string { return []string{"X-Forwarded-For", ip} }

	first := s.NewVisitor(t)
	require.Equal(t, http.StatusCreated, first.Do(http.MethodPost, "/api/cart/items", add, from("203.0.113.1")...).StatusCode)
	for i := 2; i <= 10; i++ {
		r := s.NewVisitor(t).Do(http.MethodPost, "/api/cart/items", add, from(fmt.Sprintf("203.0.113.%d", i))...)
		require.Equal(t, http.StatusCreated, r.StatusCode, "new guest %d: %s", i, r.Body)
	}

	t.Run("ErrBudgetSpent", func(t *testing.T) {
		r := s.NewVisitor(t).Do(http.MethodPost, "/api/cart/items", add, append(from("198.51.100.7"), "Accept-Language", "en")...)
		require.Equal(t, http.StatusServiceUnavailable, r.StatusCode, "%s", r.Body)
		require.Equal(t, "guest_budget", r.Err(t).Code)
		require.NotEmpty(t, r.Header.Get("Retry-After"))
		require.Contains(t, r.Err(t).Error, "sign in")
		require.Empty(t, r.Cookies(), "a refused guest gets no session")
	})
	t.Run("GuestsWithACartCarryOn", func(t *testing.T) {
		r := first.Do(http.MethodPost, "/api/cart/items", map[string]any{"productId": s.cat.Wire, "quantity": 3, "unit": "kg"}, from("203.0.113.1")...)
		require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
	})
	t.Run("CustomersCarryOn", func(t *testing.T) {
		v := s.NewVisitor(t)
		v.Signup("client@firma.ro")
		require.Equal(t, http.StatusCreated, v.Do(http.MethodPost, "/api/cart/items", add, from("198.51.100.8")...).StatusCode)
	})

	var sessions, guestCarts int
	require.NoError(t, s.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM sessions`).Scan(&sessions))
	require.NoError(t, s.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM carts WHERE user_id IS NULL`).Scan(&guestCarts))
	require.LessOrEqual(t, guestCarts, 10)
	require.LessOrEqual(t, sessions, 11, "the ten guests (and the signup's, if any)")
}

// TestGuestBudget_PerIP: one address cannot spend everyone's budget.
func TestGuestBudget_PerIP(t *testing.T) {
	s := MustStartShop(t, func(c *apphttp.Config) {
		c.RateLimits.NewGuests = apphttp.DefaultNewGuests
		c.RateLimits.NewGuestsPerIP = apphttp.Limit{Max: 3, Window: time.Hour}
	})
	add := map[string]any{"productId": s.cat.Pipe, "quantity": 6, "unit": "m"}
	for i := 1; i <= 3; i++ {
		require.Equal(t, http.StatusCreated, s.NewVisitor(t).Do(http.MethodPost, "/api/cart/items", add).StatusCode)
	}
	r := s.NewVisitor(t).Do(http.MethodPost, "/api/cart/items", add)
	require.Equal(t, http.StatusTooManyRequests, r.StatusCode, "%s", r.Body)
	require.NotEmpty(t, r.Header.Get("Retry-After"))
}
