package apphttp_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/http/apitest"
	"github.com/metalpro/backend/store"
)

// catalogClient talks to a real server on 127.0.0.1 over a seeded database.
type catalogClient struct {
	t   *testing.T
	url string
	db  *store.DB
}

func MustCatalogClient(t *testing.T) *catalogClient {
	t.Helper()
	s, db := apphttp.MustCatalogServerForTest(t)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return &catalogClient{t: t, url: srv.URL, db: db}
}

// get sends GET path with optional headers (name, value pairs), checks the answer
// against the OpenAPI document, and returns it with its body.
func (c *catalogClient) get(path string, headers ...string) (*http.Response, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.url+path, nil)
	require.NoError(c.t, err)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(c.t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	resp.Body.Close()
	apitest.Check(c.t, req, resp, body)
	return resp, body
}

type productJSON struct {
	ID           string          `json:"id"`
	SKU          string          `json:"sku"`
	Title        string          `json:"title"`
	Grade        *string         `json:"grade"`
	Standard     *string         `json:"standard"`
	Availability string          `json:"availability"`
	BaseUnit     string          `json:"baseUnit"`
	PricePerUnit float64         `json:"pricePerUnit"`
	Weight       *float64        `json:"weight"`
	LengthM      *float64        `json:"lengthM"`
	Metadata     json.RawMessage `json:"metadata"`
	Category     struct{ ID, Slug, Name string }
}

type listJSON struct {
	Products   []productJSON
	Pagination struct{ Page, Limit, Total, TotalPages int }
	Facets     map[string][]struct {
		Value string
		Count int
	}
}

func (c *catalogClient) list(query string) listJSON {
	c.t.Helper()
	resp, body := c.get("/api/products?" + query)
	require.Equal(c.t, http.StatusOK, resp.StatusCode, "%s", body)
	var out listJSON
	require.NoError(c.t, json.Unmarshal(body, &out))
	return out
}

func TestCatalog_Categories(t *testing.T) {
	c := MustCatalogClient(t)
	resp, body := c.get("/api/categories")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var out struct {
		Categories []struct {
			Slug, Name   string
			SortOrder    int
			ProductCount int
		}
	}
	require.NoError(t, json.Unmarshal(body, &out))
	require.GreaterOrEqual(t, len(out.Categories), 10)
	total := 0
	for i, cat := range out.Categories {
		require.Positive(t, cat.ProductCount, cat.Slug)
		if i > 0 {
			require.Less(t, out.Categories[i-1].SortOrder, cat.SortOrder)
		}
		total += cat.ProductCount
	}
	require.GreaterOrEqual(t, total, 3000)
	require.Equal(t, "Țevi rectangulare", out.Categories[0].Name)
}

