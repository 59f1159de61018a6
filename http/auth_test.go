package apphttp_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/mail"
)

func TestAuth_Flow(t *testing.T) {
	api := MustStartAPI(t, nil, apphttp.Deps{})

	// Sign up a business with its company.
	r := api.Do(http.MethodPost, "/api/auth/signup", map[string]any{
		"email": "Ana.Ionescu@Constructii.RO", "password": testPassword, "name": "Ana Ionescu",
		"phone": "0722 123 456", "role": "BUSINESS",
		"company": map[string]any{"name": "Construcții Ionescu SRL", "cui": "RO 18547290", "city": "Cluj-Napoca",
			"county": "cluj", "postalCode": "400001"},
	}, "")
	require.Equal(t, http.StatusCreated, r.StatusCode, "body: %s", r.Body)
	require.NotContains(t, string(r.Body), "password")
	require.NotContains(t, strings.ToLower(string(r.Body)), "hash")
	body := r.JSON(t)
	user := body["user"].(map[string]any)
	require.Equal(t, "ana.ionescu@constructii.ro", user["email"], "emails are stored lower-case")
	require.Equal(t, "+40722123456", user["phone"])
	require.Equal(t, "BUSINESS", user["role"])
	require.Equal(t, false, user["emailVerified"])
	company := user["company"].(map[string]any)
	require.Equal(t, "Construcții Ionescu SRL", company["legalName"])
	require.Equal(t, "RO18547290", company["cui"])
	require.Equal(t, "Cluj", company["county"])
	require.Equal(t, "Romania", company["country"])
	s1 := sessionFrom(t, r)

	// The verification email was queued in the signup's transaction.
	queued := api.LastEmail("verify_email", s1.Email)
	require.Equal(t, "Ana Ionescu", queued["name"])
	require.NoError(t, mail.Validate("verify_email", queued), "the mail worker can render it")

	me := api.Do(http.MethodGet, "/api/users/me", nil, s1.Access)
	require.Equal(t, http.StatusOK, me.StatusCode)
	require.Equal(t, s1.UserID, me.JSON(t)["id"], "users/me is the user itself, no envelope")

	// Verify the email; the token works once.
	token := api.EmailToken("verify_email", s1.Email)
	r = api.Do(http.MethodPost, "/api/auth/verify-email", map[string]any{"token": token}, "")
	require.Equal(t, http.StatusOK, r.StatusCode, "body: %s", r.Body)
	require.Equal(t, true, r.JSON(t)["user"].(map[string]any)["emailVerified"])
	require.Equal(t, false, r.JSON(t)["alreadyVerified"])
	require.Equal(t, "Adresa de email a fost confirmată.", r.JSON(t)["message"])
	// A second click on the link says the address is verified, not that the link is bad.
	r = api.Do(http.MethodPost, "/api/auth/verify-email", map[string]any{"token": token}, "")
	require.Equal(t, http.StatusOK, r.StatusCode, "body: %s", r.Body)
	require.Equal(t, true, r.JSON(t)["alreadyVerified"])
	require.Equal(t, "Adresa de email este deja confirmată.", r.JSON(t)["message"])
	r = api.Do(http.MethodPost, "/api/auth/verify-email", map[string]any{"token": token + "x"}, "")
	require.Equal(t, http.StatusBadRequest, r.StatusCode, "an unknown token is still invalid")

	// Log in on a second device, with the email in another case.
	s2 := api.MustLogin("ANA.IONESCU@constructii.ro", testPassword)
	require.NotEqual(t, s1.Access, s2.Access)

	// Refresh rotates both tokens; the old access token stops working at once.
	r = api.Do(http.MethodPost, "/api/auth/refresh", map[string]any{"refreshToken": s2.Refresh}, "")
	require.Equal(t, http.StatusOK, r.StatusCode, "body: %s", r.Body)
	s2b := sessionFrom(t, r)
	require.NotEqual(t, s2.Access, s2b.Access)
	require.NotEqual(t, s2.Refresh, s2b.Refresh)
	require.Equal(t, http.StatusUnauthorized, api.Do(http.MethodGet, "/api/users/me", nil, s2.Access).StatusCode)
	require.Equal(t, http.StatusOK, api.Do(http.MethodGet, "/api/users/me", nil, s2b.Access).StatusCode)

	// Logout ends that session only.
	require.Equal(t, http.StatusNoContent, api.Do(http.MethodPost, "/api/auth/logout", nil, s2b.Access).StatusCode)
	r = api.Do(http.MethodGet, "/api/users/me", nil, s2b.Access)
	require.Equal(t, http.StatusUnauthorized, r.StatusCode)
	require.Equal(t, "unauthorized", r.Err(t).Code)
	r = api.Do(http.MethodPost, "/api/auth/refresh", map[string]any{"refreshToken": s2b.Refresh}, "")
	require.Equal(t, http.StatusUnauthorized, r.StatusCode, "a logged-out session cannot be refreshed")
	require.Equal(t, http.StatusOK, api.Do(http.MethodGet, "/api/users/me", nil, s1.Access).StatusCode)
}

