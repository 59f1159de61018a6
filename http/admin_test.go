package apphttp_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
)

// The back office exists for staff only: anonymous callers are asked to sign in, customers
// see the same 404 as for a path that does not exist (also for a wrong method, which would
// otherwise be a 405 that names the path), operators get 403 on admin-only calls.
func TestAdmin_WhoMayCallTheBackOffice(t *testing.T) {
	s := MustStartShop(t, nil)
	ctx := context.Background()
	for _, staff := range []struct{ email, role string }{{"operator@metalpro.ro", store.RoleOperator}, {"admin@metalpro.ro", store.RoleAdmin}} {
		_, err := s.DB.CreateStaff(ctx, store.Signup{Email: staff.email, Password: testPassword, Name: "Staff", Role: staff.role})
		require.NoError(t, err)
	}
	anonymous := s.NewVisitor(t)
	customer := s.NewVisitor(t)
	customer.Signup("client@firma.ro")
	operator := s.NewVisitor(t)
	operator.Login("operator@metalpro.ro")
	admin := s.NewVisitor(t)
	admin.Login("admin@metalpro.ro")

	r := anonymous.Do(http.MethodGet, "/api/admin/audit", nil)
	require.Equal(t, http.StatusUnauthorized, r.StatusCode, "%s", r.Body)

	// Raw requests: an undocumented path or method is the point here.
	raw := func(method, path string) (int, string) {
		_, resp, body := sendJSON(t, customer.hc, method, s.URL+path, nil, customer.token)
		return resp.StatusCode, string(body)
	}
	unknownStatus, unknownBody := raw(http.MethodGet, "/api/admin/nothing-here")
	require.Equal(t, http.StatusNotFound, unknownStatus)
	for _, method := range []string{http.MethodGet, http.MethodPut} {
		status, body := raw(method, "/api/admin/audit")
		require.Equal(t, http.StatusNotFound, status, "%s %s", method, body)
		require.Equal(t, unknownBody, body, "a customer cannot tell the back office exists")
	}

	r = operator.Do(http.MethodGet, "/api/admin/audit", nil)
	require.Equal(t, http.StatusForbidden, r.StatusCode, "%s", r.Body)
	require.Equal(t, "forbidden", r.Err(t).Code)

	r = admin.Do(http.MethodGet, "/api/admin/audit?entity=user", nil)
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	r = admin.Do(http.MethodGet, "/api/admin/audit?limit=0", nil)
	require.Equal(t, http.StatusBadRequest, r.StatusCode, "%s", r.Body)
}

// A change made through the store with an actor shows in the audit log with that actor,
// its before and after, and the entries filter by entity.
func TestAdmin_AuditLogShowsChanges(t *testing.T) {
	s := MustStartShop(t, nil)
	ctx := context.Background()
	u, err := s.DB.CreateStaff(ctx, store.Signup{Email: "admin@metalpro.ro", Password: testPassword, Name: "Admin", Role: store.RoleAdmin})
	require.NoError(t, err)
	actx := store.WithActor(ctx, store.Actor{UserID: u.ID, Label: u.Email, RequestID: "req-1"})
	require.NoError(t, s.DB.Write(actx, func(tx *store.Tx) error {
		return store.Audit(actx, tx, "product.update", "product", "p-1", map[string]any{"pricePerUnit": 10}, map[string]any{"pricePerUnit": 11})
	}))
	admin := s.NewVisitor(t)
	admin.Login("admin@metalpro.ro")
	var list struct {
		Entries []struct {
			Actor struct {
				ID    *string
				Label string
			}
			Action, Entity, EntityID string
			Before, After            map[string]float64
			RequestID                *string
		}
	}
	r := admin.Do(http.MethodGet, "/api/admin/audit?entity=product&entityId=p-1", nil)
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	r.JSON(t, &list)
	require.Len(t, list.Entries, 1)
	e := list.Entries[0]
	require.Equal(t, "admin@metalpro.ro", e.Actor.Label)
	require.Equal(t, u.ID, *e.Actor.ID)
	require.Equal(t, "product.update", e.Action)
	require.Equal(t, 10.0, e.Before["pricePerUnit"])
	require.Equal(t, 11.0, e.After["pricePerUnit"])
	require.Equal(t, "req-1", *e.RequestID)

	r = admin.Do(http.MethodGet, "/api/admin/audit?entity=rfq", nil)
	require.Equal(t, http.StatusOK, r.StatusCode)
	r.JSON(t, &list)
	require.Empty(t, list.Entries)
}
