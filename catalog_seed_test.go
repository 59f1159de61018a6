package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRun_Catalog: the first start seeds the catalog, search answers the example,
// and `metalpro seed` re-runs without duplicating anything.
func TestRun_Catalog(t *testing.T) {
	t.Parallel()
	srv := startServer(t, map[string]string{freshDatabase: "1"}) // the program seeds its own catalog
	list := func(url string) (total int, first string) {
		t.Helper()
		resp, err := http.Get(url)
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
		var l struct {
			Products   []struct{ SKU string }
			Pagination struct{ Total int }
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&l))
		if len(l.Products) > 0 {
			first = l.Products[0].SKU
		}
		return l.Pagination.Total, first
	}

	total, first := list(srv.URL + "/api/products?q=teava%2040x20x2")
	require.Equal(t, "TR-40x20x2-S235", first)
	require.Positive(t, total)
	all, _ := list(srv.URL + "/api/products")
	require.GreaterOrEqual(t, all, 3000)
	var seeded bool
	for _, l := range srv.Logs() {
		seeded = seeded || l["msg"] == "catalog seeded"
	}
	require.True(t, seeded, "the first start logs the seed")
	require.NoError(t, srv.Stop())

	getenv := func(k string) string {
		return map[string]string{"DATA_DIR": srv.DataDir, "HOST": "127.0.0.1", "PORT": "0"}[k]
	}
	// One seed over the seeded database shows it updates rather than duplicates; each seed
	// takes minutes under -race on a loaded machine, so a second one only cost time.
	require.NoError(t, run(context.Background(), []string{"metalpro", "seed"}, getenv, io.Discard))
	again := startServer(t, map[string]string{"DATA_DIR": srv.DataDir})
	n, _ := list(again.URL + "/api/products")
	require.Equal(t, all, n, "seeding again updates, never duplicates")
}