func TestAuth_Signup(t *testing.T) {
	api := MustStartAPI(t, nil, apphttp.Deps{})
	signup := func(fields map[string]any) apiResponse {
		body := map[string]any{"email": "nou@firma.ro", "password": testPassword, "name": "Ion Nou", "role": "INDIVIDUAL"}
		for k, v := range fields {
			if v == nil {
				delete(body, k)
			} else {
				body[k] = v
			}
		}
		return api.Do(http.MethodPost, "/api/auth/signup", body, "")
	}

	t.Run("ErrDuplicateEmail", func(t *testing.T) {
		api.MustSignup("dublura@firma.ro")
		r := signup(map[string]any{"email": "DUBLURA@Firma.ro"})
		require.Equal(t, http.StatusConflict, r.StatusCode)
		require.Equal(t, "Un cont cu acest email există deja.", r.Err(t).Error)
	})
	t.Run("ErrBadCUI", func(t *testing.T) {
		r := signup(map[string]any{"role": "BUSINESS", "company": map[string]any{"name": "Firma SRL", "cui": "RO18547291"}})
		require.Equal(t, http.StatusBadRequest, r.StatusCode)
		require.Equal(t, []string{"company.cui"}, r.Err(t).Fields())
	})
	t.Run("ErrBusinessWithoutCompany", func(t *testing.T) {
		r := signup(map[string]any{"role": "BUSINESS"})
		require.Equal(t, http.StatusBadRequest, r.StatusCode)
		require.Contains(t, r.Err(t).Fields(), "company")
	})
	t.Run("ErrStaffRole", func(t *testing.T) {
		r := signup(map[string]any{"role": "ADMIN"})
		require.Equal(t, http.StatusBadRequest, r.StatusCode)
		require.Equal(t, []string{"role"}, r.Err(t).Fields())
	})
	t.Run("ErrEveryInvalidFieldAtOnce", func(t *testing.T) {
		r := signup(map[string]any{"email": "not-an-email", "password": "1234567890", "name": "I", "phone": "12",
			"role": "BUSINESS", "company": map[string]any{"name": "F", "county": "Bavaria", "postalCode": "4000"}},
		)
		require.Equal(t, http.StatusBadRequest, r.StatusCode)
		require.ElementsMatch(t, []string{"email", "password", "name", "phone", "company.name", "company.county", "company.postalCode"},
			r.Err(t).Fields())
		require.Equal(t, 0, countUsers(t, api), "bad input changes nothing")
	})
	t.Run("ErrUnknownField", func(t *testing.T) {
		r := signup(map[string]any{"isAdmin": true})
		require.Equal(t, http.StatusBadRequest, r.StatusCode)
		require.Equal(t, []string{"isAdmin"}, r.Err(t).Fields())
	})
	t.Run("ErrOversizedBody", func(t *testing.T) {
		r := signup(map[string]any{"name": strings.Repeat("a", 2<<20)})
		require.Equal(t, http.StatusRequestEntityTooLarge, r.StatusCode)
		require.Equal(t, "too_large", r.Err(t).Code)
	})
	t.Run("EnglishMessages", func(t *testing.T) {
		r := api.Do(http.MethodPost, "/api/auth/signup", map[string]any{"email": "dublura@firma.ro", "password": testPassword,
			"name": "Ion", "role": "INDIVIDUAL"}, "", "Accept-Language", "en")
		require.Equal(t, "An account with this email already exists.", r.Err(t).Error)
	})
}

