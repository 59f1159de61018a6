package apphttp_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	apphttp "github.com/metalpro/backend/http"
)

func TestUsers_Me(t *testing.T) {
	api := MustStartAPI(t, nil, apphttp.Deps{})
	s := api.MustSignup("profil@firma.ro")

	t.Run("UpdateProfile", func(t *testing.T) {
		r := api.Do(http.MethodPatch, "/api/users/me", map[string]any{"name": "  Ion Ionescu ", "phone": "+40 (722) 000-111"}, s.Access)
		require.Equal(t, http.StatusOK, r.StatusCode, "body: %s", r.Body)
		u := r.JSON(t)
		require.Equal(t, "Ion Ionescu", u["name"])
		require.Equal(t, "+40722000111", u["phone"])
		r = api.Do(http.MethodPatch, "/api/users/me", map[string]any{"phone": ""}, s.Access)
		require.Nil(t, r.JSON(t)["phone"], "an empty phone removes it")
		require.Equal(t, "Ion Ionescu", r.JSON(t)["name"], "absent fields stay")
	})
	t.Run("ErrInvalidProfile", func(t *testing.T) {
		r := api.Do(http.MethodPatch, "/api/users/me", map[string]any{"name": "x", "phone": "0999"}, s.Access)
		require.Equal(t, http.StatusBadRequest, r.StatusCode)
		require.ElementsMatch(t, []string{"name", "phone"}, r.Err(t).Fields())
		r = api.Do(http.MethodPatch, "/api/users/me", map[string]any{"email": "alt@firma.ro"}, s.Access)
		require.Equal(t, http.StatusBadRequest, r.StatusCode, "the email cannot be changed here")
	})
	t.Run("EmailLanguage", func(t *testing.T) {
		require.Equal(t, "ro", api.Do(http.MethodGet, "/api/users/me", nil, s.Access).JSON(t)["language"],
			"signup without Accept-Language: Romanian")
		r := api.Do(http.MethodPatch, "/api/users/me", map[string]any{"language": "en"}, s.Access)
		require.Equal(t, http.StatusOK, r.StatusCode, "body: %s", r.Body)
		require.Equal(t, "en", r.JSON(t)["language"])
		// The user's next email comes in English even when the request is Romanian.
		require.Equal(t, http.StatusAccepted, api.Do(http.MethodPost, "/api/auth/reset-password",
			map[string]any{"email": "profil@firma.ro"}, "").StatusCode)
		var lang string
		require.NoError(t, api.DB.ReadDB().QueryRow(`SELECT lang FROM email_outbox WHERE template = 'password_reset'
			AND to_addr = 'profil@firma.ro' ORDER BY rowid DESC LIMIT 1`).Scan(&lang))
		require.Equal(t, "en", lang)

		r = api.Do(http.MethodPatch, "/api/users/me", map[string]any{"language": "de"}, s.Access)
		require.Equal(t, http.StatusBadRequest, r.StatusCode)
		require.Equal(t, []string{"language"}, r.Err(t).Fields())
	})
	t.Run("ErrGuest", func(t *testing.T) {
		require.Equal(t, http.StatusUnauthorized, api.Do(http.MethodPatch, "/api/users/me", map[string]any{"name": "Ion"}, "").StatusCode)
	})

	t.Run("CompanyTurnsIndividualIntoBusiness", func(t *testing.T) {
		r := api.Do(http.MethodPatch, "/api/users/me/company", map[string]any{"cui": "14399840"}, s.Access)
		require.Equal(t, http.StatusBadRequest, r.StatusCode)
		require.Equal(t, []string{"legalName"}, r.Err(t).Fields(), "a new company needs its name")

		r = api.Do(http.MethodPatch, "/api/users/me/company", map[string]any{"legalName": "Ionescu Metal SRL", "cui": "14399840",
			"county": "Timis", "postalCode": "300001"}, s.Access)
		require.Equal(t, http.StatusOK, r.StatusCode, "body: %s", r.Body)
		u := r.JSON(t)
		require.Equal(t, "BUSINESS", u["role"])
		c := u["company"].(map[string]any)
		require.Equal(t, "Ionescu Metal SRL", c["legalName"])
		require.Equal(t, "Timiș", c["county"])

		r = api.Do(http.MethodPatch, "/api/users/me/company", map[string]any{"city": "Timișoara"}, s.Access)
		require.Equal(t, http.StatusOK, r.StatusCode)
		c = r.JSON(t)["company"].(map[string]any)
		require.Equal(t, "Timișoara", c["city"])
		require.Equal(t, "14399840", c["cui"], "absent fields stay")
	})
	t.Run("ErrBadCUI", func(t *testing.T) {
		r := api.Do(http.MethodPatch, "/api/users/me/company", map[string]any{"cui": "RO14399841"}, s.Access)
		require.Equal(t, http.StatusBadRequest, r.StatusCode)
		require.Equal(t, []string{"cui"}, r.Err(t).Fields())
	})

	t.Run("ChangePassword", func(t *testing.T) {
		other := api.MustLogin("profil@firma.ro", testPassword)
		r := api.Do(http.MethodPatch, "/api/users/me/password", map[string]any{"currentPassword": "nu-este-parola", "newPassword": "tabla-cutata-2026"}, s.Access)
		require.Equal(t, http.StatusBadRequest, r.StatusCode)
		require.Equal(t, []string{"currentPassword"}, r.Err(t).Fields())
		r = api.Do(http.MethodPatch, "/api/users/me/password", map[string]any{"currentPassword": testPassword, "newPassword": "password123"}, s.Access)
		require.Equal(t, http.StatusBadRequest, r.StatusCode)
		require.Equal(t, []string{"newPassword"}, r.Err(t).Fields())

		r = api.Do(http.MethodPatch, "/api/users/me/password", map[string]any{"currentPassword": testPassword, "newPassword": "tabla-cutata-2026"}, s.Access)
		require.Equal(t, http.StatusNoContent, r.StatusCode, "body: %s", r.Body)
		require.Equal(t, http.StatusOK, api.Do(http.MethodGet, "/api/users/me", nil, s.Access).StatusCode, "this session stays")
		require.Equal(t, http.StatusUnauthorized, api.Do(http.MethodGet, "/api/users/me", nil, other.Access).StatusCode, "the others end")
		api.MustLogin("profil@firma.ro", "tabla-cutata-2026")
	})
}

