package apphttp_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/internal/testclock"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// mustStartSeededAPI is MustStartAPI over a copy of the seeded catalog.
func mustStartSeededAPI(tb testing.TB) *apiEnv {
	tb.Helper()
	clock := testclock.New(time.Now().UTC().Truncate(time.Millisecond))
	db := storetest.MustOpenSeededWith(tb, store.Options{Now: clock.Now, PasswordCost: bcrypt.MinCost})
	cfg := apphttp.Config{Env: "development", FrontendURL: "http://localhost:8080",
		CORSOrigins: []string{"http://localhost:8080"}, JWTSecret: "test-secret-test-secret-test-secret!"}
	cfg.RateLimits.NewGuests, cfg.RateLimits.NewGuestsPerIP = apphttp.Limit{Window: time.Minute}, apphttp.Limit{Window: time.Minute}
	srv := httptest.NewServer(apphttp.NewServer(db, cfg, apphttp.Deps{}).Handler())
	tb.Cleanup(srv.Close)
	return &apiEnv{t: tb, URL: srv.URL, DB: db, Clock: clock}
}

type searchAnswer struct {
	Products []struct {
		SKU string `json:"sku"`
	} `json:"products"`
	Match   *string `json:"match"`
	Explain *struct {
		Query struct {
			Terms []struct {
				Text   string   `json:"text"`
				Kind   string   `json:"kind"`
				Tokens []string `json:"tokens"`
			} `json:"terms"`
			Nominal *struct {
				DN int     `json:"dn"`
				OD float64 `json:"od"`
			} `json:"nominal"`
			Excluded []string `json:"excluded"`
		} `json:"query"`
		Results []struct {
			SKU   string `json:"sku"`
			Parts []struct {
				Name  string  `json:"name"`
				Value float64 `json:"value"`
			} `json:"parts"`
		} `json:"results"`
	} `json:"explain"`
}

func decodeSearch(t *testing.T, r apiResponse) searchAnswer {
	t.Helper()
	require.Equal(t, http.StatusOK, r.StatusCode, "body: %s", r.Body)
	var a searchAnswer
	require.NoError(t, json.Unmarshal(r.Body, &a))
	return a
}

// TestProducts_SearchMatchAndExplain: the storefront learns whether it shows exact or
// closest matches; staff (and only staff) see how a query was parsed and ranked.
func TestProducts_SearchMatchAndExplain(t *testing.T) {
	env := mustStartSeededAPI(t)
	_, err := env.DB.CreateStaff(context.Background(), store.Signup{Email: "operator@metalpro.ro", Password: testPassword, Name: "Ana Operator", Role: store.RoleOperator})
	require.NoError(t, err)
	operator := env.MustLogin("operator@metalpro.ro", testPassword)
	buyer := env.MustSignup("cumparator@example.ro")

	path := func(q string, explain bool) string {
		v := url.Values{"q": {q}, "limit": {"5"}}
		if explain {
			v.Set("explain", "true")
		}
		return "/api/products?" + v.Encode()
	}

	t.Run("match flag", func(t *testing.T) {
		a := decodeSearch(t, env.Do(http.MethodGet, path("profil u 100", false), nil, ""))
		require.Equal(t, "UPN-100-S235", a.Products[0].SKU)
		require.Equal(t, "all", *a.Match)
		a = decodeSearch(t, env.Do(http.MethodGet, path("teava rectangulara 50x50x4", false), nil, ""))
		require.Equal(t, "TP-50x50x4-S235", a.Products[0].SKU)
		require.Equal(t, "partial", *a.Match)
		a = decodeSearch(t, env.Do(http.MethodGet, "/api/products?limit=1", nil, ""))
		require.Nil(t, a.Match, "no query, no match flag")
	})

	t.Run("explain is ignored for guests and buyers", func(t *testing.T) {
		for _, token := range []string{"", buyer.Access} {
			r := env.Do(http.MethodGet, path("teava 3/4", true), nil, token)
			a := decodeSearch(t, r)
			require.Nil(t, a.Explain)
			require.Equal(t, "TAN-DN20-M", a.Products[0].SKU)
			require.Contains(t, r.Header.Get("Cache-Control"), "public")
		}
	})

	t.Run("explain for staff", func(t *testing.T) {
		r := env.Do(http.MethodGet, path("teava 3/4 -zincata", true), nil, operator.Access)
		a := decodeSearch(t, r)
		require.Equal(t, "private, no-store", r.Header.Get("Cache-Control"))
		require.NotNil(t, a.Explain)
		require.Equal(t, "TAN-DN20-M", a.Products[0].SKU)
		require.NotNil(t, a.Explain.Query.Nominal)
		require.Equal(t, 20, a.Explain.Query.Nominal.DN)
		require.Equal(t, 26.9, a.Explain.Query.Nominal.OD)
		require.Equal(t, []string{"zincata"}, a.Explain.Query.Excluded)
		require.Len(t, a.Explain.Query.Terms, 2)
		require.Equal(t, "dimension", a.Explain.Query.Terms[1].Kind)
		require.Equal(t, []string{"3_4in", "dn20"}, a.Explain.Query.Terms[1].Tokens)
		require.Len(t, a.Explain.Results, len(a.Products))
		for i, res := range a.Explain.Results {
			require.Equal(t, a.Products[i].SKU, res.SKU)
		}
		require.Equal(t, "exactSize", a.Explain.Results[0].Parts[0].Name)
		require.Equal(t, 1.0, a.Explain.Results[0].Parts[0].Value)

		// The explained answer is not cached for the public: a guest asking next gets none.
		guest := decodeSearch(t, env.Do(http.MethodGet, path("teava 3/4 -zincata", true), nil, ""))
		require.Nil(t, guest.Explain)
	})
}