func countUsers(t *testing.T, api *apiEnv) int {
	var n int
	require.NoError(t, api.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM users WHERE email NOT LIKE 'dublura%'`).Scan(&n))
	return n
}

func TestAuth_Login(t *testing.T) {
	api := MustStartAPI(t, nil, apphttp.Deps{})
	api.MustSignup("client@firma.ro")
	login := func(email, pw string) apiResponse {
		return api.Do(http.MethodPost, "/api/auth/login", map[string]any{"email": email, "password": pw}, "")
	}

	t.Run("ErrWrongPasswordAndUnknownEmailLookTheSame", func(t *testing.T) {
		wrong := login("client@firma.ro", "parola-gresita-1")
		unknown := login("nimeni@firma.ro", testPassword)
		require.Equal(t, http.StatusUnauthorized, wrong.StatusCode)
		require.Equal(t, http.StatusUnauthorized, unknown.StatusCode)
		require.Equal(t, "Email sau parolă incorectă.", wrong.Err(t).Error)
		require.Equal(t, string(wrong.Body), string(unknown.Body))
	})
	t.Run("LongPasswordsKeepEveryByte", func(t *testing.T) {
		// bcrypt alone would read only the first 72 bytes of this passphrase.
		long := strings.Repeat("oțel-beton-", 8) + "final"
		r := api.Do(http.MethodPost, "/api/auth/signup", map[string]any{"email": "lung@firma.ro", "password": long,
			"name": "Ion Lung", "role": "INDIVIDUAL"}, "")
		require.Equal(t, http.StatusCreated, r.StatusCode, "body: %s", r.Body)
		api.MustLogin("lung@firma.ro", long)
		prefix := string([]byte(long)[:72])
		require.Equal(t, http.StatusUnauthorized, login("lung@firma.ro", prefix).StatusCode)
		require.Equal(t, http.StatusUnauthorized, login("lung@firma.ro", prefix+"altceva").StatusCode)
	})
	t.Run("SuccessesDoNotCount", func(t *testing.T) {
		for i := 0; i < 6; i++ {
			api.MustLogin("client@firma.ro", testPassword)
		}
	})
	t.Run("ErrSixthFailedLogin", func(t *testing.T) {
		api := MustStartAPI(t, nil, apphttp.Deps{}) // a fresh limiter
		api.MustSignup("client@firma.ro")
		for i := 0; i < 5; i++ {
			r := api.Do(http.MethodPost, "/api/auth/login", map[string]any{"email": "client@firma.ro", "password": "parola-gresita-1"}, "")
			require.Equal(t, http.StatusUnauthorized, r.StatusCode, "attempt %d", i+1)
		}
		r := api.Do(http.MethodPost, "/api/auth/login", map[string]any{"email": "client@firma.ro", "password": testPassword}, "")
		require.Equal(t, http.StatusTooManyRequests, r.StatusCode, "the sixth attempt waits, even with the right password")
		// The window is 15 minutes; a slow machine may have spent one of them already.
		require.Regexp(t, `^Prea multe încercări de autentificare eșuate\. Încearcă din nou peste 1[45] minute, sau resetează-ți parola chiar acum \(„Ai uitat parola\?”\)\.$`, r.Err(t).Error,
			"says when, and that a reset works meanwhile")
		require.NotEmpty(t, r.Header.Get("Retry-After"))
		r = api.Do(http.MethodPost, "/api/auth/login", map[string]any{"email": "client@firma.ro", "password": testPassword}, "", "Accept-Language", "en")
		require.Regexp(t, `Try again in 1[45] minutes, or reset your password now`, r.Err(t).Error)
	})
}

func TestAuth_CORS(t *testing.T) {
	api := MustStartAPI(t, nil, apphttp.Deps{})
	preflight := func(origin string) *http.Response {
		req, _ := http.NewRequest(http.MethodOptions, api.URL+"/api/auth/login", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "content-type")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	require.Equal(t, "http://localhost:8080", preflight("http://localhost:8080").Header.Get("Access-Control-Allow-Origin"))
	require.Empty(t, preflight("https://evil.example").Header.Get("Access-Control-Allow-Origin"))
}

func TestAuth_ResendVerification(t *testing.T) {
	api := MustStartAPI(t, nil, apphttp.Deps{})
	s := api.MustSignup("retrimite@firma.ro")
	first := api.EmailToken("verify_email", s.Email)
	r := api.Do(http.MethodPost, "/api/auth/verify-email/resend", nil, s.Access)
	require.Equal(t, http.StatusAccepted, r.StatusCode, "body: %s", r.Body)
	second := api.EmailToken("verify_email", s.Email)
	require.NotEqual(t, first, second)
	require.Equal(t, http.StatusBadRequest, api.Do(http.MethodPost, "/api/auth/verify-email", map[string]any{"token": first}, "").StatusCode,
		"only the newest link works")
	require.Equal(t, http.StatusOK, api.Do(http.MethodPost, "/api/auth/verify-email", map[string]any{"token": second}, "").StatusCode)
	r = api.Do(http.MethodPost, "/api/auth/verify-email/resend", nil, s.Access)
	require.Equal(t, http.StatusConflict, r.StatusCode)
	require.Equal(t, http.StatusUnauthorized, api.Do(http.MethodPost, "/api/auth/verify-email/resend", nil, "").StatusCode)

	t.Run("ErrVerificationTokenExpires", func(t *testing.T) {
		s := api.MustSignup("tarziu@firma.ro")
		tok := api.EmailToken("verify_email", s.Email)
		api.Clock.Advance(24*time.Hour + time.Second)
		require.Equal(t, http.StatusBadRequest, api.Do(http.MethodPost, "/api/auth/verify-email", map[string]any{"token": tok}, "").StatusCode)
	})
}

func TestAuth_ResetPassword(t *testing.T) {
	api := MustStartAPI(t, nil, apphttp.Deps{})
	s1 := api.MustSignup("uituc@firma.ro")
	s2 := api.MustLogin("uituc@firma.ro", testPassword)

	r := api.Do(http.MethodPost, "/api/auth/reset-password", map[string]any{"email": "nimeni@firma.ro"}, "")
	require.Equal(t, http.StatusAccepted, r.StatusCode)
	unknownBody := r.Body
	require.Nil(t, api.LastEmail("password_reset", "nimeni@firma.ro"))

	r = api.Do(http.MethodPost, "/api/auth/reset-password", map[string]any{"email": "Uituc@firma.ro"}, "")
	require.Equal(t, http.StatusAccepted, r.StatusCode)
	require.Equal(t, string(unknownBody), string(r.Body), "the answer does not say whether the account exists")
	token := api.EmailToken("password_reset", "uituc@firma.ro")
	require.NoError(t, mail.Validate("password_reset", api.LastEmail("password_reset", "uituc@firma.ro")))

	const newPassword = "profil-zincat-nou-7"
	r = api.Do(http.MethodPost, "/api/auth/reset-password/confirm", map[string]any{"token": token, "password": "scurt"}, "")
	require.Equal(t, http.StatusBadRequest, r.StatusCode)
	require.Equal(t, []string{"password"}, r.Err(t).Fields())

	r = api.Do(http.MethodPost, "/api/auth/reset-password/confirm", map[string]any{"token": token, "password": newPassword}, "")
	require.Equal(t, http.StatusNoContent, r.StatusCode, "body: %s", r.Body)

	for _, s := range []session{s1, s2} {
		require.Equal(t, http.StatusUnauthorized, api.Do(http.MethodGet, "/api/users/me", nil, s.Access).StatusCode,
			"every session ends with a reset")
		require.Equal(t, http.StatusUnauthorized,
			api.Do(http.MethodPost, "/api/auth/refresh", map[string]any{"refreshToken": s.Refresh}, "").StatusCode)
	}
	require.Equal(t, http.StatusUnauthorized, api.Do(http.MethodPost, "/api/auth/login",
		map[string]any{"email": "uituc@firma.ro", "password": testPassword}, "").StatusCode)
	s3 := api.MustLogin("uituc@firma.ro", newPassword)
	require.Equal(t, true, api.Do(http.MethodGet, "/api/users/me", nil, s3.Access).JSON(t)["emailVerified"],
		"the reset link proved the address")

	t.Run("ErrTokenReused", func(t *testing.T) {
		r := api.Do(http.MethodPost, "/api/auth/reset-password/confirm", map[string]any{"token": token, "password": "alta-parola-lunga-9"}, "")
		require.Equal(t, http.StatusBadRequest, r.StatusCode)
	})
	t.Run("ErrTokenExpired", func(t *testing.T) {
		api.Do(http.MethodPost, "/api/auth/reset-password", map[string]any{"email": "uituc@firma.ro"}, "")
		token := api.EmailToken("password_reset", "uituc@firma.ro")
		api.Clock.Advance(time.Hour + time.Second)
		r := api.Do(http.MethodPost, "/api/auth/reset-password/confirm", map[string]any{"token": token, "password": "alta-parola-lunga-9"}, "")
		require.Equal(t, http.StatusBadRequest, r.StatusCode)
	})
	t.Run("ErrInvalidEmail", func(t *testing.T) {
		r := api.Do(http.MethodPost, "/api/auth/reset-password", map[string]any{"email": "x"}, "")
		require.Equal(t, http.StatusBadRequest, r.StatusCode)
	})
}

func TestAuth_AccountRateLimit(t *testing.T) {
	api := MustStartAPI(t, func(c *apphttp.Config) { c.RateLimits.Account = apphttp.Limit{Max: 2, Window: time.Hour} }, apphttp.Deps{})
	for i := 0; i < 2; i++ {
		r := api.Do(http.MethodPost, "/api/auth/reset-password", map[string]any{"email": "a@firma.ro"}, "")
		require.Equal(t, http.StatusAccepted, r.StatusCode)
	}
	r := api.Do(http.MethodPost, "/api/auth/reset-password", map[string]any{"email": "a@firma.ro"}, "")
	require.Equal(t, http.StatusTooManyRequests, r.StatusCode)
	require.NotEmpty(t, r.Header.Get("Retry-After"))
	r = api.Do(http.MethodPost, "/api/auth/signup", map[string]any{"email": "b@firma.ro", "password": testPassword, "name": "Ion B", "role": "INDIVIDUAL"}, "")
	require.Equal(t, http.StatusTooManyRequests, r.StatusCode, "signup shares the limit")
}

var _ = json.Marshal