func TestCatalog_Products(t *testing.T) {
	c := MustCatalogClient(t)

	t.Run("DefaultPage", func(t *testing.T) {
		l := c.list("")
		require.Len(t, l.Products, 24)
		require.Equal(t, 1, l.Pagination.Page)
		require.Equal(t, 24, l.Pagination.Limit)
		require.GreaterOrEqual(t, l.Pagination.Total, 3000)
		require.Equal(t, (l.Pagination.Total+23)/24, l.Pagination.TotalPages)
		sum := 0
		for _, f := range l.Facets["availability"] {
			sum += f.Count
		}
		require.Equal(t, l.Pagination.Total, sum)
		require.NotEmpty(t, l.Facets["grade"])
		require.NotEmpty(t, l.Facets["standard"])
	})

	t.Run("SearchPutsTheRightPipeFirst", func(t *testing.T) {
		for _, q := range []string{"teava 40x20x2", "țeavă 40 x 20 x 2", "Teava rect 40X20X2"} {
			l := c.list("q=" + url.QueryEscape(q))
			require.NotEmpty(t, l.Products, q)
			p := l.Products[0]
			require.Equal(t, "TR-40x20x2-S235", p.SKU, q)
			require.Equal(t, "Țeavă rectangulară 40x20x2 S235JR", p.Title)
			require.Equal(t, "m", p.BaseUnit)
			require.InDelta(t, 1.68, *p.Weight, 0.01)
			require.Equal(t, 6.0, *p.LengthM)
			require.Equal(t, "tevi-rectangulare", p.Category.Slug)
		}
		l := c.list("q=" + url.QueryEscape("HE 200 A"))
		require.Equal(t, "HEA-200-S235", l.Products[0].SKU)
		require.Equal(t, 42.3, *l.Products[0].Weight)
	})

	t.Run("Filters", func(t *testing.T) {
		l := c.list("category=tevi-rectangulare&availability=in_stock&grade=S355J2&minPrice=20&maxPrice=100&limit=100")
		require.NotEmpty(t, l.Products)
		for _, p := range l.Products {
			require.Equal(t, "tevi-rectangulare", p.Category.Slug)
			require.Equal(t, "in_stock", p.Availability)
			require.Equal(t, "S355J2", *p.Grade)
			require.GreaterOrEqual(t, p.PricePerUnit, 20.0)
			require.LessOrEqual(t, p.PricePerUnit, 100.0)
		}
		// The grade facet offers the other grades (counted with every other filter), and
		// the chosen one's count is the list's total.
		grades := map[string]int{}
		for _, g := range l.Facets["grade"] {
			grades[g.Value] = g.Count
		}
		require.Equal(t, l.Pagination.Total, grades["S355J2"])
		require.Contains(t, grades, "S235JR", "a filtered facet still shows the alternatives")
		s235 := c.list("category=tevi-rectangulare&availability=in_stock&grade=S235JR&minPrice=20&maxPrice=100&limit=1")
		require.Equal(t, s235.Pagination.Total, grades["S235JR"], "alternatives are counted within the other filters")
		availSum := 0
		for _, a := range l.Facets["availability"] {
			availSum += a.Count
		}
		require.GreaterOrEqual(t, availSum, l.Pagination.Total)
		for _, st := range l.Facets["standard"] {
			require.LessOrEqual(t, st.Count, l.Pagination.Total, "unfiltered facets count within the whole filter")
		}

		two := c.list("grade=" + url.QueryEscape("1.4301/304,1.4404/316L") + "&standard=" + url.QueryEscape("EN 10088-2") + "&limit=100")
		require.NotZero(t, two.Pagination.Total)
		for _, p := range two.Products {
			require.Contains(t, []string{"1.4301/304", "1.4404/316L"}, *p.Grade)
			require.Equal(t, "EN 10088-2", *p.Standard)
		}
	})

	t.Run("Sorts", func(t *testing.T) {
		prices := func(l listJSON) []float64 {
			out := make([]float64, len(l.Products))
			for i, p := range l.Products {
				out[i] = p.PricePerUnit
			}
			return out
		}
		asc := prices(c.list("category=table-inox&sort=price_asc&limit=50"))
		require.True(t, sort.Float64sAreSorted(asc), "%v", asc)
		desc := prices(c.list("category=table-inox&sort=price_desc&limit=50"))
		require.True(t, sort.SliceIsSorted(desc, func(i, j int) bool { return desc[i] > desc[j] }), "%v", desc)
		titles := c.list("sort=title_asc&limit=50")
		require.True(t, strings.HasPrefix(titles.Products[0].Title, "Bară"), titles.Products[0].Title)
		require.Len(t, c.list("sort=newest&limit=5").Products, 5)
		q := c.list("q=hea200&sort=price_desc")
		require.Equal(t, "HEA-200-S355", q.Products[0].SKU)
	})

	t.Run("Pagination", func(t *testing.T) {
		p1 := c.list("category=profile-ipe&limit=10&page=1")
		p2 := c.list("category=profile-ipe&limit=10&page=2")
		require.Len(t, p2.Products, 10)
		seen := map[string]bool{}
		for _, p := range append(p1.Products, p2.Products...) {
			require.False(t, seen[p.SKU], "%s on two pages", p.SKU)
			seen[p.SKU] = true
		}
		past := c.list("category=profile-ipe&limit=10&page=100")
		require.Empty(t, past.Products)
		require.Equal(t, p1.Pagination.Total, past.Pagination.Total)
	})

	t.Run("SearchSyntaxIsJustText", func(t *testing.T) {
		for _, q := range []string{`" OR * NEAR(a b) -x: ^`, `teava" OR "1`, `title_tokens:teava`, `'; DROP TABLE products;--`, `ăâîșțĂÂÎȘȚ`, `2 AND 20`} {
			resp, body := c.get("/api/products?q=" + url.QueryEscape(q))
			require.Equal(t, http.StatusOK, resp.StatusCode, "%s: %s", q, body)
		}
		require.Equal(t, "TR-40x20x2-S235", c.list("q=" + url.QueryEscape(`teava" OR "40x20x2`)).Products[0].SKU)
	})

	t.Run("ErrBadInput", func(t *testing.T) {
		cases := []struct{ query, field string }{
			{"sort=cheapest", "sort"},
			{"limit=0", "limit"},
			{"limit=1000", "limit"},
			{"page=-1", "page"},
			{"page=abc", "page"},
			{"q=" + strings.Repeat("a", 10*1024), "q"},
			{"q=%FF%FE", "q"},
			{"availability=sold", "availability"},
			{"minPrice=100&maxPrice=10", "minPrice"},
			{"minPrice=ieftin", "minPrice"},
			{"maxPrice=-5", "maxPrice"},
			{"maxPrice=NaN", "maxPrice"},
			{"category=" + url.QueryEscape("'; DROP TABLE products;--"), "category"},
			{"category=nu-exista", "category"}, // a broken link, not an empty category
			{"page=1&page=2", "page"},
		}
		for _, tc := range cases {
			resp, body := c.get("/api/products?" + tc.query)
			require.Equal(t, http.StatusBadRequest, resp.StatusCode, "%.80s: %s", tc.query, body)
			var e struct {
				Error   string
				Code    string
				Details []struct{ Field, Message string }
			}
			require.NoError(t, json.Unmarshal(body, &e))
			require.Equal(t, "invalid", e.Code)
			require.NotEmpty(t, e.Error)
			require.NotEmpty(t, e.Details, tc.query)
			require.Equal(t, tc.field, e.Details[0].Field, "%.80s", tc.query)
		}
		resp, body := c.get("/api/products?sort=x", "Accept-Language", "en")
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.Contains(t, string(body), "Sort is one of")
		_, body = c.get("/api/products?category=nu-exista", "Accept-Language", "en")
		require.Contains(t, string(body), `There is no category \"nu-exista\".`)
		resp, _ = c.get("/api/products?a=%zz")
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	})
}

