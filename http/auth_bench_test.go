package apphttp_test

import (
	"net/http"
	"testing"
	"time"

	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/store"
)

// BenchmarkLogin measures a whole successful login over HTTP at the production bcrypt cost
// (12): one bcrypt comparison, a session row written, two JWTs signed.
func BenchmarkLogin(b *testing.B) {
	api := mustStartAPI(b, store.DefaultPasswordCost, func(c *apphttp.Config) {
		c.RateLimits.API = apphttp.Limit{Max: 0, Window: time.Minute} // unlimited
	}, apphttp.Deps{})
	api.MustSignup("bench@firma.ro")
	body := map[string]any{"email": "bench@firma.ro", "password": testPassword}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := api.Do(http.MethodPost, "/api/auth/login", body, ""); r.StatusCode != http.StatusOK {
			b.Fatalf("login: %d %s", r.StatusCode, r.Body)
		}
	}
}

// BenchmarkLogin_UnknownEmail checks that an unknown email costs about as much as a known
// one (the dummy-hash comparison), so timing does not reveal which emails have accounts.
func BenchmarkLogin_UnknownEmail(b *testing.B) {
	api := mustStartAPI(b, store.DefaultPasswordCost, func(c *apphttp.Config) {
		c.RateLimits.API = apphttp.Limit{Max: 0, Window: time.Minute}
		c.RateLimits.Login = apphttp.Limit{Max: 0, Window: time.Minute}
	}, apphttp.Deps{})
	body := map[string]any{"email": "nimeni@firma.ro", "password": testPassword}
	api.Do(http.MethodPost, "/api/auth/login", body, "") // builds the dummy hash once
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := api.Do(http.MethodPost, "/api/auth/login", body, ""); r.StatusCode != http.StatusUnauthorized {
			b.Fatalf("login: %d %s", r.StatusCode, r.Body)
		}
	}
}
