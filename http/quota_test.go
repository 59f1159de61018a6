package apphttp_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	apphttp "github.com/metalpro/backend/http"
)

// TestQuota_Addresses: the 51st address is a 409 quota_exceeded in the asked language.
func TestQuota_Addresses(t *testing.T) {
	api := MustStartAPI(t, nil, apphttp.Deps{})
	s := api.MustSignup("adrese@firma.ro")
	addr := map[string]any{"type": "DELIVERY", "street": "Str. Fabricii 12", "city": "Cluj-Napoca", "county": "Cluj", "postalCode": "400001"}
	for i := 0; i < 50; i++ {
		r := api.Do(http.MethodPost, "/api/addresses", addr, s.Access)
		require.Equal(t, http.StatusCreated, r.StatusCode, "body: %s", r.Body)
	}
	r := api.Do(http.MethodPost, "/api/addresses", addr, s.Access, "Accept-Language", "en")
	require.Equal(t, http.StatusConflict, r.StatusCode, "body: %s", r.Body)
	e := r.Err(t)
	require.Equal(t, "quota_exceeded", e.Code)
	require.Equal(t, "You can keep at most 50 addresses. Delete an address to make room.", e.Error)
	r = api.Do(http.MethodPost, "/api/addresses", addr, s.Access)
	require.Equal(t, "Poți păstra cel mult 50 de adrese. Șterge o adresă ca să faci loc.", r.Err(t).Error)
}
