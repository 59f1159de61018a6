package loadtest

import (
	"context"
	"fmt"
)

// signUpAndLogIn is the account part of a steady visitor: a new customer account, then a
// login with it. bcrypt makes both slow by design; their figures are reported apart.
func signUpAndLogIn(ctx context.Context, g *guest, run int64, i int, think func() error) error {
	email := fmt.Sprintf("loadtest-%d-%d@example.ro", run, i)
	const password = "Parola-De-Test-2026!"
	if err := g.call(ctx, "signup", "POST", "/api/auth/signup", map[string]any{
		"email": email, "password": password, "name": "Ana Popescu", "role": "INDIVIDUAL",
	}, 201, nil); err != nil {
		return err
	}
	if think != nil {
		if err := think(); err != nil {
			return err
		}
	}
	return g.call(ctx, "login", "POST", "/api/auth/login", map[string]any{"email": email, "password": password}, 200, nil)
}