func TestCatalog_Product(t *testing.T) {
	c := MustCatalogClient(t)
	resp, body := c.get("/api/products/TR-40x20x2-S235")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var p productJSON
	require.NoError(t, json.Unmarshal(body, &p))
	require.Equal(t, "TR-40x20x2-S235", p.SKU)
	var meta map[string]any
	require.NoError(t, json.Unmarshal(p.Metadata, &meta))
	require.Equal(t, 2.0, meta["wallMm"])

	t.Run("ById", func(t *testing.T) {
		resp, body := c.get("/api/products/" + p.ID)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, string(body), `"sku":"TR-40x20x2-S235"`)
	})
	t.Run("BySkuAnyCase", func(t *testing.T) {
		resp, body := c.get("/api/products/tr-40x20x2-s235")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, string(body), p.ID)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		for _, key := range []string{"NU-EXISTA", "00000000-0000-4000-8000-000000000000", strings.Repeat("x", 300)} {
			resp, body := c.get("/api/products/" + key)
			require.Equal(t, http.StatusNotFound, resp.StatusCode)
			require.Contains(t, string(body), `"code":"not_found"`)
			require.Contains(t, string(body), "Produsul nu a fost găsit.")
		}
	})
	t.Run("ErrInactiveIsNotFound", func(t *testing.T) {
		require.NoError(t, c.db.WriteCatalog(context.Background(), func(tx *store.Tx) error {
			_, err := tx.ExecContext(context.Background(), `UPDATE products SET is_active = 0 WHERE sku = 'HEA-100-S235'`)
			return err
		}))
		resp, _ := c.get("/api/products/HEA-100-S235")
		require.Equal(t, http.StatusNotFound, resp.StatusCode)
		for _, p := range c.list("q=hea100").Products {
			require.NotEqual(t, "HEA-100-S235", p.SKU)
		}
	})
}

