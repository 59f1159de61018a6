package apphttp_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	apphttp "github.com/metalpro/backend/http"
)

// TestJSON_DuplicateKeys: a key sent twice is refused with a 400 naming it. encoding/json
// would keep the last value, so a check that reads the first (a proxy, a log, a WAF) and the
// handler that reads the last could disagree about what was asked.
func TestJSON_DuplicateKeys(t *testing.T) {
	api := MustStartAPI(t, nil, apphttp.Deps{})
	for _, tc := range []struct {
		name, body, field string
	}{
		{"TopLevel", `{"email":"ana@example.ro","password":"x","email":"admin@example.ro"}`, "email"},
		{"Nested", `{"email":"ana@example.ro","password":"parola-lunga-1","name":"Ana Pop","role":"BUSINESS",` +
			`"company":{"name":"Metal SRL","name":"Alt SRL"}}`, "company.name"},
		{"InArray", `{"email":"ana@example.ro","x":[{"a":1},{"a":1,"a":2}]}`, "x[1].a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := api.Do(http.MethodPost, "/api/auth/signup", tc.body, "")
			require.Equal(t, http.StatusBadRequest, r.StatusCode, "%s", r.Body)
			e := r.Err(t)
			require.Equal(t, "invalid", e.Code)
			require.Equal(t, []string{tc.field}, e.Fields(), "%s", r.Body)
			require.Contains(t, e.Details[0].Message, "„"+tc.field+"”", "the message names the key")

			r = api.Do(http.MethodPost, "/api/auth/signup", tc.body, "", "Accept-Language", "en")
			require.Contains(t, r.Err(t).Details[0].Message, `"`+tc.field+`" appears more than once`)
		})
	}

	t.Run("ErrDeepNestingStillMalformed", func(t *testing.T) {
		body := `{"email":` + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + `}`
		r := api.Do(http.MethodPost, "/api/auth/signup", body, "")
		require.Equal(t, http.StatusBadRequest, r.StatusCode, "%s", r.Body)
	})

	t.Run("SameKeyInSiblingObjectsIsFine", func(t *testing.T) {
		r := api.Do(http.MethodPost, "/api/auth/login", `{"email":"nobody@example.ro","password":"parola-gresita-1"}`, "")
		require.Equal(t, http.StatusUnauthorized, r.StatusCode, "%s", r.Body)
	})
}

// TestValidation_ControlCharacters: a name with a control character (a pasted line break,
// a tab, a NUL) is refused with a message that says so, not that the name is missing.
func TestValidation_ControlCharacters(t *testing.T) {
	api := MustStartAPI(t, nil, apphttp.Deps{})
	for _, name := range []string{"Ana\nPop", "Ana\tPop", "Ana\u0000Pop", "Ana\u0085Pop"} {
		body := map[string]any{"email": "ana@example.ro", "password": "parola-lunga-si-buna-1", "name": name, "role": "INDIVIDUAL"}
		r := api.Do(http.MethodPost, "/api/auth/signup", body, "")
		require.Equal(t, http.StatusBadRequest, r.StatusCode, "%q: %s", name, r.Body)
		e := r.Err(t)
		require.Equal(t, []string{"name"}, e.Fields(), "%s", r.Body)
		require.Contains(t, e.Details[0].Message, "caractere de control", "%q", name)

		r = api.Do(http.MethodPost, "/api/auth/signup", body, "", "Accept-Language", "en")
		msg := r.Err(t).Details[0].Message
		require.Contains(t, msg, "control characters", "%q", name)
		require.False(t, strings.Contains(msg, "2 to 100"), "not a length problem: %s", msg)
	}
}
