package apphttp_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/bom"
	"github.com/metalpro/backend/store/storetest"
)

const journeyBOM = "Listă de materiale – hală;;;\n;;;\nNr.;Denumire;Cant.;U.M.\n" +
	"1;Teava rect. 40x20x2 S235 L=6m;12;buc\n" + // matched: 12 bars, 72 m
	"2;HEA 200 S355;24;ml\n" + // matched
	"3;tabla zincata 0,5 mm;10;buc\n" + // ambiguous: which size? the buyer picks
	"4;Surub M12x40;100;buc\n" // not sold: skipped

// The BOM journey: a guest's BOM is mapped, the buyer accepts two rows, picks an
// alternative for the ambiguous one and skips the unknown one; one call puts them in the
// cart; signed in, they save the mapping with its file id as a project and reopen it.
func TestCartBOM_Journey(t *testing.T) {
	db := storetest.MustOpenSeeded(t) // a BOM maps the way it does in production
	s := startFileShopOn(t, db, nil, &bom.Mapper{DB: db}, nil)
	guest := s.NewVisitor(t)
	up := guest.UploadBytes("/api/upload/bom", "Listă hală.csv", []byte(journeyBOM))
	require.Equal(t, http.StatusCreated, up.StatusCode, "%s", up.Body)
	var uploaded struct {
		File struct {
			ID string `json:"id"`
		} `json:"file"`
		BOM bom.Result `json:"bom"`
	}
	up.JSON(t, &uploaded)
	res := uploaded.BOM
	require.Len(t, res.Rows, 4)
	require.Equal(t, bom.Summary{Total: 4, Matched: 2, Ambiguous: 1, Unmatched: 1}, res.Summary)

	var rows []bom.CartLine
	for _, r := range res.Rows {
		switch r.Status {
		case bom.StatusMatched:
			rows = append(rows, *r.CartLine) // accept
		case bom.StatusAmbiguous:
			require.NotEmpty(t, r.Alternatives)
			pick := *r.CartLine
			pick.ProductID = r.Alternatives[0].ProductID // pick an alternative
			rows = append(rows, pick)
		}
	}
	require.Len(t, rows, 3)

	r := guest.Do(http.MethodPost, "/api/cart/bom", map[string]any{"rows": rows})
	require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
	cart := guest.Cart()
	require.Len(t, cart.Items, 3)
	require.Equal(t, 72.0, cart.Items[0].Quantity, "12 bars of 6 m")
	require.Equal(t, "m", cart.Items[0].Unit)
	require.Equal(t, res.Rows[0].Match.PricePerUnit, *cart.Items[0].UnitPrice, "the catalog's price")
	require.Equal(t, res.Rows[2].Alternatives[0].ProductID, cart.Items[2].ProductID)

	// Signed in, the guest cart joins the account and the mapping is saved with its file.
	guest.Signup("bom@firma.ro")
	fileID := uploaded.File.ID // the guest's upload followed the sign-up
	r = guest.Do(http.MethodPost, "/api/projects", map[string]any{
		"name": "Hală Cluj", "fileName": "hala.csv", "bomData": map[string]any{"fileId": fileID, "bom": res}})
	require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
	var created struct {
		ID string `json:"id"`
	}
	r.JSON(t, &created)

	r = guest.Do(http.MethodGet, "/api/projects/"+created.ID, nil)
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	var reopened struct {
		BOMData struct {
			FileID string     `json:"fileId"`
			BOM    bom.Result `json:"bom"`
		} `json:"bomData"`
	}
	r.JSON(t, &reopened)
	require.Equal(t, fileID, reopened.BOMData.FileID)
	want, err := json.Marshal(res)
	require.NoError(t, err)
	got, err := json.Marshal(reopened.BOMData.BOM)
	require.NoError(t, err)
	require.JSONEq(t, string(want), string(got), "the mapping reopens as it was saved")

	// The reopened mapping is ready for the cart again: the same rows add up.
	r = guest.Do(http.MethodPost, "/api/cart/bom", map[string]any{"rows": []bom.CartLine{*reopened.BOMData.BOM.Rows[1].CartLine}})
	require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
	require.Equal(t, 48.0, guest.Cart().Items[1].Quantity)
}

func TestCartBOM_AllOrNothing(t *testing.T) {
	s := MustStartShop(t, nil)
	v := s.NewVisitor(t)
	r := v.Do(http.MethodPost, "/api/cart/items", map[string]any{"productId": s.cat.Pipe, "quantity": 6, "unit": "m"})
	require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)

	r = v.Do(http.MethodPost, "/api/cart/bom", `{"rows": [
		{"line": 4, "productId": "`+s.cat.Pipe+`", "quantity": 12, "unit": "m"},
		{"line": 5, "productId": "`+s.cat.Sheet+`", "quantity": 2, "unit": "m"},
		{"line": 6, "productId": "`+s.cat.Wire+`", "quantity": "12", "unit": "kg"},
		{"line": 7, "productId": "`+s.cat.Inactive+`", "quantity": 1, "unit": "m"}]}`, "Accept-Language", "en")
	require.Equal(t, http.StatusBadRequest, r.StatusCode, "%s", r.Body)
	e := r.Err(t)
	fields := map[string]string{}
	for _, d := range e.Details {
		fields[d.Field] = d.Message
	}
	require.Contains(t, fields, "rows[2].quantity", "a quantity that is not a number")
	require.Len(t, fields, 1, "the form is checked before the catalog: %v", fields)

	r = v.Do(http.MethodPost, "/api/cart/bom", `{"rows": [
		{"line": 4, "productId": "`+s.cat.Pipe+`", "quantity": 12, "unit": "m"},
		{"line": 5, "productId": "`+s.cat.Sheet+`", "quantity": 2, "unit": "m"},
		{"line": 7, "productId": "`+s.cat.Inactive+`", "quantity": 1, "unit": "m"}]}`)
	require.Equal(t, http.StatusBadRequest, r.StatusCode, "%s", r.Body)
	fields = map[string]string{}
	for _, d := range r.Err(t).Details {
		fields[d.Field] = d.Message
	}
	require.Contains(t, fields, "rows[1].unit")
	require.Contains(t, fields, "rows[2].productId")
	require.True(t, strings.HasPrefix(fields["rows[1].unit"], "Linia 5: "), "%q", fields["rows[1].unit"])
	cart := v.Cart()
	require.Len(t, cart.Items, 1, "nothing of a refused BOM is added")
	require.Equal(t, 6.0, cart.Items[0].Quantity)

	t.Run("NoPriceFromTheClient", func(t *testing.T) {
		r := v.Do(http.MethodPost, "/api/cart/bom", `{"rows": [{"productId": "`+s.cat.Pipe+`", "quantity": 1, "unit": "m", "unitPrice": 0.01}]}`)
		require.Equal(t, http.StatusBadRequest, r.StatusCode, "%s", r.Body)
	})
	t.Run("NoRows", func(t *testing.T) {
		r := v.Do(http.MethodPost, "/api/cart/bom", `{"rows": []}`)
		require.Equal(t, http.StatusBadRequest, r.StatusCode, "%s", r.Body)
		require.Equal(t, "rows", r.Err(t).Details[0].Field)
	})
}
