package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
)

// TestRun_GuestRFQ goes through the real program: a guest's cart and RFQ, the confirmation
// and the operator email written by the local sender to OPERATOR_EMAIL, and the guest
// session and cart surviving a restart.
func TestRun_GuestRFQ(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	env := map[string]string{"DATA_DIR": dataDir, "OPERATOR_EMAIL": "vanzari@metalpro.test",
		"FRONTEND_URL": "https://shop.example.ro"}
	srv := startServer(t, env)

	// A product of our own, so the test does not depend on the seeded catalog's contents.
	// Beside the running server, which may hold the write lock for seconds on a loaded machine.
	wait, err := time.ParseDuration(patientWriteWait)
	require.NoError(t, err)
	db, err := store.Open(context.Background(), filepath.Join(dataDir, "metalpro.db"), store.Schema, store.Options{WriteWait: wait})
	require.NoError(t, err)
	now := store.FormatTime(time.Now())
	productID := store.NewID()
	require.NoError(t, db.WriteCatalog(context.Background(), func(tx *store.Tx) error {
		if _, err := tx.ExecContext(context.Background(), `INSERT OR IGNORE INTO categories (id, slug, name, created_at, updated_at)
			VALUES ('22222222-2222-4222-8222-222222222222', 'rfq-test', 'RFQ test', ?, ?)`, now, now); err != nil {
			return err
		}
		_, err := tx.ExecContext(context.Background(), `INSERT INTO products (id, category_id, sku, title, base_unit, price_per_unit, weight, length_m,
				created_at, updated_at) VALUES (?, '22222222-2222-4222-8222-222222222222', 'RFQ-TEST-1', 'Țeavă test', 'm', 40, 5, 6, ?, ?)`,
			productID, now, now)
		return err
	}))
	require.NoError(t, db.Close())

	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	client := &http.Client{Jar: jar}
	post := func(base, path string, body any) (int, []byte) {
		raw, _ := json.Marshal(body)
		resp, err := client.Post(base+path, "application/json", bytes.NewReader(raw))
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	status, body := post(srv.URL, "/api/cart/items", map[string]any{"productId": productID, "quantity": 2, "unit": "pcs"})
	require.Equal(t, http.StatusCreated, status, "%s", body)

	// Restart: the guest's cookie still finds the cart.
	require.NoError(t, srv.Stop())
	srv = startServer(t, env)
	resp, err := client.Get(srv.URL + "/api/cart")
	require.NoError(t, err)
	var cart struct{ EstimatedTotal float64 }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&cart))
	resp.Body.Close()
	require.Equal(t, 480.0, cart.EstimatedTotal, "2 bars × 6 m × 40 RON")

	status, body = post(srv.URL, "/api/rfq", map[string]any{
		"companyName": "Test SRL", "contactPerson": "Ana Pop", "email": "ana@example.ro", "phone": "0722123456",
		"billingAddress":  map[string]any{"street": "Str. A 1", "city": "Cluj-Napoca", "county": "Cluj", "postalCode": "400001"},
		"deliveryAddress": map[string]any{"street": "Str. B 2", "city": "Cluj-Napoca", "county": "Cluj", "postalCode": "400002"},
	})
	require.Equal(t, http.StatusCreated, status, "%s", body)
	var rfq struct{ ReferenceNumber string }
	require.NoError(t, json.Unmarshal(body, &rfq))

	var files []string
	waitUntil(t, "both emails go out", func() bool {
		files = emailFiles(t, dataDir)
		return len(files) == 2
	})
	var all string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		all += string(raw)
	}
	require.Contains(t, all, "To: <ana@example.ro>")
	require.Contains(t, all, "To: <vanzari@metalpro.test>", "OPERATOR_EMAIL reaches the API config")
	require.True(t, strings.Count(all, rfq.ReferenceNumber) >= 2, "both emails carry the reference")
}