func TestAddresses(t *testing.T) {
	api := MustStartAPI(t, nil, apphttp.Deps{})
	s := api.MustSignup("adrese@firma.ro")
	other := api.MustSignup("altcineva@firma.ro")
	create := func(tok string, body map[string]any) apiResponse {
		return api.Do(http.MethodPost, "/api/addresses", body, tok)
	}
	addr := func(typ string, def bool, street string) map[string]any {
		return map[string]any{"type": typ, "isDefault": def, "street": street, "city": "Cluj-Napoca", "county": "Cluj", "postalCode": "400001"}
	}

	r := create(s.Access, addr("BILLING", true, "Str. Fabricii 1"))
	require.Equal(t, http.StatusCreated, r.StatusCode, "body: %s", r.Body)
	first := r.JSON(t)
	require.Equal(t, "Romania", first["country"])
	r = create(s.Access, addr("BILLING", true, "Str. Fabricii 2"))
	require.Equal(t, http.StatusCreated, r.StatusCode)
	second := r.JSON(t)
	r = create(s.Access, addr("DELIVERY", true, "Calea Turzii 10"))
	require.Equal(t, http.StatusCreated, r.StatusCode)
	delivery := r.JSON(t)

	defaults := func(typ string) []string {
		var ids []string
		for _, a := range api.Do(http.MethodGet, "/api/addresses?type="+typ, nil, s.Access).JSON(t)["addresses"].([]any) {
			m := a.(map[string]any)
			require.Equal(t, typ, m["type"])
			if m["isDefault"] == true {
				ids = append(ids, m["id"].(string))
			}
		}
		return ids
	}

	t.Run("OneDefaultPerType", func(t *testing.T) {
		require.Equal(t, []string{second["id"].(string)}, defaults("BILLING"), "the new default replaced the old one")
		require.Equal(t, []string{delivery["id"].(string)}, defaults("DELIVERY"), "other types are untouched")
		r := api.Do(http.MethodPatch, "/api/addresses/"+first["id"].(string), map[string]any{"isDefault": true}, s.Access)
		require.Equal(t, http.StatusOK, r.StatusCode, "body: %s", r.Body)
		require.Equal(t, []string{first["id"].(string)}, defaults("BILLING"))
		all := api.Do(http.MethodGet, "/api/addresses", nil, s.Access).JSON(t)["addresses"].([]any)
		require.Len(t, all, 3)
	})
	t.Run("Update", func(t *testing.T) {
		r := api.Do(http.MethodPatch, "/api/addresses/"+second["id"].(string), map[string]any{"street": "Str. Oțelului 5", "county": "bucuresti", "postalCode": "010101"}, s.Access)
		require.Equal(t, http.StatusOK, r.StatusCode, "body: %s", r.Body)
		m := r.JSON(t)
		require.Equal(t, "Str. Oțelului 5", m["street"])
		require.Equal(t, "București", m["county"])
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		r := create(s.Access, map[string]any{"type": "HOME", "street": "x", "city": "", "county": "Atlantis", "postalCode": "12"})
		require.Equal(t, http.StatusBadRequest, r.StatusCode)
		require.ElementsMatch(t, []string{"type", "street", "city", "county", "postalCode"}, r.Err(t).Fields())
		r = api.Do(http.MethodGet, "/api/addresses?type=HOME", nil, s.Access)
		require.Equal(t, http.StatusBadRequest, r.StatusCode)
	})
	t.Run("ForeignAddress", func(t *testing.T) {
		r := create(s.Access, map[string]any{"type": "DELIVERY", "street": "Hauptstraße 1", "city": "Wien", "county": "Wien", "postalCode": "1010", "country": "Austria"})
		require.Equal(t, http.StatusCreated, r.StatusCode, "body: %s", r.Body)
	})
	t.Run("ErrAnotherUsersAddress", func(t *testing.T) {
		id := first["id"].(string)
		r := api.Do(http.MethodPatch, "/api/addresses/"+id, map[string]any{"street": "Furat 1"}, other.Access)
		require.Equal(t, http.StatusNotFound, r.StatusCode)
		require.Equal(t, http.StatusNotFound, api.Do(http.MethodDelete, "/api/addresses/"+id, nil, other.Access).StatusCode)
		require.Empty(t, api.Do(http.MethodGet, "/api/addresses", nil, other.Access).JSON(t)["addresses"])
		require.Equal(t, http.StatusUnauthorized, api.Do(http.MethodGet, "/api/addresses", nil, "").StatusCode)
	})
	t.Run("Delete", func(t *testing.T) {
		id := delivery["id"].(string)
		require.Equal(t, http.StatusNoContent, api.Do(http.MethodDelete, "/api/addresses/"+id, nil, s.Access).StatusCode)
		require.Equal(t, http.StatusNotFound, api.Do(http.MethodDelete, "/api/addresses/"+id, nil, s.Access).StatusCode)
	})
}
