package apphttp_test

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

func TestCart_API(t *testing.T) {
	s := MustStartShop(t, nil)

	t.Run("EmptyCartMakesNoSession", func(t *testing.T) {
		v := s.NewVisitor(t)
		r := v.Do(http.MethodGet, "/api/cart", nil)
		require.Equal(t, http.StatusOK, r.StatusCode)
		require.Empty(t, r.Header.Values("Set-Cookie"), "a read-only visit creates no session")
		require.JSONEq(t, `{"id":null,"items":[],"itemCount":0,"estimatedTotal":0,"currency":"RON","updatedAt":null,"expiresAt":null}`, string(r.Body))
		var n int
		require.NoError(t, s.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM sessions`).Scan(&n))
		require.Zero(t, n)
	})

	t.Run("AddUpdateRemove", func(t *testing.T) {
		v := s.NewVisitor(t)
		r := v.Do(http.MethodPost, "/api/cart/items", `{"productId":"`+s.cat.Pipe+`","quantity":6.5,"unit":"m","specs":{"cutToLength":true,"lengthM":3.25}}`)
		require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
		require.NotEmpty(t, r.Header.Values("Set-Cookie"), "the first write starts the guest session")
		var c cartJSON
		r.JSON(t, &c)
		require.Len(t, c.Items, 1)
		require.Equal(t, 331.5, *c.Items[0].LineTotal)
		require.Equal(t, "RON", c.Currency)

		c = v.MustAdd(s.cat.Sheet, 3, "pcs")
		c = v.MustAdd(s.cat.Sheet, 2, "pcs")
		require.Len(t, c.Items, 2, "the same product and unit again adds up")
		require.Equal(t, 5.0, c.Items[1].Quantity)
		require.Equal(t, 331.5+5*175.84, c.EstimatedTotal)

		r = v.Do(http.MethodPatch, "/api/cart/items/"+c.Items[1].ID, `{"quantity":157,"unit":"kg"}`)
		require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
		r.JSON(t, &c)
		require.Equal(t, 5.6, *c.Items[1].UnitPrice, "175.84 RON a 31.4 kg sheet is 5.60 RON/kg")
		require.Equal(t, 879.2, *c.Items[1].LineTotal)

		r = v.Do(http.MethodPatch, "/api/cart/items/"+c.Items[0].ID, `{"specs":null}`)
		require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
		r.JSON(t, &c)
		require.JSONEq(t, `null`, string(c.Items[0].Specs))

		r = v.Do(http.MethodDelete, "/api/cart/items/"+c.Items[0].ID, nil)
		require.Equal(t, http.StatusOK, r.StatusCode)
		r.JSON(t, &c)
		require.Len(t, c.Items, 1)

		r = v.Do(http.MethodDelete, "/api/cart", nil)
		require.Equal(t, http.StatusNoContent, r.StatusCode)
		require.Empty(t, v.Cart().Items)
	})

	t.Run("ErrOtherCartsItem", func(t *testing.T) {
		alice, bob := s.NewVisitor(t), s.NewVisitor(t)
		c := alice.MustAdd(s.cat.Wire, 10, "kg")
		bob.MustAdd(s.cat.Wire, 1, "kg")
		for _, r := range []shopResponse{
			bob.Do(http.MethodPatch, "/api/cart/items/"+c.Items[0].ID, `{"quantity":1}`),
			bob.Do(http.MethodDelete, "/api/cart/items/"+c.Items[0].ID, nil),
			s.NewVisitor(t).Do(http.MethodDelete, "/api/cart/items/"+c.Items[0].ID, nil),
		} {
			require.Equal(t, http.StatusNotFound, r.StatusCode)
			require.Equal(t, "not_found", r.Err(t).Code)
		}
		require.Equal(t, 10.0, alice.Cart().Items[0].Quantity)
	})

	t.Run("ErrBadItems", func(t *testing.T) {
		cases := []struct {
			name, body, field string
		}{
			{"InactiveProduct", `{"productId":"` + s.cat.Inactive + `","quantity":1,"unit":"m"}`, "productId"},
			{"WrongUnit", `{"productId":"` + s.cat.Wire + `","quantity":1,"unit":"pcs"}`, "unit"},
			{"HugeQuantity", `{"productId":"` + s.cat.Wire + `","quantity":1e309,"unit":"kg"}`, "quantity"},
			{"OverMaximum", `{"productId":"` + s.cat.Wire + `","quantity":1000001,"unit":"kg"}`, "quantity"},
			{"Negative", `{"productId":"` + s.cat.Wire + `","quantity":-1,"unit":"kg"}`, "quantity"},
			{"Zero", `{"productId":"` + s.cat.Wire + `","quantity":0,"unit":"kg"}`, "quantity"},
			{"FractionalPieces", `{"productId":"` + s.cat.Sheet + `","quantity":1.5,"unit":"pcs"}`, "quantity"},
			{"QuantityAsString", `{"productId":"` + s.cat.Wire + `","quantity":"5","unit":"kg"}`, "quantity"},
			{"QuantityMissing", `{"productId":"` + s.cat.Wire + `","unit":"kg"}`, "quantity"},
			{"PriceFromClient", `{"productId":"` + s.cat.Wire + `","quantity":1,"unit":"kg","unitPrice":0.01}`, "unitPrice"},
			{"SpecsTooDeep", `{"productId":"` + s.cat.Pipe + `","quantity":1,"unit":"m","specs":{"a":[1]}}`, "specs"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				v := s.NewVisitor(t)
				r := v.Do(http.MethodPost, "/api/cart/items", tc.body, "Accept-Language", "en")
				require.Equal(t, http.StatusBadRequest, r.StatusCode, "%s", r.Body)
				e := r.Err(t)
				require.Equal(t, "invalid", e.Code)
				require.NotEmpty(t, e.Details)
				require.Equal(t, tc.field, e.Details[0].Field, "%s", r.Body)
				require.Empty(t, r.Header.Values("Set-Cookie"), "a refused item starts no session")
			})
		}
		t.Run("NaNIsNotJSON", func(t *testing.T) {
			r := s.NewVisitor(t).Do(http.MethodPost, "/api/cart/items", `{"productId":"`+s.cat.Wire+`","quantity":NaN,"unit":"kg"}`)
			require.Equal(t, http.StatusBadRequest, r.StatusCode)
		})
		t.Run("RomanianMessages", func(t *testing.T) {
			r := s.NewVisitor(t).Do(http.MethodPost, "/api/cart/items", `{"productId":"`+s.cat.Sheet+`","quantity":1.5,"unit":"pcs"}`)
			require.Equal(t, "Bucățile se comandă în număr întreg.", r.Err(t).Details[0].Message)
		})
	})
}

func TestCart_GuestCartSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "restart.db")
	db := storetest.MustOpenAt(t, path, store.Options{})
	srv1 := httptest.NewServer(apphttp.NewServerOver(db, nil).Handler())
	s := &shop{URL: srv1.URL, DB: db, cat: storetest.MustCreateCatalog(t, db)}
	v := s.NewVisitor(t)
	v.MustAdd(s.cat.Pipe, 12, "m")
	srv1.Close()
	require.NoError(t, db.Close())

	db2 := storetest.MustOpenAt(t, path, store.Options{})
	srv2 := httptest.NewServer(apphttp.NewServerOver(db2, nil).Handler())
	defer srv2.Close()
	// the cookie jar is keyed by host, and both servers listen on 127.0.0.1
	s.URL = srv2.URL
	c := v.Cart()
	require.Len(t, c.Items, 1)
	require.Equal(t, 612.0, c.EstimatedTotal)
}

func TestCart_SurvivesLogin(t *testing.T) {
	s := MustStartShop(t, nil)

	// The account already has 6 m of pipe from another device.
	other := s.NewVisitor(t)
	other.Signup("buyer@example.ro")
	other.MustAdd(s.cat.Pipe, 6, "m")

	v := s.NewVisitor(t)
	v.MustAdd(s.cat.Pipe, 4, "m")
	v.MustAdd(s.cat.Wire, 25.5, "kg")
	v.Login("buyer@example.ro")
	c := v.Cart()
	got := map[string]float64{}
	for _, it := range c.Items {
		got[it.Product.SKU+"/"+it.Unit] = it.Quantity
	}
	require.Equal(t, map[string]float64{"TR-40x40x3/m": 10, "SR-6/kg": 25.5}, got)
	require.Equal(t, 10*51+25.5*7.2, c.EstimatedTotal)
	require.Len(t, other.Cart().Items, 2, "the same account cart on every device")

	v.token = "" // signed out: the guest cart was merged away
	require.Empty(t, v.Cart().Items)
}
