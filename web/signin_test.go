package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

func TestSignIn(t *testing.T) {
	e := newTestEnv(t)

	t.Run("OK", func(t *testing.T) {
		b := e.browser(t)
		b.Get("/admin/rfqs?status=SUBMITTED")
		if b.At != "/admin/signin?next=%2Fadmin%2Frfqs%3Fstatus%3DSUBMITTED" {
			t.Fatalf("anonymous visit ended at %s", b.At)
		}
		b.Sees("Intră în back office")
		b.Submit("/admin/signin", url.Values{"email": {"Operator@MetalPro.ro "}, "password": {staffPassword},
			"next": {"/admin/rfqs?status=SUBMITTED"}})
		if b.Status != http.StatusOK || b.At != "/admin/rfqs?status=SUBMITTED" {
			t.Fatalf("after sign-in: %d at %s", b.Status, b.At)
		}
		b.Sees("Conectat ca Ana Operator · operator", "Cereri de ofertă")
		b.DoesNotSee("Jurnal de audit") // the audit log is for admins
	})

	t.Run("ErrWrongPassword", func(t *testing.T) {
		b := e.browser(t)
		b.Get("/admin/signin")
		b.Submit("/admin/signin", url.Values{"email": {e.Operator.Email}, "password": {"greșită"}})
		if b.Status != http.StatusUnauthorized {
			t.Fatalf("status %d", b.Status)
		}
		b.Sees("Email sau parolă incorectă.")
		b.Get("/admin/rfqs")
		if !strings.HasPrefix(b.At, "/admin/signin") {
			t.Fatalf("a failed sign-in let the browser in: %s", b.At)
		}
	})

	t.Run("ErrCustomer", func(t *testing.T) {
		_, err := e.DB.CreateUser(context.Background(), store.Signup{Email: "client@example.ro", Password: staffPassword, Name: "Client", Role: store.RoleIndividual})
		if err != nil {
			t.Fatal(err)
		}
		b := e.browser(t)
		b.Get("/admin/signin")
		b.Submit("/admin/signin", url.Values{"email": {"client@example.ro"}, "password": {staffPassword}})
		if b.Status != http.StatusForbidden {
			t.Fatalf("status %d", b.Status)
		}
		b.Sees("Acest cont nu are acces la back office")
		b.Get("/admin/rfqs")
		if !strings.HasPrefix(b.At, "/admin/signin") {
			t.Fatalf("a customer got in: %s", b.At)
		}
	})

	t.Run("ErrNoCSRFToken", func(t *testing.T) {
		b := e.browser(t)
		b.Get("/admin/signin")
		b.Submit("/admin/signin", url.Values{"csrf": {""}, "email": {e.Operator.Email}, "password": {staffPassword}})
		if b.Status != http.StatusForbidden {
			t.Fatalf("status %d", b.Status)
		}
		b.Sees("Formularul a expirat")
	})

	t.Run("ErrOtherSite", func(t *testing.T) {
		b := e.signIn(t, e.Operator)
		token := b.CSRF()
		req, _ := http.NewRequest(http.MethodPost, e.URL+"/admin/signout", strings.NewReader(url.Values{"csrf": {token}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		b.do(req)
		if b.Status != http.StatusForbidden {
			t.Fatalf("a cross-site form was accepted: %d", b.Status)
		}
		b.Get("/admin/rfqs")
		b.Sees("Conectat ca Ana Operator") // still signed in
	})

	t.Run("NextStaysInTheBackOffice", func(t *testing.T) {
		for _, next := range []string{"https://evil.example/", "//evil.example/admin", "/api/admin/rfqs", `/\evil.example`} {
			b := e.browser(t)
			b.Get("/admin/signin")
			b.Submit("/admin/signin", url.Values{"email": {e.Operator.Email}, "password": {staffPassword}, "next": {next}})
			if b.At != "/admin/" {
				t.Fatalf("next=%q led to %s", next, b.At)
			}
		}
	})

	t.Run("SignOut", func(t *testing.T) {
		b := e.signIn(t, e.Operator)
		b.Submit("/admin/signout", url.Values{})
		if !strings.HasPrefix(b.At, "/admin/signin") {
			t.Fatalf("after sign-out: %s", b.At)
		}
		b.Get("/admin/rfqs")
		if !strings.HasPrefix(b.At, "/admin/signin") {
			t.Fatalf("signed out, still in: %s", b.At)
		}
	})

	t.Run("DisabledAccountIsOutAtOnce", func(t *testing.T) {
		u := storetest.MustCreateStaff(t, e.DB, "plecat@metalpro.ro", "Plecat", store.RoleOperator, staffPassword)
		b := e.signIn(t, u)
		cli := store.WithActor(context.Background(), store.Actor{Label: "cli"})
		if _, err := e.DB.DisableUser(cli, u.Email); err != nil {
			t.Fatal(err)
		}
		b.Get("/admin/rfqs")
		if !strings.HasPrefix(b.At, "/admin/signin") {
			t.Fatalf("a disabled account still sees %s", b.At)
		}
	})

	t.Run("English", func(t *testing.T) {
		b := e.signIn(t, e.Operator)
		b.Submit("/admin/lang", url.Values{"lang": {"en"}})
		b.Sees("Signed in as Ana Operator", "Quote requests", "Oldest first")
		b.Submit("/admin/lang", url.Values{"lang": {"ro"}})
		b.Sees("Conectat ca Ana Operator")
	})

	t.Run("StrictHeaders", func(t *testing.T) {
		b := e.browser(t)
		b.Get("/admin/signin")
		csp := b.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Fatalf("CSP %q", csp)
		}
		if strings.Contains(b.Page, "<script>") || strings.Contains(b.Page, " style=") {
			t.Fatal("inline script or style on the page")
		}
	})
}

func TestSignIn_FailedAttemptsAreLimited(t *testing.T) {
	e := newTestEnv(t)
	b := e.browser(t)
	b.Get("/admin/signin")
	for i := 0; i < 5; i++ { // the API's default: 5 failed logins per address per 15 minutes
		b.Submit("/admin/signin", url.Values{"email": {e.Operator.Email}, "password": {"greșită"}})
		if b.Status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, b.Status)
		}
	}
	b.Submit("/admin/signin", url.Values{"email": {e.Operator.Email}, "password": {staffPassword}})
	if b.Status != http.StatusTooManyRequests || b.Header.Get("Retry-After") == "" {
		t.Fatalf("the 6th attempt, right password: %d, Retry-After %q", b.Status, b.Header.Get("Retry-After"))
	}
	b.Sees("Prea multe")
}
