package apphttp_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	apphttp "github.com/metalpro/backend/http"
)

func TestProjects(t *testing.T) {
	api := MustStartAPI(t, nil, apphttp.Deps{})
	s := api.MustSignup("proiecte@firma.ro")
	other := api.MustSignup("strain@firma.ro")
	bom := map[string]any{"rows": []any{map[string]any{"description": "Țeavă 48x3", "quantity": 12, "unit": "m"}}, "summary": map[string]any{"total": 1}}

	r := api.Do(http.MethodPost, "/api/projects", map[string]any{"name": "Hală Cluj", "fileName": "hala.xlsx", "bomData": bom}, s.Access)
	require.Equal(t, http.StatusCreated, r.StatusCode, "body: %s", r.Body)
	p := r.JSON(t)
	id := p["id"].(string)
	require.Equal(t, "Țeavă 48x3", p["bomData"].(map[string]any)["rows"].([]any)[0].(map[string]any)["description"])

	t.Run("GetRecordsUse", func(t *testing.T) {
		r := api.Do(http.MethodGet, "/api/projects/"+id, nil, s.Access)
		require.Equal(t, http.StatusOK, r.StatusCode)
		require.NotNil(t, r.JSON(t)["lastUsedAt"])
		require.NotNil(t, r.JSON(t)["bomData"])
	})
	t.Run("ListPaginates", func(t *testing.T) {
		for i := 0; i < 3; i++ {
			r := api.Do(http.MethodPost, "/api/projects", map[string]any{"name": fmt.Sprintf("P%d", i), "fileName": "p.csv", "bomData": []any{}}, s.Access)
			require.Equal(t, http.StatusCreated, r.StatusCode)
		}
		r := api.Do(http.MethodGet, "/api/projects?page=2&limit=3", nil, s.Access)
		require.Equal(t, http.StatusOK, r.StatusCode, "body: %s", r.Body)
		body := r.JSON(t)
		require.Len(t, body["projects"], 1)
		require.Equal(t, map[string]any{"page": 2.0, "limit": 3.0, "total": 4.0, "totalPages": 2.0}, body["pagination"])
		require.NotContains(t, string(r.Body), "bomData", "lists leave the documents out")
		require.Equal(t, http.StatusBadRequest, api.Do(http.MethodGet, "/api/projects?limit=101", nil, s.Access).StatusCode)
	})
	t.Run("Update", func(t *testing.T) {
		r := api.Do(http.MethodPatch, "/api/projects/"+id, map[string]any{"description": "Etapa 1"}, s.Access)
		require.Equal(t, http.StatusOK, r.StatusCode, "body: %s", r.Body)
		require.Equal(t, "Etapa 1", r.JSON(t)["description"])
		require.Equal(t, "Hală Cluj", r.JSON(t)["name"])
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		r := api.Do(http.MethodPost, "/api/projects", map[string]any{"name": "", "fileName": "", "bomData": "text"}, s.Access)
		require.Equal(t, http.StatusBadRequest, r.StatusCode)
		require.ElementsMatch(t, []string{"name", "fileName", "bomData"}, r.Err(t).Fields())
	})
	t.Run("ErrBOMTooLarge", func(t *testing.T) {
		big := map[string]any{"rows": strings.Repeat("x", 1<<20)}
		r := api.Do(http.MethodPost, "/api/projects", map[string]any{"name": "Mare", "fileName": "m.csv", "bomData": big}, s.Access)
		require.Equal(t, http.StatusRequestEntityTooLarge, r.StatusCode)
		require.Contains(t, r.Err(t).Error, "1 MB")

		// A body past the request limit (the 1 MB document plus room for the rest) states
		// the limit people know, not "1088 KB".
		huge := map[string]any{"rows": strings.Repeat("x", 2<<20)}
		r = api.Do(http.MethodPost, "/api/projects", map[string]any{"name": "Mare", "fileName": "m.csv", "bomData": huge}, s.Access)
		require.Equal(t, http.StatusRequestEntityTooLarge, r.StatusCode)
		require.Equal(t, "Cererea depășește limita de 1 MB.", r.Err(t).Error)
	})
	t.Run("ErrAnotherUsersProject", func(t *testing.T) {
		require.Equal(t, http.StatusNotFound, api.Do(http.MethodGet, "/api/projects/"+id, nil, other.Access).StatusCode)
		require.Equal(t, http.StatusNotFound, api.Do(http.MethodPatch, "/api/projects/"+id, map[string]any{"name": "x"}, other.Access).StatusCode)
		require.Equal(t, http.StatusNotFound, api.Do(http.MethodDelete, "/api/projects/"+id, nil, other.Access).StatusCode)
		require.Equal(t, http.StatusUnauthorized, api.Do(http.MethodGet, "/api/projects", nil, "").StatusCode)
	})
	t.Run("Delete", func(t *testing.T) {
		require.Equal(t, http.StatusNoContent, api.Do(http.MethodDelete, "/api/projects/"+id, nil, s.Access).StatusCode)
		require.Equal(t, http.StatusNotFound, api.Do(http.MethodGet, "/api/projects/"+id, nil, s.Access).StatusCode)
	})
}

// In a PATCH, null clears a field that can be empty and is a 400 for any other field;
// it never silently leaves the field as it was.
func TestPatch_Null(t *testing.T) {
	api := MustStartAPI(t, nil, apphttp.Deps{})
	s := api.MustSignup("null@firma.ro")
	r := api.Do(http.MethodPost, "/api/projects", map[string]any{"name": "Hală", "description": "Etapa 1", "fileName": "h.csv", "bomData": []any{}}, s.Access)
	require.Equal(t, http.StatusCreated, r.StatusCode, "body: %s", r.Body)
	id := r.JSON(t)["id"].(string)

	r = api.Do(http.MethodPatch, "/api/projects/"+id, map[string]any{"description": nil}, s.Access)
	require.Equal(t, http.StatusOK, r.StatusCode, "body: %s", r.Body)
	require.Nil(t, r.JSON(t)["description"])
	require.Nil(t, api.Do(http.MethodGet, "/api/projects/"+id, nil, s.Access).JSON(t)["description"])

	r = api.Do(http.MethodPatch, "/api/projects/"+id, map[string]any{"name": nil, "description": "x"}, s.Access, "Accept-Language", "en")
	require.Equal(t, http.StatusBadRequest, r.StatusCode, "body: %s", r.Body)
	require.Equal(t, []string{"name"}, r.Err(t).Fields())
	require.Contains(t, string(r.Body), "leave it out to keep its value")
	require.Equal(t, "Hală", api.Do(http.MethodGet, "/api/projects/"+id, nil, s.Access).JSON(t)["name"])

	r = api.Do(http.MethodPatch, "/api/users/me", map[string]any{"phone": "+40722123456"}, s.Access)
	require.Equal(t, http.StatusOK, r.StatusCode, "body: %s", r.Body)
	r = api.Do(http.MethodPatch, "/api/users/me", map[string]any{"phone": nil}, s.Access)
	require.Equal(t, http.StatusOK, r.StatusCode, "body: %s", r.Body)
	require.Nil(t, api.Do(http.MethodGet, "/api/users/me", nil, s.Access).JSON(t)["phone"])

	r = api.Do(http.MethodPatch, "/api/addresses/nu-exista", map[string]any{"city": nil}, s.Access)
	require.Equal(t, http.StatusBadRequest, r.StatusCode, "body: %s", r.Body)
}
