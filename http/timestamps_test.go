package apphttp_test

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// Every timestamp the API returns has one precision, milliseconds, so the value a write
// answers with is the value a later read gives (it was nanoseconds, then milliseconds).
func TestTimestamps_MillisecondsFromWriteToRead(t *testing.T) {
	s := MustStartShop(t, nil)
	v := s.NewVisitor(t)
	// RFC 3339 as Go writes it: trailing zeros of the fraction are left out ("…29.71Z").
	millis := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$`)

	added := v.MustAdd(s.cat.Pipe, 2, "m")
	read := v.Cart()
	require.NotNil(t, added.UpdatedAt)
	require.Regexp(t, millis, *added.UpdatedAt)
	require.Equal(t, *added.UpdatedAt, *read.UpdatedAt)
	require.Equal(t, *added.ExpiresAt, *read.ExpiresAt)

	r := v.Do(http.MethodPost, "/api/rfq", rfqForm())
	require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
	var created map[string]any
	r.JSON(t, &created)
	r = v.Do(http.MethodGet, "/api/rfq/"+created["id"].(string), nil)
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	var got map[string]any
	r.JSON(t, &got)
	for _, field := range []string{"submittedAt", "createdAt", "updatedAt"} {
		require.Regexp(t, millis, created[field], field)
		require.Equal(t, created[field], got[field], field)
	}

	v.Signup("ceas@firma.ro")
	for _, c := range []struct {
		create, read string
		body         any
	}{
		{"/api/projects", "/api/projects/", map[string]any{"name": "Hală", "fileName": "h.csv", "bomData": []any{}}},
		{"/api/addresses", "", map[string]any{"type": "DELIVERY", "street": "Str. A 1", "city": "Cluj-Napoca", "county": "Cluj", "postalCode": "400001"}},
	} {
		r := v.Do(http.MethodPost, c.create, c.body)
		require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
		var created map[string]any
		r.JSON(t, &created)
		require.Regexp(t, millis, created["createdAt"], c.create)
		if c.read == "" {
			continue
		}
		r = v.Do(http.MethodGet, c.read+created["id"].(string), nil)
		var got map[string]any
		r.JSON(t, &got)
		require.Equal(t, created["createdAt"], got["createdAt"], c.create)
	}
	var me map[string]any
	v.Do(http.MethodGet, "/api/users/me", nil).JSON(t, &me)
	require.Regexp(t, millis, me["createdAt"])
}