func TestCatalog_Caching(t *testing.T) {
	c := MustCatalogClient(t)
	const path = "/api/products/TR-40x20x2-S235"

	resp, body := c.get(path)
	etag := resp.Header.Get("ETag")
	require.Regexp(t, `^W/".+"$`, etag)
	require.Equal(t, "public, max-age=60", resp.Header.Get("Cache-Control"))

	t.Run("NotModified", func(t *testing.T) {
		resp, b := c.get(path, "If-None-Match", etag)
		require.Equal(t, http.StatusNotModified, resp.StatusCode)
		require.Empty(t, b)
		require.Equal(t, etag, resp.Header.Get("ETag"))
		resp, _ = c.get(path, "If-None-Match", `W/"other", `+strings.TrimPrefix(etag, "W/"))
		require.Equal(t, http.StatusNotModified, resp.StatusCode, "strong form of the same tag, in a list")
		resp, _ = c.get(path, "If-None-Match", `W/"other"`)
		require.Equal(t, http.StatusOK, resp.StatusCode)
	})

	t.Run("WriteInvalidates", func(t *testing.T) {
		require.NoError(t, c.db.WriteCatalog(context.Background(), func(tx *store.Tx) error {
			_, err := tx.ExecContext(context.Background(), `UPDATE products SET price_per_unit = 12.34 WHERE sku = 'TR-40x20x2-S235'`)
			return err
		}))
		resp, b := c.get(path, "If-None-Match", etag)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.NotEqual(t, etag, resp.Header.Get("ETag"))
		require.Contains(t, string(b), `"pricePerUnit":12.34`)
		require.NotEqual(t, string(body), string(b))
	})

	t.Run("ReseedIsIdempotent", func(t *testing.T) {
		before := c.list("limit=100&sort=price_asc")
		_, err := c.db.SeedCatalog(context.Background(), true)
		require.NoError(t, err)
		after := c.list("limit=100&sort=price_asc")
		require.Equal(t, before.Pagination.Total, after.Pagination.Total)
		resp, b := c.get(path)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		var p productJSON
		require.NoError(t, json.Unmarshal(b, &p))
		require.NotEqual(t, 12.34, p.PricePerUnit, "seed restores the catalog price")
	})

	t.Run("LargeListsAreCompressed", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, c.url+"/api/products?limit=50", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := http.DefaultTransport.RoundTrip(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
		zr, err := gzip.NewReader(resp.Body)
		require.NoError(t, err)
		var l listJSON
		require.NoError(t, json.NewDecoder(zr).Decode(&l))
		require.Len(t, l.Products, 50)
		etag := resp.Header.Get("ETag")
		require.Regexp(t, `^W/".+"$`, etag)

		req.Header.Set("If-None-Match", etag)
		resp2, err := http.DefaultTransport.RoundTrip(req)
		require.NoError(t, err)
		resp2.Body.Close()
		require.Equal(t, http.StatusNotModified, resp2.StatusCode, "the tag of a gzipped answer revalidates")
	})
}
