package apphttp_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// Guest RFQs join the account: the browser's own at signup or login, and those sent with
// the account's address once that address is verified, never before.
func TestRFQ_GuestRFQsJoinTheAccount(t *testing.T) {
	s := MustStartShop(t, nil)
	submit := func(v *shopVisitor, email string) string {
		t.Helper()
		v.MustAdd(s.cat.Pipe, 2, "m")
		form := rfqForm()
		form["email"] = email
		r := v.Do(http.MethodPost, "/api/rfq", form)
		require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
		var rfq rfqJSON
		r.JSON(t, &rfq)
		return rfq.ReferenceNumber
	}
	listed := func(v *shopVisitor) []string {
		t.Helper()
		r := v.Do(http.MethodGet, "/api/rfq", nil)
		require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
		var list struct {
			RFQs []rfqJSON `json:"rfqs"`
		}
		r.JSON(t, &list)
		refs := []string{}
		for _, q := range list.RFQs {
			refs = append(refs, q.ReferenceNumber)
		}
		return refs
	}

	t.Run("TheBrowsersOwnAtSignup", func(t *testing.T) {
		v := s.NewVisitor(t)
		ref := submit(v, "ana@firma.ro")
		v.Signup("ana@firma.ro")
		require.Equal(t, []string{ref}, listed(v))
	})

	t.Run("ByAddressOnlyOnceVerified", func(t *testing.T) {
		guest := s.NewVisitor(t)
		ref := submit(guest, "ion@firma.ro")

		owner := s.NewVisitor(t) // another browser: only the address links them
		owner.Signup("ion@firma.ro")
		require.Empty(t, listed(owner), "an unverified address proves nothing")

		stranger := s.NewVisitor(t)
		stranger.Signup("mihai@firma.ro")
		require.Empty(t, listed(stranger))

		var token string
		for _, m := range shopOutbox(t, s.DB) {
			if m.Template == "verify_email" && m.To == "ion@firma.ro" {
				token, _ = m.Data["token"].(string)
			}
		}
		require.NotEmpty(t, token)
		r := owner.Do(http.MethodPost, "/api/auth/verify-email", map[string]any{"token": token})
		require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
		require.Equal(t, []string{ref}, listed(owner))

		// Sent with the verified address later, from a browser never signed in: it joins
		// at the next sign-in.
		later := submit(s.NewVisitor(t), "ion@firma.ro")
		again := s.NewVisitor(t)
		again.Login("ion@firma.ro")
		require.ElementsMatch(t, []string{ref, later}, listed(again))
		require.Empty(t, listed(stranger), "nobody else's list changed")
	})
}
