package apphttp_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/store"
)

// A disabled staff account is out at once: its open session stops working, its refresh
// token is refused, and signing in again gets the same answer as a wrong password.
func TestStaff_DisabledAccountIsOut(t *testing.T) {
	api := MustStartAPI(t, nil, apphttp.Deps{})
	ctx := context.Background()
	_, err := api.DB.CreateStaff(ctx, store.Signup{Email: "ana@metalpro.ro", Password: testPassword, Name: "Ana Pop", Role: store.RoleOperator})
	require.NoError(t, err)
	s := api.MustLogin("ana@metalpro.ro", testPassword)
	require.Equal(t, http.StatusOK, api.Do(http.MethodGet, "/api/users/me", nil, s.Access).StatusCode)
	wrong := api.Do(http.MethodPost, "/api/auth/login", map[string]any{"email": "ana@metalpro.ro", "password": "alta-parola-2026"}, "")
	require.Equal(t, http.StatusUnauthorized, wrong.StatusCode)

	ended, err := api.DB.DisableUser(store.WithActor(ctx, store.Actor{Label: "cli"}), "ana@metalpro.ro")
	require.NoError(t, err)
	require.Equal(t, 1, ended)

	require.Equal(t, http.StatusUnauthorized, api.Do(http.MethodGet, "/api/users/me", nil, s.Access).StatusCode)
	r := api.Do(http.MethodPost, "/api/auth/refresh", map[string]any{"refreshToken": s.Refresh}, "")
	require.Equal(t, http.StatusUnauthorized, r.StatusCode)
	r = api.Do(http.MethodPost, "/api/auth/login", map[string]any{"email": "ana@metalpro.ro", "password": testPassword}, "")
	require.Equal(t, http.StatusUnauthorized, r.StatusCode)
	require.Equal(t, wrong.Err(t), r.Err(t), "the right password of a disabled account looks like a wrong one")

	entries, _, err := api.DB.FindAudit(ctx, store.AuditFilter{Entity: "user"})
	require.NoError(t, err)
	require.Len(t, entries, 1)
	require.Equal(t, "user.disable", entries[0].Action)
	require.Equal(t, "cli", entries[0].Actor.Label)
}

// Staff sessions end after STAFF_SESSION_IDLE_TIMEOUT unused; a customer's idle at the same
// time keeps going until SESSION_IDLE_TIMEOUT.
func TestStaff_ShorterIdleTimeout(t *testing.T) {
	api := MustStartAPI(t, nil, apphttp.Deps{})
	_, err := api.DB.CreateStaff(context.Background(), store.Signup{Email: "ana@metalpro.ro", Password: testPassword, Name: "Ana Pop", Role: store.RoleAdmin})
	require.NoError(t, err)
	staff := api.MustLogin("ana@metalpro.ro", testPassword)
	customer := api.MustSignup("client@firma.ro")
	me := func(token string) int { return api.Do(http.MethodGet, "/api/users/me", nil, token).StatusCode }

	api.Clock.Advance(apphttp.DefaultStaffSessionIdleTimeout - time.Minute)
	require.Equal(t, http.StatusOK, me(staff.Access), "used within the limit")
	api.Clock.Advance(apphttp.DefaultStaffSessionIdleTimeout + time.Second)
	require.Equal(t, http.StatusUnauthorized, me(staff.Access), "idle past the staff limit")
	r := api.Do(http.MethodPost, "/api/auth/refresh", map[string]any{"refreshToken": staff.Refresh}, "")
	require.Equal(t, http.StatusUnauthorized, r.StatusCode)
	require.Equal(t, http.StatusOK, me(customer.Access), "a customer idle as long is still signed in")
}
